"""Bar chart of each protocol's headline metric (mean ± std over seeds), one panel per protocol."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ranker.evaluate.protocols import PROTOCOLS
from ranker.evaluate.whisperlite import display_name

if TYPE_CHECKING:
    from ranker.evaluate.report import EvalReport


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_learning_curves(report: EvalReport, folder: Path) -> list[Path]:
    """One PNG per training run of every WhisperLite system (`training_curves` in results.json): the loss
    terms on train (solid) and validation (dashed), and validation NDCG@10 with the kept epoch marked.
    Protocols sharing a split share the runs, so a run is drawn once per split."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for result in report.protocols.values():
        for system, entry in result["systems"].items():
            for curve in entry.get("training_curves", []):
                slug = re.sub(r"[^a-z0-9]+", "-", system.lower()).strip("-")
                path = folder / f"{result['split']}-{slug}-seed{curve['seed']}.png"
                if path not in paths:
                    title = f"{display_name(system, entry.get('chosen_on_validation'))}, {result['split']} split"
                    paths[path] = _plot_curve(curve, f"{title}, seed {curve['seed']}", path)
    return list(paths)


def _plot_curve(curve: dict, title: str, path: Path) -> Path:
    plt = _pyplot()
    epochs = curve["metrics_per_epoch"]
    figure, (losses, ndcg) = plt.subplots(1, 2, figsize=(10, 3.6))
    for term, colour in (("loss", "black"), ("bce", "tab:orange"), ("infonce", "tab:blue")):
        for split, style in (("train", "-"), ("val", "--")):
            points = [(row["epoch"], row[f"{split}/{term}"]) for row in epochs if f"{split}/{term}" in row]
            if points:
                losses.plot(*zip(*points), style, color=colour, label=f"{split} {term}")
    losses.set_xlabel("epoch")
    losses.set_title("loss terms", fontsize=10)
    losses.legend(fontsize=7, ncol=2)
    key = next(name for name in epochs[0] if name.endswith("ndcg@10"))
    ndcg.plot([row["epoch"] for row in epochs], [row[key] for row in epochs], "o-", color="tab:green")
    ndcg.axvline(curve["best_epoch"], color="gray", linestyle=":", label=f"kept: epoch {curve['best_epoch']}")
    ndcg.set_xlabel("epoch")
    ndcg.set_title(key, fontsize=10)
    ndcg.legend(fontsize=7)
    figure.suptitle(title, fontsize=10)
    figure.tight_layout()
    figure.savefig(path, dpi=80)
    plt.close(figure)
    return path


def plot_report(report: EvalReport, path: Path) -> None:
    plt = _pyplot()

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
