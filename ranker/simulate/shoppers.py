"""One simulated shopper: a history of purchases drawn by their taste, then requests for items they like.

A history item is, with probability `noise`, a uniformly random product, else one drawn by affinity to the
taste. A request's target is drawn by affinity (among one of the taste's kinds, when it has kinds), and its
words come from a request writer (`ranker.simulate.requests`). Events are timed 1, 2, ... in that order, so a
request's history holds the purchases and the earlier requests' targets.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from ranker.data import ReviewEvent
from ranker.simulate.taste import Catalogue, Taste, draw
from store.item import Item

RequestWriter = Callable[[Item, random.Random], str]


@dataclass(frozen=True)
class ShopperShape:
    """How many purchases and requests a shopper has (each drawn uniformly from its range) and the share of
    purchases drawn regardless of taste."""

    history_min: int
    history_max: int
    requests_min: int
    requests_max: int
    noise: float


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
    events: list[ReviewEvent] = []
    time = 0
    for _ in range(rng.randint(shape.history_min, shape.history_max)):
        index = rng.randrange(len(catalogue)) if rng.random() < shape.noise else draw(weights, rng)
        time += 1
        events.append(ReviewEvent(user, catalogue.items[index].id, "", float(time)))
    for _ in range(rng.randint(shape.requests_min, shape.requests_max)):
        wanted = catalogue.of_kind(weights, rng.choice(taste.kinds)) if taste.kinds else weights
        target = catalogue.items[draw(wanted, rng)]
        time += 1
        events.append(ReviewEvent(user, target.id, write_request(target, rng), float(time)))
    return events
