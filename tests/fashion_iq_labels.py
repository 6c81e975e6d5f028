"""The hand-labelled Fashion IQ captions: the labels live in tests/data/fashion_iq_labels*.yaml, each naming its
caption by file, entry and caption number; the caption's text is read from the real data beside the repository
(../shared/data/fashion-iq/captions), which its README says is never copied into the project."""

from __future__ import annotations

import json
import os
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
LABEL_FILES = {
    "tuned": REPO / "tests" / "data" / "fashion_iq_labels.yaml",
    "held_out": REPO / "tests" / "data" / "fashion_iq_labels_heldout.yaml",
}
CAPTIONS = Path(os.environ.get("WHISPERLITE_SHARED_DATA", REPO.parent / "shared" / "data")) / "fashion-iq" / "captions"


def labelled(name: str, captions: Path = CAPTIONS) -> list[dict]:
    """The labels of one set ("tuned" or "held_out"), each with its caption's `text`; raises FileNotFoundError
    when the captions are absent."""
    entries = yaml.safe_load(LABEL_FILES[name].read_text(encoding="utf-8"))
    sources: dict[str, list] = {}
    for entry in entries:
        if entry["source"] not in sources:
            sources[entry["source"]] = json.loads((captions / entry["source"]).read_text(encoding="utf-8"))
        entry["text"] = sources[entry["source"]][entry["index"]]["captions"][entry["caption"]]
    return entries
