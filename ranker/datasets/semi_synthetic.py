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
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ranker.data import ReviewEvent
from ranker.datasets.table import Dataset, Problem
from store.catalogs.kaggle import read_fashion_product_images
from store.item import Item
from store.vocabulary import COLOUR_OF_WORD

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


@dataclass(frozen=True)
class Taste:
    gender: str
    usage: str
    colours: tuple[str, ...]
    types: tuple[str, ...]
    band: str


def generate_fashion_set(
    catalogue_folder: Path, captions_folder: Path, config: SemiSyntheticConfig = SemiSyntheticConfig()
) -> Dataset:
    """Shoppers, purchases and requests over the catalogue in `catalogue_folder` (a `styles.csv` folder)."""
    read = read_fashion_product_images(catalogue_folder)
    problems = [_problem(text) for text in read.problems]
    rng = random.Random(config.seed)
    items = _usable(read.items)
    if config.catalogue_size is not None and len(items) > config.catalogue_size:
        items = rng.sample(items, config.catalogue_size)
    items.sort(key=lambda item: item.id)
    catalogue = _Catalogue(items)
    clauses = read_caption_clauses(captions_folder)
    interactions: list[ReviewEvent] = []
    for shopper in range(config.shoppers):
        interactions += _shopper(f"s{shopper:04d}", catalogue, clauses, rng, config)
    dataset = Dataset(
        "fashion-semi-synthetic", interactions, {item.id: item.text() for item in items}, problems, semi_synthetic=True
    )
    return dataset


class _Catalogue:
    """Column arrays of the catalogue for vectorised affinity weights."""

    def __init__(self, items: list[Item]):
        self.items = items
        self.gender = np.array([item.extra["gender"] for item in items])
        self.type = np.array([item.extra["articleType"] for item in items])
        self.colour = np.array([item.colour for item in items])
        self.usage = np.array([item.extra.get("usage", "") for item in items])
        self.band = _price_bands(items)
        suits = {gender: (self.gender == gender) | (self.gender == "Unisex") for gender in ("Men", "Women")}
        self.types_by_gender = {gender: Counter(self.type[rows]) for gender, rows in suits.items()}
        self.usage_counts = Counter(self.usage)

    def affinity(self, taste: Taste) -> np.ndarray:
        suits = (self.gender == taste.gender) | (self.gender == "Unisex")
        weight = (1 + 4 * np.isin(self.type, taste.types)) * (1 + 3 * np.isin(self.colour, taste.colours))
        weight = weight * (1 + 3 * (self.usage == taste.usage)) * (1 + (self.band == taste.band))
        return suits * weight.astype(float)


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


def _taste(catalogue: _Catalogue, rng: random.Random, config: SemiSyntheticConfig) -> Taste:
    gender = rng.choice(("Men", "Women"))
    usage = rng.choices(USAGES, weights=[catalogue.usage_counts[usage] ** 0.5 for usage in USAGES])[0]
    common = [kind for kind, count in catalogue.types_by_gender[gender].most_common(25) if count >= 2]
    types = tuple(rng.sample(common, min(config.favourite_types, len(common))))
    colours = tuple(rng.sample(sorted(set(catalogue.colour)), config.favourite_colours))
    return Taste(gender, usage, colours, types, rng.choice(BANDS))


def _shopper(
    user: str, catalogue: _Catalogue, clauses: list[str], rng: random.Random, config: SemiSyntheticConfig
) -> list[ReviewEvent]:
    taste = _taste(catalogue, rng, config)
    weights = catalogue.affinity(taste)
    n_items = len(catalogue.items)
    rows: list[ReviewEvent] = []
    time = 0
    for _ in range(rng.randint(config.history_min, config.history_max)):
        index = rng.randrange(n_items) if rng.random() < config.noise else _draw(weights, rng)
        time += 1
        rows.append(ReviewEvent(user, catalogue.items[index].id, "", float(time)))
    for _ in range(rng.randint(config.requests_min, config.requests_max)):
        kind = rng.choice(taste.types)
        target = catalogue.items[_draw(weights * (catalogue.type == kind), rng)]
        time += 1
        rows.append(ReviewEvent(user, target.id, request_text(target, clauses, rng, config), float(time)))
    return rows


def _draw(weights: np.ndarray, rng: random.Random) -> int:
    cumulative = np.cumsum(weights)
    return int(np.searchsorted(cumulative, rng.random() * cumulative[-1], side="right"))


def request_text(target: Item, clauses: list[str], rng: random.Random, config: SemiSyntheticConfig) -> str:
    """E.g. "tshirts that has shorter sleeves and is navy": article type, a Fashion IQ clause, maybe colour."""
    text = f"{str(target.extra['articleType']).lower()} that {rng.choice(clauses)}"
    if rng.random() < config.colour_in_request:
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


def _problem(text: str) -> Problem:
    """A catalogue reader's "file:line: reason" as a Problem."""
    location, _, reason = text.partition(": ")
    file, _, line = location.rpartition(":")
    return Problem(file or location, int(line) if line.isdigit() else 0, reason)
