# Sourced by the set-up scripts: creates .venv with a current pip once, and sets PYTHON to its interpreter.
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
fi
PYTHON=.venv/bin/python
