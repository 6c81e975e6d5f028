"""WhisperLite as an evaluated system: trained on the split's train set, settings chosen on its validation set.

Variants: paper-faithful (no history), + history, and the loss ablations BCE-only and InfoNCE-only. On the
first seed of a protocol each variant trains once per point of its grid (tower kind, lr, and λ/τ where InfoNCE
is on); the point with the best validation score (the `RankingEvaluator`'s primary metric, NDCG@10 over the
full catalogue, computed inside `ranker.train.train`) is kept for every seed. Epochs are chosen by early
stopping on the same validation measure (epoch 0, the untrained model, counts: a residual tower can thus fall
back to the frozen encoder's similarity), and so are the history variant's two weights, chosen together after
every fit: on the frozen encoder's similarity to the history (`WhisperLite.history_mix`) and on its similarity
in the split's collaborative space (`ranker.collaborative`, `Context.collaborative`); the grid point is chosen
with them. Test is never looked at.

Tower kinds: "plain" is the paper's MLP (input -> hidden -> output); "residual" is our addition, x + MLP(x)
starting at the identity (`RankerConfig.residual`), so `output_dim` is the encoder's dimension. Tables name the
kind the grid chose (`display_name`) so a residual-tower result is never passed off as the paper's model.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

import numpy as np
import torch

from ranker.configs import load_preset
from ranker.data import Example, TrainingSet, pad_rows
from ranker.evaluate.baselines import choose_weight
from ranker.evaluate.evaluator import RankingEvaluator
from ranker.evaluate.systems import Context
from ranker.loss import LossConfig
from ranker.model import RankerConfig
from ranker.train import HISTORY_MIXES, TrainConfig, train

TowerKind = Literal["plain", "residual"]


@dataclass(frozen=True)
class WhisperLiteGrid:
    """The validation grid and the fixed training budget; the values are the preset `evaluation-grid`
    (`ranker/configs/evaluation-grid.json`), read by `WhisperLiteGrid.preset()`.

    Sizes are below the model's defaults (512 / 256, 50 history items) so that 3 seeds of every variant on
    both small sets fit in minutes on 2 CPU cores; lr 3e-3 won over 1e-3 on MovieLens validation in a first
    run. The preset tunes (λ, τ) and the schedule: a constant lr up to `epochs`, or one
    epoch of linear warm-up then a cosine to 0 at 10 epochs (the best epochs were 1-3 with a constant lr, so
    a cosine over 30 would barely have decayed by then). Weight decay (AdamW's 1e-4) and dropout (0.1) have
    one value each, and the history variant tries three summaries (attention, GRU, score_mix; the reduced
    grid of docs/results.md had the recency mean and last-k between attention and GRU on validation), to keep
    each exact evaluation command within about 40 minutes on the shared machine; `weight_decays`, `dropouts`
    and `history_summaries` widen them. Plain towers lost to residual ones at every
    point on both datasets (docs/results.md), so the preset tries residual towers only (`towers` widens it).
    The history variant also tries each history summary (`ranker.history`) at every point.
    The residual tower's hidden layer has the plain tower's width, so the kind is the only thing the two
    differ in besides the output size the residual tower imposes. `history_max` caps both the examples'
    histories and what the model reads."""

    lrs: tuple[float, ...]
    contrastive: tuple[tuple[float, float], ...]  # (λ, τ) pairs
    towers: tuple[TowerKind, ...]
    dropouts: tuple[float, ...]
    weight_decays: tuple[float, ...]
    schedules: tuple[tuple[str, float, int], ...]  # (TrainConfig.schedule, warmup_epochs, epochs ≤ `epochs`)
    history_summaries: tuple[str, ...]  # RankerConfig.history_summary, tried by the history variant only
    epochs: int
    patience: int
    batch_size: int
    hidden_dim: int
    output_dim: int
    history_max: int

    @classmethod
    def preset(cls, name: str = "evaluation-grid", **overrides: Any) -> WhisperLiteGrid:
        """The named preset, with `overrides` replacing some of its values (a quick run's smaller sizes)."""
        values = {**load_preset(name), **overrides}
        values["lrs"] = tuple(values["lrs"])
        values["contrastive"] = tuple((float(weight), float(tau)) for weight, tau in values["contrastive"])
        values["towers"] = tuple(values["towers"])
        values["dropouts"] = tuple(values["dropouts"])
        values["history_summaries"] = tuple(values["history_summaries"])
        values["weight_decays"] = tuple(values["weight_decays"])
        values["schedules"] = tuple((str(kind), float(warm), int(epochs)) for kind, warm, epochs in values["schedules"])
        return cls(**values)


@dataclass(frozen=True)
class Variant:
    name: str
    use_history: bool
    loss_terms: Literal["both", "bce", "infonce"] = "both"


VARIANTS: dict[str, Variant] = {
    variant.name: variant
    for variant in (
        Variant("whisperlite (paper)", use_history=False),
        Variant("whisperlite + history", use_history=True),
        Variant("ablation: bce only", use_history=False, loss_terms="bce"),
        Variant("ablation: infonce only", use_history=False, loss_terms="infonce"),
    )
}


@dataclass
class WhisperLiteSystem:
    variant: Variant
    grid: WhisperLiteGrid = field(default_factory=WhisperLiteGrid.preset)
    chosen: dict | None = None  # the validation-chosen settings, kept for later seeds
    tuning: list[dict] = field(default_factory=list)  # every grid point's validation score
    curves: list[dict] = field(default_factory=list)  # per fit: seed, settings, best epoch, metrics per epoch
    evaluator: RankingEvaluator = field(default_factory=RankingEvaluator)  # chooses epochs and grid points

    @property
    def name(self) -> str:
        return self.variant.name

    def fit(self, train_examples: Sequence[Example], val: Sequence[Example], context: Context, seed: int) -> None:
        train_set = TrainingSet.from_examples(train_examples, context.item_index, context.requests(train_examples))
        val_set = TrainingSet.from_examples(val, context.item_index, context.requests(val))
        input_dim = context.item_vectors.shape[1]
        key = self.evaluator.primary_metric
        if self.chosen is None:
            results = []
            summaries = self.grid.history_summaries if self.variant.use_history else ("attention",)
            for tower, dropout, summary in itertools.product(self.grid.towers, self.grid.dropouts, summaries):
                model_config = self._model_config(tower, dropout, input_dim, summary)
                for config in self._grid_points(seed):
                    result = self._train(model_config, config, train_set, val_set, context)
                    weights = self._history_weights(result, val, context)
                    settings = {"tower": tower, "dropout": dropout, "history_summary": summary, **_settings(config)}
                    self.tuning.append({**settings, **_summary(result, weights, key)})
                    results.append((settings, result, weights))
            scores = {index: _score(result, weights) for index, (_, result, weights) in enumerate(results)}
            best_settings, best_result, best_weights = results[self.evaluator.first_best(scores)]
            self.chosen = {**best_settings, **_summary(best_result, best_weights, key)}
            self._keep(best_result, best_weights, seed, best_settings)
            return
        chosen = self.chosen
        schedule = (chosen["schedule"], chosen["warmup_epochs"], chosen["epochs_max"])
        config = self._config(chosen["lr"], chosen["lambda"], chosen["tau"], chosen["weight_decay"], schedule, seed)
        model_config = self._model_config(chosen["tower"], chosen["dropout"], input_dim, chosen["history_summary"])
        fixed = {name: chosen[name] for name in ("tower", "dropout", "history_summary")}
        settings = {**fixed, **_settings(config)}
        result = self._train(model_config, config, train_set, val_set, context)
        self._keep(result, self._history_weights(result, val, context), seed, settings)

    def _history_weights(self, result, val: Sequence[Example], context: Context) -> HistoryWeights | None:
        """A history model's two history weights, chosen together on validation with the towers fixed: the
        frozen-encoder mix (`history_mix`) and the collaborative one; every pair's score. None without history.

        Together, because the two similarities overlap (items of the same genres are often watched by the
        same people): chosen one after the other, the first takes what the second would add."""
        if not self.variant.use_history:
            return None
        model = result.model
        model.history_mix.fill_(0.0)
        towers = self._tower_scores(val, context, model)
        model.history_mix.fill_(1.0)
        frozen = self._tower_scores(val, context, model) - towers
        collaborative = context.collaborative_similarity(val, model.config.recency_half_life)
        grid = {}
        for history_mix in HISTORY_MIXES:
            _, scores = choose_weight(towers + history_mix * frozen, collaborative, val, context, self.evaluator)
            grid.update({(history_mix, mix): score for mix, score in scores.items()})
        history_mix, collaborative_mix = self.evaluator.first_best(grid)
        model.history_mix.fill_(history_mix)
        return HistoryWeights(history_mix, collaborative_mix, grid[history_mix, collaborative_mix], grid)

    def _keep(self, result, weights: HistoryWeights | None, seed: int, settings: dict) -> None:
        """The fitted model scores the test set; its learning curve goes to the report."""
        self._model = result.model
        self._collaborative_mix = 0.0 if weights is None else weights.collaborative_mix
        history_weights = [] if weights is None else weights.table()
        self.curves.append(
            {
                "seed": seed,
                **settings,
                **_summary(result, weights, self.evaluator.primary_metric),
                "history_weights_scores": history_weights,
                "metrics_per_epoch": result.metrics_per_epoch,
            }
        )

    def _train(self, model_config: RankerConfig, config: TrainConfig, train_set, val_set, context: Context):
        return train(model_config, config, train_set, val_set, context.item_vectors, False, self.evaluator)

    def _model_config(self, tower: TowerKind, dropout: float, input_dim: int, summary: str) -> RankerConfig:
        residual = tower == "residual"
        return RankerConfig(
            input_dim=input_dim,
            hidden_dim=self.grid.hidden_dim,
            output_dim=input_dim if residual else self.grid.output_dim,
            dropout=dropout,
            use_history=self.variant.use_history,
            history_summary=summary,
            history_max=self.grid.history_max,
            residual=residual,
        )

    def _grid_points(self, seed: int) -> list[TrainConfig]:
        if self.variant.loss_terms == "bce":  # λ = 0: τ is unused
            pairs = [(0.0, LossConfig().temperature)]
        elif self.variant.loss_terms == "infonce":  # InfoNCE is the whole loss: only τ is tuned
            pairs = list(dict.fromkeys((1.0, tau) for _, tau in self.grid.contrastive))
        else:
            pairs = list(self.grid.contrastive)
        return [
            self._config(lr, weight, tau, decay, schedule, seed)
            for lr in self.grid.lrs
            for weight, tau in pairs
            for decay in self.grid.weight_decays
            for schedule in self.grid.schedules
        ]

    def _config(
        self, lr: float, weight: float, tau: float, decay: float, schedule: tuple[str, float, int], seed: int
    ) -> TrainConfig:
        bce_weight = 0.0 if self.variant.loss_terms == "infonce" else 1.0
        loss = replace(LossConfig(), bce_weight=bce_weight, contrastive_weight=weight, temperature=tau)
        return TrainConfig(
            epochs=min(schedule[2], self.grid.epochs),
            batch_size=self.grid.batch_size,
            lr=lr,
            weight_decay=decay,
            schedule=schedule[0],
            warmup_epochs=schedule[1],
            seed=seed,
            patience=self.grid.patience,
            loss=loss,
        )

    def scores(self, examples: Sequence[Example], context: Context) -> np.ndarray:
        scores = self._tower_scores(examples, context, self._model)
        if not self._collaborative_mix:
            return scores
        half_life = self._model.config.recency_half_life
        return scores + self._collaborative_mix * context.collaborative_similarity(examples, half_life)

    @torch.no_grad()
    def _tower_scores(self, examples: Sequence[Example], context: Context, model) -> np.ndarray:
        """The model's own scores: towers and the frozen-encoder history term."""
        items = torch.as_tensor(context.item_vectors)
        requests = torch.as_tensor(context.requests(examples))
        history, mask = None, None
        if self.variant.use_history:
            rows = [context.history_rows(example)[-self.grid.history_max :] for example in examples]
            index, mask = pad_rows(rows)
            history = items[index]
        return model.score(requests, history, mask, items).numpy()


def display_name(name: str, chosen: dict | None) -> str:
    """The system's name as tables show it: with the tower kind when validation chose residual towers, which
    are our addition, e.g. "whisperlite (paper, residual towers)"."""
    if not chosen or chosen.get("tower") != "residual":
        return name
    return f"{name[:-1]}, residual towers)" if name.endswith(")") else f"{name} (residual towers)"


@dataclass(frozen=True)
class HistoryWeights:
    """A history model's weights on the frozen-encoder and the collaborative similarity to the history, the
    validation score they reach, and every pair's score."""

    history_mix: float
    collaborative_mix: float
    score: float
    grid: dict[tuple[float, float], float]

    def table(self) -> list[dict[str, float]]:
        return [
            {"history_mix": history_mix, "collaborative_mix": mix, "score": score}
            for (history_mix, mix), score in self.grid.items()
        ]


def _score(result, weights: HistoryWeights | None) -> float:
    return result.best_score if weights is None else weights.score


def _summary(result, weights: HistoryWeights | None, key: str) -> dict:
    """The run's validation summary; for a history model with both history weights and the score they reach."""
    if weights is None:
        return result.summary(key)
    mixes = {"history_mix": weights.history_mix, "collaborative_mix": weights.collaborative_mix}
    return {**result.summary(key), key: weights.score, **mixes}


def _settings(config: TrainConfig) -> dict:
    loss = asdict(config.loss)
    return {
        "lr": config.lr,
        "lambda": loss["contrastive_weight"],
        "tau": loss["temperature"],
        "bce_weight": loss["bce_weight"],
        "weight_decay": config.weight_decay,
        "schedule": config.schedule,
        "warmup_epochs": config.warmup_epochs,
        "epochs_max": config.epochs,
    }
