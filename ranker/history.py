"""History summaries other than the request-conditioned attention (`ranker.model.HistoryFusion`), fused the same
way: request + gate · out(summary), skipped for rows without history so that cold start stays the paper-faithful
request vector bit for bit.

- "recency_mean": a mean of the history's item-tower vectors weighted 0.5 ** (age / `recency_half_life`)
  (no parameters in the summary: the shopper's recent taste, whatever the request).
- "last_k": the plain mean of the `history_last_k` most recent items.
- "gru": a GRU over the items, oldest first, skipping padding; its last state is the summary.
- "score_mix": the recency-weighted mean, added as `mix` · summary with `mix` one learnable scalar that
  starts at 0 (no gate, no projection). Since the score is a dot product, that adds `mix` · (the item's
  similarity to the history's mean) to the score: the model starts exactly at the paper-faithful one, like
  the residual towers, and history only enters as far as training on it lowers the loss. The other summaries
  start with a randomly initialised `out` projection, i.e. with noise added to every request vector.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Literal

import torch
from torch import nn

if TYPE_CHECKING:
    from ranker.model import RankerConfig

HistorySummary = Literal["attention", "recency_mean", "last_k", "gru", "score_mix"]


def history_ages(mask: torch.Tensor) -> torch.Tensor:
    """(B, H) bool, oldest first -> (B, H) float: how many valid items come after each one (latest = 0)."""
    valid = mask.to(torch.float32)
    return valid.flip(-1).cumsum(-1).flip(-1) - valid


def weighted_mean(history: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
    """history (B, H, E), weights (B, H) >= 0 -> (B, E); rows whose weights are all 0 give 0."""
    total = weights.sum(-1, keepdim=True).clamp(min=1e-12)
    return ((weights / total).unsqueeze(-1) * history).sum(1)


def recency_decay(half_life: float | None) -> float:
    """The per-position log decay of a recency weight 0.5 ** (age / half_life); 0 (no decay) for None."""
    return 0.0 if half_life is None else math.log(2.0) / half_life


def recency_mean(history: torch.Tensor, mask: torch.Tensor, decay: float) -> torch.Tensor:
    """history (B, H, E) oldest first, mask (B, H) -> (B, E): the valid items' mean weighted exp(-decay · age)."""
    return weighted_mean(history, mask.to(history.dtype) * torch.exp(-decay * history_ages(mask)))


class SummaryFusion(nn.Module):
    """A parameter-free or GRU summary of the history, fused into the request vector through a gate."""

    def __init__(self, config: RankerConfig):
        super().__init__()
        dim = config.output_dim
        self.kind = config.history_summary
        self.last_k = config.history_last_k
        self.decay = recency_decay(config.recency_half_life)
        self.gru = nn.GRUCell(dim, dim) if self.kind == "gru" else None
        if self.kind == "score_mix":
            self.mix = nn.Parameter(torch.zeros(()))
        else:
            self.out = nn.Linear(dim, dim)
            self.gate = nn.Linear(2 * dim, dim)

    def summary(self, history: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """history (B, H, E) oldest first, mask (B, H) -> (B, E)."""
        ages = history_ages(mask)
        valid = mask.to(history.dtype)
        if self.kind in ("recency_mean", "score_mix"):
            return recency_mean(history, mask, self.decay)
        if self.kind == "last_k":
            return weighted_mean(history, valid * (ages < self.last_k).to(history.dtype))
        state = history.new_zeros(history.shape[0], history.shape[-1])
        for position in range(history.shape[1]):  # H <= history_max (20 in the evaluation): a short loop
            step = self.gru(history[:, position], state)
            state = torch.where(mask[:, position : position + 1], step, state)
        return state

    def forward(self, request: torch.Tensor, history: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """request (B, E), history (B, H, E) item-tower vectors, mask (B, H) -> (B, E)."""
        summary = self.summary(history, mask)
        if self.kind == "score_mix":
            fused = request + self.mix * summary
        else:
            gate = torch.sigmoid(self.gate(torch.cat([request, summary], -1)))
            fused = request + gate * self.out(summary)
        return torch.where(mask.any(-1, keepdim=True), fused, request)  # empty history: the paper's vector
