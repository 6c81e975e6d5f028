"""The evaluation notebook runs end to end in the project's own interpreter and shows the saved results."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "evaluate.ipynb"
RESULTS = ROOT / "docs" / "results"


@pytest.mark.slow
def test_evaluation_notebook_shows_the_saved_results_of_both_exact_commands(monkeypatch):
    from nbclient import NotebookClient

    monkeypatch.setenv("WHISPERLITE_RESULTS", str(RESULTS))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(notebook, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(ROOT)}}).execute()

    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    texts = "".join(output.get("text", "") for output in outputs)
    assert f"python: {sys.executable}" in texts  # the kernel is this interpreter (the venv's), not another
    markdown = "".join(output.get("data", {}).get("text/markdown", "") for output in outputs)
    for name in ("movielens-time-split", "movielens", "fashion-semi", "movielens-history-signal"):
        assert (RESULTS / name / "results.md").read_text() in markdown
    assert sum("image/png" in output.get("data", {}) for output in outputs) >= 4  # three charts, the summaries
