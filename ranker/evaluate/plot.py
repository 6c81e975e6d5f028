"""Bar chart of each protocol's headline metric (mean ± std over seeds), one panel per protocol."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ranker.evaluate.protocols import PROTOCOLS
from ranker.evaluate.whisperlite import display_name

if TYPE_CHECKING:
    from ranker.evaluate.report import EvalReport


def plot_report(report: EvalReport, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(report.protocols)
    figure, axes = plt.subplots(1, len(names), figsize=(5.5 * len(names), 4.5), squeeze=False)
    for axis, name in zip(axes[0], names, strict=True):
        key = f"test/{PROTOCOLS[name].headline}"
        systems = report.protocols[name]["systems"]
        means = [entry["mean"][key] for entry in systems.values()]
        stds = [entry["std"][key] for entry in systems.values()]
        colours = ["tab:blue" if system.startswith(("whisperlite", "ablation")) else "tab:gray" for system in systems]
        axis.bar(range(len(systems)), means, yerr=stds, color=colours, capsize=3)
        labels = [display_name(system, entry.get("chosen_on_validation")) for system, entry in systems.items()]
        axis.set_xticks(range(len(systems)), labels, rotation=60, ha="right", fontsize=8)
        axis.set_title(f"{name}: {PROTOCOLS[name].headline}", fontsize=10)
        axis.set_ylim(0, max(1e-3, max(means) + max(stds)) * 1.15)
    figure.suptitle(f"{report.dataset['name']} ({report.label}), encoder {report.encoder}", fontsize=11)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
