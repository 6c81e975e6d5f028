"""What one turn of a conversation answers: the reply, the cards and the clarifying question's choices, and a
photo the shopper attached. Plain data: the Gradio page, the JSON API and the scripted tests read the same."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from chat.request import Recommendation
from store.item import Item


@dataclass(frozen=True)
class Card:
    """One shown item; `position` is what the shopper calls it ("the second one" is position 2)."""

    position: int
    item: Item
    why: str
    score: float


@dataclass(frozen=True)
class Turn:
    """One answer. `quick_replies` are the clarifying question's choices, or the one button that takes an offer to
    widen a search that found fewer cards than a page (empty when neither); the page shows them as buttons and a
    click sends one as the shopper's next message."""

    reply: str
    cards: list[Card]
    quick_replies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Photo:
    """A photo attached to a message: its vector from the image encoder, or why it cannot be searched
    (`problem`, said in the reply: a text-only encoder, a file that is not an image)."""

    vector: tuple[float, ...] = ()
    problem: str = ""


def cards_of(recommendations: Sequence[Recommendation]) -> list[Card]:
    """Ranked recommendations as cards numbered from 1, as the shopper names them."""
    return [Card(n, r.item, r.why, r.score) for n, r in enumerate(recommendations, start=1)]
