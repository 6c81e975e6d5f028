"""The day-one evaluation's tables and chart (`ranker.evaluate.day_one` writes results.json; these read it)."""

from __future__ import annotations

from pathlib import Path

TARGET_GAIN = 0.10  # catalogue-only must beat zero-shot by this relative NDCG@10 (issue 15)
METRICS = ("test/ndcg@10", "test/ndcg@50", "test/recall@10", "test/recall@50", "test/mrr@100")


def to_markdown(report: dict) -> str:
    semi = report["fashion_semi"]
    systems = semi["systems"]
    zero = systems["zero-shot"]["mean"]["test/ndcg@10"]
    lines = [
        "# Day-one model: trained on the catalogue alone (no shopper logs)",
        "",
        f"Command: `python -m ranker.evaluate.day_one --data-root ../shared/data --out docs/results/day-one`; "
        f"encoder {report['encoder']}; seeds {report['config']['seeds']}; {report['seconds']} s in total.",
        "",
        "Machine: " + ", ".join(f"{key} {value}" for key, value in report["machine"].items()) + ".",
        "",
        f"## Semi-synthetic shoppers of the Kaggle photos (fashion-semi), {semi['test_requests']} test requests",
        "",
        "Full catalogue ranked (the `full-catalogue` protocol's test requests, per-user time split); no system saw "
        "any of these shoppers' logs. Mean ± std over seeds; p: paired t-test (ranx) of NDCG@10 against zero-shot "
        "over the test requests, per seed.",
        "",
        "| system | "
        + " | ".join(metric.removeprefix("test/") for metric in METRICS)
        + " | vs zero-shot | p per seed |",
        "|---|" + "---|" * (len(METRICS) + 2),
    ]
    for name, entry in systems.items():
        cells = [f"{entry['mean'][metric]:.3f} ± {entry['std'][metric]:.3f}" for metric in METRICS]
        gain = entry["mean"]["test/ndcg@10"] / zero - 1 if zero else float("nan")
        p_values = [seed.get(name) for seed in semi["p_values_vs_zero_shot"]]
        shown = ", ".join(f"{p:.3g}{'*' if p < 0.05 else ''}" for p in p_values if p is not None) or "-"
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {gain:+.0%} | {shown} |")
    catalogue = systems["catalogue only"]["mean"]["test/ndcg@10"]
    met = catalogue >= (1 + TARGET_GAIN) * zero
    lines += [
        "",
        f"Target (catalogue only beats zero-shot by >= {TARGET_GAIN:.0%} relative NDCG@10): "
        f"**{'met' if met else 'not met'}** ({catalogue:.3f} vs {zero:.3f}, {catalogue / zero - 1:+.1%}). "
        "`*`: p < 0.05.",
        "",
        "## First start of the app (`ranker.demo.train_demo_model`, as `chat/serve/build.py` calls it)",
        "",
        "Seconds include encoding the generated requests. Validation NDCG@10 over the whole catalogue on two "
        "validation sets: requests written for held-out items (catalogue), and the simulated demo shoppers' "
        "validation requests (shoppers).",
        "",
        "| catalogue | model | sources | seconds | best epoch | requests | own validation | validation (catalogue) "
        "| validation (shoppers) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in report["first_start"]:
        lines.append(
            f"| {row['catalogue']} | {row['model']} | {' + '.join(row['sources'])} | {row['seconds']} | "
            f"{row['best_epoch']} | {row['examples']} | {row['own_validation']:.3f} | "
            f"{row['validation (catalogue)']:.3f} | {row['validation (shoppers)']:.3f} |"
        )
    return "\n".join(lines) + "\n"


def plot_day_one(report: dict, path: Path) -> None:
    """Bars of NDCG@10 (mean ± std) per system on the fashion-semi test requests."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    systems = report["fashion_semi"]["systems"]
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
