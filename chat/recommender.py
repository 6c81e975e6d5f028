"""One recommendation step: request text + filters + shopper -> ranked items with a reason each.

Retrieve, then rank: Chroma returns the `candidates` items nearest to the request's frozen vector that pass the
filters; WhisperLite scores those with the shopper's history (their stored purchases and likes, then this
session's likes). Without a trained model the frozen similarity ranks them (the zero-shot path).

A relative refinement ("like #2 but darker": `Request.relations`, each in force) restricts the candidates to items
of the reference's category that satisfy the relation (chat/relations.py) and moves the query to the reference: its
stored vector plus the request text's vector.

History is used with judgement. Items the shopper bought are hidden: a card spent on something they own helps no
one, and marking it "bought" would still spend the card. Only a request that asks for them (`Request.bought_only`:
"the same again", "what did I buy") shows them, and then only them. A history mostly for one gender or usage leans
the ranking to it where the request does not say (chat/history_lean.py); the lean's group also joins the candidates
(its items nearest to the request), since the items nearest to a neutral request ("something for the weekend") may
all be of another group. A history mostly in two colours lifts their items a little where the request names no
colour (`LeanSettings.colour_weight`, as a soft colour wish).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np

from chat.history_lean import (
    LeanSettings,
    age_group_in_force,
    history_colours,
    history_lean,
    lean_boost,
    lean_in_force,
    other_age_group,
    unseen_gender,
)
from chat.item_words import look, matched_words, names_any, names_the_item
from chat.relations import RelationFilter, relation_filter
from chat.request import Recommendation, RelationRequest, Request
from chat.understand.kinds import title_names_kind
from chat.window import alternate_categories, distinct_looks, kinds_take_turns, varied
from ranker.encoders import Encoder
from ranker.model import RankerConfig, Scorer
from ranker.shop_taste import ShopTaste
from store.facts import CatalogueFacts
from store.item import Item
from store.source import ItemSource, ScoredItem
from store.users import UserStore
from store.vocabulary import canonical_category, who_when

TEXT_WEIGHT = 1.0  # the frozen similarity's weight beside WhisperLite's score (see Recommender)


def _normalise(vector: np.ndarray) -> np.ndarray:
    return vector / max(float(np.linalg.norm(vector)), 1e-12)


def _comes_in(item: Item, sizes: frozenset[str]) -> bool:
    """Whether the item comes in one of the sizes; an item that lists no sizes is not excluded for it."""
    return not item.sizes or bool(sizes & set(item.sizes))


def _both(where: dict[str, Any] | None, clause: dict[str, Any]) -> dict[str, Any]:
    return clause if not where else {"$and": [where, clause]}


def _standardise(scores: np.ndarray) -> np.ndarray:
    return (scores - scores.mean()) / (scores.std() + 1e-6)


@dataclass(frozen=True)
class _Search:
    """What a request searches with: its vector, its `where` filter and the ids it must not show."""

    query: np.ndarray
    where: dict | None
    excluded: frozenset[str]
    worn_for: str  # the usage of the card an outfit is asked for ("what goes with card 1"), "" when none


@dataclass(frozen=True)
class _Candidates:
    query: np.ndarray  # the request's vector, steered by its anchors and relations' references
    history: dict[str, np.ndarray]  # the shopper's history items still in the catalogue -> vectors, oldest first
    lean: dict[str, str]  # the history's lean in force ("gender" -> "women")
    colours: frozenset[str]  # the colours most of the history is in, where the request names none
    history_genders: frozenset[str]  # the genders the history's items are for ("women", "unisex")
    hits: list[ScoredItem]  # the candidates that pass every filter
    excluded: frozenset[str]  # the ids the request leaves out: turned down, disliked, paged past, references
    worn_for: str  # the usage of the card an outfit is asked for ("what goes with card 1"), "" when none


class Recommender:
    """Retrieves candidates from the item store and ranks them for one shopper.

    The final score adds the standardised WhisperLite score and the standardised frozen text similarity,
    weighted by `text_weight`: the demo model is trained on simulated shoppers only, and the frozen similarity
    keeps literal matches ("a red dress" -> dresses) on top where the trained towers are unsure. Set
    `text_weight=0` for WhisperLite alone (the offline evaluation reports each on its own).

    A soft colour wish (`Request.prefer_colours`) lifts an item by `colour_preference_weight`; a colour to see less
    of (`avoid_colours`) ranks its items after every other match. An item that passed a colour or material filter
    only because its record lacks the value (`Request.known_first`) ranks after every known match, whatever its
    score: it may be the target, but a known match is surer. A history's gender lean also puts items of the other
    age group, and of a gender the history never shows, after its own (chat/history_lean.py says why).
    """

    # How strongly a session dislike pushes similar items down, in standard deviations of the ranker's scores
    # per unit of cosine similarity to the disliked item.
    dislike_weight = 1.5
    # A past item is named as the reason when its frozen cosine to the card reaches this.
    history_reason_threshold = 0.6
    # A soft colour wish ("with white buttons", "more white") lifts an item of that colour by this many standard
    # deviations: enough to reorder near-equals, too little to bury a much better match.
    colour_preference_weight = 0.5
    # When and how strongly a history mostly for one gender or usage leans the ranking (chat/history_lean.py).
    lean = LeanSettings()

    def __init__(
        self,
        encoder: Encoder,
        items: ItemSource,
        users: UserStore,
        scorer: Scorer | None,
        candidates: int = 200,
        history_max: int = RankerConfig.history_max,  # as many past items as the model reads
        text_weight: float = TEXT_WEIGHT,
        facts: CatalogueFacts | None = None,
        shop_taste: ShopTaste | None = None,
    ):
        """`facts`: what the catalogue holds (categories, prices, whether it lists sizes), which the conversation's
        replies state; the default knows nothing (no sizes listed, no categories counted). `shop_taste`: what the
        shop's shoppers like, learned from the chat's feedback (ranker/shop_taste.py), leaning the ranking of a
        shopper with no history; none leans nothing."""
        self.facts = facts or CatalogueFacts()
        self.shop_taste = shop_taste or ShopTaste()
        self.encoder = encoder
        self.items = items
        self.users = users
        self.scorer = scorer
        self.candidates = candidates
        self.history_max = history_max
        self.text_weight = text_weight
        self._encode = lru_cache(maxsize=256)(self._encode_uncached)

    def _encode_uncached(self, text: str) -> np.ndarray:
        vector = self.encoder.encode_text([text])[0]
        return vector

    def _query(self, request: Request) -> np.ndarray:
        """The request's vector: its words, and its photo where there is one (the sum of the two unit vectors,
        as an item's text and picture are combined at ingest; a photo without words is searched alone)."""
        if not request.image_vector:
            return self._encode(request.text or "fashion")
        photo = _normalise(np.asarray(request.image_vector, dtype=np.float32))
        return _normalise(photo + self._encode(request.text)) if request.text else photo

    def history_ids(self, user_id: str | None, liked_ids: Sequence[str] = ()) -> list[str]:
        """The shopper's stored history then this session's likes, oldest first, each item once."""
        stored = [i.item_id for i in self.users.history(user_id, limit=self.history_max)] if user_id else []
        ordered = list(dict.fromkeys([*stored, *liked_ids]))
        return ordered[-self.history_max :]

    def bought_ids(self, user_id: str | None) -> list[str]:
        """The items the shopper bought, oldest first, each once."""
        if user_id is None:
            return []
        return list(dict.fromkeys(i.item_id for i in self.users.history(user_id, kinds=("purchase",))))

    def history_lean(self, history_ids: Sequence[str]) -> dict[str, str]:
        """ "gender" and "usage" -> the value most of the history is for ("women", "casual"), where it leans."""
        return history_lean(self._history_said(history_ids), self.lean)

    def _history_said(self, history_ids: Sequence[str]) -> list[dict[str, str]]:
        """Who and what each history item is for."""
        return [who_when(item.extra) for item in self.items.get(list(history_ids))]

    def _lean(self, request: Request, said: Sequence[dict[str, str]]) -> dict[str, str]:
        """The lean of a history (`said`: its items' who/when values) the request leaves in force; none when it
        asks for the purchases themselves."""
        if request.bought_only:
            return {}
        return lean_in_force(history_lean(said, self.lean), request.genders_stated, request.usages_stated)

    def _bought_hits(self, query: np.ndarray, bought: list[str]) -> list[ScoredItem]:
        """The shopper's purchases as candidates, nearest to the request first."""
        vectors = self.items.vectors_by_id(bought)
        hits = [ScoredItem(item, float(vectors[item.id] @ query), vectors[item.id]) for item in self.items.get(bought)]
        return sorted(hits, key=lambda hit: -hit.score)

    def relation_filter(self, relation: RelationRequest) -> RelationFilter:
        """What `relation` asks of candidates, and whether it can apply: the caller words its reply from this
        ("darker than card 2", or "card 2 has no picture..., so I can't tell darker here")."""
        found = self.items.get([relation.reference_id])
        if not found:
            label = relation.label or "that item"
            reason = f"{label} is no longer in the catalogue"
            return RelationFilter(relation.relation, relation.reference_id, None, "", supported=False, reason=reason)
        return relation_filter(relation.relation, found[0], relation.label)

    def recommend(self, request: Request) -> list[Recommendation]:
        """The request's top items. Each relation's filter is AND-ed with the request's own; when one cannot
        apply (see `relation_filter`) the answer is what it can be: items of the reference's category, nearest to
        the reference and the words, which the caller presents as not being the relation."""
        found = self._candidates(request)
        query, known, lean, hits = found.query, found.history, found.lean, found.hits
        history_ids = list(known)  # oldest first
        if not hits:
            return []
        history = (
            np.stack([known[i] for i in history_ids]) if history_ids else np.zeros((0, self.items.dim), np.float32)
        )
        candidate_vectors = np.stack([hit.vector for hit in hits])
        scores = _standardise(np.array([hit.score for hit in hits], dtype=np.float32))
        if self.scorer is not None:
            keys = [hit.item.id for hit in hits]
            ranked = self.scorer.score(query, history, candidate_vectors, keys=keys, history_keys=history_ids)
            scores = _standardise(ranked) + self.text_weight * scores
        if not history_ids:  # a stranger: the shop's taste; a shopper's own likes speak for them and lean alike
            scores = scores + self.shop_taste.lean([hit.item for hit in hits])
        if request.disliked_ids:
            disliked = self.items.vectors(list(request.disliked_ids))
            if len(disliked):
                scores = scores - self.dislike_weight * (candidate_vectors @ disliked.T).max(axis=1)
        colours = [hit.item.colour for hit in hits]
        if request.prefer_colours:
            scores = scores + self.colour_preference_weight * np.isin(colours, list(request.prefer_colours))
        if found.colours:  # Leo's black and white, for a request that names no colour
            scores = scores + self.lean.colour_weight * np.isin(colours, list(found.colours))
        said = [who_when(hit.item.extra) for hit in hits]
        boost, leaned_to = lean_boost(lean, said, self.lean)
        scores = scores + boost
        # a girls' dress after every women's one, for a women's history or a guest who says nobody
        other_age = other_age_group(age_group_in_force(lean, request.genders_stated), said)
        # a women's dress after every men's card, for a history of men's items only
        other_gender = unseen_gender(lean, found.history_genders, said)
        # an item lacking a wanted attribute passed the filter as unknown: it ranks after every known match
        unknown = np.array([any(not getattr(hit.item, key) for key in request.known_first) for hit in hits])
        # "less yellow": the shopper has seen too much of it, so its items rank after every other match (a lean of
        # 0.5 SD left a top yellow dress at rank 1), and still show when too few others match: never a filter
        avoided = np.isin(colours, list(request.avoid_colours))
        # "a shirt": a shirt before any t-shirt the encoder finds as near (the category "top" holds both); on the
        # Kaggle photos, 172 requests such as "a cotton shirt for men" went from 0.730 to 0.759 of their top 8 of
        # the kind asked for (the catalogue's article type), none lost (bench/results/kinds.md)
        # only items of a kind's own category: "a dress and a shirt" ranked every dress after the shirts
        # (a kind the vocabulary places in no category applies to every item, as before)
        kind_categories = {canonical_category(kind) for kind in request.kinds}
        unnamed = np.array(
            [
                ("" in kind_categories or hit.item.category in kind_categories)
                and not title_names_kind(hit.item.title, request.kinds)
                for hit in hits
            ],
            dtype=bool,
        )
        # most significant first; the score orders within a tier
        tier_keys = (unknown, unnamed, avoided, other_age, other_gender)
        order = np.lexsort((-scores, *reversed(tier_keys)))
        tiers = list(zip(*(key.tolist() for key in tier_keys), strict=True))
        categories = [hit.item.category for hit in hits]
        order = alternate_categories(order, categories, request.categories, tiers)
        # the kinds vary within what the history is worn for first: on the Kaggle photos Grace's (women's ethnic)
        # "something for the weekend" showed three kurtas, then watches, a wallet and flip flops
        off_usage = [request.browsing and bool(lean.get("usage")) and s["usage"] != lean["usage"] for s in said]
        # an outfit shares its occasion: beside a green kurta (ethnic) the green flip flops and sunglasses the
        # vectors found nearest came before any churidar or dupatta on the Kaggle photos
        worn_for = found.worn_for
        off_usage = [off or bool(worn_for and s["usage"] and s["usage"] != worn_for) for off, s in zip(off_usage, said)]
        kinds = [hit.item.category or canonical_category(hit.item.title) for hit in hits]  # "Free Gifts": a watch
        # what no category names (briefs, deodorant, a cushion cover) only after the garments, shoes and
        # accessories, when browsing and its title shares no word with the request ("black briefs" asks for it):
        # Leo's "an everyday look" on the Kaggle photos showed boxers and briefs. The record's category decides,
        # not the title's kind: "Green Boxer Shorts" and "Innerwear Vest Tee" name a garment but are underwear; the
        # Kaggle "Free Gifts" (a watch, sunglasses given with an order) rank after the assortment too
        varies = request.browsing or request.completes_look
        unkinded = [
            varies and not hit.item.category and not names_the_item(request.text, hit.item.title) for hit in hits
        ]
        tiers = [(*tier, *extra) for tier, *extra in zip(tiers, unkinded, off_usage, strict=True)]
        seen = map(look, self.items.get(sorted(found.excluded)))  # read here, not in `count`, which needs none
        order = distinct_looks(order, [look(hit.item) for hit in hits], tiers, frozenset(seen))
        if varies:
            order = varied(order, kinds, request.k, tiers)
            order = kinds_take_turns(order, kinds, request.k, tiers)
        order = order[: request.k]
        if not boost[order].any():  # Leo's "a summer dress": no men's sports card to say were put first
            leaned_to = ""
        return [
            replace(
                self._explain(hits[i].item, float(scores[i]), hits[i].vector, request, history_ids, history),
                leaned_to=leaned_to,
                bought=request.bought_only,
            )
            for i in order
        ]

    def count(self, request: Request) -> int:
        """How many cards `recommend(request)` would show, found as it finds its candidates but without ranking
        and explaining them, which is most of a search's cost: the conversation asks it of each constraint it
        could offer to drop, up to four more searches in a turn that shows few cards."""
        return min(request.k, len(self._candidates(request).hits))

    def _candidates(self, request: Request) -> _Candidates:
        """What `recommend` ranks and `count` counts: the request's vector, the shopper's history still in the
        catalogue (oldest first), its lean in force, and the candidates that pass every filter."""
        search = self._search(request)
        wanted = self.history_ids(None if request.for_someone_else else request.user_id, request.liked_ids)
        known = self.items.vectors_by_id(wanted)
        history = {item_id: known[item_id] for item_id in wanted if item_id in known}  # gone items drop out
        past = self.items.get(list(history))
        said = [who_when(item.extra) for item in past]
        lean = self._lean(request, said)
        stated = request.colours_stated or request.bought_only
        colours = frozenset() if stated else history_colours([item.colour for item in past], self.lean)
        worn_for = search.worn_for
        # the group joins the candidates: the lean's, or the outfit's occasion, which its card says best
        group = {**lean, **({"usage": worn_for} if worn_for else {})}
        hits = self._hits(request, search, self.bought_ids(request.user_id), group)
        genders = frozenset(s["gender"] for s in said)
        return _Candidates(search.query, history, lean, colours, genders, hits, search.excluded, worn_for)

    def _search(self, request: Request) -> _Search:
        """The request's vector and filters, with its relations' filters AND-ed in and their reference cards
        steering the vector and left out of the answer; an outfit's card ("what goes with card 1") also says
        what the outfit is worn for (the last one asked, when several are)."""
        query = self._query(request)
        where = request.where
        excluded = set(request.exclude_ids) | set(request.disliked_ids)
        anchor_ids = list(request.anchor_ids)
        worn_for = ""
        for relation in request.relations:
            applied = self.relation_filter(relation)
            references = self.items.get([relation.reference_id])
            if relation.relation == "goes_with" and references:
                worn_for = who_when(references[0].extra)["usage"]
            if applied.where is not None:
                where = _both(where, applied.where)
            elif references and references[0].category:
                where = _both(where, {"category": references[0].category})
            anchor_ids.append(relation.reference_id)
            excluded.add(relation.reference_id)
        if anchor_ids:
            anchors = self.items.vectors(anchor_ids)
            if len(anchors):
                query = _normalise(query + anchors.mean(axis=0))
        return _Search(query, where, frozenset(excluded), worn_for)

    def _hits(self, request: Request, search: _Search, bought: list[str], group: dict[str, str]) -> list[ScoredItem]:
        """The candidates that pass every filter: the purchases alone when the request asks for them, else the
        nearest matches that were not bought, with the nearest of `group` ("usage" -> "ethnic") among them."""
        query, where = search.query, search.where
        if request.bought_only:
            hits = [hit for hit in self._bought_hits(query, bought) if hit.item.id not in search.excluded]
        else:
            excluded = sorted(search.excluded | set(bought))
            hits = self.items.query(query, k=self.candidates, where=where, exclude_ids=excluded)
            if group:  # the nearest items may all be of another group
                clauses = [{key: value} for key, value in sorted(group.items())]
                group = clauses[0] if len(clauses) == 1 else {"$and": clauses}
                seen = {hit.item.id for hit in hits}
                more = self.items.query(query, k=self.candidates // 2, where=_both(where, group), exclude_ids=excluded)
                hits += [hit for hit in more if hit.item.id not in seen]
        if request.exclude_terms:
            hits = [hit for hit in hits if not names_any(hit.item, request.exclude_terms)]
        if request.sizes:
            hits = [hit for hit in hits if _comes_in(hit.item, request.sizes)]
        return hits

    def _explain(
        self,
        item: Item,
        score: float,
        vector: np.ndarray,
        request: Request,
        history_ids: list[str],
        history: np.ndarray,
    ) -> Recommendation:
        matched = matched_words(request.text, item.text())
        like_history = ""
        if len(history):
            similarity = history @ vector
            best = int(np.argmax(similarity))
            if similarity[best] >= self.history_reason_threshold and history_ids[best] != item.id:
                past = self.items.get([history_ids[best]])
                like_history = past[0].title if past else ""
        return Recommendation(item=item, score=score, matched_words=matched, like_history=like_history)
