"""WhisperLite's training loop: Adam(W), BCE + λ·InfoNCE, early stopping on the evaluator's primary metric
(validation NDCG@10 over the whole catalogue by default); a history model's `history_mix` is then chosen on the
same validation measure."""

from __future__ import annotations

import copy
import math
import time
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import torch
from tqdm.auto import tqdm

from ranker.data import TrainingSet
from ranker.evaluate.evaluator import RankingEvaluator
from ranker.loss import LossConfig, WhisperLiteLoss
from ranker.model import RankerConfig, WhisperLite
from ranker.negatives import NegativeSampler


@dataclass(frozen=True)
class TrainConfig:
    """How to train. The paper gives no optimiser or schedule; these are our choices, tuned on validation.

    - `epochs=30` is a ceiling: early stopping ends the run after `patience=3` epochs without a better
      validation score (the evaluator's primary metric), and the best epoch's weights are kept.
    - `batch_size=256`: InfoNCE's in-batch negatives grow with the batch; 256 fits a CPU step comfortably.
    - `lr=1e-3`, `weight_decay=1e-4`: AdamW defaults that suit two small MLPs.
    - `history_dropout=0.1`: that fraction of training rows drop their whole history, so the request tower
      alone (the cold-start path) stays trained even when most examples have a history.
    - `warmup_epochs=0`, `schedule="constant"`: the learning rate rises linearly from 0 over the warm-up
      epochs, then stays ("constant") or follows a cosine down to 0 at `epochs` ("cosine"), stepped per batch
      (torch's LambdaLR). Early stopping may end the run before the cosine's end. The evaluation's grid
      chooses them on validation; the defaults are the loop as it was before the schedule existed.
    - `device="auto"` picks CUDA when available, else CPU.
    """

    epochs: int = 30
    batch_size: int = 256
    lr: float = 1e-3
    weight_decay: float = 1e-4
    seed: int = 0
    patience: int = 3
    history_dropout: float = 0.1
    warmup_epochs: float = 0.0
    schedule: Literal["constant", "cosine"] = "constant"
    device: str = "cpu"
    loss: LossConfig = field(default_factory=LossConfig)


@dataclass
class TrainResult:
    model: WhisperLite  # the best epoch's weights, in eval mode, on the CPU
    metrics_per_epoch: list[dict[str, float]]  # epoch, train/<term>, val/<term>, the evaluator's metric, seconds
    best_score: float  # the evaluator's primary metric at the best epoch, with the chosen history mix
    best_epoch: int
    history_mix: float | None = None  # a history model's mix, chosen on validation (`tune_history_mix`)
    history_mix_scores: dict[float, float] = field(default_factory=dict)  # each mix tried -> its validation score

    def summary(self, primary_metric: str) -> dict[str, float]:
        """The validation score, best epoch and, for a history model, the history mix chosen: what a trained
        model's metadata records."""
        mix = {} if self.history_mix is None else {"history_mix": self.history_mix}
        return {primary_metric: self.best_score, "best_epoch": self.best_epoch, **mix}


# The history mixes validation chooses from: 0 (the towers alone) first, so that an equal score keeps it; the
# MovieLens validation sets of three seeds peaked at 0.75-1, and 3 already halves their score.
HISTORY_MIXES = (0.0, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)
VALIDATION_ROWS = 256  # requests scored at once by `validate`: (256, N) float32 is 100 MB at 100,000 items


def resolve_device(device: str) -> torch.device:
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(device)


def validation_scores(
    model: WhisperLite, data: TrainingSet, item_matrix: torch.Tensor, batch_size: int = 1024
) -> np.ndarray:
    """(M, N) float32 scores of every validation request against ALL items of the catalogue (no sampled
    candidates: the measure then does not depend on a sampler and matches the `full` protocol). A row's own
    history items score -inf, as the full protocol's test runs rank them (already rated, not recommended
    again); left in, they are what a history model scores highest, so validation would undervalue history."""
    return np.concatenate([scores for _, scores in _score_batches(model, data, item_matrix, batch_size)])


