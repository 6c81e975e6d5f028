"""The installed dependencies against the public vulnerability database, through pip-audit.

pip-audit asks PyPI's JSON API for each package's known vulnerabilities. Where the registry does not answer
(here it serves packages but not that API), the test is skipped with pip-audit's own reason printed.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def test_no_installed_dependency_has_a_known_vulnerability():
    run = subprocess.run(
        [sys.executable, "-m", "pip_audit", "--format", "json", "--progress-spinner", "off", "--skip-editable"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if not run.stdout.strip():
        pytest.skip(f"pip-audit could not reach the vulnerability service: {run.stderr.strip().splitlines()[-1:]}")
    dependencies = json.loads(run.stdout)["dependencies"]
    audited = [dependency for dependency in dependencies if "skip_reason" not in dependency]
    if not audited:
        pytest.skip(f"the registry answered for no package, e.g. {dependencies[0]['skip_reason']!r}")
    vulnerable = [(d["name"], d["version"], v["id"], v.get("fix_versions")) for d in audited for v in d["vulns"]]
    assert vulnerable == []
