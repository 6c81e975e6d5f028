"""A shopping conversation: turns, the accumulated request, constraints, feedback and the last cards.

Plain Python with no UI: the Gradio handlers, the JSON API and the scripted conversation tests all drive it the
same way, through `respond(message)` and `feedback(card, kind)`.
"""

from __future__ import annotations

import re
import statistics
import uuid
from dataclasses import dataclass, field, replace
from typing import Protocol

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, messages_to_dict

from chat.clarify import CANDIDATES, Question, best_question, is_vague
from chat.recommender import TOP_K, Recommendation, Request
from chat.understand.constraints import MAX_MESSAGE_CHARS, Constraints, ParsedMessage, parse_message
from chat.understand.rewriter import Rewrite, adopt_rewrite, rewrite
from store.facts import CatalogueFacts
from store.item import Item
from store.users import UnknownUser
from store.vocabulary import COLOUR_OF_WORD, MATERIAL_OF_WORD

_YES = re.compile(r"^\W*(yes|yeah|yep|sure|ok|okay|please|do it|go ahead|relax it)\W*(please)?\W*$", re.IGNORECASE)
_RELAX = re.compile(r"\b(relax|drop|remove|forget|ignore)\b", re.IGNORECASE)
_MARKUP = re.compile(r"<[^<>]{0,200}>")  # tags typed or pasted into a message carry no request


class Recommends(Protocol):
    """What a conversation needs to answer: ranked items for a request (`chat.recommender.Recommender`)."""

    facts: CatalogueFacts  # what the catalogue holds: categories, prices, whether it lists sizes

    def recommend(self, request: Request) -> list[Recommendation]: ...


class RecordsFeedback(Protocol):
    """Where a signed-in shopper's likes and dislikes are stored (`store.users.UserStore`)."""

    def record(
        self, user_id: str, item_id: str, kind: str, when: float | None = None, session_id: str | None = None
    ) -> int: ...


@dataclass(frozen=True)
class Card:
    """One shown item; `position` is what the shopper calls it ("the second one" is position 2)."""

    position: int
    item: Item
    why: str
    score: float


