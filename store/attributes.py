"""Ordinal attributes read from an item's words: how formal, how long, how sleeved, how loose.

Relative refinement ("more casual", "shorter", "with sleeves", "looser") compares a candidate with a reference
on an ordered scale; catalogues rarely have the scale as a column, but their usage field and their titles say
it. Each function returns the rung, or `UNKNOWN` (-1) when the item's data does not say: Chroma metadata holds
scalars only and a `where` must see every item, so unknown is a number no rung takes (a filter on a rung skips
it, see chat/relations.py). The rungs are computed whenever an item's metadata is made (store.item.Item.metadata),
so they follow the words and need no stored state of their own.

Formality, from the catalogue's usage or style (Kaggle `usage`, the demo's `style`), else title words:
  0 sport, gym, home and loungewear; 1 casual, travel, beach, bohemian; 2 smart casual and ethnic wear (Myntra's
  "Ethnic" runs from everyday kurtas to festive sets: between casual and formal, as the shop files it);
  3 formal, party, evening.
Length: 0 mini or short, 1 knee length, 2 midi, 3 maxi, long or floor length.
Sleeves: 0 sleeveless or strapless, 1 short, half or cap sleeves, 2 three-quarter, 3 full or long sleeves.
Fit: 0 skinny or slim, 1 regular, 2 relaxed, loose, oversized or baggy.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

UNKNOWN = -1

FORMALITY_OF_USAGE = {
    "sports": 0,
    "sporty": 0,
    "home": 0,
    "casual": 1,
    "travel": 1,
    "beach": 1,
    "bohemian": 1,
    "smart casual": 2,
    "ethnic": 2,
    "formal": 3,
    "party": 3,
    "evening": 3,
}
# title or description phrases, longest first where one contains another
FORMALITY_WORDS = (
    ("smart casual", 2),
    ("formal", 3),
    ("party", 3),
    ("evening", 3),
    ("casual", 1),
    ("sports", 0),
    ("running", 0),
    ("gym", 0),
)
LENGTH_WORDS = (
    ("floor length", 3),
    ("maxi", 3),
    ("midi", 2),
    ("knee length", 1),
    ("mini", 0),
    ("shorts", 0),
    ("capris", 1),
)
SLEEVE_WORDS = (
    ("sleeveless", 0),
    ("strapless", 0),
    ("tank", 0),
    ("three quarter sleeves", 2),
    ("3/4 sleeves", 2),
    ("full sleeves", 3),
    ("full sleeve", 3),
    ("long sleeves", 3),
    ("long sleeve", 3),
    ("longsleeve", 3),
    ("half sleeves", 1),
    ("half sleeve", 1),
    ("short sleeves", 1),
    ("short sleeve", 1),
    ("cap sleeves", 1),
)
FIT_WORDS = (
    ("skinny", 0),
    ("slim", 0),
    ("regular", 1),
    ("relaxed", 2),
    ("loose", 2),
    ("oversized", 2),
    ("baggy", 2),
)


def _first_rung(text: str, table: tuple[tuple[str, int], ...]) -> int:
    """The rung of the first phrase of `table` found in `text` as whole words, else UNKNOWN."""
    text = " " + re.sub(r"[^a-z0-9/]+", " ", text.lower()) + " "
    for phrase, rung in table:
        if f" {phrase} " in text:
            return rung
    return UNKNOWN


def formality(text: str, extra: Mapping[str, object]) -> int:
    for key in ("usage", "style"):
        value = extra.get(key)
        if isinstance(value, str) and value.strip().lower() in FORMALITY_OF_USAGE:
            return FORMALITY_OF_USAGE[value.strip().lower()]
    return _first_rung(text, FORMALITY_WORDS)


def length(text: str) -> int:
    return _first_rung(text, LENGTH_WORDS)


def sleeves(text: str) -> int:
    return _first_rung(text, SLEEVE_WORDS)


def fit(text: str) -> int:
    return _first_rung(text, FIT_WORDS)
