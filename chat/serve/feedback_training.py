"""`whisperlite train --from-feedback`: the app's model retrained from the chat's stored feedback, through the
quality gate (`chat.serve.models.train_through_gate`): served only if it beats zero-shot and the model in use."""

from __future__ import annotations

from chat.serve.models import GateDecision, ModelContext, train_through_gate
from ranker.feedback_pairs import feedback_pairs
from store.feedback import FeedbackLog

SOURCE = "the chat's feedback (likes, purchases and ratings of 4-5; dislikes, rejections and ratings of 1-2)"


def train_from_feedback(context: ModelContext, log: FeedbackLog, progress: bool = True) -> GateDecision:
    """Every stored feedback event as training rows (known negatives included), trained and gated."""
    pairs = feedback_pairs(log.events())
    return train_through_gate(context, pairs.events, SOURCE, pairs.negatives, progress)
