"""The app's model: trained (on simulated shoppers, a shop's logs or chat feedback), gated, registered, loaded.

Every trained model passes `ranker.gate.decide` on a validation set of its own training source that neither its
training nor its early stopping saw: the latest slice of the per-user time split of the events (for the demo
model, whose training split is random, the same slice of fresh simulated shoppers of another seed). A served
model is saved as the app's checkpoint; a refused one is kept aside in `checkpoints/refused/` with its reason,
and the registry (`chat.serve.registry`) records both. At start the app serves what the registry says is
served, which may be zero-shot: a model that lost to it is never served.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import torch

from chat.serve.registry import ModelEntry, ModelRecord, read_registry, write_registry
from chat.serve.settings import AppSettings
from ranker.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from ranker.configs import load_preset
from ranker.data import Example, ReviewEvent, TrainingSet, build_examples
from ranker.demo import DemoDataConfig, simulate_demo_shoppers, train_demo_model
from ranker.encoders import Encoder
from ranker.evaluate.evaluator import RankingEvaluator
from ranker.evaluate.protocols import per_user_time_split
from ranker.gate import GateDecision, decide, noise_margin
from ranker.model import RankerConfig, Scorer, WhisperLite
from ranker.train import TrainConfig, train, validation_scores
from store.catalogs import catalog_fingerprint, catalog_name
from store.item import Item
from store.items import ItemStore

log = logging.getLogger(__name__)

MIN_TRAIN_REQUESTS = 20  # fewer cannot train the towers
MIN_VALIDATION_REQUESTS = 5  # fewer make the gate's comparison a coin toss
Negatives = dict[tuple[str, float], tuple[str, ...]]


@dataclass(frozen=True)
class ModelContext:
    """What training and gating a model needs: the settings, the catalogue in use, its encoder and item store."""

    settings: AppSettings
    items: list[Item]
    encoder: Encoder
    store: ItemStore

    @property
    def checkpoint(self) -> Path:
        return checkpoint_path(self.settings, self.items, self.encoder)

    @property
    def taste_path(self) -> Path:
        return taste_path(self.checkpoint)

    @property
    def catalogue(self) -> str:
        return catalog_name(self.settings.catalog)

    def item_matrix(self) -> torch.Tensor:
        """(N, D) stored vectors of `items`, row for row."""
        return torch.as_tensor(self.store.vectors([item.id for item in self.items]))

    def training_set(self, examples: list[Example]) -> TrainingSet:
        index = {item.id: row for row, item in enumerate(self.items)}
        texts = sorted({example.request_text for example in examples})
        vectors = dict(zip(texts, self.encoder.encode_text(texts)))
        return TrainingSet.from_examples(examples, index, np.stack([vectors[e.request_text] for e in examples]))


def encoder_info(encoder: Encoder) -> dict:
    return {"name": encoder.name, "dim": encoder.dim, "text_template": encoder.text_template}


def checkpoint_path(settings: AppSettings, items: list[Item], encoder: Encoder) -> Path:
    slug = "".join(c if c.isalnum() else "-" for c in encoder.name)[:40]
    return settings.checkpoint_dir / f"{catalog_name(settings.catalog)}--{slug}--{catalog_fingerprint(items)}.pt"


def taste_path(checkpoint: Path) -> Path:
    """The shop's taste last learned from the chat's feedback (ranker/shop_taste.py), beside its catalogue's and
    encoder's checkpoint."""
    return checkpoint.with_name(checkpoint.stem + "-taste.json")


def model_in_use(settings: AppSettings, items: list[Item], encoder: Encoder) -> ModelEntry | None:
    """The registry's entry for this catalogue and encoder; None before any model was trained for them."""
    return read_registry(settings.checkpoint_dir).get(checkpoint_path(settings, items, encoder).stem)


def train_through_gate(
    app_parts: ModelContext,
    events: list[ReviewEvent],
    source: str,
    negatives: Negatives | None = None,
    progress: bool = True,
) -> GateDecision:
    """Train on `events` (requests are events with text; the rest feed histories) and serve the model only if
    the gate lets it (`train_examples_through_gate`). `negatives` maps (user, time) of a request to items known to
    be wrong for it (rejected cards); `source` says in public words what the events are."""
    history_max = model_configs(app_parts.encoder.dim, 1)[0].history_max
    examples = build_examples(events, history_max=history_max)
    if negatives is not None:
        examples = [replace(e, negatives=negatives.get((e.user, e.time), ())) for e in examples]
    return train_examples_through_gate(app_parts, examples, source, progress)


