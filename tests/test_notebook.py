"""The evaluation notebook runs end to end in the project's own interpreter and shows a table and a chart."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "evaluate.ipynb"


@pytest.mark.slow
def test_evaluation_notebook_runs_and_shows_its_results(shared_data, tmp_path, monkeypatch):
    from nbclient import NotebookClient

    monkeypatch.setenv("WHISPERLITE_SHARED_DATA", str(shared_data))
    monkeypatch.setenv("WHISPERLITE_NOTEBOOK_OUT", str(tmp_path / "out"))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        notebook, kernel_name="python3", timeout=300, resources={"metadata": {"path": str(tmp_path)}}
    ).execute()

    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    texts = "".join(output.get("text", "") for output in outputs)
    assert f"python: {sys.executable}" in texts  # the kernel is this interpreter (the venv's), not another
    markdown = "".join(output.get("data", {}).get("text/markdown", "") for output in outputs)
    assert "| whisperlite + history" in markdown and "semi-synthetic" in markdown  # "(residual towers)" may follow
    assert any("image/png" in output.get("data", {}) for output in outputs)
    assert (tmp_path / "out" / "results.json").is_file()