@dataclass(frozen=True)
class Turn:
    """One answer. `quick_replies` are the clarifying question's choices (empty when none was asked); the page
    shows them as buttons and a click sends one as the shopper's next message."""

    reply: str
    cards: list[Card]
    quick_replies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Photo:
    """A photo attached to a message: its vector from the image encoder, or why it cannot be searched
    (`problem`, said in the reply: a text-only encoder, a file that is not an image)."""

    vector: tuple[float, ...] = ()
    problem: str = ""


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
    set_at: dict[str, int] = field(default_factory=dict)  # constraint field -> the message that last set it
    asked: bool = False  # the last reply asked a clarifying question: the next one never does
    photo: tuple[float, ...] = ()  # the vector of the photo this topic searches from ("like this but in red")

    @property
    def request_text(self) -> str:
        return " ".join(self.request_parts)

    def start_over(self) -> None:
        """A new search: the request, constraints, rejections and cards go; likes and stored history stay."""
        self._new_topic()
        self.rejected = set()
        self.cards = []

    def _new_topic(self) -> None:
        """Another kind of item: the request and its constraints go; rejections, likes and cards stay."""
        self.request_parts, self.anchors = [], []
        self.constraints = Constraints()
        self.offered_relax = None
        self.set_at = {}
        self.photo = ()

    def respond(
        self,
        message: str,
        recommender: Recommends,
        chat_model: BaseChatModel | None = None,
        photo: Photo | None = None,
    ) -> Turn:
        """Answer one message. With a chat model, it rewrites the conversation into the request and filters;
        card references, rejections and "cheaper" stay rule-based (the model never sees card prices). A `photo`
        with a vector becomes this topic's picture to search from, combined with the words."""
        text = (message or "").strip()
        photo = photo or Photo()
        if not text and not photo.vector:
            reply = photo.problem or "Tell me what you are looking for, for example “a light summer dress”."
            return self._say("", reply, self.cards)
        parsed = parse_message(_MARKUP.sub(" ", text))
        note = f"{photo.problem} " if photo.problem else ""
        text = text or "(a photo)"
        if len(text) > MAX_MESSAGE_CHARS:
            note = f"(That was a long message: I read its first {MAX_MESSAGE_CHARS:,} characters.) "
        if parsed.reset:
            self.start_over()
            if not _has_request(parsed):
                return self._say(text, "Starting over. What would you like to see?", [])
        if self.offered_relax and (_YES.match(text) or _RELAX.search(text)):
            self.constraints = self.constraints.without(self.offered_relax)
            self.offered_relax = None
            return self._search(text, recommender, note)
        self.offered_relax = None
        if _YES.match(text) or not (_has_request(parsed) or photo.vector):
            return self._say(text, note + "What are you looking for? For example “a light summer dress”.", self.cards)
        if photo.vector:  # "like this" with a photo attached means the photo, not a card on screen
            parsed = replace(parsed, card_refs_like=())
        if _changes_topic(parsed, self.constraints):
            self._new_topic()
        self._apply(parsed)
        self.photo = photo.vector or self.photo
        if chat_model is not None:
            self._adopt(rewrite(chat_model, self.messages, _MARKUP.sub(" ", text)), parsed)
        return self._search(text, recommender, note)

    def feedback(self, position: int, kind: str, store: RecordsFeedback | None = None) -> str:
        """A thumbs-up ("like") or thumbs-down ("dislike") on a shown card; it steers the next turns, and is
        stored at once in `store` when this is a remembered shopper's conversation."""
        card = next((c for c in self.cards if c.position == position), None)
        if card is None:
            return f"There is no card {position} on screen."
        if kind not in ("like", "dislike"):
            raise ValueError(f"feedback kind must be like or dislike, not {kind!r}")
        mine, other = (self.liked, self.disliked) if kind == "like" else (self.disliked, self.liked)
        if card.item.id in other:
            other.remove(card.item.id)
        if card.item.id not in mine:
            mine.append(card.item.id)
            if self.user_id is not None and self.remembered and store is not None:
                try:
                    store.record(self.user_id, card.item.id, kind, session_id=self.session_id)
                except UnknownUser:
                    return f"Noted for this session ({kind}); your profile could not be found to save it."
        if kind == "like":
            return f"Noted: you like “{card.item.title}”. Your next answers will lean towards it."
        return f"Noted: I will steer away from “{card.item.title}”."

    def transcript(self) -> list[dict]:
        return messages_to_dict(self.messages)

    def _apply(self, parsed: ParsedMessage) -> None:
        new = parsed.constraints
        self.rejected |= {self.cards[i - 1].item.id for i in parsed.card_refs_exclude if 0 < i <= len(self.cards)}
        if parsed.relative_price and self.cards:
            median = statistics.median(card.item.price for card in self.cards)
            bound = (
                {"price_max": median * 0.999} if parsed.relative_price == "cheaper" else {"price_min": median * 1.001}
            )
            new = new.merge(Constraints(**bound))
        before = self.constraints
        self.constraints = before.merge(new)
        self.set_at.update({name: len(self.messages) for name, _ in new.describe()})
        self.request_parts = _without_dropped_words(self.request_parts, before, self.constraints)
        like = [self.cards[i - 1].item.id for i in parsed.card_refs_like if 0 < i <= len(self.cards)]
        self.anchors = [a for a in [*self.anchors, *like] if a not in self.rejected]
        if parsed.semantic_text:
            self.request_parts.append(parsed.semantic_text)

    def _adopt(self, rewritten: Rewrite | None, parsed: ParsedMessage) -> None:
        """A chat model's rewrite replaces the parser's reading; without one (the model failed) that reading stands."""
        if rewritten is not None:
            self.request_parts = [rewritten.request_text] if rewritten.request_text else []
            self.constraints = adopt_rewrite(
                self.constraints, rewritten, relative_price=parsed.relative_price is not None
            )

    def _search(self, text: str, recommender: Recommends, note: str) -> Turn:
        ask = not (self.asked or self.photo or self.anchors) and is_vague(self.constraints, self.request_text)
        request = self._request()
        recommendations = recommender.recommend(replace(request, k=max(CANDIDATES, self.k)) if ask else request)
        if recommendations:
            self.cards = _cards(recommendations[: self.k])
            question = _question(recommendations, recommender.facts) if ask else None
            invite = question.prompt if question else "Tell me what to change, or rate a card."
            summary = note + self._summary(len(self.cards), recommender.facts.lists_sizes, invite)
            return self._say(text, summary, self.cards, question.choices if question else ())
        culprit = self._culprit(recommender)
        self.cards = []
        if culprit is None:
            return self._say(text, note + "Nothing in the catalogue matches that. Try different words?", [])
        field_name, wording = culprit
        self.offered_relax = field_name
        reply = f"Nothing matches {wording} together with the rest of your request. Shall I drop “{wording}”?"
        return self._say(text, note + reply, [])

    def _request(self, constraints: Constraints | None = None) -> Request:
        return Request.from_constraints(
            self.request_text,
            constraints or self.constraints,
            exclude_ids=frozenset(self.rejected),
            user_id=self.user_id,
            liked_ids=self.liked,
            disliked_ids=self.disliked,
            anchor_ids=self.anchors,
            image_vector=self.photo,
            k=self.k,
        )

    def _culprit(self, recommender: Recommends) -> tuple[str, str] | None:
        """The constraint that, dropped alone, brings results back; the most recently set one is tried first."""
        newest_first = sorted(self.constraints.describe(), key=lambda part: -self.set_at.get(part[0], -1))
        for field_name, wording in newest_first:
            if recommender.recommend(replace(self._request(self.constraints.without(field_name)), k=1)):
                return field_name, wording
        return None

    def _summary(self, count: int, lists_sizes: bool, invite: str) -> str:
        wanted = self.request_text or ("" if self.photo else "items like the ones you picked")
        if self.photo:
            wanted = f"your photo, {wanted}" if wanted else "your photo"
        described = self.constraints.describe()
        constraints = [wording for name, wording in described if lists_sizes or name != "sizes"]
        detail = f" ({', '.join(constraints)})" if constraints else ""
        picks = "one pick" if count == 1 else f"{count} picks"
        verb = "is" if count == 1 else "are"
        sizes = next((wording for name, wording in described if name == "sizes"), "")
        no_sizes = f" This catalogue lists no sizes, so “{sizes}” filters nothing." if sizes and not lists_sizes else ""
        return f"Here {verb} {picks} for “{wanted}”{detail}.{no_sizes} {invite}"

    def _say(self, text: str, reply: str, cards: list[Card], quick_replies: tuple[str, ...] = ()) -> Turn:
        if text:
            self.messages.append(HumanMessage(content=text))
        self.messages.append(AIMessage(content=reply, additional_kwargs={"cards": [c.item.id for c in cards]}))
        self.asked = bool(quick_replies)
        return Turn(reply, cards, quick_replies)