def train_examples_through_gate(
    app_parts: ModelContext,
    examples: list[Example],
    source: str,
    progress: bool = True,
    replayed: Sequence[Example] = (),
    fine_tune: bool = False,
    weight: int = 1,
) -> GateDecision:
    """Train on `examples` and serve the model only if the gate lets it. The per-user time split gives three
    slices: the oldest requests train, the next ones stop training early, the latest ones are the gate's
    validation set. Early stopping keeps the epoch that scored best on its slice, so that score flatters the
    model; the gate reads a slice no choice was made on. `replayed` rows join the training slice only (the
    catalogue's own requests, which keep the literal matching). `fine_tune` starts from the model in use when
    there is one of the same shape, instead of fresh weights. `weight`: each training request of `examples` is
    repeated this many times (the replayed rows once), so a few hundred of them are not drowned by the replay;
    the early-stopping and gate slices are never repeated."""
    model_config, train_config = model_configs(app_parts.encoder.dim, app_parts.settings.train_epochs)
    train_examples, stop_examples, gate_examples = per_user_time_split(examples)
    if len(train_examples) < MIN_TRAIN_REQUESTS or len(gate_examples) < MIN_VALIDATION_REQUESTS:
        raise ValueError(
            f"too few usable requests to train and gate a model: {len(examples)} requests (events with text) give "
            f"{len(train_examples)} to train on and {len(gate_examples)} to validate on; at least "
            f"{MIN_TRAIN_REQUESTS} and {MIN_VALIDATION_REQUESTS} are needed (validation takes the latest requests "
            "of users with 3 or more)"
        )
    log.info("training on %s: %d requests (%d for the gate)", source, len(examples), len(gate_examples))
    start = None
    if fine_tune:
        current = served_model(app_parts, model_in_use(app_parts.settings, app_parts.items, app_parts.encoder))
        start = current if current is not None and current.config == model_config else None
    result = train(
        model_config,
        train_config,
        app_parts.training_set(train_examples * weight + list(replayed)),
        app_parts.training_set(stop_examples),
        app_parts.item_matrix(),
        progress,
        warm_start=start,
    )
    metrics = {
        **result.summary(RankingEvaluator().primary_metric),
        "examples": len(examples),
    }
    if start is not None:
        source += ", fine-tuning the model in use"
    gate_set = app_parts.training_set(gate_examples)
    return _gate(app_parts, result.model, model_config, train_config, metrics, gate_set, source)


def model_configs(dim: int, epochs: int) -> tuple[RankerConfig, TrainConfig]:
    """Towers and schedule of the `demo` preset (tuned on the demo catalogue), for any training source."""
    preset = load_preset("demo")
    return RankerConfig(input_dim=dim, output_dim=dim, **preset["model"]), TrainConfig(epochs=epochs, **preset["train"])


def train_demo_through_gate(context: ModelContext, progress: bool = True) -> GateDecision:
    """The demo model (what the catalogue says, before any shopper), gated on fresh simulated shoppers."""
    matrix = context.item_matrix()
    demo = train_demo_model(context.items, matrix.numpy(), context.encoder, context.settings.train_epochs, progress)
    val_set = context.training_set(demo_validation_examples(context))
    sources = {"shoppers": f"simulated shoppers of {context.catalogue}", "catalogue": "catalogue pairs"}
    source = " and ".join(sources[name] for name in load_preset("demo").get("sources", ["shoppers"]))
    return _gate(context, demo.model, demo.model_config, demo.train_config, demo.metrics, val_set, source)


def demo_validation_examples(context: ModelContext) -> list[Example]:
    """The gate's slice (the latest requests) of the time split of simulated shoppers the demo model never saw
    (those of the next seed)."""
    preset = load_preset("demo")
    config = DemoDataConfig(**preset["shoppers"])
    fresh = replace(config, seed=config.seed + 1)
    history_max = model_configs(context.encoder.dim, 1)[0].history_max
    examples = build_examples(simulate_demo_shoppers(context.items, fresh), history_max=history_max)
    return per_user_time_split(examples)[2]


def zero_shot_scores(val_set: TrainingSet, item_matrix: torch.Tensor) -> np.ndarray:
    """(M, N) the frozen encoder alone: request vector · item vector over the whole catalogue."""
    return (val_set.requests @ item_matrix.T).numpy()


def load_or_train_scorer(
    settings: AppSettings, items: list[Item], encoder: Encoder, store: ItemStore, progress: bool = True
) -> tuple[Scorer | None, dict]:
    """The scorer the registry says is served (None: zero-shot), training and gating the demo model when no
    model is registered for this catalogue and encoder or the served checkpoint cannot be used."""
    context = ModelContext(settings, items, encoder, store)
    served = registered_scorer(context)
    return served if served is not None else train_first_model(context, progress)


