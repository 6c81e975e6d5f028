""" "Go back": the request as it stood after a turn, kept so that a later turn can restore it whole.

Ten earlier requests are kept (`HISTORY`), newest last; nothing is kept before the first request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from chat.card_relations import InForce
from chat.turn import Card
from chat.understand.constraints import Constraints
from chat.understand.echo import echo
from chat.understand.prices import PriceBand

if TYPE_CHECKING:
    from chat.conversation import Conversation

HISTORY = 10  # earlier requests "go back" can restore


@dataclass(frozen=True)
class Saved:
    """A request as it stood after a turn: its text, constraints, anchors and cards."""

    request_parts: tuple[str, ...]
    constraints: Constraints
    anchors: tuple[str, ...]
    set_at: tuple[tuple[str, int], ...]
    cards: tuple[Card, ...]
    shown: frozenset[str]
    price_band: PriceBand | None
    relations: tuple[tuple[str, InForce], ...] = ()


def save(conversation: Conversation) -> None:
    """Keeps the request as it stands in the conversation's history (nothing before the first request)."""
    c = conversation
    if not (c.request_parts or c.cards or not c.constraints.is_empty()):
        return
    saved = Saved(
        tuple(c.request_parts),
        c.constraints,
        tuple(c.anchors),
        tuple(c.set_at.items()),
        tuple(c.cards),
        frozenset(c.shown),
        c.price_band,
        tuple(c.relations.items()),
    )
    c.history = [*c.history, saved][-HISTORY:]


def restore_previous(conversation: Conversation) -> str | None:
    """The newest saved request restored as it was (its words, constraints, anchors and cards) and taken off
    the history; -> the reply naming it, None when there is none."""
    c = conversation
    if not c.history:
        return None
    saved = c.history.pop()
    c.request_parts, c.constraints = list(saved.request_parts), saved.constraints
    c.anchors, c.set_at = list(saved.anchors), dict(saved.set_at)
    c.cards, c.shown, c.named_last = list(saved.cards), set(saved.shown), None
    c.price_band = saved.price_band
    c.relations = dict(saved.relations)
    c.offered_relax = c.offered_category = None
    c.bought_again = False
    wanted = echo(c.request_text)
    cards = "one card" if len(c.cards) == 1 else f"{len(c.cards)} cards"
    return f"Back to {f'“{wanted}”' if wanted else 'your previous request'}, with the {cards} shown then."
