"""Training pairs from what a catalogue itself says: the day-one model's data, before any shopper arrives.

For each item, requests a shopper could type for it are written from its structured fields and its title:
its kind (article type or kind, else its category) with a seeded subset of its colour (the catalogue's word or
the canonical one), material, who it is for, usage, season, occasion, style and brand, in several phrasings
("a navy cotton shirts for men", "looking for casual shoes in black by Puma"), and fragments of its title with
the brand left out ("men navy shirt"). Each request and its item is an `Example` with no history: the request
tower learns to read requests, the item tower to place items; history is for later, from real shoppers.

Leakage: the encoder embeds `Item.text()`, the title, description and fields joined by ". ". A request equal to
that text, or to one of its parts (the whole title, the whole description), would teach the towers an identity,
so such a request is never written (`leaks`). Items, not pairs, are held out for validation: a validation item
has no training pair, so validation measures requests for items the towers never saw as targets.

Pure: items in, examples out; every draw comes from a `random.Random` seeded by the config's seed and the
item's id, so the pairs of an item do not depend on the catalogue's order or size.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ranker.data import Example
from store.item import Item
from store.vocabulary import who_when

CATALOGUE_USER = "catalogue"  # the `user` of every catalogue pair: no shopper, no history
OPENERS = ("", "a ", "looking for ", "show me ", "I need ", "I want ", "any ")
GENDER_WORDS = {
    "men": ("men's", "for men"),
    "women": ("women's", "for women"),
    "boys": ("boys'",),
    "girls": ("girls'",),
}
USAGE_WORDS = {
    "casual": ("casual",),
    "smart casual": ("smart casual",),
    "formal": ("formal", "for the office"),
    "sports": ("sports", "for sports", "for the gym"),
    "party": ("party", "for a party"),
    "ethnic": ("ethnic", "traditional"),
    "travel": ("travel", "for travel"),
    "home": ("lounge", "for home"),
}
# What shoppers add that no field of an item can confirm or deny: a request tower trained only on requests made
# of an item's fields reads such words as if they named it, and ranks items whose text happens to share them.
REMARKS = (
    "that looks nice",
    "that is comfortable",
    "that fits well",
    "that is stylish",
    "with a modern look",
    "that is trendy",
    "that is not too plain",
    "that feels soft",
    "that is easy to wear",
    "with a clean look",
    "that looks expensive",
    "that is a bit different",
    "that I can wear every day",
    "with a nice finish",
    "that is simple",
    "that stands out",
)
MAX_TRIES = 8  # per request: a draw that leaks or repeats an earlier request is drawn again, this many times


@dataclass(frozen=True)
class PairConfig:
    """`requests_per_item` distinct requests per item (fewer when its fields allow fewer); `max_items`: a seeded
    sample of the catalogue when it is larger (first-start time grows with the pairs encoded); a share
    `validation_items` of the items is held out with all its pairs; a share `remarks` of the requests ends with
    one of `REMARKS`."""

    requests_per_item: int = 3
    max_items: int | None = None
    validation_items: float = 0.1
    remarks: float = 0.0
    seed: int = 0


@dataclass(frozen=True)
class CataloguePairs:
    train: list[Example]
    validation: list[Example]


def catalogue_pairs(items: Sequence[Item], config: PairConfig) -> CataloguePairs:
    """Requests for (a seeded sample of) `items`, split by item into train and validation."""
    chosen = sorted(items, key=lambda item: item.id)
    rng = random.Random(config.seed)
    if config.max_items is not None and len(chosen) > config.max_items:
        chosen = sorted(rng.sample(chosen, config.max_items), key=lambda item: item.id)
    held = set(rng.sample(range(len(chosen)), round(config.validation_items * len(chosen))))
    train: list[Example] = []
    validation: list[Example] = []
    for row, item in enumerate(chosen):
        rng = random.Random(f"{config.seed}:{item.id}")
        requests = item_requests(item, config.requests_per_item, rng, config.remarks)
        examples = [Example(CATALOGUE_USER, item.id, text, (), 0.0) for text in requests]
        (validation if row in held else train).extend(examples)
    return CataloguePairs(train, validation)


def item_requests(item: Item, count: int, rng: random.Random, remarks: float = 0.0) -> list[str]:
    """Up to `count` distinct requests for `item`, none of which leaks its embedded text; a share `remarks` of
    them ends with a remark (`REMARKS`). With `remarks=0` no draw is spent on remarks."""
    requests: list[str] = []
    for _ in range(count):
        for _ in range(MAX_TRIES):
            text = title_fragment(item, rng) if rng.random() < 0.25 else attribute_request(item, rng)
            if text and remarks and rng.random() < remarks:
                text = f"{text} {rng.choice(REMARKS)}"
            if text and text not in requests and not leaks(text, item):
                requests.append(text)
                break
    return requests


def attribute_request(item: Item, rng: random.Random) -> str:
    """The item's kind with one to three of its other fields, in one of several phrasings."""
    noun = rng.choice(_nouns(item))
    fields = _fields(item)
    chosen = dict(rng.sample(sorted(fields.items()), rng.randint(min(1, len(fields)), min(3, len(fields)))))
    words = {name: rng.choice(options) for name, options in chosen.items()}
    before, after = [], []
    for name in ("gender", "usage", "style"):  # "men's", "casual", "bohemian" precede the noun; phrases follow
        if name in words:
            (after if words[name].startswith("for ") else before).append(words[name])
    colour_first = rng.random() < 0.6
    if "colour" in words and colour_first:
        before.append(words["colour"])
    if "material" in words:
        before.append(words["material"])
    if "colour" in words and not colour_first:
        after.append(f"in {words['colour']}")
    for name in ("occasion", "season"):
        if name in words:
            after.append(f"for {words[name]}")
    if "brand" in words:
        after.append(f"by {words['brand']}")
    return rng.choice(OPENERS) + " ".join([*before, noun, *after])


