"""Blind interleaving of several systems' top-k lists into one set of cards. Pure: no I/O, no UI.

Balanced interleaving in rounds: in round r (r = 1..k) the systems, in an order drawn afresh each round (the coin
toss of team-draft interleaving), each add their rank-r item unless it is already shown. So every item of every
system's top k is shown exactly once, no system owns the top of the page, and a card that several systems
returned is credited to each of them at its own rank there.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ShownItem:
    """One card of a study task; `credits` maps every system whose top k holds the item to its rank (1 = top)."""

    item_id: str
    credits: Mapping[str, int]


def interleave(rankings: Mapping[str, Sequence[str]], k: int, rng: random.Random) -> list[ShownItem]:
    """The union of each system's first `k` items, each once, in interleaved order; a system that returned fewer
    than k items contributes what it returned."""
    tops = {system: list(ranked[:k]) for system, ranked in rankings.items()}
    order: list[str] = []
    for rank in range(k):
        systems = sorted(tops)
        rng.shuffle(systems)
        for system in systems:
            if rank < len(tops[system]) and tops[system][rank] not in order:
                order.append(tops[system][rank])
    return [
        ShownItem(item_id, {system: top.index(item_id) + 1 for system, top in tops.items() if item_id in top})
        for item_id in order
    ]
