"""The refine protocol's outputs: results.json, a markdown table (results.md) and a bar chart (refine.png)."""

from __future__ import annotations

import json
import os
import platform
from dataclasses import asdict
from pathlib import Path

from chat.evaluate.refine import SYSTEMS, RefineReport

TARGET_SATISFIED = 0.9


def machine_line() -> str:
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores (shared), load average at the end "
        f"{load}; Python {platform.python_version()}"
    )


def to_markdown(report: RefineReport) -> str:
    metrics = list(report.results[0].metrics) if report.results else []
    header = " | ".join(f"{metric}: {system}" for metric in metrics for system in SYSTEMS)
    lines = [
        "# Refine protocol: relative refinement on the Kaggle photos",
        "",
        f"{report.items:,} items, {report.seconds} s, encoder {report.notes.get('encoder', '')}, demo WhisperLite "
        f"validation NDCG@10 {report.notes.get('demo model val', '')}. Machine: {machine_line()}.",
        f"Config: {report.config}.",
        "",
        f"| relation | references | not applicable | too few satisfying | {header} | >= {TARGET_SATISFIED:.0%} |",
        "| --- | --- | --- | --- | " + " | ".join("---" for _ in metrics for _ in SYSTEMS) + " | --- |",
    ]
    for result in report.results:
        values = " | ".join(f"{result.metrics[metric][system]:.3f}" for metric in metrics for system in SYSTEMS)
        verdict = "met" if result.metrics["satisfied@8"]["relation"] >= TARGET_SATISFIED else "MISSED"
        lines.append(
            f"| {result.relation} | {result.references} | {result.not_applicable:.1%} | {result.too_few:.1%} | "
            f"{values} | {verdict} |"
        )
    lines += [
        "",
        "## Measured colour against the catalogue's `baseColour` (items with a photo and a catalogued colour)",
        "",
        "| colour | items | measured the same |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {colour} | {n:,} | {share:.1%} |" for colour, (n, share) in report.colour_agreement.items()]
    return "\n".join(lines) + "\n"


def plot(report: RefineReport, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [result.relation for result in report.results]
    figure, axis = plt.subplots(figsize=(10, 4.2))
    width = 0.8 / len(SYSTEMS)
    for offset, (system, colour) in enumerate(zip(SYSTEMS, ("tab:blue", "tab:orange", "tab:gray"), strict=True)):
        values = [result.metrics["satisfied@8"][system] for result in report.results]
        axis.bar([i + (offset - 1) * width for i in range(len(names))], values, width, label=system, color=colour)
    axis.axhline(TARGET_SATISFIED, color="black", linestyle="--", linewidth=0.8, label="target 0.9")
    axis.set_xticks(range(len(names)), names, rotation=30, ha="right")
    axis.set_ylabel("share of top 8 satisfying the relation")
    axis.set_ylim(0, 1.05)
    axis.set_title(f"Refine protocol, {report.items:,} Kaggle products")
    axis.legend(fontsize=8, loc="lower right")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def write(report: RefineReport, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(asdict(report), indent=2) + "\n")
    (out / "results.md").write_text(to_markdown(report))
    plot(report, out / "refine.png")
