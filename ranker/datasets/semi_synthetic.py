"""A SEMI-SYNTHETIC fashion set: simulated shoppers over the real Fashion Product Images catalogue.

Real: the catalogue (44k Myntra products: gender, article type, colour, usage, title) and the request wording
(clauses of Fashion IQ relative captions, e.g. "has shorter sleeves"). Simulated: who the shoppers are, what
they bought, and what they asked for. Every result on this set must be labelled "semi-synthetic".

How a shopper is drawn (all from one seed):
- a stated taste: a gender (Men / Women; Unisex items suit both), a usage (Casual, Sports, Ethnic, Formal,
  weighted by the catalogue), `favourite_colours` canonical colours, `favourite_types` of the 25 article types most
  common for that gender, and a price band (cheap / mid / dear tercile of its article type; the catalogue has no
  price, so the catalogue reader's deterministic synthetic price is used).
- a history of `history_min`..`history_max` purchases: with probability `noise` a uniformly random product,
  else a product drawn with weight ∝ affinity to the taste (below).
- `requests_min`..`requests_max` later requests. The target is drawn by affinity among products of one of the
  shopper's favourite article types; the request names that article type, its colour with probability
  `colour_in_request`, and one Fashion IQ clause that names no colour. It never names gender, usage or price:
  those only the history reveals, which is what the history extension is measured on.

Affinity of a product to a taste: 0 if its gender does not suit, else
(1 + 4·[type is a favourite]) · (1 + 3·[colour is a favourite]) · (1 + 3·[usage matches]) · (1 + 1·[price band]).
The gender is the catalogue's column as published, children's items it calls "Men"/"Women" included (the app's
reader corrects them from the titles): the set, and every number reported on it, stays what it was.
The taste is a `ranker.simulate.Taste` and the shoppers come from `ranker.simulate.shoppers.simulate_shopper`,
the simulator the demo model's shoppers come from too.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ranker.data import ReviewEvent
from ranker.datasets.table import Dataset, Problem
from ranker.simulate.requests import CaptionRequests, read_caption_clauses
from ranker.simulate.shoppers import ShopperShape, simulate_shopper
from ranker.simulate.taste import Catalogue, Preference, Taste
from store.catalogs.kaggle import read_fashion_product_images
from store.item import Item

USAGES = ("Casual", "Sports", "Ethnic", "Formal")
BANDS = ("cheap", "mid", "dear")


@dataclass(frozen=True)
class SemiSyntheticConfig:
    """Sizes of the simulation. `catalogue_size` samples the catalogue (encoding 44k texts takes minutes)."""

    seed: int = 0
    shoppers: int = 600
    catalogue_size: int | None = 8000
    history_min: int = 5
    history_max: int = 15
    requests_min: int = 1
    requests_max: int = 4
    favourite_colours: int = 3
    favourite_types: int = 3
    noise: float = 0.2
    colour_in_request: float = 0.5

    @property
    def shape(self) -> ShopperShape:
        return ShopperShape(self.history_min, self.history_max, self.requests_min, self.requests_max, self.noise)


def generate_fashion_set(
    catalogue_folder: Path, captions_folder: Path, config: SemiSyntheticConfig = SemiSyntheticConfig()
) -> Dataset:
    """Shoppers, purchases and requests over the catalogue in `catalogue_folder` (a `styles.csv` folder)."""
    read = read_fashion_product_images(catalogue_folder, genders_from_titles=False)  # the set as published
    problems = [_problem(text) for text in read.problems]
    rng = random.Random(config.seed)
    items = _usable(read.items)
    if config.catalogue_size is not None and len(items) > config.catalogue_size:
        items = rng.sample(items, config.catalogue_size)
    items.sort(key=lambda item: item.id)
    catalogue = fashion_catalogue(items)
    counts = _Counts.of(catalogue)
    write_request = CaptionRequests(tuple(read_caption_clauses(captions_folder)), config.colour_in_request)
    interactions: list[ReviewEvent] = []
    for shopper in range(config.shoppers):
        taste = draw_taste(counts, rng, config)
        interactions += simulate_shopper(f"s{shopper:04d}", taste, catalogue, config.shape, write_request, rng)
    dataset = Dataset(
        "fashion-semi-synthetic", interactions, {item.id: item.text() for item in items}, problems, semi_synthetic=True
    )
    return dataset


def fashion_catalogue(items: list[Item]) -> Catalogue:
    """The attributes a taste weighs: gender, kind (article type), colour, usage and price band."""
    bands = dict(zip((item.id for item in items), _price_bands(items)))
    return Catalogue(
        items,
        {
            "gender": lambda item: item.extra["gender"],
            "kind": lambda item: item.extra["articleType"],
            "colour": lambda item: item.colour,
            "usage": lambda item: item.extra.get("usage", ""),
            "band": lambda item: bands[item.id],
        },
    )


@dataclass(frozen=True)
class _Counts:
    """What tastes are drawn from: usage counts, article-type counts per gender, the colours."""

    usages: Counter
    kinds_by_gender: dict[str, Counter]
    colours: list[str]

    @classmethod
    def of(cls, catalogue: Catalogue) -> _Counts:
        gender = catalogue.columns["gender"]
        suits = {wanted: (gender == wanted) | (gender == "Unisex") for wanted in ("Men", "Women")}
        kinds = {wanted: Counter(catalogue.columns["kind"][rows]) for wanted, rows in suits.items()}
        return cls(Counter(catalogue.columns["usage"]), kinds, sorted(set(catalogue.columns["colour"])))


def draw_taste(counts: _Counts, rng: random.Random, config: SemiSyntheticConfig) -> Taste:
    """A stated taste drawn as the module's docstring says: gender, usage, article types, colours, price band."""
    gender = rng.choice(("Men", "Women"))
    usage = rng.choices(USAGES, weights=[counts.usages[usage] ** 0.5 for usage in USAGES])[0]
    common = [kind for kind, count in counts.kinds_by_gender[gender].most_common(25) if count >= 2]
    kinds = tuple(rng.sample(common, min(config.favourite_types, len(common))))
    colours = tuple(rng.sample(counts.colours, config.favourite_colours))
    band = rng.choice(BANDS)
    preferences = (
        Preference("kind", kinds, 4.0),
        Preference("colour", colours, 3.0),
        Preference("usage", (usage,), 3.0),
        Preference("band", (band,), 1.0),
    )
    return Taste(preferences, required={"gender": (gender, "Unisex")}, kinds=kinds)


def _usable(items: list[Item]) -> list[Item]:
    """Garments, shoes and accessories with a gender a shopper can have and a known colour."""
    return [
        item
        for item in items
        if item.category and item.colour and item.extra.get("gender") in ("Men", "Women", "Unisex")
    ]


def _price_bands(items: list[Item]) -> np.ndarray:
    """cheap / mid / dear: the item's price tercile within its article type."""
    prices: dict[str, list[float]] = {}
    for item in items:
        prices.setdefault(str(item.extra["articleType"]), []).append(item.price)
    cuts = {kind: np.quantile(values, [1 / 3, 2 / 3]) for kind, values in prices.items()}
    bands = []
    for item in items:
        low, high = cuts[str(item.extra["articleType"])]
        bands.append(BANDS[0] if item.price <= low else BANDS[1] if item.price <= high else BANDS[2])
    return np.array(bands)


def _problem(text: str) -> Problem:
    """A catalogue reader's "file:line: reason" as a Problem."""
    location, _, reason = text.partition(": ")
    file, _, line = location.rpartition(":")
    return Problem(file or location, int(line) if line.isdigit() else 0, reason)
