"""Negative item samplers for WhisperLite's BCE term: uniform (the paper's), popularity, hard."""

from __future__ import annotations

import torch

from ranker.loss import LossConfig


def nearest_items(item_matrix: torch.Tensor, k: int, chunk: int = 1024) -> torch.Tensor:
    """(N, D) L2-normalised frozen vectors -> (N, min(k, N - 1)) each item's nearest others, by cosine."""
    count = item_matrix.shape[0]
    k = min(k, count - 1)
    rows = []
    for start in range(0, count, chunk):
        similarity = item_matrix[start : start + chunk] @ item_matrix.T  # (chunk, N)
        own = torch.arange(start, min(start + chunk, count))
        similarity[torch.arange(len(own)), own] = float("-inf")
        rows.append(similarity.topk(k, dim=-1).indices)
    return torch.cat(rows)


class NegativeSampler:
    """Draws (B, K) negative item rows for a batch of target rows, reproducibly from a torch.Generator.

    A draw may equal its target; the loss leaves such draws out rather than the sampler looping to avoid them.
    """

    def __init__(self, config: LossConfig, item_matrix: torch.Tensor, train_targets: torch.Tensor):
        self.config = config
        self.num_items = item_matrix.shape[0]
        self.weights = None
        self.pool = None
        if config.negative_kind == "popularity":
            counts = torch.bincount(train_targets, minlength=self.num_items).to(torch.float64)
            # +1: an item never seen as a target can still be drawn
            self.weights = (counts + 1.0) ** config.popularity_alpha
        elif config.negative_kind == "hard":
            self.pool = nearest_items(item_matrix, config.hard_pool)

    def sample(self, targets: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        """targets (B,) item rows -> (B, K) negative item rows."""
        shape = (targets.shape[0], self.config.num_negatives)
        if self.weights is not None:
            flat = torch.multinomial(self.weights, shape[0] * shape[1], replacement=True, generator=generator)
            return flat.view(shape)
        uniform = torch.randint(self.num_items, shape, generator=generator)
        if self.pool is None:
            return uniform
        pick = torch.randint(self.pool.shape[1], shape, generator=generator)
        hard = self.pool[targets].gather(1, pick)
        use_hard = torch.rand(shape, generator=generator) < self.config.hard_mix
        return torch.where(use_hard, hard, uniform)
