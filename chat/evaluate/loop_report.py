"""The closed loop's outputs: results.json, a markdown table (results.md) and a line chart (closed-loop.png)."""

from __future__ import annotations

import json
from pathlib import Path

from chat.evaluate.closed_loop import LoopReport
from chat.evaluate.report import machine_line

TARGET_GAIN = 0.10  # relative NDCG@10 after the last round over round 0


def gain(report: LoopReport, measure: str = "model") -> float:
    """Relative change of a round's NDCG@10 (a `RoundResult` field: `model` alone, `served` blend, cold start;
    `with_history`, as served with each held-out shopper's earlier likes) from round 0 to the last round."""
    first, last = getattr(report.rounds[0], measure), getattr(report.rounds[-1], measure)
    return (last - first) / first if first else float("nan")


def to_markdown(report: LoopReport, command: str) -> str:
    config = report.config
    lines = [
        "# Learning from the chat: the closed loop (SIMULATED shoppers)",
        "",
        f"`{command}`",
        "",
        f"{config.shoppers} shoppers with hidden tastes, {config.requests} requests each per round, {config.rounds} "
        "rounds; after each, the model in use is fine-tuned on all stored feedback and the catalogue's own requests "
        "and served only if the quality gate lets it, and the shop's taste (a lean per brand, material and colour, "
        "for shoppers with no history) is refit (`whisperlite train --from-feedback` does the same); "
        f"{config.held_out} held-out requests of other shoppers of the same clientele, ranked over the whole "
        f"catalogue (cold start); and the same requests asked in order through the app's recommender (top 10 of its "
        "candidates), each held-out shopper's likes of the cards of their earlier requests as history, beside the "
        f"same path without history. Hidden clientele taste: brands {', '.join(report.clientele['brands'])}; never "
        f"{', '.join(report.clientele['avoided_materials'])}. {report.notes.get('app', '')} Machine: {machine_line()}.",
        "",
        "| round | feedback events stored | training requests | NDCG@10 model alone | NDCG@10 as served (model + "
        "frozen similarity) | NDCG@10 zero-shot | NDCG@10 as served, earlier likes as history | NDCG@10 as served, "
        "same path, no history | seconds | quality gate |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in report.rounds:
        label = f"{r.round} (before feedback)" if r.round == 0 else str(r.round)
        lines.append(
            f"| {label} | {r.events:,} | {r.examples:,} | {r.model:.4f} | {r.served:.4f} | {r.zero_shot:.4f} | "
            f"{r.with_history:.4f} | {r.recommended_cold:.4f} | {r.seconds} | "
            f"{r.gate or 'the model the app starts with'} |"
        )
    last = report.rounds[-1].round
    lines.append("")
    measures = (
        ("model", "the model alone, cold start"),
        ("served", "the ranking as served, cold start"),
        ("recommended_cold", "the recommender's answer, cold start"),
        ("with_history", "the recommender's answer with each held-out shopper's earlier likes as history"),
    )
    for measure, name in measures:
        verdict = "met" if gain(report, measure) >= TARGET_GAIN else "MISSED"
        lines.append(
            f"Relative NDCG@10 of {name} after round {last} over round 0: {gain(report, measure):+.1%} "
            f"(target >= +{TARGET_GAIN:.0%}: {verdict})."
        )
    return "\n".join(lines) + "\n"


def plot(report: LoopReport, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rounds = [r.round for r in report.rounds]
    figure, axis = plt.subplots(figsize=(6.5, 5.2))
    axis.plot(rounds, [r.model for r in report.rounds], marker="o", label="model alone (retrained on feedback)")
    axis.plot(rounds, [r.served for r in report.rounds], marker="s", label="as served, cold start")
    axis.plot(rounds, [r.with_history for r in report.rounds], marker="^", label="as served, earlier likes as history")
    axis.plot(rounds, [r.zero_shot for r in report.rounds], linestyle="--", color="gray", label="zero-shot")
    target = report.rounds[0].served * (1 + TARGET_GAIN)
    gain_label = f"+{TARGET_GAIN:.0%}"
    axis.axhline(target, linestyle=":", color="red", label=f"target: round 0 as served, cold start {gain_label}")
    history_target = report.rounds[0].with_history * (1 + TARGET_GAIN)
    axis.axhline(history_target, linestyle=":", color="purple", label=f"target: round 0 with history {gain_label}")
    axis.set_xticks(rounds)
    axis.set_xlabel("round of conversations (0: before any feedback)")
    axis.set_ylabel("held-out NDCG@10 (axis not from 0)")
    lowest = min(min(r.model, r.served, r.zero_shot, r.with_history) for r in report.rounds)
    highest = max(max(r.model, r.served, r.with_history) for r in report.rounds)
    axis.set_ylim(0.9 * lowest, 1.05 * max(target, history_target, highest))
    axis.set_title("Learning from the chat (simulated shoppers)")
    axis.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2)  # below: never over a line
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def write(report: LoopReport, out: Path, command: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    data = {**report.as_dict(), "notes": report.notes, "command": command, "machine": machine_line()}
    (out / "results.json").write_text(json.dumps(data, indent=2) + "\n")
    (out / "results.md").write_text(to_markdown(report, command))
    plot(report, out / "closed-loop.png")
