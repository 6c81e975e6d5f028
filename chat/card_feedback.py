"""A like, dislike or purchase on a card on screen (a button, or a purchase said in words): it steers the
conversation's next turns (a purchase as a like), is stored at once for a remembered shopper, and is noted as a
feedback event for the model's training."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from chat.answers import not_on_screen
from store.users import UnknownUser

if TYPE_CHECKING:
    from chat.conversation import Conversation

KINDS = ("like", "dislike", "purchase")


class RecordsFeedback(Protocol):
    """Where a signed-in shopper's likes and dislikes are stored (`store.users.UserStore`)."""

    def record(
        self, user_id: str, item_id: str, kind: str, when: float | None = None, session_id: str | None = None
    ) -> int: ...


def feedback_on_card(conversation: Conversation, position: int, kind: str, store: RecordsFeedback | None) -> str:
    """The shopper's `kind` of feedback on the card at `position`, and the reply. A purchase is recorded each
    time; a like or dislike when it changes (a like undoes a dislike of the same item, and the reverse)."""
    card = next((c for c in conversation.cards if c.position == position), None)
    if card is None:
        return f"There is no card {position} on screen."
    if kind not in KINDS:
        raise ValueError(f"feedback kind must be like, dislike or purchase, not {kind!r}")
    c = conversation
    mine, other = (c.disliked, c.liked) if kind == "dislike" else (c.liked, c.disliked)
    if card.item.id not in mine or kind == "purchase":
        saved = True
        if c.user_id is not None and c.remembered and store is not None:
            try:  # before the conversation changes: a store that is down raises, and pressing again retries
                store.record(c.user_id, card.item.id, kind, session_id=c.session_id)
            except UnknownUser:
                saved = False
        if card.item.id in other:
            other.remove(card.item.id)
        if card.item.id not in mine:
            mine.append(card.item.id)
        c.note_event(kind, card.item.id)
        if not saved:
            return f"Noted for this session ({kind}); your profile could not be found to save it."
    if kind == "purchase":
        return f"Bought: “{card.item.title}” (a demo purchase: nothing is charged or shipped)."
    if kind == "like":
        return f"Noted: you like “{card.item.title}”. Your next answers will lean towards it."
    return f"Noted: I will steer away from “{card.item.title}”."


def purchase_said(conversation: Conversation, positions: tuple[int, ...], store: RecordsFeedback | None) -> str:
    """A card bought in words ("I'll take the second one"), and the reply: the card said, else the card named
    last ("I'll take it" after "how much is #2?"), else the only card on screen."""
    cards = conversation.cards
    if not cards:
        return "There are no cards on screen yet. Tell me what you are looking for, then pick a card."
    fallback = conversation.named_last or (1 if len(cards) == 1 else None)
    position = positions[0] if positions else fallback
    if position is None:
        return "Which card would you like? Say for example “I'll take #2”, or press 🛒 under a card."
    if not 0 < position <= len(cards):
        return not_on_screen((position,), len(cards))
    conversation.named_last = position
    return feedback_on_card(conversation, position, "purchase", store)
