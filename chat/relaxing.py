"""Taking part of a request back: the offer to drop a constraint when few or no cards match everything, the
shopper's yes to it, and what they take back unprompted ("forget the red", "any price").

An offer names the newest constraint (or comparison in force, `RELATION` + its key) whose dropping alone shows
more: `widening_offered` beside fewer cards than a page, `culprit_of` when nothing matched (`culprit_offer` words
it beside the cards found without it). Each relaxation is
stored as feedback with the request it was part of. Functions of a `chat.conversation.Conversation`, kept here so
that the conversation reads as its turns.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from chat.replies import TAKE_WIDENING, drop_note, summary
from chat.request import Request
from chat.turn import Card, cards_of
from chat.understand.constraints import DROPPED_TOGETHER, Constraints, ParsedMessage
from chat.understand.drops import Drops
from chat.understand.topic import without_dropped_words

if TYPE_CHECKING:
    from chat.card_relations import InForce
    from chat.conversation import Conversation, Recommends

RELATION = "relation:"  # the prefix of a relation in force where constraint fields are named (offers, set_at)
YES = re.compile(r"^\W*(yes|yeah|yep|sure|ok|okay|please|do it|go ahead|relax it)\W*(please)?\W*$", re.IGNORECASE)
_RELAX = re.compile(r"\b(relax|drop|remove|forget|ignore)\b", re.IGNORECASE)


def culprit_of(conversation: Conversation, recommender: Recommends) -> tuple[str, str, Request] | None:
    """The constraint that, dropped alone, brings results back, and the request without it; the most recently set
    one is tried first (a relation in force counts as set when it was applied)."""
    for field_name, wording, request in _each_dropped(conversation):
        if recommender.count(replace(request, k=1)):
            return field_name, wording, request
    return None


def widening_offered(conversation: Conversation, recommender: Recommends) -> tuple[str, str, int] | None:
    """When fewer cards than a page match everything ("a summer dress": one, in a catalogue with five dresses),
    the constraint whose dropping alone shows more, newest first, and how many cards it would show. The kind of
    item is never offered: more cards of other kinds are not more of what the shopper asked for."""
    shown = len(conversation.cards)
    if shown >= conversation.k:
        return None
    for field_name, wording, request in _each_dropped(conversation):
        if field_name == "categories":
            continue
        count = recommender.count(request)
        if count > shown:
            return field_name, wording, count
    return None


def takes_offer(conversation: Conversation, text: str, parsed: ParsedMessage) -> bool:
    """Whether the message takes the offer to drop a constraint: a yes, the offer's button, or "drop",
    "forget"... After nothing matched (the cards on screen, if any, are the preview without the constraint, and
    none counts as shown for the request) that is all; beside cards (fewer than a page) a message with such a word
    that asks for something new ("forget that, in blue instead") refines the cards shown instead."""
    if YES.match(text) or text == TAKE_WIDENING:
        return True
    if parsed.drops or not _RELAX.search(text):  # "drop the red" names what it drops: `drop` reads it
        return False
    constraints = conversation.constraints
    return not conversation.shown or constraints.merge(parsed.constraints) == constraints


def take_offer(conversation: Conversation) -> None:
    """Drops the constraint or relation offered, stored as a relaxation."""
    c, offered = conversation, conversation.offered_relax
    if offered is None:
        return
    c.note_event("relax", None, detail=offered)
    if offered.startswith(RELATION):
        c.relations.pop(offered.removeprefix(RELATION), None)
    else:
        before, c.constraints = c.constraints, c.constraints.without(offered)
        c.request_parts = without_dropped_words(c.request_parts, before, c.constraints)
    c.price_band = None if offered == "price" else c.price_band
    c.offered_relax = None


def drop(conversation: Conversation, drops: Drops) -> str:
    """What the shopper took back unprompted ("forget the red", "any price"): relaxed, each relaxation stored
    as feedback, and said first; a value that was not in force is said to be so, with how to refuse it."""
    if not drops:
        return ""
    c = conversation
    before = c.constraints
    c.constraints = before.dropping(drops)
    c.price_band = None if "price" in drops.fields else c.price_band
    after = dict(c.constraints.describe())
    changed = [(name, wording) for name, wording in before.describe() if after.get(name) != wording]
    for name, _ in changed:  # with the request the relaxed filter was part of
        c.note_event("relax", None, detail=name)
    c.request_parts = without_dropped_words(c.request_parts, before, c.constraints)
    parts_of = {name: set(DROPPED_TOGETHER.get(name, (name,))) for name in drops.fields}
    changed_names = {name for name, _ in changed}
    in_force = sorted(v for v in drops.values if before.dropping(Drops(values=frozenset({v}))) != before)
    by_kind = [wording for name, wording in changed if any(name in parts for parts in parts_of.values())]
    idle = sorted(name for name, parts in parts_of.items() if not parts & changed_names)
    return drop_note([*by_kind, *in_force], idle, sorted(drops.values - set(in_force)))


def left_without(conversation: Conversation, field_name: str) -> tuple[Constraints, dict[str, InForce]]:
    """The constraints and the relations in force once `field_name` (a constraint's name, or `RELATION` and a
    relation's key) is dropped alone."""
    c = conversation
    if field_name.startswith(RELATION):
        return c.constraints, {key: r for key, r in c.relations.items() if RELATION + key != field_name}
    return c.constraints.without(field_name), dict(c.relations)


def culprit_offer(
    conversation: Conversation, field_name: str, wording: str, relaxed: Request, recommender: Recommends
) -> tuple[str, list[Card]]:
    """The reply when nothing matches everything, and its cards: the constraint that empties the answer is offered
    for dropping beside the cards the request shows without it (`relaxed`), so the window is never blank and the
    shopper sees what the rest of their request finds (on the Kaggle photos "a summer dress", "in blue", "cheaper,
    no polyester" left an empty window and the same question twice). Those cards are a preview, not the answer:
    the request in force keeps the constraint until a yes drops it, and "more" has no page of them. Without the
    kind of item no preview: other kinds are not what was asked for."""
    nothing = f"Nothing matches {wording} together with the rest of your request."
    if field_name == "categories":
        return f"{nothing} Shall I drop “{wording}”?", []
    c = conversation
    cards = cards_of(recommender.recommend(relaxed)[: c.k])
    constraints, relations = left_without(c, field_name)
    wordings = [relation.wording for relation in relations.values()]
    invite = f"Shall I drop “{wording}”?"
    shown = summary(len(cards), relaxed.text, constraints, wordings, recommender.facts, bool(c.photo), invite)
    return f"{nothing} Without it, {shown[0].lower()}{shown[1:]}", cards


def _each_dropped(conversation: Conversation) -> Iterator[tuple[str, str, Request]]:
    """Each constraint and relation in force, newest first, with the request that drops it alone (a colour or
    material dropped leaves its words too: "summer dress", not "summer dress blue"). Of those set by the same
    message ("a summer dress") the kind of item comes last: dropping it changes what is shopped for."""
    c = conversation
    parts = [*c.constraints.describe(), *((RELATION + key, r.wording) for key, r in c.relations.items())]
    newest_first = sorted(parts, key=lambda part: (-c.set_at.get(part[0], -1), part[0] == "categories"))
    for field_name, wording in newest_first:
        constraints, relations = left_without(c, field_name)
        words = " ".join(without_dropped_words(c.request_parts, c.constraints, constraints))
        yield field_name, wording, replace(c.request(constraints, relations=relations), text=words)
