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
"""

from __future__ import annotations

from dataclasses import dataclass

from chat.serve.models import GateDecision, ModelContext, encoder_info, model_configs, train_examples_through_gate
from ranker.catalogue_pairs import catalogue_pairs
from ranker.checkpoint import load_checkpoint
from ranker.demo import demo_preset
from ranker.feedback_pairs import feedback_examples
from ranker.model import Scorer
from store.catalogs import catalog_fingerprint
from store.feedback import FeedbackLog
from store.ratings import RatingStore

SOURCE = (
    "the chat's feedback (likes, purchases and ratings of 4-5; dislikes, rejections and ratings of 1-2) and the "
    "catalogue's own requests"
)


@dataclass(frozen=True)
class Retrained:
    decision: GateDecision
    scorer: Scorer | None  # the newly served model's scorer; None when the gate kept the model in use
    requests: int  # feedback requests (positives with their request) the training set was built from


def retrain_from_feedback(context: ModelContext, log: FeedbackLog, progress: bool = True) -> Retrained:
    """Fine-tune the model in use on the stored feedback and the catalogue's requests, and gate the result."""
    dim, epochs = context.encoder.dim, context.settings.train_epochs
    events = log.events() + RatingStore(log.url).as_feedback()
    examples = feedback_examples(events, model_configs(dim, epochs)[0].history_max)
    replayed = catalogue_pairs(context.items, demo_preset(dim, epochs).pairs).train
    weight = context.settings.feedback_weight
    decision = train_examples_through_gate(context, examples, SOURCE, progress, replayed, fine_tune=True, weight=weight)
    if not decision.serve:
        return Retrained(decision, None, len(examples))
    model, _ = load_checkpoint(context.checkpoint, encoder_info(context.encoder), catalog_fingerprint(context.items))
    return Retrained(decision, Scorer(model), len(examples))


def gated_scorer(context: ModelContext, log: FeedbackLog) -> Scorer | None:
    """Background retraining's step: the served model's scorer, or None when the gate kept the model in use."""
    return retrain_from_feedback(context, log, progress=False).scorer