def _question(recommendations: list[Recommendation], facts: CatalogueFacts) -> Question | None:
    """The clarifying question over the top candidates; price bands are the catalogue's price terciles."""
    low, high = facts.price_quantile(1 / 3), facts.price_quantile(2 / 3)
    edges = (low, high) if low is not None and high is not None else None
    return best_question([r.item for r in recommendations[:CANDIDATES]], edges)


def _has_request(parsed: ParsedMessage) -> bool:
    """Words to search for (an emoji or punctuation alone is none), a card to follow, or a constraint."""
    words = any(c.isalnum() for c in parsed.semantic_text)
    return bool(words or parsed.card_refs_like or parsed.card_refs_exclude or parsed.relative_price) or (
        not parsed.constraints.is_empty()
    )


def _changes_topic(parsed: ParsedMessage, current: Constraints) -> bool:
    """An explicit "actually, show me ..." or a category other than the one being refined."""
    named = parsed.constraints.categories
    return parsed.new_topic or bool(named and current.categories and not named & current.categories)


def _without_dropped_words(parts: list[str], before: Constraints, after: Constraints) -> list[str]:
    """Earlier request words naming a colour or material that is no longer wanted ("blue" once the shopper
    said "in red instead") leave the request text, so the encoder and the reply follow the change."""
    dropped = {
        **{word: "colour" for word, value in COLOUR_OF_WORD.items() if value in before.colours - after.colours},
        **{word: "colour" for word, value in COLOUR_OF_WORD.items() if value in after.exclude_colours},
        **{word: "material" for word, value in MATERIAL_OF_WORD.items() if value in before.materials - after.materials},
        **{word: "material" for word, value in MATERIAL_OF_WORD.items() if value in after.exclude_materials},
    }
    if not dropped:
        return parts
    kept = [" ".join(word for word in part.split() if word.lower() not in dropped) for part in parts]
    return [part for part in kept if part]


def _cards(recommendations: list[Recommendation]) -> list[Card]:
    return [Card(n, r.item, r.why, r.score) for n, r in enumerate(recommendations, start=1)]
