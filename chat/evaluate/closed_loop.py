"""The closed loop: shoppers with hidden tastes (`ranker.simulate.hidden_taste`) chat with the running app, like,
reject, dislike and buy cards by their tastes; after each round the model is retrained from the feedback the app
stored, and scored on held-out simulated requests (NDCG@10 over the whole catalogue) beside zero-shot, cold start;
and a second time as the app serves them to shoppers it has seen, each held-out shopper's likes of their earlier
requests being their history (`chat.evaluate.history_score`).

The conversations go through the app's own faces: a `chat.scripted.runner.Session`, in-process (the handlers the
JSON API calls, over a `Conversation` and the app's `Recommender`) or live over HTTP (`gradio_client`). Training
reads only what the app stored in its feedback log (`store.feedback`), never the simulator's hidden tastes.

Round 0 is the model the app serves before any feedback. After each round the app retrains exactly as it does
in use (`chat.serve.feedback_training.retrain_from_feedback`, what `whisperlite train --from-feedback` and the
background retrainer call): the model in use is fine-tuned on all feedback so far and the catalogue's own
requests, and served, by swapping the recommender's scorer, only if the quality gate lets it; otherwise the model
in use stays for the next round. Every number is simulated.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace

import numpy as np
import torch
from tqdm.auto import tqdm

from chat.evaluate.history_score import HeldOutTurn, history_score
from chat.scripted.runner import Session
from chat.serve.feedback_training import retrain_from_feedback, served_scores
from chat.serve.models import ModelContext
from ranker.data import TrainingSet
from ranker.evaluate.evaluator import RankingEvaluator
from ranker.model import WhisperLite
from ranker.simulate.hidden_taste import HiddenShopper, draw_clientele, draw_shoppers, hidden_request
from ranker.train import validation_scores
from store.item import Item


@dataclass(frozen=True)
class LoopConfig:
    """`shoppers` chat in every round, `requests` searches each; `held_out` requests of other shoppers of the
    same clientele score each round's model."""

    rounds: int = 3
    shoppers: int = 40
    requests: int = 4
    held_out: int = 400
    seed: int = 0
    epochs: int = 20


@dataclass(frozen=True)
class RoundResult:
    round: int
    events: int  # feedback events stored so far
    examples: int  # training requests built from them (0 in round 0)
    model: float  # held-out NDCG@10 of the model served after this round, alone
    served: float  # the same with the recommender's blend: standardised model score + text_weight x frozen similarity
    zero_shot: float  # the same requests ranked by the frozen encoder alone
    # the same requests through the app's recommender (top 10 of its candidates), each shopper's likes of the
    # cards of their earlier requests as history, and without history through the same path
    with_history: float
    recommended_cold: float
    seconds: float
    gate: str = ""  # the quality gate's decision on this round's retrained model ("" in round 0)


@dataclass
class LoopReport:
    config: LoopConfig
    clientele: dict
    rounds: list[RoundResult] = field(default_factory=list)
    notes: dict = field(default_factory=dict)
    histories: dict[int, dict[str, tuple[str, ...]]] = field(default_factory=dict)  # round -> held-out likes

    def as_dict(self) -> dict:
        return {"config": asdict(self.config), "clientele": self.clientele, "rounds": [asdict(r) for r in self.rounds]}


@dataclass(frozen=True)
class HeldOut:
    """Held-out requests: frozen request vectors (M, D), their target rows, and each as a shopper's turn."""

    requests: np.ndarray
    targets: np.ndarray
    turns: tuple[HeldOutTurn, ...]


def converse(session: Session, shopper: HiddenShopper, items: dict[str, Item], rng: random.Random, requests: int):
    """One shopper's conversation: for each request, "not that one" on the first card they would not wear, then
    likes, purchases and one dislike on the cards shown; then start over."""
    catalogue = list(items.values())
    for _ in range(requests):
        _, text = hidden_request(shopper, catalogue, rng)
        cards = session.say(text).get("cards") or []
        rejected = next((c for c in cards if shopper.react(items[c["id"]]) == "reject"), None)
        if rejected is not None:
            cards = session.say(f"not #{rejected['position']}").get("cards") or []
        disliked = False
        for card in cards:
            reaction = shopper.react(items[card["id"]])
            if reaction in ("like", "purchase") or (reaction == "dislike" and not disliked):
                session.feedback(card["position"], reaction)
                disliked = disliked or reaction == "dislike"
        session.start_over()


