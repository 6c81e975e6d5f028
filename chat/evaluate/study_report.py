"""`whisperlite study report`: the relevance study's table (as the paper's) and a chart, from the stored ratings."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from chat.evaluate.study import GradedCard, StudyCell, study_table
from chat.study.systems import SYSTEMS
from store.ratings import Rating

CHART = "study.png"


def cells_of(ratings: Sequence[Rating]) -> list[StudyCell]:
    return study_table((GradedCard(r.k, r.grade, tuple(r.systems)) for r in ratings), SYSTEMS)


def _interval(cell: StudyCell) -> str:
    return "n/a" if math.isnan(cell.low) else f"[{cell.low:+.3f}, {cell.high:+.3f}]"


def format_table(cells: Sequence[StudyCell], raters: int, tasks: int) -> str:
    """Markdown: a row per system and k, with the rated cards, the mean score (-1..+1) and its 95% interval."""
    lines = [
        f"Relevance study: {tasks} rated requests from {raters} rater sessions "
        "(grades 1-2 -> -1, 3 -> 0, 4-5 -> +1; 95% t interval)",
        "",
        "| system | k | cards | mean | 95% interval |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [f"| {c.system} | {c.k} | {c.count} | {c.mean:+.3f} | {_interval(c)} |" for c in cells]
    return "\n".join(lines)


def write_chart(cells: Sequence[StudyCell], path: Path) -> None:
    """Grouped bars: the mean score per k, a bar per system, its 95% interval as the error bar."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ks = sorted({cell.k for cell in cells})
    systems = [system for system in SYSTEMS if any(cell.system == system for cell in cells)]
    width = 0.8 / max(1, len(systems))
    figure, axis = plt.subplots(figsize=(7, 4.2))
    for n, system in enumerate(systems):
        found = {cell.k: cell for cell in cells if cell.system == system}
        xs = [i + (n - (len(systems) - 1) / 2) * width for i, k in enumerate(ks) if k in found]
        means = [found[k].mean for k in ks if k in found]
        errors = [
            [0 if math.isnan(found[k].low) else found[k].mean - found[k].low for k in ks if k in found],
            [0 if math.isnan(found[k].high) else found[k].high - found[k].mean for k in ks if k in found],
        ]
        axis.bar(xs, means, width, yerr=errors, capsize=3, label=system)
    axis.axhline(0, color="black", linewidth=0.6)
    axis.set_xticks(range(len(ks)), [f"k = {k}" for k in ks])
    axis.set_ylim(-1.05, 1.05)
    axis.set_ylabel("mean relevance (-1 .. +1)")
    axis.set_title("Relevance study: mean score per system and k (95% interval)", fontsize=10)
    axis.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=len(systems))
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
