"""`whisperlite study report`: the table's rows, the chart file, and a clear word when nothing was rated yet."""

from __future__ import annotations

from PIL import Image

from chat.evaluate.study import StudyCell
from chat.evaluate.study_report import format_table, write_chart
from chat.serve.cli import main
from store.ratings import Rating, RatingStore

CELLS = [StudyCell("zero-shot", 3, 6, 0.5, -0.1, 1.0), StudyCell("random", 3, 6, -0.5, float("nan"), float("nan"))]


def test_the_table_has_a_row_per_system_and_k_with_count_mean_and_interval():
    table = format_table(CELLS, raters=2, tasks=2)
    assert "2 rated requests from 2 rater sessions" in table
    assert "| zero-shot | 3 | 6 | +0.500 | [-0.100, +1.000] |" in table
    assert "| random | 3 | 6 | -0.500 | n/a |" in table


def test_the_chart_is_a_png(tmp_path):
    write_chart(CELLS, tmp_path / "out" / "study.png")
    with Image.open(tmp_path / "out" / "study.png") as image:
        assert image.format == "PNG" and image.width > 300


def test_the_report_says_when_nothing_was_rated_yet(tmp_path, capsys):
    assert main(["study", "report", "--data-dir", str(tmp_path)]) == 1
    assert "no study ratings" in capsys.readouterr().err


def test_the_report_prints_the_stored_ratings_table_and_writes_the_chart(tmp_path, capsys):
    RatingStore(tmp_path / "users.sqlite").record(
        [
            Rating("s1", None, "t1", "a red dress", 3, "i1", 5, {"zero-shot": 1, "random": 2}, 1.0),
            Rating("s1", None, "t1", "a red dress", 3, "i2", 1, {"random": 1}, 1.0),
        ]
    )
    assert main(["study", "report", "--data-dir", str(tmp_path), "--out", str(tmp_path / "chart")]) == 0
    out = capsys.readouterr().out
    assert "| zero-shot | 3 | 1 | +1.000 | n/a |" in out and "| random | 3 | 2 | +0.000 |" in out
    assert (tmp_path / "chart" / "study.png").is_file()
