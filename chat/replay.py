"""A conversation rebuilt from its stored transcript, so that any replica goes on where another one stopped.

A browser's conversation lives in one process's memory (Gradio's `gr.State`, keyed by the page's session hash).
The session hash is the browser's own (Gradio's client draws it when the page loads and sends it with every
request), so when a replica dies and the proxy sends the browser to another one, that replica receives the same
session hash but holds no state for it: `gr.State` starts again from its default. What it can read is the user
store: a signed-in shopper's transcript, saved after every turn, and the likes, dislikes and purchases of the
conversation, recorded at once under its id. `conversation_id` makes that id the same on every replica.

Replayed, not stored: the shopper's messages are fed again, in order, through `Conversation.respond`, the same
logic that answered them, so every part of the conversation's state (the request, the filters, relations, price
band, rejections, anchors, the offer a "yes" answers, the requests "go back" restores) comes back without a
serialised copy of each field that would have to follow every change of `Conversation`. What the logic read from
outside is pinned to what the transcript says it was: the cards each answer showed (stored with it) replace the
ones the replay's search finds, since "the second one" must mean the card the shopper saw, and a like since then
may have reordered the search. Events the replay notes (rejections, relaxations) are dropped: they were logged
when they happened. A photo's vector is not stored, so a turn that attached one replays from its words alone.
Pure logic: the recommender and the items are passed in, and nothing is read or written here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from langchain_core.messages import messages_from_dict

from chat.conversation import Conversation, Recommends
from chat.turn import Card
from store.item import Item

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

PHOTO_ONLY = "(a photo)"  # what the transcript says for a photo sent without words (`Conversation.respond`)


def conversation_id(account_id: str, session_hash: str) -> str:
    """The stored id of a signed-in account's conversation in one browser page, the same on every replica. The
    account comes from the signed session cookie, so a session hash copied from another page names the copier's
    own conversation, never its owner's."""
    return hashlib.sha256(f"{account_id}\n{session_hash}".encode()).hexdigest()[:32]


def replay(
    messages: Sequence[dict],
    conversation: Conversation,
    recommender: Recommends,
    items: Callable[[Sequence[str]], list[Item]],
    feedback: Sequence[tuple[str, str]] = (),
    chat_model: BaseChatModel | None = None,
) -> Conversation:
    """`conversation` (new: its shopper, id and k set) brought to the state it had after the stored `messages`
    (LangChain messages as dicts, `Conversation.transcript()`) and the conversation's `feedback`, (kind, item id)
    pairs oldest first. `items` looks up items by id, for shown cards the replay's search did not find."""
    for text, shown in _turns(messages):
        conversation.respond(text, recommender, chat_model)
        _pin(conversation, shown, items)
    conversation.messages = messages_from_dict(list(messages))
    conversation.take_events()
    liked, disliked = conversation.liked, conversation.disliked
    for kind, item_id in feedback:  # as `Conversation.feedback` keeps them: a purchase counts as a like
        mine, other = (disliked, liked) if kind == "dislike" else (liked, disliked)
        if item_id in other:
            other.remove(item_id)
        if item_id not in mine:
            mine.append(item_id)
    return conversation


def _turns(messages: Sequence[dict]) -> Iterator[tuple[str, list[str]]]:
    """(the shopper's message, the ids of the cards its answer showed) per answer; an answer with no message before
    it answered an empty one (a photo that could not be read). A photo alone replays as an empty message."""
    said = ""
    for message in messages:
        data = message.get("data", {})
        if message.get("type") == "human":
            said = str(data.get("content", ""))
        elif message.get("type") == "ai":
            shown = list(data.get("additional_kwargs", {}).get("cards", []))
            yield ("" if said == PHOTO_ONLY else said), shown
            said = ""


def _pin(conversation: Conversation, shown: list[str], items: Callable[[Sequence[str]], list[Item]]) -> None:
    """The cards on screen set to the stored ones, in their order (the replay's own card kept where it is the same
    item, for its reason); an item gone from the catalogue since is left out."""
    replayed = {card.item.id: card for card in conversation.cards}
    if list(replayed) == shown:
        return
    missing = [item_id for item_id in shown if item_id not in replayed]
    found = {item.id: item for item in items(missing)} if missing else {}
    cards: list[Card] = []
    for item_id in shown:
        card = replayed.get(item_id)
        if card is not None:
            cards.append(Card(len(cards) + 1, card.item, card.why, card.score))
        elif item_id in found:
            cards.append(Card(len(cards) + 1, found[item_id], "", 0.0))
    conversation.shown = (conversation.shown - set(replayed)) | {card.item.id for card in cards}
    conversation.cards = cards
