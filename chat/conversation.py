"""A shopping conversation: turns, the accumulated request, constraints, feedback and the last cards.

Plain Python with no UI: the Gradio handlers, the JSON API and the scripted conversation tests all drive it the
same way, through `respond(message)` and `feedback(card, kind)`. A message is first read as a move on the cards
on screen (`chat.understand.moves`: the next page, going back, a comparison, a question about a card), answered
from the items' data (`chat.answers`); anything else is a request, parsed and searched.
"""

from __future__ import annotations

import re
import statistics
import time
import uuid
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Protocol

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, messages_to_dict

if TYPE_CHECKING:  # langchain's chat-model module pulls in its tracers (0.4 s of a start): typing only
    from langchain_core.language_models import BaseChatModel

from chat.answers import not_on_screen
from chat.card_feedback import RecordsFeedback, feedback_on_card, purchase_said
from chat.card_moves import answer_about_cards
from chat.card_relations import InForce, for_other_kinds, relations_on_cards
from chat.described_cards import find_described
from chat.go_back import Saved, restore_previous, save
from chat.relaxing import RELATION, YES, drop, take_offer, takes_offer
from chat.replies import TAKE_WIDENING, beyond, like_note, reading_note
from chat.request import TOP_K, Recommendation, Request
from chat.search_turn import search, summary_of
from chat.stock import missing_kind, not_stocked_reply
from chat.turn import Card, Photo, Turn, cards_of
from chat.understand.bought import asks_for_bought, without_bought_words
from chat.understand.constraints import Constraints, ParsedMessage, parse_message
from chat.understand.kinds import without_words, words_naming
from chat.understand.language import foreign_language
from chat.understand.moves import Move, read_move
from chat.understand.prices import PriceBand
from chat.understand.rewriter import Rewrite, adopt_rewrite, rewrite
from chat.understand.topic import changes_topic, has_request, without_dropped_words, without_replaced_recipient
from store.facts import CatalogueFacts
from store.feedback import FeedbackEvent, FeedbackKind

_MARKUP = re.compile(r"<[^<>]{0,200}>")  # tags typed or pasted into a message carry no request


class Recommends(Protocol):
    """What a conversation needs to answer: ranked items for a request (`chat.recommender.Recommender`)."""

    facts: CatalogueFacts  # what the catalogue holds: categories, prices, whether it lists sizes

    def recommend(self, request: Request) -> list[Recommendation]: ...

    def count(self, request: Request) -> int: ...  # len(recommend(request)), without ranking