def registered_scorer(context: ModelContext) -> tuple[Scorer | None, dict] | None:
    """The scorer the registry says is served (None: zero-shot) and what the page says of it; None when the demo
    model must be trained first (nothing registered, or the served checkpoint is unusable)."""
    entry = model_in_use(context.settings, context.items, context.encoder)
    if entry is None:
        log.warning(
            "no model registered for %s: training the demo model, once per catalogue and encoder",
            context.checkpoint.name,
        )
        return None
    if entry.served is None:
        log.warning("serving zero-shot ranking: %s", _last_reason(entry))
        return None, _info(context, entry, {})
    try:
        model, meta = load_model(
            context.items, context.encoder, context.settings.checkpoint_dir / entry.served.checkpoint
        )
    except CheckpointError as error:
        log.warning("no usable checkpoint (%s): training the demo model, once per catalogue and encoder", error)
        return None
    return Scorer(model), _info(context, entry, meta.get("metrics", {}))


def train_first_model(context: ModelContext, progress: bool = True) -> tuple[Scorer | None, dict]:
    """Train and gate the demo model of this catalogue and encoder; its scorer (None: refused, zero-shot serves)."""
    decision = train_demo_through_gate(context, progress)
    entry = model_in_use(context.settings, context.items, context.encoder)
    if not decision.serve:
        log.warning("serving zero-shot ranking: the demo model is refused: %s", decision.reason)
        return None, _info(context, entry, {})
    model, meta = load_model(context.items, context.encoder, context.checkpoint)
    return Scorer(model), _info(context, entry, meta.get("metrics", {}))


def training_info(context: ModelContext) -> dict:
    """What the page says while the first model trains in the background: zero-shot serves meanwhile."""
    return {"checkpoint": str(context.checkpoint), "in_use": "zero-shot while the demo model trains (first start)"}


def _gate(
    context: ModelContext,
    model: WhisperLite,
    model_config: RankerConfig,
    train_config: TrainConfig,
    metrics: dict,
    val_set: TrainingSet,
    source: str,
) -> GateDecision:
    """Score the candidate, zero-shot and the model in use on `val_set`; save and register by the decision."""
    matrix = context.item_matrix()
    evaluator = RankingEvaluator()
    targets = val_set.targets.numpy()

    def per_request(scores: np.ndarray) -> np.ndarray:
        return evaluator.per_query_primary(scores, targets)

    entry = model_in_use(context.settings, context.items, context.encoder) or ModelEntry()
    current_model = served_model(context, entry)
    candidate = per_request(validation_scores(model, val_set, matrix))
    zero_shot = per_request(zero_shot_scores(val_set, matrix))
    others = [zero_shot]
    if current_model is not None:
        others.append(per_request(validation_scores(current_model, val_set, matrix)))
    current = None if current_model is None else float(others[1].mean())
    margin = noise_margin(candidate, *others)
    decision = decide(float(candidate.mean()), float(zero_shot.mean()), current, margin)
    trained_at = datetime.now(UTC).replace(microsecond=0)
    if decision.serve:
        path = context.checkpoint
    else:
        stamp = trained_at.strftime("%Y%m%dT%H%M%SZ")
        path = context.settings.checkpoint_dir / "refused" / f"{context.checkpoint.stem}--{stamp}.pt"
    info, fingerprint = encoder_info(context.encoder), catalog_fingerprint(context.items)
    save_checkpoint(path, model, model_config, train_config, info, fingerprint, metrics, 0)
    record = ModelRecord(
        source, trained_at.isoformat(), decision, str(path.relative_to(context.settings.checkpoint_dir))
    )
    entry = replace(entry, served=record) if decision.serve else replace(entry, refused=(*entry.refused, record))
    registry = read_registry(context.settings.checkpoint_dir)
    write_registry(context.settings.checkpoint_dir, {**registry, context.checkpoint.stem: entry})
    log.info("%s: %s (%s)", "served" if decision.serve else "kept aside", decision.reason, path)
    return decision


def served_model(context: ModelContext, entry: ModelEntry | None) -> WhisperLite | None:
    """The model in use, or None when zero-shot is served or its checkpoint is unusable (it is then not in use)."""
    if entry is None or entry.served is None:
        return None
    try:
        return load_model(context.items, context.encoder, context.settings.checkpoint_dir / entry.served.checkpoint)[0]
    except CheckpointError as error:
        log.warning("the registered model cannot be loaded (%s): the gate compares with zero-shot only", error)
        return None


def load_model(items: list[Item], encoder: Encoder, path: Path) -> tuple[WhisperLite, dict]:
    """A checkpoint of this catalogue and encoder; `CheckpointError`, naming the fix, for any other."""
    return load_checkpoint(path, encoder_info(encoder), catalog_fingerprint(items))


def _last_reason(entry: ModelEntry) -> str:
    return entry.refused[-1].decision.reason if entry.refused else "no trained model beat it"


def _info(context: ModelContext, entry: ModelEntry | None, metrics: dict) -> dict:
    """What the app and `whisperlite model` show: the checkpoint, its training metrics, the public line."""
    in_use = (entry or ModelEntry()).in_use()
    return {"checkpoint": str(context.checkpoint), **metrics, "in_use": in_use}
