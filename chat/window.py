"""The order of the cards in the window, after scoring: pure rules over candidate indices, best first.

Each keeps the tiers the recommender sorted by before the score (`tiers[i]`: an unknown attribute, a kind not named
in the title, a colour to see less of, the other age group): an item ranked after every better-tiered one stays
after them, so the rules only reorder items of one tier.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Sequence


def _by_tier(order: Sequence[int], tiers: Sequence[tuple]) -> list[int]:
    """`order` sorted stably by `tiers`, so a tier the ranking did not sort by (the usage a history leans to, say)
    may be added by the caller."""
    return sorted((int(i) for i in order), key=tiers.__getitem__) if tiers else [int(i) for i in order]


def _tier_spans(order: list[int], tiers: Sequence[tuple]) -> list[list[int]]:
    """`order` cut into runs of one tier each (one run when there are no tiers)."""
    spans: list[list[int]] = []
    for i in order:
        if spans and (not tiers or tiers[i] == tiers[spans[-1][0]]):
            spans[-1].append(i)
        else:
            spans.append([i])
    return spans


def _at_most(
    order: Sequence[int], keys: Sequence[object], share: int, tiers: Sequence[tuple], full: Collection[object] = ()
) -> list[int]:
    """`order` sorted stably by `tiers`, with items past the first `share` of their key (`keys[i]`) moved to the end
    of their tier, in order; a key in `full` has had its share already."""
    shown: Counter[object] = Counter(dict.fromkeys(full, share))
    result: list[int] = []
    for span in _tier_spans(_by_tier(order, tiers), tiers):
        deferred = []
        for i in span:
            if shown[keys[i]] < share:
                shown[keys[i]] += 1
                result.append(i)
            else:
                deferred.append(i)
        result += deferred
    return result


def alternate_categories(
    order: Sequence[int], categories: Sequence[str], named: frozenset[str], tiers: Sequence[tuple] = ()
) -> list[int]:
    """`order` with the named categories taking turns when two or more are named ("a dress and a shirt": dress,
    top, dress, top...), each keeping its own order and the one whose best item ranks first starting; once a
    category runs out the others go on. One category or none named: `order` as it is."""
    order = [int(i) for i in order]
    if len(named) < 2:
        return order
    alternated: list[int] = []
    for span in _tier_spans(order, tiers):
        queues: dict[str, list[int]] = {}
        for i in span:
            queues.setdefault(categories[i], []).append(i)
        while any(queues.values()):
            alternated += [queue.pop(0) for queue in queues.values() if queue]
    return alternated


def varied(order: Sequence[int], kinds: Sequence[str], k: int, tiers: Sequence[tuple] = ()) -> list[int]:
    """`order` with no kind filling more than a third of the `k` cards while other kinds match: for a request
    that names no kind ("something for the weekend"), the nearest items on the Kaggle photos were six watches of
    eight. Items past their kind's share move to the end of their tier, in order, so they still show when too few
    others match. `order` is first sorted stably by `tiers`."""
    return _at_most(order, kinds, max(1, math.ceil(k / 3)), tiers)


def distinct_looks(
    order: Sequence[int], looks: Sequence[object], tiers: Sequence[tuple] = (), seen: Collection[object] = ()
) -> list[int]:
    """`order` with an item that looks like one before it (`looks[i]`: its title and colour), or like one the shopper
    turned down or paged past (`seen`), moved to the end of its tier, in order, so it still shows when too few others
    match. The Kaggle photos list one product under several ids at several prices (3,585 of 9,583 items share a
    title and colour with another): Leo's "an everyday look" showed "Idee Men Funky Eyewear Green Sunglasses" three
    times in eight cards, and "not the first one" on "Guess Men Chase Steel Watch" at $49.99 brought it back at
    $35.99. `order` is first sorted stably by `tiers`; run before `varied`, which would otherwise see its deferred
    kinds pulled forward past the repeats."""
    return _at_most(order, looks, 1, tiers, seen)


def kinds_take_turns(order: Sequence[int], kinds: Sequence[str], k: int, tiers: Sequence[tuple] = ()) -> list[int]:
    """`order` with the first `k` cards reordered so that no kind shows twice in a row while another kind of the same
    tier is left in the window: Leo's "something for the weekend" on the Kaggle photos opened with three watches
    side by side, then shoes and a t-shirt. Which items fill the window does not change, nor their tiers' order, and
    each kind keeps its own order. `order` is first sorted stably by `tiers`."""
    order = _by_tier(order, tiers)
    window, rest = order[:k], order[k:]
    result: list[int] = []
    for span in _tier_spans(window, tiers):
        while span:
            previous = kinds[result[-1]] if result else None
            pick = next((i for i in span if kinds[i] != previous), span[0])
            span.remove(pick)
            result.append(pick)
    return result + rest
