"""WhisperLite: two MLP towers over frozen encoder vectors, score = dot product (arXiv 2207.12033).

The paper-faithful model is `RankerConfig(use_history=False)`. The history extension summarises the
shopper's past items (by default with attention conditioned on the request plus a recency bias; the other
summaries are in `ranker.history`) and adds the summary to the request tower's output through a gate. It also
adds `history_mix` times each item's frozen-encoder similarity to the history's recency-weighted mean to the
score, with the weight chosen on validation after training (`ranker.train.tune_history_mix`). Rows without
history skip both, so with an empty history the score is the paper-faithful model's, bit for bit (the
cold-start path).

Inputs are precomputed, L2-normalised encoder vectors; the ranker never calls an encoder itself.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from ranker.history import HistorySummary, SummaryFusion, history_ages, recency_decay, recency_mean


@dataclass(frozen=True)
class RankerConfig:
    """Sizes and switches of WhisperLite. The paper gives none of its sizes; these are our choices.

    - `input_dim`: the frozen encoder's dimension (384 for the offline MiniLM, CLIP's projection dim).
    - `hidden_dim=512`, `output_dim=256`: one hidden layer per tower, wider than the input so the MLP can
      re-mix the frozen space, and an output narrower than it, which keeps Chroma's index and the dot products
      cheap. Tune on validation.
    - `dropout=0.1`: inside each tower's hidden layer; review-style training sets are small and the towers
      overfit them within a few epochs otherwise.
    - `use_history=False` is the paper-faithful model: no history modules exist at all.
    - `history_max=50`: the most recent items kept by the data pipeline and by `Scorer`; older ones rarely
      change a shopper's current taste and attention cost grows with the length.
    - `recency_half_life=10.0`: in positions, the most recent history item has age 0. An item's attention
      weight is multiplied by 0.5 ** (age / half_life), a log-decay bias on the attention logits; `None` turns
      the recency bias off.
    - `history_summary="attention"`: how the history is summarised. "attention" is `HistoryFusion`
      (request-conditioned, with the recency bias); "recency_mean", "last_k" (the mean of the
      `history_last_k=5` most recent items), "gru" and "score_mix" (the recency mean times a learnable scalar
      that starts at 0) are `ranker.history.SummaryFusion`. Chosen on validation.
    - `residual=False` is the paper's plain MLP tower. `True` makes each tower x + MLP(x) with the MLP's last
      layer zero-initialised (so `output_dim` must equal `input_dim`): training then starts from the frozen
      encoder's own similarity (zero-shot) instead of a random projection of it, which matters when there are
      few training requests for many items (see docs/results.md). Chosen on validation.
    """

    input_dim: int
    hidden_dim: int = 512
    output_dim: int = 256
    dropout: float = 0.1
    use_history: bool = True
    history_max: int = 50
    recency_half_life: float | None = 10.0
    history_summary: HistorySummary = "attention"
    history_last_k: int = 5
    residual: bool = False

    def __post_init__(self) -> None:
        if self.residual and self.output_dim != self.input_dim:
            raise ValueError(f"a residual tower keeps its input size: output_dim {self.output_dim} != {self.input_dim}")


class Tower(nn.Module):
    """Linear -> GELU -> Dropout -> Linear; with `residual`, x + that, starting at the identity."""

    def __init__(self, config: RankerConfig):
        super().__init__()
        self.residual = config.residual
        self.mlp = nn.Sequential(
            nn.Linear(config.input_dim, config.hidden_dim),
            nn.GELU(),
            nn.Dropout(config.dropout),
            nn.Linear(config.hidden_dim, config.output_dim),
        )
        if self.residual:
            nn.init.zeros_(self.mlp[-1].weight)
            nn.init.zeros_(self.mlp[-1].bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.mlp(x) if self.residual else self.mlp(x)


class HistoryFusion(nn.Module):
    """Request-conditioned attention over history item vectors, with recency, fused as a gated residual.

    Keys and values are the history items' item-tower vectors, so the summary lives in the space the request
    vector is scored in: adding it raises the scores of items like the shopper's past ones.
    """

    def __init__(self, config: RankerConfig):
        super().__init__()
        dim = config.output_dim
        self.query = nn.Linear(dim, dim)
        self.key = nn.Linear(dim, dim)
        self.out = nn.Linear(dim, dim)
        self.gate = nn.Linear(2 * dim, dim)
        self.decay = recency_decay(config.recency_half_life)

    def forward(self, request: torch.Tensor, history: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """request (B, E) tower output, history (B, H, E) item-tower vectors, mask (B, H) -> (B, E)."""
        query = self.query(request).unsqueeze(1)  # (B, 1, E)
        logits = (query * self.key(history)).sum(-1) / math.sqrt(request.shape[-1])  # (B, H)
        logits = logits - self.decay * history_ages(mask)
        # rows with no valid item would softmax to NaN: give them uniform logits, they are discarded below
        has_history = mask.any(-1, keepdim=True)  # (B, 1)
        logits = logits.masked_fill(~mask, float("-inf")).masked_fill(~has_history, 0.0)
        summary = (logits.softmax(-1).unsqueeze(-1) * history).sum(1)  # (B, E)
        gate = torch.sigmoid(self.gate(torch.cat([request, summary], -1)))
        fused = request + gate * self.out(summary)
        # empty history: exactly the paper-faithful request vector
        return torch.where(has_history, fused, request)


def _history_fusion(config: RankerConfig) -> nn.Module:
    return HistoryFusion(config) if config.history_summary == "attention" else SummaryFusion(config)


class WhisperLite(nn.Module):
    """Request tower, item tower, dot-product score; optional history fusion on the request side.

    `bce_log_scale` and `bce_bias` (scalars) turn a score into BCE's logit, exp(log_scale) · score + bias
    (`LossConfig` gives their initial values; training learns them). They are the model's so that the
    checkpoint keeps them; ranking uses the score alone, which a positive scale and a shared bias do not
    reorder. At construction they are 0 and 0: the logit is the raw score, as before they existed.

    `history_mix` (a history model's scalar buffer, 0 at construction) weighs `history_similarity` in the score.
    It is not trained: on MovieLens the towers' own history summaries added +7% at best (docs/results.md),
    while the frozen encoder's similarity to the history, added with a weight chosen on validation, doubled
    the per-user NDCG@10 of zero-shot; training cannot move a weight whose loss gradient the first epochs
    barely feel (score_mix's learnable scalar stayed near 0), so validation chooses it after the towers train.
    """

    def __init__(self, config: RankerConfig):
        super().__init__()
        self.config = config
        self.request_tower = Tower(config)
        self.item_tower = Tower(config)
        self.history = _history_fusion(config) if config.use_history else None
        self.bce_log_scale = nn.Parameter(torch.zeros(()))
        self.bce_bias = nn.Parameter(torch.zeros(()))
        if config.use_history:
            self.register_buffer("history_mix", torch.zeros(()))

    def request_vectors(
        self,
        request: torch.Tensor,
        history: torch.Tensor | None = None,
        history_mask: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """request (B, D), history (B, H, D) oldest first or None, mask (B, H) bool or None -> (B, E).

        Cold start: with no history (None, H = 0 or an all-False row) a row's vector is the paper-faithful
        request tower's. The paper-faithful model (`use_history=False`) ignores any history given.
        """
        encoded = None if history is None or self.history is None else self.item_tower(history)
        return self.request_vectors_encoded(request, encoded, history_mask)

    def request_vectors_encoded(
        self,
        request: torch.Tensor,
        history_vectors: torch.Tensor | None,
        history_mask: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """As `request_vectors`, with the history already through the item tower: (B, H, E).

        Training encodes each distinct item of a batch once and reuses it as target, negative and history.
        """
        base = self.request_tower(request)
        if self.history is None or history_vectors is None or history_vectors.shape[1] == 0:
            return base
        if history_mask is None:
            history_mask = torch.ones(history_vectors.shape[:2], dtype=torch.bool, device=history_vectors.device)
        return self.history(base, history_vectors, history_mask)

    def item_vectors(self, items: torch.Tensor) -> torch.Tensor:
        """items (..., D) -> (..., E)."""
        return self.item_tower(items)

    def score(
        self,
        request: torch.Tensor,
        history: torch.Tensor | None,
        history_mask: torch.Tensor | None,
        items: torch.Tensor,
    ) -> torch.Tensor:
        """-> (B, N) dot products, plus the history's mixed-in similarity; items (N, D) shared by all rows or
        (B, N, D) per row."""
        queries = self.request_vectors(request, history, history_mask)
        keys = self.item_vectors(items)
        scores = queries @ keys.T if keys.dim() == 2 else torch.einsum("be,bne->bn", queries, keys)
        return scores + self.history_term(history, history_mask, items)

    def history_use(self) -> str:
        """How this model reads a shopper's history, in one public line (`whisperlite model`)."""
        if self.history is None:
            return "not read: paper-faithful towers, no history modules"
        mix = float(self.history_mix)
        added = (
            f"plus {mix:.2f} x the frozen similarity to the recency-weighted history (chosen on validation)"
            if mix
            else "no frozen history similarity (validation chose a mix of 0)"
        )
        return f"the {self.config.history_summary} summary in the request tower, {added}"

    def history_term(
        self, history: torch.Tensor | None, history_mask: torch.Tensor | None, items: torch.Tensor
    ) -> torch.Tensor | float:
        """(B, N) `history_mix` · `history_similarity`, or 0 for the paper-faithful model, no history or a 0 mix."""
        if self.history is None or history is None or history.shape[1] == 0 or not bool(self.history_mix):
            return 0.0
        return self.history_mix * self.history_similarity(history, history_mask, items)

    def history_similarity(
        self, history: torch.Tensor, history_mask: torch.Tensor | None, items: torch.Tensor
    ) -> torch.Tensor:
        """history (B, H, D) frozen encoder vectors oldest first, mask (B, H) or None, items (N, D) or (B, N, D)
        -> (B, N): each item's dot product with the history's mean weighted 0.5 ** (age / recency_half_life),
        as the "recency_mean" summary weighs it; 0 for a row without history."""
        if history_mask is None:
            history_mask = torch.ones(history.shape[:2], dtype=torch.bool, device=history.device)
        profile = recency_mean(history, history_mask, recency_decay(self.config.recency_half_life))
        return profile @ items.T if items.dim() == 2 else torch.einsum("bd,bnd->bn", profile, items)

    def rank(
        self,
        request: torch.Tensor,
        history: torch.Tensor | None,
        history_mask: torch.Tensor | None,
        items: torch.Tensor,
        k: int,
    ) -> torch.Tensor:
        """-> (B, min(k, N)) indices into the items, best first."""
        scores = self.score(request, history, history_mask, items)
        return scores.topk(min(k, scores.shape[-1]), dim=-1).indices


class Scorer:
    """Inference for one request at a time, on numpy: eval mode, no autograd, item-tower vectors cached by key.

    The cache maps a caller-given key (an item id) to that item's tower vector, so the catalogue's items
    pass through the item tower once however many turns they appear in: a new model needs a new Scorer.
    Torch's thread count is the caller's: it is process-wide, so the edge sets it (one thread is fastest for
    these small matrices, see bench/results/ranker.md).
    """

    def __init__(self, model: WhisperLite):
        self.model = model.eval()
        self.history_max = model.config.history_max
        self._cache: dict[Hashable, np.ndarray] = {}

    @torch.inference_mode()
    def request_vector(
        self,
        request: np.ndarray,
        history: np.ndarray | None = None,
        history_keys: Sequence[Hashable] | None = None,
    ) -> np.ndarray:
        """request (D,), history (H, D) oldest first, H may be 0 -> (E,). Only the latest history_max count.

        History items are catalogue items: with `history_keys` their tower vectors come from the item cache.
        """
        request_t = torch.from_numpy(np.asarray(request, dtype=np.float32)).unsqueeze(0)
        if history is None or len(history) == 0 or not self.model.config.use_history:
            return self.model.request_vectors(request_t).squeeze(0).numpy()
        recent = np.asarray(history, dtype=np.float32)[-self.history_max :]
        recent_keys = None if history_keys is None else list(history_keys)[-self.history_max :]
        encoded = torch.from_numpy(self.item_vectors(recent, recent_keys)).unsqueeze(0)  # (1, H, E)
        return self.model.request_vectors_encoded(request_t, encoded).squeeze(0).numpy()

    @torch.inference_mode()
    def item_vectors(self, items: np.ndarray, keys: Sequence[Hashable] | None = None) -> np.ndarray:
        """items (N, D) -> (N, E); with keys, cached vectors are reused and new ones stored."""
        items = np.asarray(items, dtype=np.float32)
        if len(items) == 0:
            return np.zeros((0, self.model.config.output_dim), dtype=np.float32)
        if keys is None:
            return self.model.item_vectors(torch.from_numpy(items)).numpy()
        if len(keys) != len(items):
            raise ValueError(f"{len(keys)} keys for {len(items)} items")
        missing = [i for i, key in enumerate(keys) if key not in self._cache]
        if missing:
            fresh = self.model.item_vectors(torch.from_numpy(items[missing])).numpy()
            self._cache.update((keys[i], vector) for i, vector in zip(missing, fresh, strict=True))
        return np.stack([self._cache[key] for key in keys])

    def score(
        self,
        request: np.ndarray,
        history: np.ndarray | None,
        items: np.ndarray,
        keys: Sequence[Hashable] | None = None,
        history_keys: Sequence[Hashable] | None = None,
    ) -> np.ndarray:
        """request (D,), history (H, D) with H >= 0, items (N, D) -> (N,) float32 scores.

        `keys` and `history_keys` (item ids) let the item-tower vectors of candidates and history be cached.
        """
        scores = self.item_vectors(items, keys) @ self.request_vector(request, history, history_keys)
        if history is None or len(history) == 0 or not self.model.config.use_history:
            return scores
        with torch.inference_mode():
            recent = torch.from_numpy(np.asarray(history, dtype=np.float32)[-self.history_max :]).unsqueeze(0)
            term = self.model.history_term(recent, None, torch.from_numpy(np.asarray(items, dtype=np.float32)))
        return scores if isinstance(term, float) else scores + term.squeeze(0).numpy()

    def rank(
        self,
        request: np.ndarray,
        history: np.ndarray | None,
        items: np.ndarray,
        k: int,
        keys: Sequence[Hashable] | None = None,
        history_keys: Sequence[Hashable] | None = None,
    ) -> np.ndarray:
        """-> (min(k, N),) indices into the items, best first."""
        return np.argsort(-self.score(request, history, items, keys, history_keys), kind="stable")[:k]
