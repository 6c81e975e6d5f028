"""Retraining from the chat's stored feedback, through the quality gate: `whisperlite train --from-feedback`, the
background retrainer (`WHISPERLITE_RETRAIN_EVERY`) and the closed loop (`chat.evaluate.closed_loop`) all call
`retrain_from_feedback`, so the app trains exactly as the loop measures.

The training rows are every stored feedback event and relevance-study rating (`ranker.feedback_pairs`: likes,
purchases and high ratings as targets, dislikes, rejections and low ratings of the same request as known
negatives), each repeated `AppSettings.feedback_weight` times, together with the catalogue's own requests
(`ranker.catalogue_pairs`, the day-one model's data: a few hundred feedback requests alone erase the frozen
encoder's literal matching, docs/results.md). The model in use is fine-tuned on them rather than replaced by one
trained from scratch. The gate reads the latest feedback requests of each shopper, which neither training nor
early stopping saw.

The same feedback teaches the shop's taste (`ranker.shop_taste`: a lean per brand, material and colour), refit
on every retraining whatever the gate decides; its weight is chosen on the gate's requests, ranked as the
recommender ranks them with the model served after the gate, by a taste counted without those requests.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import torch

from chat.serve.models import (
    GateDecision,
    ModelContext,
    encoder_info,
    model_configs,
    model_in_use,
    served_model,
    train_examples_through_gate,
)
from ranker.catalogue_pairs import PairConfig, catalogue_pairs
from ranker.checkpoint import load_checkpoint
from ranker.data import Example, TrainingSet
from ranker.demo import demo_preset
from ranker.evaluate.evaluator import RankingEvaluator
from ranker.evaluate.protocols import per_user_time_split
from ranker.feedback_pairs import feedback_examples, shopper_key, verdict
from ranker.gate import noise_margin
from ranker.model import Scorer, WhisperLite
from ranker.shop_taste import ShopTaste, choose_weight, fit_shop_taste
from ranker.train import validation_scores
from store.catalogs import catalog_fingerprint
from store.feedback import FeedbackEvent, FeedbackLog
from store.ratings import RatingStore

if TYPE_CHECKING:
    from chat.recommender import Recommender

log = logging.getLogger(__name__)

SOURCE = (
    "the chat's feedback (likes, purchases and ratings of 4-5; dislikes, rejections and ratings of 1-2) and the "
    "catalogue's own requests"
)


@dataclass(frozen=True)
class Retrained:
    decision: GateDecision
    scorer: Scorer | None  # the newly served model's scorer; None when the gate kept the model in use
    requests: int  # feedback requests (positives with their request) the training set was built from
    taste: ShopTaste  # the shop's taste learned from the same feedback, its weight chosen on the gate's requests


def retrain_from_feedback(context: ModelContext, log: FeedbackLog, progress: bool = True) -> Retrained:
    """Fine-tune the model in use on the stored feedback and the catalogue's requests, and gate the result."""
    dim, epochs = context.encoder.dim, context.settings.train_epochs
    events = log.events() + RatingStore(log.url).as_feedback()
    examples = feedback_examples(events, model_configs(dim, epochs)[0].history_max)
    replayed = catalogue_pairs(context.items, _pairs(context)).train
    weight = context.settings.feedback_weight
    decision = train_examples_through_gate(context, examples, SOURCE, progress, replayed, fine_tune=True, weight=weight)
    served = served_model(context, model_in_use(context.settings, context.items, context.encoder))
    taste = learn_taste(context, events, examples, served)
    taste.save(context.taste_path)
    if not decision.serve:
        return Retrained(decision, None, len(examples), taste)
    model, _ = load_checkpoint(context.checkpoint, encoder_info(context.encoder), catalog_fingerprint(context.items))
    return Retrained(decision, Scorer(model), len(examples), taste)


def _pairs(context: ModelContext) -> PairConfig:
    return demo_preset(context.encoder.dim, context.settings.train_epochs).pairs


def learn_taste(
    context: ModelContext, events: list[FeedbackEvent], examples: list[Example], model: WhisperLite | None
) -> ShopTaste:
    """The shop's taste from every reaction. Its weight is chosen on the gate's requests (each shopper's latest),
    without their histories as the taste leans only a shopper with none (chat/recommender.py), ranked as the
    recommender would rank them with `model` (None: zero-shot) plus a taste counted without them,
    among the weights that find the catalogue's own held-out requests (`ranker.catalogue_pairs`: an item of any
    brand described in words) as well as no lean does, within the gate's noise."""
    gate = per_user_time_split(examples)[2]
    held = {(example.user, example.request_text) for example in gate}
    judged = [(e, v) for e in events if e.item_id and (v := verdict(e)) is not None]
    reactions = [(e.item_id, v) for e, v in judged]
    unseen = [(e.item_id, v) for e, v in judged if (shopper_key(e), e.request) not in held]
    matrix, text_weight, evaluator = context.item_matrix(), context.settings.text_weight, RankingEvaluator()
    gate_set = context.training_set([replace(example, history=()) for example in gate])  # it leans strangers only
    gate_ranked = served_scores(model, gate_set, matrix, text_weight)
    described = context.training_set(catalogue_pairs(context.items, _pairs(context)).validation)
    described_ranked = served_scores(model, described, matrix, text_weight)

    def per_request(data: TrainingSet, ranked: np.ndarray, taste: ShopTaste) -> np.ndarray:
        return evaluator.per_query_primary(ranked + taste.lean(context.items), data.targets.numpy())

    unleaned = per_request(described, described_ranked, ShopTaste())

    def keeps(taste: ShopTaste) -> bool:  # the described items found as well as without it, within the noise
        leaned = per_request(described, described_ranked, taste)
        return unleaned.mean() - leaned.mean() <= noise_margin(leaned, unleaned)

    def score(taste: ShopTaste) -> float:
        return float(per_request(gate_set, gate_ranked, taste).mean())

    chosen, scores = choose_weight(fit_shop_taste(unseen, context.items), score, keeps)
    log.info("shop taste: weight %s chosen on %d gate requests (%s)", chosen.weight, len(gate), scores)
    return replace(fit_shop_taste(reactions, context.items), weight=chosen.weight)


def served_scores(model: WhisperLite | None, data: TrainingSet, matrix: torch.Tensor, text_weight: float) -> np.ndarray:
    """(M, N) the recommender's blend over the whole catalogue: each row's standardised model score plus
    `text_weight` times its standardised frozen similarity (the frozen similarity alone without a model); a
    request's own history items -inf, as `validation_scores` ranks them."""
    frozen = standardised(data.requests.numpy() @ matrix.numpy().T)
    if model is None:
        return frozen
    return standardised(validation_scores(model, data, matrix)) + text_weight * frozen


def standardised(scores: np.ndarray) -> np.ndarray:
    """Each row to mean 0 and SD 1 over its finite scores; -inf stays."""
    finite = np.isfinite(scores)
    kept = np.where(finite, scores, np.nan)
    mean, std = np.nanmean(kept, axis=1, keepdims=True), np.nanstd(kept, axis=1, keepdims=True)
    return np.where(finite, (scores - mean) / (std + 1e-6), -np.inf).astype(np.float32)


def gated_scorer(context: ModelContext, log: FeedbackLog, recommender: Recommender) -> Scorer | None:
    """Background retraining's step: the shop's taste goes to `recommender` at once; returns the served model's
    scorer, or None when the gate kept the model in use."""
    retrained = retrain_from_feedback(context, log, progress=False)
    recommender.shop_taste = retrained.taste
    return retrained.scorer
