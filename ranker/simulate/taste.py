"""What a simulated shopper likes, as weights over a catalogue: `Taste` and the `Catalogue` it weighs.

An item the taste rules out (an attribute outside `required`) weighs 0; every other item weighs the product of
(1 + boost) over the preferences it meets. E.g. a taste favouring dresses (boost 4) and blue (boost 3) gives a
blue dress 5 · 4 = 20, a red dress 5, a blue top 4 and a red top 1: drawn in proportion, blue dresses dominate
while the rest still appear.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from store.item import Item


@dataclass(frozen=True)
class Preference:
    """Items whose `attribute` is one of `values` weigh (1 + `boost`) times as much."""

    attribute: str
    values: tuple[str, ...]
    boost: float


@dataclass(frozen=True)
class Taste:
    """`required`: attribute -> the values an item must have to be considered at all. `kinds`: the values of
    the catalogue's "kind" attribute a request asks for (one drawn per request); empty: any liked item."""

    preferences: tuple[Preference, ...]
    required: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    kinds: tuple[str, ...] = ()


class Catalogue:
    """The items and one column array per attribute, for vectorised weights."""

    def __init__(self, items: Sequence[Item], attributes: Mapping[str, Callable[[Item], object]]):
        self.items = list(items)
        self.columns = {name: np.array([value(item) for item in self.items]) for name, value in attributes.items()}

    def __len__(self) -> int:
        return len(self.items)

    def affinity(self, taste: Taste) -> np.ndarray:
        """(N,) float64 weights of the items for `taste`."""
        weight = np.ones(len(self.items))
        for preference in taste.preferences:
            weight = weight * (1 + preference.boost * np.isin(self.columns[preference.attribute], preference.values))
        for attribute, values in taste.required.items():
            weight = np.isin(self.columns[attribute], values) * weight
        return weight

    def of_kind(self, weights: np.ndarray, kind: str) -> np.ndarray:
        """`weights` with every item of another kind set to 0."""
        return weights * (self.columns["kind"] == kind)


def draw(weights: np.ndarray, rng: random.Random) -> int:
    """An index drawn with probability ∝ `weights`, from one `rng.random()`."""
    cumulative = np.cumsum(weights)
    return int(np.searchsorted(cumulative, rng.random() * cumulative[-1], side="right"))