def held_out_requests(
    shoppers: Sequence[HiddenShopper], items: list[Item], count: int, encode: Callable, rng: random.Random
) -> HeldOut:
    index = {item.id: row for row, item in enumerate(items)}
    askers = [shoppers[n % len(shoppers)] for n in range(count)]  # each shopper's requests come in this order
    drawn = [hidden_request(shopper, items, rng) for shopper in askers]
    vectors = np.asarray(encode([text for _, text in drawn]), dtype=np.float32)
    turns = tuple(HeldOutTurn(shopper, text, target.id) for shopper, (target, text) in zip(askers, drawn))
    return HeldOut(vectors, np.array([index[target.id] for target, _ in drawn]), turns)


def score(
    model: WhisperLite | None,
    held_out: HeldOut,
    item_matrix: torch.Tensor,
    text_weight: float | None = None,
    taste: np.ndarray | None = None,
) -> float:
    """Held-out NDCG@10 over the whole catalogue, cold start, of `model` alone (None: zero-shot, the frozen
    similarity), or with a `text_weight` blended as the recommender blends (`served_scores`) and the shop's
    `taste` (N,) added, as the recommender adds it."""
    evaluator = RankingEvaluator()
    none = torch.zeros((len(held_out.targets), 0), dtype=torch.int64)
    data = TrainingSet(
        torch.from_numpy(held_out.requests), torch.from_numpy(held_out.targets), none, none.bool(), none, none.bool()
    )
    if model is None:
        scores = held_out.requests @ item_matrix.numpy().T
    elif text_weight is None:
        scores = validation_scores(model, data, item_matrix)
    else:
        scores = served_scores(model, data, item_matrix, text_weight) + (0 if taste is None else taste)
    return evaluator.evaluate_scores(scores, held_out.targets)[evaluator.primary_metric]


def in_process_sessions(app) -> Callable[[], Session]:
    """Fresh guest conversations through the handlers the JSON API calls (no rate limit: one simulated client
    sends every shopper's messages)."""
    from chat.scripted.runner import InProcessSession
    from chat.web.handlers import Handlers
    from chat.web.identity import GUEST
    from chat.web.rate_limit import RateLimiter, RateLimits

    unlimited = 10**9
    handlers = Handlers(app, RateLimiter(RateLimits(unlimited, unlimited, unlimited, unlimited)))
    return lambda: InProcessSession(handlers, GUEST)


def run_loop(app, open_session: Callable[[], Session], config: LoopConfig, progress: bool = True) -> LoopReport:
    """Rounds of conversations with `app` (through sessions from `open_session`), each followed by retraining
    from `app.feedback` through the gate and serving the new model if the gate lets it. `app` is a
    `chat.serve.build.App`."""
    rng = random.Random(config.seed)
    items = app.catalog.items
    by_id = {item.id: item for item in items}
    clientele = draw_clientele(items, rng)
    shoppers = draw_shoppers(clientele, items, config.shoppers, rng)
    held_out = held_out_requests(
        draw_shoppers(clientele, items, config.shoppers, rng, prefix="held-out"),
        items,
        config.held_out,
        app.encoder.encode_text,
        rng,
    )
    matrix = torch.as_tensor(app.items.vectors([item.id for item in items]), dtype=torch.float32)
    zero_shot = score(None, held_out, matrix)
    report = LoopReport(
        config, {"brands": sorted(clientele.brands), "avoided_materials": sorted(clientele.avoided_materials)}
    )
    weight = app.recommender.text_weight
    context = ModelContext(replace(app.settings, train_epochs=config.epochs), items, app.encoder, app.items)

    def result(number: int, events: int, examples: int, seconds: float, gate: str = "") -> RoundResult:
        model = app.scorer.model if app.scorer else None
        taste = app.recommender.shop_taste.lean(items)
        both = score(model, held_out, matrix), score(model, held_out, matrix, weight, taste)
        served = history_score(app.recommender, held_out.turns, by_id)
        report.histories[number] = served.histories
        history = served.with_history, served.without_history
        return RoundResult(number, events, examples, *both, zero_shot, *history, seconds, gate)

    report.rounds.append(result(0, len(app.feedback.events()), 0, 0))
    for number in range(1, config.rounds + 1):
        started = time.perf_counter()
        for shopper in tqdm(shoppers, desc=f"round {number}", disable=not progress, leave=False):
            converse(open_session(), shopper, by_id, rng, config.requests)
        retrained = retrain_from_feedback(context, app.feedback, progress=False)
        app.recommender.shop_taste = retrained.taste
        if retrained.scorer is not None:
            app.recommender.scorer = app.scorer = retrained.scorer  # one assignment: a turn sees the old or new one
        seconds = round(time.perf_counter() - started, 1)
        verdict = "served" if retrained.decision.serve else "kept aside"
        gate = f"{verdict}: {retrained.decision.reason}"
        report.rounds.append(result(number, len(app.feedback.events()), retrained.requests, seconds, gate))
        if progress:
            tqdm.write(f"round {number}: {report.rounds[-1]}")
    return report
