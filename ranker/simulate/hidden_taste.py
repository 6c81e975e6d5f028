"""Shoppers with hidden tastes, for the closed-loop proof that the app learns from its chat
(`chat/evaluate/closed_loop.py`). Written for that alone: the demo model's shoppers (`ranker.demo`) and the
semi-synthetic set (`ranker.simulate.shoppers`) are other populations.

The shop's clientele shares a taste it never types: a few favourite brands and materials it will not wear. Each
shopper also has favourite colours. Requests name only a kind of item and up to two of its attributes ("a blue
dress in linen"), so the words cannot say what they prefer; the cards they like, reject and buy can. How a shopper
reacts to a card:

- a card of a material the clientele will not wear: "not that one" (the first such card of a turn);
- a card of a favourite brand: 👍, and 🛒 when it is also of a favourite colour;
- a card of neither a favourite brand nor a favourite colour: 👎 (the first such card of a turn);
- anything else: nothing.

A held-out request's target is drawn with probability proportional to `affinity` among items of one kind, and
described in words by the demo's request writer; the model is scored on ranking that target.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ranker.simulate.requests import describe_request
from store.item import Item

Reaction = Literal["reject", "like", "purchase", "dislike"]

BRAND_BOOST = 6.0  # an item of a favourite brand weighs 1 + this as a target
COLOUR_BOOST = 2.0  # an item of a favourite colour weighs 1 + this


@dataclass(frozen=True)
class Clientele:
    """The taste every shopper of the shop shares and never says."""

    brands: frozenset[str]
    avoided_materials: frozenset[str]


@dataclass(frozen=True)
class HiddenShopper:
    name: str
    clientele: Clientele
    colours: frozenset[str]

    def affinity(self, item: Item) -> float:
        """How much this shopper wants `item` (0: never)."""
        if item.material in self.clientele.avoided_materials:
            return 0.0
        brand = 1 + BRAND_BOOST * (item.brand in self.clientele.brands)
        return brand * (1 + COLOUR_BOOST * (item.colour in self.colours))

    def react(self, item: Item) -> Reaction | None:
        """This shopper's reaction to a card showing `item` (see the module's docstring)."""
        if item.material in self.clientele.avoided_materials:
            return "reject"
        if item.brand in self.clientele.brands:
            return "purchase" if item.colour in self.colours else "like"
        return None if item.colour in self.colours else "dislike"


def draw_clientele(items: Sequence[Item], rng: random.Random, brands: int = 3, avoided: int = 1) -> Clientele:
    """Favourite brands among the catalogue's, and materials to avoid among its less common ones (a common one
    would empty most searches)."""
    brand_names = sorted({item.brand for item in items if item.brand})
    materials = [material for material, _ in Counter(item.material for item in items if item.material).most_common()]
    return Clientele(
        frozenset(rng.sample(brand_names, min(brands, len(brand_names)))),
        frozenset(rng.sample(materials[len(materials) // 2 :], min(avoided, len(materials) // 2))),
    )


def draw_shoppers(
    clientele: Clientele, items: Sequence[Item], count: int, rng: random.Random, prefix: str = "hidden"
) -> list[HiddenShopper]:
    """`count` shoppers of the clientele, each with two favourite colours of the catalogue."""
    colours = sorted({item.colour for item in items if item.colour})
    return [
        HiddenShopper(f"{prefix}-{n}", clientele, frozenset(rng.sample(colours, min(2, len(colours)))))
        for n in range(count)
    ]


def hidden_request(shopper: HiddenShopper, items: Sequence[Item], rng: random.Random) -> tuple[Item, str]:
    """A target drawn by the shopper's affinity among one kind of item (a kind drawn uniformly), and its words."""
    wanted = [item for item in items if shopper.affinity(item) > 0]
    kind = rng.choice(sorted({_kind(item) for item in wanted}))
    candidates = [item for item in wanted if _kind(item) == kind]
    target = rng.choices(candidates, weights=[shopper.affinity(item) for item in candidates])[0]
    return target, describe_request(target, rng)


def _kind(item: Item) -> str:
    return str(item.extra.get("kind") or item.category or "item")