def validate(
    model: WhisperLite,
    data: TrainingSet,
    item_matrix: torch.Tensor,
    evaluator: RankingEvaluator,
    batch_size: int = VALIDATION_ROWS,
) -> float:
    """The evaluator's primary metric of `model` on the validation set, scored `batch_size` requests at a time.
    The metric is a mean over requests, so the batches' size-weighted mean is the whole set's, and the (M, N)
    matrix of `validation_scores` is never held: 2,000 validation requests of a 100,000-item catalogue would
    be 800 MB, over the app's memory budget, while it trains its first model."""
    targets = data.targets.numpy()
    total = 0.0
    for rows, scores in _score_batches(model, data, item_matrix, batch_size):
        total += evaluator.evaluate_scores(scores, targets[rows])[evaluator.primary_metric] * len(scores)
    return total / len(data)


@torch.no_grad()
def _score_batches(model: WhisperLite, data: TrainingSet, item_matrix: torch.Tensor, batch_size: int):
    """(rows, scores) of `validation_scores`, `batch_size` requests at a time, the item tower run once."""
    model.eval()
    device = item_matrix.device
    items = model.item_vectors(item_matrix)  # (N, E)
    for start in range(0, len(data), batch_size):
        rows = slice(start, start + batch_size)
        history, mask = _history(data, rows, item_matrix, model.config)
        queries = model.request_vectors(data.requests[rows].to(device), history, mask)
        scores = (queries @ items.T + model.history_term(history, mask, item_matrix)).cpu().numpy()
        for row, (seen, valid) in enumerate(zip(data.history[rows], data.history_mask[rows], strict=True)):
            scores[row, seen[valid].numpy()] = -np.inf
        yield rows, scores


def _history(data: TrainingSet, rows, item_matrix: torch.Tensor, config: RankerConfig):
    """Gathers (B, H, D) history vectors and their (B, H) mask, or (None, None) for the paper's model."""
    history, mask = _history_rows(data, rows, config, item_matrix.device)
    return (None, None) if history is None else (item_matrix[history], mask)


def _history_rows(data: TrainingSet, rows, config: RankerConfig, device: torch.device):
    """(B, H) history item rows and their mask, or (None, None) for the paper's model or when none has any."""
    if not config.use_history or data.history.shape[1] == 0:
        return None, None
    return data.history[rows].to(device), data.history_mask[rows].to(device)


