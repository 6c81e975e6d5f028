"""The search turn of a conversation: the request as it stands ranked, and the reply that presents the cards.

A price band is read as the current category's bounds first; a vague request gets one clarifying question; a
request that finds nothing names the constraint to blame and offers to drop it (`chat.relaxing`). Functions of a
`chat.conversation.Conversation`, kept here so that the conversation module stays the dialogue's flow.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from chat.clarify import CANDIDATES, catalogue_question, is_vague
from chat.relaxing import culprit_of, culprit_offer, widening_offered
from chat.replies import (
    INVITE,
    TAKE_WIDENING,
    band_note,
    bought_summary,
    history_note,
    round_price,
    summary,
    widening_offer,
)
from chat.turn import Turn, cards_of
from store.facts import CatalogueFacts

if TYPE_CHECKING:
    from chat.conversation import Conversation, Recommends


def search(conversation: Conversation, text: str, recommender: Recommends, note: str) -> Turn:
    """Ranks the request in force and answers with its cards, or with what to drop when nothing matches."""
    c = conversation
    note += _resolve_band(c, recommender.facts)
    ask = not (c.asked or c.photo or c.anchors or c.bought_again) and is_vague(c.constraints, c.request_text)
    request = c.request()
    recommendations = recommender.recommend(replace(request, k=max(CANDIDATES, c.k)) if ask else request)
    c.named_last = None
    if recommendations:
        c.cards = cards_of(recommendations[: c.k])
        c.shown = {card.item.id for card in c.cards}
        question = catalogue_question([r.item for r in recommendations], recommender.facts) if ask else None
        invite, choices = (question.prompt, question.choices) if question else (INVITE, ())
        if c.bought_again:
            return c.say(text, note + bought_summary(len(c.cards), c.request_text, invite), c.cards, choices)
        widening = None if question else widening_offered(c, recommender)
        if widening is not None:
            c.offered_relax, wording, count = widening
            invite, choices = widening_offer(wording, count), (TAKE_WIDENING,)
        gift = request.for_someone_else and c.user_id is not None
        said = history_note(recommendations[0], gift) + summary_of(c, len(c.cards), recommender.facts, invite)
        return c.say(text, note + said, c.cards, choices)
    if c.bought_again and c.constraints.is_empty():
        return c.say(text, note + "You have not bought anything here yet: your purchases would show here.", [])
    culprit = culprit_of(c, recommender)
    c.cards, c.shown = [], set()
    if culprit is None:
        return c.say(text, note + "Nothing in the catalogue matches that. Try different words?", [])
    field_name, wording, relaxed = culprit
    c.offered_relax = field_name
    reply, c.cards = culprit_offer(c, field_name, wording, relaxed, recommender)
    return c.say(text, note + reply, c.cards, (TAKE_WIDENING,) if c.cards else ())


def summary_of(conversation: Conversation, count: int, facts: CatalogueFacts, invite: str = INVITE) -> str:
    """What the cards on screen were found for: the request, its constraints and the comparisons in force."""
    c = conversation
    wordings = [relation.wording for relation in c.relations.values()]
    return summary(count, c.request_text, c.constraints, wordings, facts, bool(c.photo), invite)


def _resolve_band(conversation: Conversation, facts: CatalogueFacts) -> str:
    """A price band as bounds of the current category's prices (all items when none), re-read every turn so
    that it follows a change of category; returns what the reply says it means ("cheap: under $34 for
    dresses here. ")."""
    c = conversation
    if c.price_band is None:
        return ""
    low, high = facts.price_band(c.price_band, sorted(c.constraints.categories))
    if low is None and high is None:
        return ""
    c.constraints = replace(c.constraints, price_min=round_price(low), price_max=round_price(high))
    price = dict(c.constraints.describe())["price"]
    return band_note(c.price_band, price, sorted(c.constraints.categories))
