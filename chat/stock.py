"""Kinds of item a catalogue does not hold ("swimsuits" in a shop of dresses and tops): found before a search
would show other things as that kind, said plainly, and the nearest kind it does hold offered instead."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from chat.item_words import names_any
from chat.request import Recommendation, Request
from chat.understand.constraints import Constraints, ParsedMessage
from chat.understand.kinds import garment_named, garment_words, nearest_categories, plural
from store.facts import CatalogueFacts

_PROBE_K = 20  # items read to check that none is of a kind the shopper named


def missing_kind(
    text: str,
    parsed: ParsedMessage,
    facts: CatalogueFacts,
    recommend: Callable[[Request], list[Recommendation]],
) -> str | None:
    """The kind of item the message asks for that the catalogue does not hold, as the reply names it ("swimsuits",
    "skirts"), or None. A canonical category is missing when the catalogue counts no item of it; another kind
    ("swimsuit") when it names no canonical category and none of the items nearest to its words names it."""
    if facts.total == 0:
        return None
    named = parsed.constraints.categories
    if named:
        return None if any(facts.has_category(c) for c in named) else plural(min(named))
    kind = garment_named(text)
    if kind is None:
        return None
    words = garment_words(kind)
    probe = Request.from_constraints(" ".join(words[:2]), Constraints(), k=_PROBE_K)
    stocked = any(names_any(r.item, frozenset(words)) for r in recommend(probe))
    return None if stocked else kind


def not_stocked_reply(kind: str, facts: CatalogueFacts, described: Sequence[str]) -> tuple[str, str | None]:
    """What to say about a kind not held, and the nearest category offered instead (None: nothing near): a "yes"
    to the offer searches that category with the rest of the request (`described`, as the reply words it)."""
    reply = f"There are no {kind} in this catalogue, so I am not showing other things as {kind}."
    nearest = next((c for c in nearest_categories(kind) if facts.has_category(c)), None)
    if nearest is None:
        return f"{reply} What else can I look for?", None
    detail = f" ({', '.join(described)})" if described else ""
    offer = f" The nearest kind it has is {plural(nearest)}: shall I show {plural(nearest)}{detail} instead?"
    return reply + offer, nearest
