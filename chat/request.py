"""What a turn asks the recommender and what it answers: `Request` (built from a conversation's `Constraints` by
`Request.from_constraints`), `RelationRequest` ("darker than #2"), and `Recommendation`, an item with the reason
it was chosen; `item_summary` is a recommended item as JSON-ready data. Data only: `chat.recommender` answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from chat.understand.constraints import UNKNOWN_ADMITTED, Constraints
from chat.understand.schema import FILTERED
from chat.understand.who_when import buys_for_someone_else
from store.item import Item
from store.vocabulary import who_when

TOP_K = 8  # cards per answer: the one default of requests, conversations, the retriever and WHISPERLITE_TOP_K


@dataclass(frozen=True)
class RelationRequest:
    """A relative refinement: candidates must stand in `relation` (a name of chat.relations.RELATIONS) to the
    item `reference_id`; `label` names the reference in the reply ("card 2")."""

    relation: str
    reference_id: str
    label: str = ""


@dataclass(frozen=True)
class Request:
    """What a turn asks for. `anchor_ids` are cards the shopper wants more of ("more like the second one").

    Built from a conversation's `Constraints` only by `Request.from_constraints`, so every filter a shopper
    said (the `where`, sizes, refused kinds, hidden cards) reaches the recommender whichever face asks.
    """

    text: str
    where: dict[str, Any] | None = None
    exclude_ids: frozenset[str] = frozenset()
    user_id: str | None = None
    liked_ids: tuple[str, ...] = ()
    disliked_ids: tuple[str, ...] = ()
    anchor_ids: tuple[str, ...] = ()
    exclude_terms: frozenset[str] = frozenset()  # items whose text names one of these are dropped
    kinds: frozenset[str] = frozenset()  # the kinds named ("shirt"): items whose title names one rank first
    categories: frozenset[str] = frozenset()  # the categories named: two or more ("a dress and a shirt") alternate
    sizes: frozenset[str] = frozenset()  # items listing sizes must come in one of these
    relations: tuple[RelationRequest, ...] = ()  # relative refinements in force, each AND-ed
    prefer_colours: frozenset[str] = frozenset()  # soft: items of these colours get a small boost
    avoid_colours: frozenset[str] = frozenset()  # soft: items of these colours get a small penalty
    known_first: frozenset[str] = frozenset()  # wanted metadata keys: items lacking the value rank after the rest
    image_vector: tuple[float, ...] = ()  # a shopper's photo, from the image encoder: searched with the words
    genders_stated: bool = False  # the shopper said who it is for: the history's gender lean does not apply
    usages_stated: bool = False  # the shopper said what it is worn for: the history's usage lean does not apply
    colours_stated: bool = False  # the shopper named a colour (wanted or not): the history's colours do not apply
    bought_only: bool = False  # "the same again": the shopper's purchases only, otherwise hidden
    # "a gift for my dad": the shopper's stored history is someone else's taste and steers nothing (this
    # conversation's likes still do); their purchases stay hidden
    for_someone_else: bool = False
    # the shopper's words name no kind of item, no card and no photo ("something for the weekend"): the window
    # shows several kinds (chat/window.py::varied); set from the parsed words, so a request built from bare text
    # (the offline evaluations) is ranked as scored
    browsing: bool = False
    k: int = TOP_K

    @classmethod
    def from_constraints(
        cls,
        text: str,
        constraints: Constraints,
        *,
        exclude_ids: frozenset[str] = frozenset(),
        user_id: str | None = None,
        liked_ids: Sequence[str] = (),
        disliked_ids: Sequence[str] = (),
        anchor_ids: Sequence[str] = (),
        relations: Sequence[RelationRequest] = (),
        image_vector: Sequence[float] = (),
        bought_only: bool = False,
        k: int = TOP_K,
    ) -> Request:
        return cls(
            text=text,
            where=constraints.to_where(),
            exclude_ids=frozenset(exclude_ids) | constraints.exclude_ids,
            user_id=user_id,
            liked_ids=tuple(liked_ids),
            disliked_ids=tuple(disliked_ids),
            anchor_ids=tuple(anchor_ids),
            exclude_terms=constraints.exclude_terms,
            kinds=constraints.kinds,
            categories=constraints.categories,
            sizes=constraints.sizes,
            relations=tuple(relations),
            prefer_colours=constraints.prefer_colours,
            avoid_colours=constraints.avoid_colours,
            known_first=frozenset(
                key for positive, _, key, *_ in FILTERED if key in UNKNOWN_ADMITTED and getattr(constraints, positive)
            ),
            image_vector=tuple(image_vector),
            genders_stated=bool(constraints.genders),
            usages_stated=bool(constraints.usages),
            colours_stated=bool(
                constraints.colours
                | constraints.exclude_colours
                | constraints.prefer_colours
                | constraints.avoid_colours
            ),
            bought_only=bought_only,
            for_someone_else=buys_for_someone_else(text),
            browsing=not (constraints.categories or constraints.kinds or anchor_ids or relations or image_vector)
            and not bought_only,
            k=k,
        )

    @property
    def completes_look(self) -> bool:
        """ "What goes with card 1": other kinds of item for one outfit, which the window varies as it does a
        neutral request's."""
        return any(relation.relation == "goes_with" for relation in self.relations)


@dataclass(frozen=True)
class Recommendation:
    item: Item
    score: float
    matched_words: tuple[str, ...] = ()  # words of the request found in the item's attributes
    like_history: str = ""  # title of the shopper's past item this one is closest to, when close
    leaned_to: str = ""  # whom and what the history leaned the ranking to ("women's casual"), "" when nothing
    bought: bool = False  # the shopper bought it (shown only when asked for)

    @property
    def why(self) -> str:
        parts = ["you bought this before"] if self.bought else []
        if self.matched_words:
            parts.append("matches " + ", ".join(self.matched_words))
        if self.like_history:
            parts.append(f"close to your {self.like_history}")
        return "; ".join(parts) or "closest to your request"


def item_summary(item: Item, why: str, score: float) -> dict[str, Any]:
    """What a client needs of a recommended item, as JSON-ready data (the API's cards, the retriever's metadata)."""
    return {
        "id": item.id,
        "title": item.title,
        "brand": item.brand,
        "category": item.category,
        "colour": item.colour,
        "material": item.material,
        "price": item.price,
        "sizes": list(item.sizes),
        **who_when(item.extra),  # gender, usage, season: canonical, "" when the catalogue does not say
        "image": item.image,
        "lightness": item.measures.lightness if item.measures else None,  # median L* (store/measure.py)
        "why": why,
        "score": round(score, 4),
    }
