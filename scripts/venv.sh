# Sourced by the set-up scripts: creates .venv with a current pip once, sets PYTHON to its interpreter, and
# defines install_project.
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
fi
PYTHON=.venv/bin/python

# install_project [EXTRAS]: installs the project (editable, with EXTRAS such as "[dev]") into .venv, only when
# pyproject.toml changed since the last install of those extras: a warm start skips pip (delete .venv to force).
install_project() {
  local extras="${1:-}" stamp digest
  stamp=".venv/installed$extras"
  digest=$(sha256sum pyproject.toml | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$digest" ]; then
    # setuptools announces every editable install with an "Editable installation." banner (information, not a
    # problem: it warns that folders named like the packages in the working folder would shadow them); only that
    # one warning is silenced.
    PYTHONWARNINGS="ignore:Editable installation" "$PYTHON" -m pip install --quiet -e ".$extras"
    echo "$digest" > "$stamp"
  fi
}