@dataclass
class Conversation:
    """One shopper's conversation. `user_id` names whose stored history steers it (None: a guest); likes are
    stored only when `remembered` (the signed-in shopper's own account), else they count for this session only."""

    user_id: str | None = None
    remembered: bool = False
    session_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    k: int = TOP_K
    messages: list[BaseMessage] = field(default_factory=list)  # the transcript, as LangChain messages
    request_parts: list[str] = field(default_factory=list)  # semantic text of each turn since the topic began
    constraints: Constraints = field(default_factory=Constraints)
    liked: list[str] = field(default_factory=list)
    disliked: list[str] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)  # "more like the second one"
    rejected: set[str] = field(default_factory=set)  # "not that one": never shown again until "start over"
    cards: list[Card] = field(default_factory=list)
    offered_relax: str | None = None  # the constraint the last reply offered to drop
    offered_category: str | None = None  # the category the last reply offered instead of a kind not stocked
    set_at: dict[str, int] = field(default_factory=dict)  # constraint field -> the message that last set it
    shown: set[str] = field(default_factory=set)  # every card of this request: "show me more" pages past them
    history: list[Saved] = field(default_factory=list)  # earlier requests, newest last: "go back"
    named_last: int | None = None  # the card a question or comparison named last on these cards: "it"
    price_band: PriceBand | None = None  # "cheap": bounds re-read from the catalogue for the current category
    # relations in force for this topic, one per compared property ("darker than card 2" replaces "lighter ...")
    relations: dict[str, InForce] = field(default_factory=dict)
    asked: bool = False  # the last reply asked a clarifying question: the next one never does
    photo: tuple[float, ...] = ()  # the vector of the photo this topic searches from ("like this but in red")
    bought_again: bool = False  # "the same again": this topic shows the shopper's purchases (hidden otherwise)
    # likes, rejections, relaxations, purchases not yet stored: the caller takes them (`take_events`) and logs them
    events: list[FeedbackEvent] = field(default_factory=list)
    # when the user store last saved this transcript as this process knows it: another time there means another
    # replica went on with the conversation since (chat/web/handlers.py replays it then)
    saved_at: float | None = None

    @property
    def request_text(self) -> str:
        return " ".join(self.request_parts)

    def start_over(self) -> None:
        """A new search: the request, constraints, rejections and cards go; likes and stored history stay, and
        "go back" still restores the request that was dropped."""
        save(self)
        self._new_topic()
        self.rejected = set()
        self.cards, self.shown, self.named_last = [], set(), None

    def _new_topic(self) -> None:
        """Another kind of item: the request and its constraints go; rejections, likes and cards stay."""
        self.request_parts, self.anchors = [], []
        self.constraints = Constraints()
        self.offered_relax = self.offered_category = None
        self.set_at = {}
        self.price_band = None
        self.photo = ()
        self.relations = {}
        self.bought_again = False

    def respond(
        self,
        message: str,
        recommender: Recommends,
        chat_model: BaseChatModel | None = None,
        photo: Photo | None = None,
        store: RecordsFeedback | None = None,
    ) -> Turn:
        """Answer one message. With a chat model, it rewrites the conversation into the request and filters;
        card references, rejections and "cheaper" stay rule-based (the model never sees card prices). A `photo`
        with a vector becomes this topic's picture to search from, combined with the words. `store` keeps a
        purchase said in words ("I'll take the second one") as the card's 🛒 button does."""
        text = (message or "").strip()
        photo = photo or Photo()
        if not text and not photo.vector:
            reply = photo.problem or "Tell me what you are looking for, for example “a light summer dress”."
            return self.say("", reply, self.cards)
        move = read_move(_MARKUP.sub(" ", text)) if text else None
        if move is not None:
            self.offered_relax = self.offered_category = None
            return self._move(move, text, recommender, store)
        language = foreign_language(text) if text else None
        if language is not None:
            return self._foreign(text, language, recommender, chat_model)
        said = _MARKUP.sub(" ", without_bought_words(text))
        parsed = find_described(parse_message(said, self.named_last, recommender.facts.words), self.cards)
        if photo.vector or photo.problem:  # "like this" with a photo attached means the photo, not a card
            parsed = replace(parsed, card_refs_like=())
        note = reading_note(parsed, text, photo.problem)
        text = text or "(a photo)"
        named = (*parsed.card_refs_like, *parsed.card_refs_exclude, *parsed.card_refs_pair)
        if any(not 0 < position <= len(self.cards) for position in named):
            return self.say(text, note + not_on_screen(named, len(self.cards)), self.cards)
        if parsed.reset:
            self.start_over()
            if not has_request(parsed):
                return self.say(text, "Starting over. What would you like to see?", [])
        if self.offered_relax and takes_offer(self, text, parsed):
            save(self)
            take_offer(self)
            return search(self, text, recommender, note)
        if self.offered_category and YES.match(text):
            save(self)
            self.constraints = self.constraints.merge(Constraints(categories=frozenset({self.offered_category})))
            self.set_at["categories"] = len(self.messages)
            self.offered_category = None
            return search(self, text, recommender, note)
        self.offered_relax = self.offered_category = None
        again = asks_for_bought(text)
        if again and not has_request(parsed):
            save(self)
            self.bought_again = True
            return search(self, text, recommender, note)
        if YES.match(text) or not (has_request(parsed) or photo.vector):
            return self.say(text, note + "What are you looking for? For example “a light summer dress”.", self.cards)
        save(self)
        missing = missing_kind(text, parsed, recommender.facts, recommender.recommend)
        if missing is not None:
            return self._no_such_kind(text, parsed, missing, recommender.facts, note)
        for position in parsed.card_refs_exclude:  # "not that one", for the request its card was ranked for
            self.note_event("reject", self.cards[position - 1].item.id)
        if changes_topic(parsed, self.constraints):
            self._new_topic()
        self.bought_again = again  # a refinement without "again" searches the catalogue, purchases hidden
        note += drop(self, parsed.drops)
        note += like_note([(n, self.cards[n - 1].item.title) for n in parsed.card_refs_like])
        self._apply(parsed)
        note += self._relate(parsed)
        self.photo = photo.vector or self.photo
        if chat_model is not None:
            self._adopt(rewrite(chat_model, self.messages, _MARKUP.sub(" ", text)), parsed)
        return search(self, text, recommender, note)

    def _foreign(self, text: str, language: str, recommender: Recommends, chat_model: BaseChatModel | None) -> Turn:
        """A message in another language: a chat model turns it into a request; without one (or when it fails)
        the reply says so politely, and no search runs on foreign words read as English."""
        rewritten = rewrite(chat_model, self.messages, _MARKUP.sub(" ", text)) if chat_model is not None else None
        if rewritten is None:
            reply = (
                f"Sorry, I can only read English for now, and that looks like {language}. Could you tell me in "
                "English what you are looking for, for example “a red dress under $50”?"
            )
            return self.say(text, reply, self.cards)
        self.offered_relax = None
        self._adopt(rewritten, ParsedMessage())
        return search(self, text, recommender, "")

    def feedback(self, position: int, kind: str, store: RecordsFeedback | None = None) -> str:
        """A thumbs-up ("like"), thumbs-down ("dislike") or purchase on a shown card (`chat.card_feedback`)."""
        return feedback_on_card(self, position, kind, store)

    def take_events(self) -> list[FeedbackEvent]:
        """The feedback events since the last call, for the caller to store; identity only for a remembered
        account, else the opaque session id alone."""
        taken, self.events = self.events, []
        return taken

    def put_back(self, events: list[FeedbackEvent]) -> None:
        """Events a failed write could not store: first in line for the next `take_events`."""
        self.events[:0] = events

    def note_event(self, kind: FeedbackKind, item_id: str | None, detail: str = "") -> None:
        user_id = self.user_id if self.remembered else None
        event = FeedbackEvent(self.session_id, user_id, item_id, kind, self.request_text, time.time(), detail=detail)
        self.events.append(event)

    def transcript(self) -> list[dict]:
        return messages_to_dict(self.messages)

    def _apply(self, parsed: ParsedMessage) -> None:
        new = parsed.constraints
        self.rejected |= {self.cards[i - 1].item.id for i in parsed.card_refs_exclude if 0 < i <= len(self.cards)}
        if parsed.relative_price and self.cards:
            median = statistics.median(card.item.price for card in self.cards)
            cheaper = parsed.relative_price == "cheaper"
            new = new.merge(Constraints(**{"price_max" if cheaper else "price_min": beyond(median, cheaper)}))
        priced = new.price_min is not None or new.price_max is not None
        if parsed.price_band and not priced:
            self.price_band = parsed.price_band
            self.set_at["price"] = len(self.messages)
        elif priced:
            self.price_band = None  # a stated bound or "cheaper" replaces "cheap"
        before = self.constraints
        self.constraints = before.merge(new)
        self.set_at.update({name: len(self.messages) for name, _ in new.describe()})
        self.request_parts = without_dropped_words(self.request_parts, before, self.constraints)
        like = [self.cards[i - 1].item.id for i in parsed.card_refs_like if 0 < i <= len(self.cards)]
        self.anchors = [a for a in [*self.anchors, *like] if a not in self.rejected]
        if parsed.semantic_text:
            self.request_parts = without_replaced_recipient(self.request_parts, parsed.semantic_text)
            self.request_parts.append(parsed.semantic_text)

    def _adopt(self, rewritten: Rewrite | None, parsed: ParsedMessage) -> None:
        """A chat model's rewrite replaces the parser's reading; without one (the model failed) that reading stands."""
        if rewritten is not None:
            self.request_parts = [rewritten.request_text] if rewritten.request_text else []
            self.constraints = adopt_rewrite(
                self.constraints, rewritten, relative_price=parsed.relative_price is not None
            )

    def request(
        self,
        constraints: Constraints | None = None,
        hidden: frozenset[str] = frozenset(),
        relations: dict[str, InForce] | None = None,
    ) -> Request:
        in_force = self.relations if relations is None else relations
        return Request.from_constraints(
            self.request_text,
            constraints or self.constraints,
            exclude_ids=frozenset(self.rejected) | hidden,
            user_id=self.user_id,
            liked_ids=self.liked,
            disliked_ids=self.disliked,
            anchor_ids=self.anchors,
            image_vector=self.photo,
            relations=[relation.request for relation in in_force.values()],
            bought_only=self.bought_again,
            k=self.k,
        )

    def _relate(self, parsed: ParsedMessage) -> str:
        """Comparatives put in force on a card on screen (chat/card_relations.py); returns the notes the reply
        says first."""
        applied, notes = relations_on_cards(parsed, self.cards, self.anchors)
        if "outfit" in applied and not parsed.constraints.categories:
            self.request_parts, self.constraints = for_other_kinds(self.request_parts, self.constraints)
        self.relations.update(applied)
        self.set_at.update({RELATION + key: len(self.messages) for key in applied})
        return " ".join(notes) + " " if notes else ""

    def _move(self, move: Move, text: str, recommender: Recommends, store: RecordsFeedback | None) -> Turn:
        """A move on the cards on screen: the next page, the previous request, a purchase, a comparison or a
        question."""
        if move.kind == "next_page":
            return self._next_page(text, recommender)
        if move.kind == "back":
            return self._back(text)
        if move.kind == "purchase":
            return self.say(text, purchase_said(self, move.positions, store), self.cards)
        reply, self.named_last = answer_about_cards(move, self.cards, self.named_last, recommender.facts.lists_sizes)
        return self.say(text, reply, self.cards)

    def _next_page(self, text: str, recommender: Recommends) -> Turn:
        """The same request again, every card shown for it so far left out (hidden, not rejected)."""
        if not (self.request_parts or self.anchors or not self.constraints.is_empty()):
            return self.say(text, "There is no search to continue yet. What are you looking for?", self.cards)
        if not self.shown:
            return self.say(text, "Nothing matches this request as it stands, so there is no next page.", self.cards)
        recommendations = recommender.recommend(self.request(hidden=frozenset(self.shown)))
        if not recommendations:
            reply = f"That is everything for this request: no other items match it (you have seen {len(self.shown)})."
            return self.say(text, reply + " Change a filter, or say “go back”.", self.cards)
        save(self)
        self.cards, self.named_last = cards_of(recommendations), None
        self.shown |= {card.item.id for card in self.cards}
        summary = summary_of(self, len(self.cards), recommender.facts)
        return self.say(text, f"More of the same, none of the cards shown before. {summary}", self.cards)

    def _back(self, text: str) -> Turn:
        """The previous request restored as it was: its words, constraints, anchors and cards."""
        said = restore_previous(self)
        return self.say(text, said or "There is no earlier request to go back to.", self.cards)

    def _no_such_kind(self, text: str, parsed: ParsedMessage, kind: str, facts: CatalogueFacts, note: str) -> Turn:
        """A kind of item the catalogue does not hold: said first, no other items shown as that kind, and the
        nearest category it holds offered (a "yes" searches it with the rest of the request)."""
        self._new_topic()
        self._apply(replace(parsed, constraints=parsed.constraints.without("categories")))
        self.request_parts = without_words(self.request_parts, words_naming(kind))
        self.cards, self.shown, self.named_last = [], set(), None
        described = [wording for _, wording in self.constraints.describe()]
        reply, self.offered_category = not_stocked_reply(kind, facts, described)
        return self.say(text, note + reply, [])

    def say(self, text: str, reply: str, cards: list[Card], quick_replies: tuple[str, ...] = ()) -> Turn:
        """One turn into the transcript: the message (none when nothing was typed) and the reply with its cards."""
        if text:
            self.messages.append(HumanMessage(content=text))
        self.messages.append(AIMessage(content=reply, additional_kwargs={"cards": [c.item.id for c in cards]}))
        self.asked = bool(quick_replies) and TAKE_WIDENING not in quick_replies  # a clarifying question was asked
        return Turn(reply, cards, quick_replies)
