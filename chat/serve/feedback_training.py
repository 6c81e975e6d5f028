"""`whisperlite train --from-feedback`: the app's model retrained from the chat's stored feedback, through the
quality gate (`chat.serve.models.train_through_gate`): served only if it beats zero-shot and the model in use."""

from __future__ import annotations

from chat.serve.models import GateDecision, ModelContext, encoder_info, train_through_gate
from ranker.checkpoint import load_checkpoint
from ranker.feedback_pairs import feedback_pairs
from ranker.model import Scorer
from store.catalogs import catalog_fingerprint
from store.feedback import FeedbackLog
from store.ratings import RatingStore

SOURCE = "the chat's feedback (likes, purchases and ratings of 4-5; dislikes, rejections and ratings of 1-2)"


def train_from_feedback(context: ModelContext, log: FeedbackLog, progress: bool = True) -> GateDecision:
    """Every stored feedback event and relevance-study rating (graded feedback, same file) as training rows
    (known negatives included), trained and gated."""
    pairs = feedback_pairs(log.events() + RatingStore(log.path).as_feedback())
    return train_through_gate(context, pairs.events, SOURCE, pairs.negatives, progress)


def gated_scorer(context: ModelContext, log: FeedbackLog) -> Scorer | None:
    """Background retraining's step: train from the feedback through the gate; the served model's scorer, or None
    when the gate kept the model in use."""
    decision = train_from_feedback(context, log, progress=False)
    if not decision.serve:
        return None
    model, _ = load_checkpoint(context.checkpoint, encoder_info(context.encoder), catalog_fingerprint(context.items))
    return Scorer(model)
