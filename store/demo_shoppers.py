"""Demo shoppers with distinct tastes, and their seeded histories (purchases and likes) from any catalogue.

A taste is a set of words and categories matched against an item's text, so the same shoppers work on the
generated demo catalogue (styles "bohemian", "sporty", "formal", "evening") and on the Kaggle photos (usage
"Sports", "Formal", "Party", "Ethnic").
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from store.item import Item
from store.users import Interaction, User, UserStore


@dataclass(frozen=True)
class StatedTaste:
    """What the picker says a demo shopper likes, as a predicate on items (words of its text and categories).
    The simulator's weighted `ranker.simulate.taste.Taste` is another thing: this one only says yes or no."""

    words: frozenset[str]
    categories: frozenset[str]

    def matches(self, item: Item) -> bool:
        words = set(re.findall(r"[a-z]+", item.text().lower()))
        return item.category in self.categories and bool(words & self.words)


@dataclass(frozen=True)
class Shopper:
    user: User
    taste: StatedTaste


DEMO_SHOPPERS: tuple[Shopper, ...] = (
    Shopper(
        User("maya", "Maya", "buys bohemian summer dresses, sandals and woven bags", persona=True),
        StatedTaste(
            frozenset({"bohemian", "boho", "floral", "festival", "festivals", "beach", "ethnic"}),
            frozenset({"dress", "skirt", "bag", "shoes", "top"}),
        ),
    ),
    Shopper(
        User("leo", "Leo", "buys sporty sneakers, hoodies and joggers", persona=True),
        StatedTaste(
            frozenset({"sporty", "sports", "athletic", "performance", "running", "gym", "active"}),
            frozenset({"shoes", "top", "trousers", "jacket", "bag"}),
        ),
    ),
    Shopper(
        User("grace", "Grace", "buys formal office wear: blazers, trousers and pumps", persona=True),
        StatedTaste(
            frozenset({"formal", "tailored", "office", "polished", "business"}),
            frozenset({"jacket", "trousers", "top", "shoes", "skirt", "bag"}),
        ),
    ),
    Shopper(
        User("nina", "Nina", "buys glamorous evening wear for parties", persona=True),
        StatedTaste(
            frozenset({"evening", "glamorous", "statement", "party", "cocktail", "gala"}),
            frozenset({"dress", "shoes", "bag", "accessory", "skirt"}),
        ),
    ),
)


def seed_demo_shoppers(
    users: UserStore, items: list[Item], per_shopper: int = 12, seed: int = 0, start_time: float = 1_700_000_000.0
) -> dict[str, list[str]]:
    """Add the demo shoppers as personas and a history of matching items each (about a third likes, the rest
    purchases).

    Returns shopper id -> item ids, oldest first. Shoppers whose taste matches nothing get no history. A shopper
    already in the store is marked a persona and keeps the history it has (a store written before personas).
    """
    rng = random.Random(seed)
    seeded: dict[str, list[str]] = {}
    known = {user.id for user in users.users()}
    for shopper in DEMO_SHOPPERS:
        users.add_user(shopper.user)
        if shopper.user.id in known:
            continue
        matching = [item for item in items if shopper.taste.matches(item)]
        chosen = rng.sample(matching, min(per_shopper, len(matching)))
        users.record_many(
            [
                Interaction(shopper.user.id, item.id, "like" if rng.random() < 0.33 else "purchase", start_time + n)
                for n, item in enumerate(chosen)
            ]
        )
        seeded[shopper.user.id] = [item.id for item in chosen]
    return seeded
