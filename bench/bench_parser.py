"""Parser agreement with hand-labelled Fashion IQ captions (run by hand): wrong hard colour filters and per field.

    PYTHONPATH=. .venv/bin/python bench/bench_parser.py   # PYTHONPATH: this checkout's parser, not an install

Reads the labels of `tests/data/fashion_iq_labels.yaml` (222 train captions, labelled by hand; their text is read
from ../shared by tests/fashion_iq_labels.py; the file's header says how they were sampled and the labelling
conventions; the rules were refined on it) and `fashion_iq_labels_heldout.yaml` (59 more, labelled before the parser
read them and never used to change it), parses each caption with
`parse_message`, and compares:
- hard colour filter: the parsed wanted colours against the labelled main colours. A *wrong* filter is a
  non-empty parsed set that differs from the label (it hides the target); a *missed* one an empty parsed set
  where the label names a colour (the encoder still sees the word). The issue's target: wrong <= 2%.
- soft colours: parsed `prefer_colours` against labelled accents + prefer, `avoid_colours` against avoid.
- relations, unknown comparatives: exact set agreement per caption.
Writes bench/results/parser.{json,md}; the disagreements are listed so each can be read.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from chat.understand.constraints import parse_message

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from fashion_iq_labels import labelled  # noqa: E402  (the labels' loader lives beside the tests)

SETS = {"labelled (rules tuned on it)": "tuned", "held out (labelled before the parser read it)": "held_out"}
RESULTS = ROOT / "bench" / "results"


def _parsed(text: str) -> dict[str, set[str]]:
    parsed = parse_message(text)
    return {
        "main": set(parsed.constraints.colours),
        "soft": set(parsed.constraints.prefer_colours),
        "avoid": set(parsed.constraints.avoid_colours),
        "relations": set(parsed.relations),
        "unknown": set(parsed.unknown_comparatives),
    }


def _labelled(entry: dict) -> dict[str, set[str]]:
    return {
        "main": set(entry.get("main", [])),
        "soft": set(entry.get("accents", [])) | set(entry.get("prefer", [])),
        "avoid": set(entry.get("avoid", [])),
        "relations": set(entry.get("relations", [])),
        "unknown": set(entry.get("unknown", [])),
    }


def measure(entries: list[dict]) -> dict:
    fields = ("main", "soft", "avoid", "relations", "unknown")
    agree = dict.fromkeys(fields, 0)
    wrong, missed, disagreements = [], [], []
    for number, entry in enumerate(entries):
        got, want = _parsed(entry["text"]), _labelled(entry)
        for name in fields:
            agree[name] += got[name] == want[name]
        if got["main"] and got["main"] != want["main"]:
            wrong.append(number)
        elif want["main"] and not got["main"]:
            missed.append(number)
        differing = {name: (sorted(want[name]), sorted(got[name])) for name in fields if got[name] != want[name]}
        if differing:
            disagreements.append({"number": number, "text": entry["text"], "labelled_vs_parsed": differing})
    count = len(entries)
    return {
        "captions": count,
        "wrong_hard_colour_rate": len(wrong) / count,
        "missed_hard_colour_rate": len(missed) / count,
        "wrong_hard_colour": wrong,
        "agreement": {name: agree[name] / count for name in fields},
        "disagreements": disagreements,
    }


_FIELD_NAMES = {
    "main": "main colour (hard filter)",
    "soft": "accent and preferred colours (soft)",
    "avoid": "avoided colours (soft)",
    "relations": "relations",
    "unknown": "unknown comparatives",
}


def _markdown(results: dict[str, dict]) -> str:
    lines = [
        "# Parser against hand-labelled Fashion IQ captions",
        "",
        "`PYTHONPATH=. .venv/bin/python bench/bench_parser.py`: `parse_message` on Fashion IQ train captions labelled"
        " by hand (`tests/data/fashion_iq_labels*.yaml`) by the engineer who wrote the rules: an independent"
        " labeller would likely agree less. The held-out set was labelled before the parser read it.",
        "",
        "| | " + " | ".join(results) + " |",
        "| --- | " + " | ".join("---" for _ in results) + " |",
        "| captions | " + " | ".join(str(r["captions"]) for r in results.values()) + " |",
        "| **wrong hard colour filter** (target <= 2%) | "
        + " | ".join(f"{r['wrong_hard_colour_rate']:.1%}" for r in results.values())
        + " |",
        "| missed hard colour filter (the encoder still sees the word) | "
        + " | ".join(f"{r['missed_hard_colour_rate']:.1%}" for r in results.values())
        + " |",
    ]
    for name, label in _FIELD_NAMES.items():
        lines.append(
            f"| agreement: {label} | " + " | ".join(f"{r['agreement'][name]:.1%}" for r in results.values()) + " |"
        )
    for set_name, result in results.items():
        lines += ["", f"## Disagreements, {set_name} (labelled -> parsed)", ""]
        for row in result["disagreements"]:
            detail = "; ".join(f"{name}: {want} -> {got}" for name, (want, got) in row["labelled_vs_parsed"].items())
            lines.append(f"- {row['number']} “{row['text'].strip()}”: {detail}")
    return "\n".join(lines) + "\n"


def main() -> None:
    results = {name: measure(labelled(label_set)) for name, label_set in SETS.items()}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "parser.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "parser.md").write_text(_markdown(results), encoding="utf-8")
    print(_markdown(results))


if __name__ == "__main__":
    main()
