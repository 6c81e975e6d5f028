"""What a catalogue knows, counted once when the app starts: which categories it holds, its prices per category,
whether it lists sizes, and which genders, usages and seasons its items are described by.

The conversation reads these facts to answer honestly: "there are no swimsuits in this catalogue", "cheap:
under $34 for dresses here", "this catalogue lists no sizes", "this catalogue does not say who items are for".
Pure: built from items, no I/O.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from store.item import Item
from store.vocabulary import who_when

ALL = ""  # the key of the whole catalogue in `prices`
_WORD = re.compile(r"[a-z]{4,}")


@dataclass(frozen=True)
class CatalogueFacts:
    """`category_counts`: canonical category -> number of items ("" for items without one). `prices`: category
    -> its items' prices sorted ascending, and `ALL` -> every price. `who_when`: "gender", "usage", "season" ->
    the canonical values its items carry (a key is missing when no item says it). `words`: the words of four
    letters or more of its titles and brands."""

    category_counts: dict[str, int] = field(default_factory=dict)
    prices: dict[str, tuple[float, ...]] = field(default_factory=dict)
    lists_sizes: bool = False
    who_when: dict[str, frozenset[str]] = field(default_factory=dict)
    words: frozenset[str] = frozenset()  # the titles' and brands' words: "roshe" is a shoe here, not a typo

    @classmethod
    def of(cls, items: Iterable[Item]) -> CatalogueFacts:
        counts: Counter[str] = Counter()
        prices: dict[str, list[float]] = {ALL: []}
        lists_sizes = False
        described: dict[str, set[str]] = {}
        words: set[str] = set()
        for item in items:
            counts[item.category] += 1
            words.update(_WORD.findall(f"{item.title} {item.brand}".lower()))
            lists_sizes = lists_sizes or bool(item.sizes)
            for key, value in who_when(item.extra).items():
                if value:
                    described.setdefault(key, set()).add(value)
            if math.isfinite(item.price) and item.price > 0:
                prices.setdefault(item.category, []).append(item.price)
                prices[ALL].append(item.price)
        return cls(
            dict(counts),
            {key: tuple(sorted(values)) for key, values in prices.items()},
            lists_sizes,
            {key: frozenset(values) for key, values in described.items()},
            frozenset(words),
        )

    @property
    def total(self) -> int:
        return sum(self.category_counts.values())

    def has_category(self, category: str) -> bool:
        return self.category_counts.get(category, 0) > 0

    def price_quantile(self, fraction: float, categories: Iterable[str] = ()) -> float | None:
        """The price below which `fraction` of the items of `categories` (all items when none) lie, or None when
        they have no prices. Several categories pool their prices."""
        wanted = [category for category in categories if category in self.prices]
        pooled = [price for category in wanted for price in self.prices[category]] if wanted else self.prices.get(ALL)
        if not pooled:
            return None
        return float(np.quantile(np.asarray(pooled), min(max(fraction, 0.0), 1.0)))

    def price_band(self, band: str, categories: Iterable[str] = ()) -> tuple[float | None, float | None]:
        """(price_min, price_max) of a price band of `categories` (all items when none): "low" is under the
        1/3 quantile of their prices, "mid" between the 1/3 and 2/3 quantiles, "high" over the 2/3 quantile;
        (None, None) when they have no prices."""
        categories = tuple(categories)
        lower, upper = self.price_quantile(1 / 3, categories), self.price_quantile(2 / 3, categories)
        if lower is None or upper is None:
            return None, None
        return {"low": (None, lower), "mid": (lower, upper), "high": (upper, None)}[band]
