"""The day-one evaluation's tables and chart (`ranker.evaluate.day_one` writes results.json; these read it)."""

from __future__ import annotations

from pathlib import Path

from ranker.evaluate.significance import ALPHA

TARGET_GAIN = 0.10  # catalogue-only must beat zero-shot by this relative NDCG@10 (issue 15)
METRICS = ("test/ndcg@10", "test/ndcg@50", "test/recall@10", "test/recall@50", "test/mrr@100")


def to_markdown(parts: list[dict]) -> str:
    """The saved parts of the day-one evaluation (results.json, first-start-*.json) as one page."""
    lines = [
        "# Day-one model: trained on the catalogue alone (no shopper logs)",
        "",
        "Command: `python -m ranker.evaluate.day_one --data-root ../shared/data --out docs/results/day-one` "
        "(`--parts` runs some of fashion-semi, first-start-demo, first-start-kaggle; each writes its JSON here).",
    ]
    for part in parts:
        lines += ["", *(_semi(part) if part["part"] == "fashion-semi" else _first_start(part))]
        lines += [
            "",
            f"Encoder {part['encoder']}; {part['seconds']} s; load average at start "
            f"{part['load_average_at_start']}; " + ", ".join(f"{k} {v}" for k, v in part["machine"].items()) + ".",
        ]
    return "\n".join(lines) + "\n"


def _semi(part: dict) -> list[str]:
    systems = part["systems"]
    zero = systems["zero-shot"]["mean"]["test/ndcg@10"]
    lines = [
        f"## Semi-synthetic shoppers of the Kaggle photos (fashion-semi), {part['test_requests']} test requests",
        "",
        f"Catalogue: {part['dataset']['items']} items; seeds {part['config']['seeds']}. The whole catalogue is "
        "ranked for the `full-catalogue` protocol's test requests (per-user time split, the request's history "
        "left out); no system saw any of these shoppers' logs. Mean ± std over seeds; p: paired t-test (ranx "
        "`compare`) of NDCG@10 against zero-shot over the test requests, one per seed; pooled p: the same test over "
        "the distinct test requests, each averaged over the seeds (`*`: p < 0.05).",
        "",
        "| system | "
        + " | ".join(metric.removeprefix("test/") for metric in METRICS)
        + " | vs zero-shot | p | pooled p |",
        "|---|" + "---|" * (len(METRICS) + 3),
    ]
    for name, entry in systems.items():
        cells = [f"{entry['mean'][metric]:.3f} ± {entry['std'][metric]:.3f}" for metric in METRICS]
        gain = entry["mean"]["test/ndcg@10"] / zero - 1 if zero else float("nan")
        p_values = [seed[name] for seed in part["p_values_vs_zero_shot"] if name in seed]
        shown = ", ".join(_p(p) for p in p_values) or "-"
        test = part.get("pooled_vs_zero_shot", {}).get(name)
        pooled = _p(test["p per request"]) if test else "-"
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {gain:+.0%} | {shown} | {pooled} |")
    catalogue = systems["catalogue only"]["mean"]["test/ndcg@10"]
    met = catalogue >= (1 + TARGET_GAIN) * zero
    lines += [
        "",
        f"Target (catalogue only beats zero-shot by >= {TARGET_GAIN:.0%} relative NDCG@10): "
        f"**{'met' if met else 'not met'}** ({catalogue:.3f} vs {zero:.3f}, {catalogue / zero - 1:+.1%}).",
    ]
    return lines


def _p(p: float) -> str:
    return f"{p:.2g}{'*' if p < ALPHA else ''}"


def _first_start(part: dict) -> list[str]:
    lines = [
        f"## First start of the app: {part['rows'][0]['catalogue']}",
        "",
        "`ranker.demo.train_preset` as `train_demo_model` calls it from `chat/serve/build.py`, up to "
        f"{part['config']['epochs']} epochs; seconds include encoding the generated requests. Validation NDCG@10 "
        "over the whole catalogue on each model's own validation set and on two fixed ones: requests written for "
        "held-out items (catalogue), and the simulated demo shoppers' validation requests (shoppers).",
        "",
        "| model | sources | seconds | best epoch | requests | own validation | validation (catalogue) "
        "| validation (shoppers) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in part["rows"]:
        lines.append(
            f"| {row['model']} | {' + '.join(row['sources'])} | {row['seconds']} | {row['best_epoch']} | "
            f"{row['examples']} | {row['own_validation']:.3f} | {row['validation (catalogue)']:.3f} | "
            f"{row['validation (shoppers)']:.3f} |"
        )
    return lines


def plot_day_one(report: dict, path: Path) -> None:
    """Bars of NDCG@10 (mean ± std) per system on the fashion-semi test requests."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    systems = report["systems"]
    means = [entry["mean"]["test/ndcg@10"] for entry in systems.values()]
    stds = [entry["std"]["test/ndcg@10"] for entry in systems.values()]
    figure, axis = plt.subplots(figsize=(6.5, 4.2))
    colours = ["tab:gray" if name == "zero-shot" else "tab:blue" for name in systems]
    axis.bar(range(len(systems)), means, yerr=stds, color=colours, capsize=4)
    axis.axhline(means[0] * (1 + TARGET_GAIN), color="tab:red", linestyle="--", linewidth=1, label="target: +10%")
    axis.set_xticks(range(len(systems)), list(systems), rotation=20, ha="right", fontsize=8)
    axis.set_ylabel("full-catalogue NDCG@10")
    axis.set_title("Day-one model on fashion-semi shoppers (no logs used)", fontsize=10)
    axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