def train(
    model_config: RankerConfig,
    train_config: TrainConfig,
    train_set: TrainingSet,
    val_set: TrainingSet,
    item_matrix,
    progress: bool = True,
    evaluator: RankingEvaluator | None = None,
    warm_start: WhisperLite | None = None,
) -> TrainResult:
    """Trains WhisperLite on `train_set`, keeping the epoch with the best validation score by `evaluator`.

    item_matrix (N, D) holds the frozen encoder vectors of the catalogue; examples refer to its rows.
    The same seed gives identical weights on the same device. `warm_start`, a model of the same `model_config`,
    gives the starting weights (fine-tuning; it is not changed) instead of a fresh initialisation; epoch 0 then
    scores it, so the result is never worse on validation than the model it started from.
    """
    if len(train_set) == 0 or len(val_set) == 0:
        raise ValueError(f"training needs examples: {len(train_set)} to train on, {len(val_set)} to validate on")
    device = resolve_device(train_config.device)
    torch.manual_seed(train_config.seed)  # weight init and dropout
    generator = torch.Generator().manual_seed(train_config.seed)  # shuffling, negatives, history dropout
    items = torch.as_tensor(item_matrix, dtype=torch.float32).to(device)
    model = WhisperLite(model_config).to(device)
    if warm_start is not None:
        if warm_start.config != model_config:
            raise ValueError(f"a warm start needs the same model config: {warm_start.config} is not {model_config}")
        model.load_state_dict(warm_start.state_dict())
    else:
        with torch.no_grad():
            model.bce_log_scale.fill_(train_config.loss.bce_log_scale)
            model.bce_bias.fill_(train_config.loss.bce_bias)
    loss_fn = WhisperLiteLoss(train_config.loss)
    sampler = NegativeSampler(train_config.loss, items.cpu(), train_set.targets)
    optimiser = _optimiser(model, train_config)
    steps_per_epoch = math.ceil(len(train_set) / train_config.batch_size)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimiser, _schedule(train_config, steps_per_epoch))

    metrics: list[dict[str, float]] = []
    evaluator = evaluator or RankingEvaluator()
    key = evaluator.primary_metric
    best_score = validate(model, val_set, items, evaluator)
    best_state, best_epoch, stale = copy.deepcopy(model.state_dict()), 0, 0
    metrics.append(
        {"epoch": 0, **validation_loss(model, loss_fn, sampler, val_set, items, train_config), key: best_score}
    )
    for epoch in range(1, train_config.epochs + 1):
        started = time.perf_counter()
        terms = _train_epoch(
            model, loss_fn, sampler, optimiser, scheduler, train_set, items, train_config, generator, progress
        )
        val_terms = validation_loss(model, loss_fn, sampler, val_set, items, train_config)
        score = validate(model, val_set, items, evaluator)
        seconds = round(time.perf_counter() - started, 3)
        metrics.append({"epoch": epoch, **terms, **val_terms, key: score, "seconds": seconds})
        if progress:
            tqdm.write(f"epoch {epoch}: " + ", ".join(f"{key} {value:.4f}" for key, value in metrics[-1].items()))
        if evaluator.is_better(score, best_score):
            best_score, best_state, best_epoch, stale = score, copy.deepcopy(model.state_dict()), epoch, 0
        else:
            stale += 1
            if stale >= train_config.patience:
                break
    model.load_state_dict(best_state)
    if model.history is None:
        return TrainResult(model.cpu().eval(), metrics, best_score, best_epoch)
    mix, mixes = tune_history_mix(model, val_set, items, evaluator)
    return TrainResult(model.cpu().eval(), metrics, mixes[mix], best_epoch, mix, mixes)


@torch.no_grad()
def tune_history_mix(
    model: WhisperLite, data: TrainingSet, item_matrix: torch.Tensor, evaluator: RankingEvaluator
) -> tuple[float, dict[float, float]]:
    """Sets a history model's `history_mix` to the value of `HISTORY_MIXES` with the best validation score
    (the first of equal ones); returns that value and each value's score."""
    scores = {}
    for mix in HISTORY_MIXES:
        model.history_mix.fill_(mix)
        scores[mix] = validate(model, data, item_matrix, evaluator)
    best = evaluator.first_best(scores)
    model.history_mix.fill_(best)
    return best, scores


