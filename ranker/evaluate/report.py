"""The evaluation's result: JSON (everything), a markdown table per protocol, and a bar chart."""

from __future__ import annotations

import json
import os
import platform
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

from ranker.evaluate.protocols import PROTOCOLS
from ranker.evaluate.whisperlite import display_name


@dataclass
class EvalReport:
    """`protocols[name]["systems"][system]` holds `per_seed`, `mean`, `std` metric dicts and `seconds`."""

    dataset: dict
    label: str  # "real" or "semi-synthetic"
    encoder: str
    examples: int
    protocols: dict[str, dict]
    problems: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    machine: dict[str, str] = field(default_factory=dict)
    config: object = None

    def metric(self, protocol: str, system: str, key: str) -> float:
        """The mean over seeds of one metric, e.g. `metric("full-catalogue", "bm25", "test/ndcg@10")`."""
        return self.protocols[protocol]["systems"][system]["mean"][key]

    def to_dict(self) -> dict:
        data = asdict(self)
        data["config"] = json.loads(json.dumps(asdict(self.config), default=str)) if self.config else None
        return data

    def to_markdown(self, per_user: bool = True) -> str:
        seeds = len(self.config.seeds) if self.config else 0
        lines = [
            f"### {self.dataset['name']} ({self.label}), encoder {self.encoder}",
            "",
            f"{self.examples} examples; {self.dataset['items']} items; {seeds} seed(s); "
            f"{self.seconds.get('total', 0):.0f} s in total (encoding {self.seconds.get('encode', 0):.0f} s).",
        ]
        for name, result in self.protocols.items():
            metrics = PROTOCOLS[name].metrics
            sizes = result["sizes"]
            ranked = "whole catalogue" if result["candidates"] is None else f"{result['candidates']} candidates"
            lines += [
                "",
                f"**{name}** ({result['split']} split; train/val/test = "
                f"{sizes['train']}/{sizes['val']}/{sizes['test']}; "
                f"{ranked})",
                "",
            ]
            lines += _table(result["systems"], "test", metrics)
            if per_user:
                lines += ["", f"per-user averages ({name}):", ""]
                lines += _table(result["systems"], "test-per-user", metrics)
            if result.get("significance"):
                lines += ["", *_significance_table(result["significance"], result["systems"])]
        return "\n".join(lines) + "\n"

    def save(self, out_dir: Path) -> None:
        from ranker.evaluate.plot import plot_learning_curves, plot_report

        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "results.json").write_text(json.dumps(self.to_dict(), indent=1))
        (out_dir / "results.md").write_text(self.to_markdown())
        plot_report(self, out_dir / "results.png")
        plot_learning_curves(self, out_dir / "curves")


def _table(systems: dict[str, dict], prefix: str, metrics: tuple[str, ...]) -> list[str]:
    header = ["system", *(metric.replace("precision", "P").replace("recall", "R") for metric in metrics), "s"]
    rows = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, entry in systems.items():
        cells = [f"{entry['mean'][f'{prefix}/{m}']:.3f} ± {entry['std'][f'{prefix}/{m}']:.3f}" for m in metrics]
        label = display_name(name, entry.get("chosen_on_validation"))
        rows.append("| " + " | ".join([label, *cells, f"{entry['seconds']:.0f}"]) + " |")
    return rows


def _significance_table(tests: dict[str, dict], systems: dict[str, dict]) -> list[str]:
    """WhisperLite + history against each system: the paired t-tests' differences and p-values, with a * where
    p < 0.05 (`ranker.evaluate.significance`)."""
    metric = next(iter(tests.values()))["metric"]
    first = next(iter(tests.values()))
    rows = [
        f"Paired t-tests, whisperlite + history against each system on {metric}, over the "
        f"{first['requests']} distinct test requests of all seeds (each one's mean over the seeds that tested it) "
        f"and over their {first['users']} users (* p < 0.05):",
        "",
        "| against | Δ per request | p per request | Δ per user | p per user |",
        "|---|---|---|---|---|",
    ]
    for control, test in tests.items():
        label = display_name(control, systems[control].get("chosen_on_validation"))
        cells = [
            f"{test['difference per request']:+.4f}",
            f"{test['p per request']:.3g}{' *' if test['significant per request'] else ''}",
            f"{test['difference per user']:+.4f}",
            f"{test['p per user']:.3g}{' *' if test['significant per user'] else ''}",
        ]
        rows.append("| " + " | ".join([label, *cells]) + " |")
    return rows


def machine_details() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        names = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if "model name" in line]
        cpu = names[0] if names else cpu
    details = {"cpu": cpu, "cores": str(os.cpu_count()), "python": platform.python_version(), "os": platform.platform()}
    for package in ("torch", "sentence-transformers", "ranx", "rank-bm25", "numpy"):
        try:
            details[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            details[package] = "absent"
    return details
