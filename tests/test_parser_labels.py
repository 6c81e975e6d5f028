"""The parser against 222 Fashion IQ train captions labelled by hand (tests/data/fashion_iq_labels.yaml).

Hard colour filters must agree exactly, except for the known disagreements listed here with their reason, which
may be at most 2% of the captions (the issue's target for wrong hard colour filters). bench/bench_parser.py
reports the agreement of every field.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from chat.understand.constraints import parse_message

LABELS = yaml.safe_load((Path(__file__).parent / "data" / "fashion_iq_labels.yaml").read_text(encoding="utf-8"))

# caption number in the file -> why the parser's hard colour filter differs from the label
KNOWN_COLOUR_DISAGREEMENTS = {
    16: '"White belt." after a full stop reads as a white belt sought, not the belt of the blue dress',
    135: '"a back t-shirt": the typo for black is not read as a colour (a missed filter, not a wrong one)',
    215: '"a red floral ptint": the typo hides the detail noun, so red filters',
}


def test_the_hand_labelled_set_holds_at_least_220_captions_from_all_three_categories():
    assert len(LABELS) >= 220
    assert {entry["source"] for entry in LABELS} == {f"cap.{c}.train.json" for c in ("dress", "shirt", "toptee")}


def test_known_colour_disagreements_are_at_most_two_percent():
    assert len(KNOWN_COLOUR_DISAGREEMENTS) <= 0.02 * len(LABELS)


@pytest.mark.parametrize("number", range(len(LABELS)))
def test_the_hard_colour_filter_matches_the_hand_label(number):
    entry = LABELS[number]
    agrees = parse_message(entry["text"]).constraints.colours == set(entry.get("main", []))
    assert agrees != (number in KNOWN_COLOUR_DISAGREEMENTS), entry["text"]


def test_accents_and_colour_shifts_are_soft_as_labelled():
    wrong = [
        entry["text"]
        for number, entry in enumerate(LABELS)
        if number not in KNOWN_COLOUR_DISAGREEMENTS
        and parse_message(entry["text"]).constraints.prefer_colours
        != set(entry.get("accents", [])) | set(entry.get("prefer", []))
    ]
    assert wrong == []


@pytest.mark.parametrize(("field", "labelled"), [("relations", "relations"), ("unknown_comparatives", "unknown")])
def test_comparatives_agree_with_the_labels_on_at_least_97_percent(field, labelled):
    agree = sum(set(getattr(parse_message(e["text"]), field)) == set(e.get(labelled, [])) for e in LABELS)
    assert agree >= 0.97 * len(LABELS)


def test_every_labelled_caption_is_the_text_of_its_source(shared_data):
    folder = shared_data / "fashion-iq" / "captions"
    sources = {name: json.loads((folder / name).read_text()) for name in {e["source"] for e in LABELS}}
    assert all(sources[e["source"]][e["index"]]["captions"][e["caption"]] == e["text"] for e in LABELS)
