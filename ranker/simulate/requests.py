"""Request writers: the words a simulated shopper types for the item they want.

- `describe_request` (the demo catalogue): the item's kind with zero to two of its colour, material and
  occasion, e.g. "a blue dress in linen".
- `CaptionRequests` (the semi-synthetic set): the article type, one Fashion IQ relative-caption clause that
  names no colour, and the colour with a probability, e.g. "tshirts that has shorter sleeves and is navy".
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from store.item import Item
from store.vocabulary import COLOUR_OF_WORD


def describe_request(item: Item, rng: random.Random) -> str:
    """A shopper's request for `item`, naming one to three of its attributes in words."""
    noun = str(item.extra.get("kind") or item.category or "item")
    optional = []
    if item.colour:
        optional.append(("colour", item.colour))
    if item.material:
        optional.append(("material", item.material))
    occasions = str(item.extra.get("occasions", "")).split(", ")
    if occasions[0]:
        optional.append(("occasion", rng.choice(occasions)))
    chosen = dict(rng.sample(optional, rng.randint(0, min(2, len(optional)))))
    text = f"{chosen['colour']} {noun}" if "colour" in chosen else noun
    if "material" in chosen:
        text += f" in {chosen['material']}"
    if "occasion" in chosen:
        text += f" for {chosen['occasion']}"
    return rng.choice(["a {}", "{}", "looking for a {}", "show me a {}", "I need a {}"]).format(text)


@dataclass(frozen=True)
class CaptionRequests:
    """Writes requests from caption `clauses`, naming the colour with probability `colour_in_request`."""

    clauses: tuple[str, ...]
    colour_in_request: float

    def __call__(self, target: Item, rng: random.Random) -> str:
        text = f"{str(target.extra['articleType']).lower()} that {rng.choice(self.clauses)}"
        if rng.random() < self.colour_in_request:
            text += f" and is {target.colour}"
        return text


def read_caption_clauses(folder: Path) -> list[str]:
    """Short Fashion IQ caption clauses ("is longer", "has no sleeves") that name no colour, sorted, unique."""
    clauses: set[str] = set()
    for path in sorted(Path(folder).glob("cap.*.json")):
        for record in json.loads(path.read_text()):
            for caption in record.get("captions", []):
                for clause in re.split(r"\band\b|,", caption.lower()):
                    clause = " ".join(clause.replace(".", " ").split())
                    words = clause.split()
                    if 2 <= len(words) <= 5 and words[0] in ("is", "has") and not _names_colour(clause):
                        clauses.add(clause)
    if not clauses:
        raise FileNotFoundError(f"no Fashion IQ caption files (cap.*.json) with usable clauses in {folder}")
    return sorted(clauses)


def _names_colour(clause: str) -> bool:
    words = clause.split()
    pairs = [" ".join(words[i : i + 2]) for i in range(len(words) - 1)]
    return any(word in COLOUR_OF_WORD for word in words + pairs) or "colo" in clause