def title_fragment(item: Item, rng: random.Random) -> str:
    """The title's words without the brand, lower-case, each word after the first kept with probability 3/4."""
    brand = set(_words(item.brand))
    words = [word for word in _words(item.title) if word not in brand]
    if len(words) < 2:
        return ""
    kept = [words[0], *(word for word in words[1:] if rng.random() < 0.75)]
    return " ".join(kept)


def leaks(request: str, item: Item) -> bool:
    """Whether `request` is the item's embedded text, or one whole part of it (title, description, a field),
    up to case, punctuation and spacing."""
    said = " ".join(_words(request))
    parts = [item.text(), *item.text().split(". ")]
    return any(said == " ".join(_words(part)) for part in parts)


def _nouns(item: Item) -> list[str]:
    """What the item is called: its article type or kind, and its canonical category."""
    specific = str(item.extra.get("articleType") or item.extra.get("kind") or "").strip().lower()
    nouns = [noun for noun in (specific, item.category) if noun]
    return list(dict.fromkeys(nouns)) or ["item"]


def _fields(item: Item) -> dict[str, tuple[str, ...]]:
    """field -> the words a request may name it by: the canonical colour and the catalogue's own colour name;
    who it is for, usage and season in canonical form (`store.vocabulary.who_when`), then in shoppers' words."""
    known = who_when(item.extra)
    fields: dict[str, tuple[str, ...]] = {}
    if item.colour:
        raw = str(item.extra.get("raw_colour", "")).strip().lower()
        fields["colour"] = tuple(dict.fromkeys([item.colour, *([raw] if raw else [])]))
    if item.material:
        fields["material"] = (item.material,)
    if known["gender"] in GENDER_WORDS:
        fields["gender"] = GENDER_WORDS[known["gender"]]
    if known["usage"] in USAGE_WORDS:
        fields["usage"] = USAGE_WORDS[known["usage"]]
    if known["season"] and known["season"] != "all seasons":
        fields["season"] = (known["season"],)
    occasions = [occasion.strip() for occasion in str(item.extra.get("occasions", "")).split(",") if occasion.strip()]
    if occasions:
        fields["occasion"] = tuple(occasions)
    style = str(item.extra.get("style", "")).strip().lower()
    if style and style not in known.values():
        fields["style"] = (style,)
    if item.brand:
        fields["brand"] = (item.brand,)
    return fields


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())
