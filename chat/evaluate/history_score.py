"""The closed loop's second held-out score: each held-out shopper's earlier requests' likes are their history.

The loop's first score is cold start (held-out shoppers have no past), which caps what learning the clientele's
taste can gain (bench/results/loop-ceiling.md). In the product a shopper is not a stranger for long: the likes
of a conversation, and a signed-in shopper's stored likes, reach the ranker as history on the next turns. This
score measures that. Each held-out shopper asks their requests in order through the app's `Recommender` (the
code the app serves with), their likes of the cards shown so far passed as `Request.liked_ids`; after each
answer they react to the cards as the training shoppers do (`HiddenShopper.react`), and the cards they like or
would buy join their history for their next request. Their first request is cold start.

The ranking is scored as served, top 10 of the recommender's candidates (NDCG@10 through the same evaluator as
the cold-start score); the same requests without history through the same path are scored beside it, so that
the difference is the history's alone, not the path's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from chat.recommender import Recommender
from chat.request import TOP_K, Request
from ranker.evaluate.evaluator import RankingEvaluator
from ranker.simulate.hidden_taste import HiddenShopper
from store.item import Item

CUTOFF = 10  # NDCG@10: the recommender is asked for this many, the shopper sees the first TOP_K as cards


@dataclass(frozen=True)
class HeldOutTurn:
    """One held-out request: who asks it, its words, and the item drawn as its target."""

    shopper: HiddenShopper
    text: str
    target: str  # item id


@dataclass(frozen=True)
class HistoryScore:
    with_history: float  # NDCG@10, each request ranked with the shopper's earlier likes as history
    without_history: float  # NDCG@10 of the same requests through the same path, no history
    histories: dict[str, tuple[str, ...]]  # shopper name -> the items they liked or would buy, in order


def history_score(recommender: Recommender, turns: Sequence[HeldOutTurn], items: dict[str, Item]) -> HistoryScore:
    """Ask `turns` in order through `recommender`, with and without each shopper's likes so far as history."""
    histories: dict[str, list[str]] = {turn.shopper.name: [] for turn in turns}
    targets = {str(n): turn.target for n, turn in enumerate(turns)}
    with_history, without_history = {}, {}
    for n, turn in enumerate(turns):
        liked = histories[turn.shopper.name]
        shown = recommender.recommend(Request(turn.text, liked_ids=tuple(liked), k=CUTOFF))
        with_history[str(n)] = _run(shown)
        without_history[str(n)] = _run(recommender.recommend(Request(turn.text, k=CUTOFF)))
        for card in shown[:TOP_K]:
            if turn.shopper.react(items[card.item.id]) in ("like", "purchase") and card.item.id not in liked:
                liked.append(card.item.id)
    evaluator = RankingEvaluator()
    return HistoryScore(
        evaluator.evaluate_run(targets, with_history)[evaluator.primary_metric],
        evaluator.evaluate_run(targets, without_history)[evaluator.primary_metric],
        {name: tuple(ids) for name, ids in histories.items()},
    )


def _run(shown) -> dict[str, float]:
    """The recommender's answer as a ranx-style run: the first card scores highest."""
    return {card.item.id: float(len(shown) - rank) for rank, card in enumerate(shown)}
