"""WhisperLite's loss: BCE on sampled negatives plus in-batch InfoNCE (the paper names the second, not its form)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import torch
import torch.nn.functional as F
from torch import nn

NegativeKind = Literal["uniform", "popularity", "hard"]


@dataclass(frozen=True)
class LossConfig:
    """Weights and negatives of the loss; all saved in the checkpoint. The paper specifies none of these values.

    - `bce_weight=1.0`: the paper's term; 0 gives the InfoNCE-only ablation.
    - `contrastive_weight=0.5` (λ): InfoNCE is the stronger ranking signal (every other example in the
      batch is a negative), BCE calibrates the raw score that the app thresholds and shows; 0 gives the
      BCE-only ablation. Tune on validation.
    - `temperature=0.05` (τ): InfoNCE compares cosine similarities of the tower outputs, bounded in [-1, 1],
      so τ sets the logit range to ±20, the scale of sentence-transformers' MultipleNegativesRankingLoss.
      Cosine (not the raw dot product) keeps InfoNCE from fighting BCE over the scores' magnitude.
    - `bce_log_scale=log(10)`, `bce_bias=-2.0`: BCE's logit is `exp(log_scale) · (request · item) + bias`,
      both learnable (as CLIP's scale and SigLIP's scale and bias; they live in `WhisperLite` so the
      checkpoint keeps them). Without them the logit is the raw dot product of near-unit tower outputs, in
      about ±1, where sigmoid stays near 0.5: every positive and every negative gets almost the same gradient
      whatever its rank, so BCE cannot tell a well-ranked pair from a badly ranked one and learns nothing
      (docs/results.md, "Why BCE alone did not learn"). A scale of 10 spreads cosines into ±10; a bias of -2
      puts sigmoid's midpoint at a cosine of 0.2, between the frozen encoder's typical target (about 0.4) and
      random item (about 0.05) similarities. SigLIP's bias of -10 suits its B² - B negatives against B
      positives; here BCE averages positives and negatives separately, so the classes weigh the same. Chosen
      on validation. Ranking is by the raw dot product: a positive scale and a shared bias do not reorder it.
    - `num_negatives=8`: sampled negatives per positive for BCE.
    - `negative_kind`: "uniform" over the catalogue (the paper's "randomly sampled negatives"); "popularity"
      draws ∝ count ** `popularity_alpha` over training targets (0.75 as word2vec: popular items are the
      likely confusions, without letting the head take every draw); "hard" draws, with probability
      `hard_mix`, from the target's `hard_pool` nearest items in the frozen encoder space, else uniformly (pure
      hard negatives include near-duplicates of the target, i.e. false negatives).
    """

    bce_weight: float = 1.0
    contrastive_weight: float = 0.5
    temperature: float = 0.05
    bce_log_scale: float = math.log(10.0)
    bce_bias: float = -2.0
    num_negatives: int = 8
    negative_kind: NegativeKind = "uniform"
    popularity_alpha: float = 0.75
    hard_pool: int = 50
    hard_mix: float = 0.5


def info_nce(
    query: torch.Tensor, keys: torch.Tensor, temperature: float, key_ids: torch.Tensor | None = None
) -> torch.Tensor:
    """In-batch InfoNCE: row i of query (B, E) matches row i of keys (B, E); every other row is a negative.

    logits = query @ keys.T * scale with scale = 1 / temperature; cross-entropy against labels arange(B).
    `key_ids` (B,), when given, masks other rows holding the same item as row i: they are not negatives.
    """
    logits = query @ keys.T / temperature  # (B, B)
    if key_ids is not None:
        same = key_ids.unsqueeze(0) == key_ids.unsqueeze(1)
        same.fill_diagonal_(False)
        logits = logits.masked_fill(same, float("-inf"))
    labels = torch.arange(query.shape[0], device=query.device)
    return F.cross_entropy(logits, labels)


class WhisperLiteLoss(nn.Module):
    """bce_weight · BCE(sigmoid(scale · score + bias)) + λ · InfoNCE; forward returns each term and their sum."""

    def __init__(self, config: LossConfig):
        super().__init__()
        self.config = config

    def forward(
        self,
        request: torch.Tensor,
        positive: torch.Tensor,
        negatives: torch.Tensor,
        target_ids: torch.Tensor,
        negative_ids: torch.Tensor,
        log_scale: torch.Tensor,
        bias: torch.Tensor,
    ) -> dict[str, torch.Tensor]:
        """request (B, E), positive (B, E), negatives (B, K, E) tower outputs; ids (B,) and (B, K) item rows;
        log_scale and bias () tensors, the model's BCE calibration (`WhisperLite.bce_logits`).

        BCE is the mean over positives plus the mean over negatives, so the balance of the two classes does
        not move with K. A sampled negative that is the target itself is left out.
        """
        scale = log_scale.exp()
        positive_logits = scale * (request * positive).sum(-1) + bias  # (B,)
        negative_logits = scale * torch.einsum("be,bke->bk", request, negatives) + bias  # (B, K)
        real = (negative_ids != target_ids.unsqueeze(1)).to(negative_logits.dtype)
        bce_positive = F.binary_cross_entropy_with_logits(positive_logits, torch.ones_like(positive_logits))
        bce_negative = F.binary_cross_entropy_with_logits(
            negative_logits, torch.zeros_like(negative_logits), weight=real, reduction="sum"
        ) / real.sum().clamp(min=1.0)
        bce = bce_positive + bce_negative
        infonce = info_nce(
            F.normalize(request, dim=-1), F.normalize(positive, dim=-1), self.config.temperature, target_ids
        )
        loss = self.config.bce_weight * bce + self.config.contrastive_weight * infonce
        return {"bce": bce, "infonce": infonce, "loss": loss}
