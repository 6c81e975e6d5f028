"""The quality gate: a newly trained model is served only if it beats zero-shot AND the model in use.

All three scores are validation NDCG@10 on one validation set (the per-user time split of the training events),
so they are comparable. "Beats" is strictly greater: a tie keeps what is there, since a new model that is no
better is not worth the change (and a model tying zero-shot adds nothing over the frozen encoder).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GateDecision:
    serve: bool  # True: the candidate becomes the app's model
    reason: str  # one line a person reads
    candidate: float  # validation NDCG@10 of the new model (time split)
    zero_shot: float  # the same validation set scored by the frozen encoder alone
    current: float | None  # the model in use on the same validation set; None when the app serves none


def decide(candidate: float, zero_shot: float, current: float | None) -> GateDecision:
    """Serve the candidate only when its score is above both zero-shot's and the current model's."""
    beats_zero_shot = candidate > zero_shot
    beats_current = current is None or candidate > current
    serve = beats_zero_shot and beats_current
    in_use = "" if current is None else f" and the model in use {current:.3f}"
    if serve:
        reason = f"validation NDCG@10 {candidate:.3f} beats zero-shot {zero_shot:.3f}{in_use}"
    elif not beats_zero_shot:
        reason = f"validation NDCG@10 {candidate:.3f} does not beat zero-shot {zero_shot:.3f}"
    else:
        reason = f"validation NDCG@10 {candidate:.3f} does not beat the model in use {current:.3f}"
    return GateDecision(serve, reason, candidate, zero_shot, current)
