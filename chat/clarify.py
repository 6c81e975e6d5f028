"""The clarifying question: when a request is vague, which one question best splits what could be shown.

A request is vague when, after this turn, the conversation holds no filter (no category, colour, material,
price, size, refused kind or hidden card) and every word of its request text is filler a shopper uses when they
have not decided ("something nice", "a gift", "anything", "surprise me", "what do you have?"). One word that says
what is wanted ("warm", "office", "linen") or any filter makes it specific: "a red dress" is not vague.

The question asks about the attribute with the highest entropy over the top candidates (category, occasion or
usage where the catalogue has one, price band): the answer to it removes the most uncertainty about what to
show. Values past the fifth are pooled as one "other" value, since the question can offer five buttons at most.
Pure functions over items: no I/O, no UI.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from chat.understand.constraints import Constraints
from store.facts import CatalogueFacts
from store.item import Item

CANDIDATES = 50  # how many of the top candidates the question splits
MIN_CHOICES, MAX_CHOICES = 3, 5
OTHER = "\0other"  # the pooled value of everything past the fifth

_WORD = re.compile(r"[a-z]+")
# Words that say no more than "show me something": a request made only of these is vague.
VAGUE_WORDS = frozenset(
    "a an the some something anything everything stuff thing things whatever nice good great lovely pretty cool "
    "beautiful gift gifts present presents idea ideas surprise me you your i we do what have got show see "
    "recommend suggest suggestion suggestions option options please for to"
    " fashion clothes clothing".split()
)


@dataclass(frozen=True)
class Question:
    """One clarifying question: `choices` are the quick replies, each sent as the shopper's next message."""

    attribute: str  # "category", "occasion", "usage" or "price"
    prompt: str
    choices: tuple[str, ...]


def is_vague(constraints: Constraints, request_text: str) -> bool:
    """No filter in force and no word beyond filler (see the module's docstring)."""
    words = _WORD.findall(request_text.lower())
    return constraints.is_empty() and all(word in VAGUE_WORDS for word in words)


def entropy(counts: Sequence[float]) -> float:
    """Shannon entropy in nats of a distribution given by (possibly fractional) counts."""
    total = sum(counts)
    return -sum(c / total * math.log(c / total) for c in counts if c > 0) if total > 0 else 0.0


def _pooled(counts: Counter[str]) -> list[tuple[str, float]]:
    """The five most common values (ties by name), then everything else as one `OTHER` value."""
    ranked = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    head, tail = ranked[:MAX_CHOICES], sum(count for _, count in ranked[MAX_CHOICES:])
    return [*head, (OTHER, tail)] if tail else head


def _counts(items: Sequence[Item], values_of: Callable[[Item], tuple[str, ...]]) -> Counter[str]:
    """Each item counts 1, shared equally among its values (an item "for beach, wedding" is half of each)."""
    counts: Counter[str] = Counter()
    for item in items:
        values = values_of(item)
        for value in values:
            counts[value] += 1 / len(values)
    return counts


def _extra_values(key: str) -> Callable[[Item], tuple[str, ...]]:
    def values(item: Item) -> tuple[str, ...]:
        raw = item.extra.get(key)
        return tuple(v.strip().lower() for v in raw.split(",") if v.strip()) if isinstance(raw, str) else ()

    return values


def price_bands(low: float, high: float) -> tuple[str, str, str]:
    """Three price bands as messages the price parser reads: under `low`, `low` to `high`, over `high`."""
    return f"under ${low:.0f}", f"${low:.0f} to ${high:.0f}", f"over ${high:.0f}"


def _band_of(low: float, high: float) -> Callable[[Item], tuple[str, ...]]:
    under, middle, over = price_bands(low, high)

    def band(item: Item) -> tuple[str, ...]:
        if item.price <= 0:
            return ()
        return (under,) if item.price < low else (over,) if item.price > high else (middle,)

    return band


PROMPTS = {
    "category": "What kind of item are you after?",
    "occasion": "What is it for?",
    "usage": "What is it for?",
    "price": "Which price range?",
}


def best_question(items: Sequence[Item], price_edges: tuple[float, float] | None = None) -> Question | None:
    """The question over the attribute that best splits `items` (the top candidates, best first), or None when
    no attribute has three values to offer. `price_edges` are the catalogue's price band edges (its terciles),
    None when it has no prices. Ties keep the order category, occasion, usage, price."""
    attributes: list[tuple[str, Callable[[Item], tuple[str, ...]]]] = [
        ("category", lambda item: (item.category,) if item.category else ()),
        ("occasion", _extra_values("occasions")),
        ("usage", _extra_values("usage")),
    ]
    if price_edges is not None:
        price_edges = (float(round(price_edges[0])), float(round(price_edges[1])))  # as the buttons say them
        if price_edges[0] < price_edges[1]:
            attributes.append(("price", _band_of(*price_edges)))
    best: tuple[float, Question] | None = None
    for name, values_of in attributes:
        pooled = _pooled(_counts(items, values_of))
        choices = tuple(value for value, _ in pooled if value != OTHER)
        if len(choices) < MIN_CHOICES:
            continue
        if name == "price" and price_edges is not None:
            choices = tuple(band for band in price_bands(*price_edges) if band in choices)
        score = entropy([count for _, count in pooled])
        if best is None or score > best[0] + 1e-9:
            best = (score, Question(name, PROMPTS[name], choices))
    return best[1] if best else None


def catalogue_question(items: Sequence[Item], facts: CatalogueFacts) -> Question | None:
    """The clarifying question over the top candidates; price bands are the catalogue's price terciles."""
    low, high = facts.price_quantile(1 / 3), facts.price_quantile(2 / 3)
    edges = (low, high) if low is not None and high is not None else None
    return best_question(items[:CANDIDATES], edges)
