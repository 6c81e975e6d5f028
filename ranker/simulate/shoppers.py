"""One simulated shopper: a history of purchases drawn by their taste, then requests for items they like.

A purchase is, with probability `noise`, a uniformly random product, else one drawn by affinity to the taste.
A request's target is drawn by affinity (among one of the taste's kinds, when it has kinds), and its words come
from a request writer (`ranker.simulate.requests`). Events are timed 1, 2, ... in that order, so a request's
history holds the purchases and the earlier requests' targets.

Two populations use this simulator, and each consumes its seeded random stream in its own order (`DrawOrder`):
both orders give the same distribution, and each keeps what its population was before the two simulators were
merged (the semi-synthetic results in docs/results.md, the demo model the app trains on first start).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from ranker.data import ReviewEvent
from ranker.simulate.taste import Catalogue, Taste, draw
from store.item import Item

RequestWriter = Callable[[Item, random.Random], str]

# "interleaved" (the semi-synthetic set): each purchase decides its noise and draws; then each request draws
# its kind and target and writes its words. "batched" (the demo): the liked items of all purchases and requests
# are drawn first, then noise is decided for each of them (a request's target ignores its decision), then the
# requests' words are written.
DrawOrder = Literal["interleaved", "batched"]


@dataclass(frozen=True)
class ShopperShape:
    """How many purchases and requests a shopper has (each drawn uniformly from its range; a range of one
    number draws nothing), the share of purchases drawn regardless of taste, and the order of the draws."""

    history_min: int
    history_max: int
    requests_min: int
    requests_max: int
    noise: float
    order: DrawOrder = "interleaved"


def simulate_shopper(
    user: str,
    taste: Taste,
    catalogue: Catalogue,
    shape: ShopperShape,
    write_request: RequestWriter,
    rng: random.Random,
) -> list[ReviewEvent]:
    """The shopper's purchases (no text) then requests (with text), as review-style events."""
    weights = catalogue.affinity(taste)
    items, noise = catalogue.items, shape.noise
    if shape.order == "batched":
        purchases = _count(shape.history_min, shape.history_max, rng)
        requests = _count(shape.requests_min, shape.requests_max, rng)
        liked = [draw(weights, rng) for _ in range(purchases)]
        liked += [_liked(weights, taste, catalogue, rng) for _ in range(requests)]
        kept = [rng.randrange(len(items)) if rng.random() < noise else index for index in liked]
        bought = kept[:purchases]
        asked = [(items[index], write_request(items[index], rng)) for index in liked[purchases:]]
    else:
        bought = [
            rng.randrange(len(items)) if rng.random() < noise else draw(weights, rng)
            for _ in range(_count(shape.history_min, shape.history_max, rng))
        ]
        asked = []
        for _ in range(_count(shape.requests_min, shape.requests_max, rng)):
            target = items[_liked(weights, taste, catalogue, rng)]
            asked.append((target, write_request(target, rng)))
    events = [ReviewEvent(user, items[index].id, "", float(time)) for time, index in enumerate(bought, 1)]
    first = len(events) + 1
    events += [ReviewEvent(user, target.id, text, float(time)) for time, (target, text) in enumerate(asked, first)]
    return events


def _count(low: int, high: int, rng: random.Random) -> int:
    return low if low == high else rng.randint(low, high)


def _liked(weights: np.ndarray, taste: Taste, catalogue: Catalogue, rng: random.Random) -> int:
    """An item drawn by affinity, among one of the taste's kinds when it has kinds."""
    return draw(catalogue.of_kind(weights, rng.choice(taste.kinds)) if taste.kinds else weights, rng)
