"""The parser against Fashion IQ train captions labelled by hand: 222 in tests/data/fashion_iq_labels.yaml, and
59 held out (labelled before the parser ever read them, never used to tune it) in fashion_iq_labels_heldout.yaml.

Hard colour filters must agree exactly, except for the known disagreements listed here with their reason, which
may be at most 2% of the captions (the issue's target for wrong hard colour filters). bench/bench_parser.py
reports the agreement of every field, for each set.
"""

from __future__ import annotations

import pytest
from fashion_iq_labels import CAPTIONS, labelled

from chat.understand.constraints import parse_message

if not CAPTIONS.is_dir():
    pytest.skip(f"{CAPTIONS} is absent: the labels name captions there", allow_module_level=True)
TUNED, HELD_OUT = labelled("tuned"), labelled("held_out")
LABELS = [*TUNED, *HELD_OUT]

# "file index/caption" -> why the parser's hard colour filter differs from the label
KNOWN_COLOUR_DISAGREEMENTS = {
    "cap.dress.train.json 1161/1": '"White belt." after a full stop reads as a white belt sought, not the belt of'
    " the blue dress",
    "cap.shirt.train.json 146/0": '"a back t-shirt": the typo for black is not read as a colour (a missed filter,'
    " not a wrong one)",
    "cap.toptee.train.json 5033/1": '"a red floral ptint": the typo hides the detail noun, so red filters',
}


def _key(entry: dict) -> str:
    return f"{entry['source']} {entry['index']}/{entry['caption']}"


def test_the_hand_labelled_set_holds_at_least_220_captions_from_all_three_categories():
    assert len(TUNED) >= 220 and len({_key(entry) for entry in LABELS}) == len(LABELS)
    assert {entry["source"] for entry in LABELS} == {f"cap.{c}.train.json" for c in ("dress", "shirt", "toptee")}


def test_known_colour_disagreements_are_at_most_two_percent():
    assert len(KNOWN_COLOUR_DISAGREEMENTS) <= 0.02 * len(LABELS)


@pytest.mark.parametrize("number", range(len(LABELS)))
def test_the_hard_colour_filter_matches_the_hand_label(number):
    entry = LABELS[number]
    agrees = parse_message(entry["text"]).constraints.colours == set(entry.get("main", []))
    assert agrees != (_key(entry) in KNOWN_COLOUR_DISAGREEMENTS), entry["text"]


def test_accents_and_colour_shifts_are_soft_as_labelled():
    wrong = [
        entry["text"]
        for entry in LABELS
        if _key(entry) not in KNOWN_COLOUR_DISAGREEMENTS
        and parse_message(entry["text"]).constraints.prefer_colours
        != set(entry.get("accents", [])) | set(entry.get("prefer", []))
    ]
    assert wrong == []


@pytest.mark.parametrize(("field", "labelled"), [("relations", "relations"), ("unknown_comparatives", "unknown")])
def test_comparatives_agree_with_the_labels_on_at_least_97_percent(field, labelled):
    agree = sum(set(getattr(parse_message(e["text"]), field)) == set(e.get(labelled, [])) for e in LABELS)
    assert agree >= 0.97 * len(LABELS)