def _optimiser(model: WhisperLite, config: TrainConfig) -> torch.optim.AdamW:
    """AdamW; the BCE scale and bias are left out of weight decay, which would pull them to scale 1, bias 0."""
    calibration = [model.bce_log_scale, model.bce_bias]
    towers = [parameter for parameter in model.parameters() if all(parameter is not c for c in calibration)]
    groups = [{"params": towers}, {"params": calibration, "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=config.lr, weight_decay=config.weight_decay)


def _schedule(config: TrainConfig, steps_per_epoch: int):
    """Step -> learning-rate factor: linear warm-up over `warmup_epochs`, then constant or cosine to 0."""
    warmup = config.warmup_epochs * steps_per_epoch
    total = config.epochs * steps_per_epoch

    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        if config.schedule == "constant":
            return 1.0
        progress = (step - warmup) / max(total - warmup, 1)
        return 0.5 * (1.0 + math.cos(math.pi * min(progress, 1.0)))

    return factor


@torch.no_grad()
def validation_loss(
    model: WhisperLite,
    loss_fn: WhisperLiteLoss,
    sampler: NegativeSampler,
    data: TrainingSet,
    items: torch.Tensor,
    config: TrainConfig,
) -> dict[str, float]:
    """The loss terms on the validation set, as `val/<term>`, in eval mode. Its negatives are drawn from the
    same seed every epoch, so the curve moves with the model only; InfoNCE's batches are the training ones'
    size (its value grows with the batch)."""
    model.eval()
    generator = torch.Generator().manual_seed(config.seed + 1)
    sums = {"bce": 0.0, "infonce": 0.0, "loss": 0.0}
    for start in range(0, len(data), config.batch_size):
        rows = torch.arange(start, min(start + config.batch_size, len(data)))
        targets = data.targets[rows].to(items.device)
        negatives = sampler.sample(data.targets[rows], generator).to(items.device)
        history, mask = _history(data, rows, items, model.config)
        queries = model.request_vectors(data.requests[rows].to(items.device), history, mask)
        parts = loss_fn(
            queries,
            model.item_vectors(items[targets]),
            model.item_vectors(items[negatives]),
            targets,
            negatives,
            model.bce_log_scale,
            model.bce_bias,
        )
        for key in sums:
            sums[key] += parts[key].item() * len(rows)
    return {f"val/{key}": value / max(len(data), 1) for key, value in sums.items()}


def _with_known_negatives(sampled: torch.Tensor, data: TrainingSet, rows) -> torch.Tensor:
    """(B, K) sampled negatives with the rows' known negatives (disliked, rejected) in their first columns,
    where known; a row with more known negatives than K keeps its first K."""
    width = min(data.negatives.shape[1], sampled.shape[1])
    if width == 0:
        return sampled
    known = data.negatives[rows, :width].to(sampled.device)
    mask = data.negatives_mask[rows, :width].to(sampled.device)
    return torch.cat([torch.where(mask, known, sampled[:, :width]), sampled[:, width:]], dim=1)


def _train_epoch(
    model: WhisperLite,
    loss_fn: WhisperLiteLoss,
    sampler: NegativeSampler,
    optimiser: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler,
    data: TrainingSet,
    items: torch.Tensor,
    config: TrainConfig,
    generator: torch.Generator,
    progress: bool,
) -> dict[str, float]:
    """One pass over the shuffled training set -> the mean of each loss term, as `train/<term>`."""
    model.train()
    device = items.device
    order = torch.randperm(len(data), generator=generator)
    sums = {"bce": 0.0, "infonce": 0.0, "loss": 0.0}
    batches = [order[start : start + config.batch_size] for start in range(0, len(data), config.batch_size)]
    bar = tqdm(batches, desc="train", leave=False, disable=not progress)
    for rows in bar:
        targets = data.targets[rows].to(device)
        negatives = sampler.sample(data.targets[rows], generator).to(device)  # (B, K)
        negatives = _with_known_negatives(negatives, data, rows)
        history, mask = _history_rows(data, rows, model.config, device)
        if mask is not None and config.history_dropout > 0:
            keep = torch.rand(len(rows), generator=generator) >= config.history_dropout
            mask = mask & keep.to(device).unsqueeze(1)
        # each distinct item of the batch goes through the item tower once: targets, negatives, history
        batch_ids = [targets, negatives.flatten()] + ([] if history is None else [history.flatten()])
        unique, inverse = torch.unique(torch.cat(batch_ids), return_inverse=True)
        encoded = model.item_vectors(items[unique])[inverse]  # (B + B·K + B·H, E)
        positive, negative, past = encoded.split(
            [len(targets), negatives.numel(), encoded.shape[0] - len(targets) - negatives.numel()]
        )
        past = None if history is None else past.view(*history.shape, -1)
        queries = model.request_vectors_encoded(data.requests[rows].to(device), past, mask)
        parts = loss_fn(
            queries,
            positive,
            negative.view(*negatives.shape, -1),
            targets,
            negatives,
            model.bce_log_scale,
            model.bce_bias,
        )
        optimiser.zero_grad(set_to_none=True)
        parts["loss"].backward()
        optimiser.step()
        scheduler.step()
        for key in sums:
            sums[key] += parts[key].item() * len(rows)
        bar.set_postfix({key: f"{value.item():.3f}" for key, value in parts.items()})
    means = {f"train/{key}": value / max(len(data), 1) for key, value in sums.items()}
    if not all(math.isfinite(value) for value in means.values()):
        raise FloatingPointError(f"training diverged: {means}")
    return means
