"""The demo model: WhisperLite trained on first start, before any shopper, on what the app's catalogue says.

Two sources of training requests, chosen by the preset's `sources`:
- "catalogue": requests written from each item's own fields and title (`ranker.catalogue_pairs`), no history;
  a share of the items is held out, with its pairs, for validation.
- "shoppers": simulated shoppers. Each demo shopper's taste (`store.demo_shoppers`) gives `shoppers_per_taste`
  simulated shoppers, each with a favourite colour; their histories are items of that taste, and their requests
  describe a target item of their taste with zero to two of its attributes ("a dress", "a blue dress", "a linen
  dress for beach weddings"). A vague request has many matching items, and the one the shopper wanted is the
  one that fits their taste: that is what teaches the history extension its job. Only this source has
  histories, so without it the model has no history modules (they would stay untrained).
Every result trained on this data is semi-synthetic. Which sources serve, and why, is measured by
`python -m ranker.evaluate.day_one` (docs/results.md, "Day-one model").

Sizes, towers and schedule are the preset `demo` (`ranker/configs/demo.json`). Residual towers (starting at the
zero-shot encoder's similarity) reached validation NDCG@10 0.73 on the demo catalogue against 0.63 for plain ones.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from ranker.catalogue_pairs import CATALOGUE_USER, PairConfig, catalogue_pairs
from ranker.configs import load_preset
from ranker.data import Example, ReviewEvent, TrainingSet, build_examples, random_split
from ranker.encoders import Encoder
from ranker.evaluate.evaluator import RankingEvaluator
from ranker.model import RankerConfig, WhisperLite
from ranker.simulate.requests import describe_request
from ranker.simulate.shoppers import ShopperShape, simulate_shopper
from ranker.simulate.taste import Catalogue, Preference, Taste
from ranker.train import TrainConfig, train
from store.demo_shoppers import shoppers_for
from store.item import Item

log = logging.getLogger(__name__)

MIN_EXAMPLES = 30  # fewer requests cannot fill a validation set worth early stopping on


@dataclass(frozen=True)
class DemoDataConfig:
    """Size of the simulated population: 4 tastes x `shoppers_per_taste`, each with `history_length` purchases
    (a share `taste_noise` of them outside the taste) and `requests_per_shopper` requests; items of the
    shopper's favourite colour weigh 1 + `favourite_colour_boost` times as much."""

    shoppers_per_taste: int
    history_length: int
    requests_per_shopper: int
    taste_noise: float
    favourite_colour_boost: float
    seed: int

    @property
    def shape(self) -> ShopperShape:
        history, requests = self.history_length, self.requests_per_shopper
        return ShopperShape(history, history, requests, requests, self.taste_noise, order="batched")


@dataclass(frozen=True)
class DemoModel:
    model: WhisperLite
    model_config: RankerConfig
    train_config: TrainConfig
    metrics: dict[str, float]  # the evaluator's primary metric at the best epoch, the epoch, the examples

    @property
    def validation_score(self) -> float:
        return self.metrics[RankingEvaluator().primary_metric]


Source = Literal["catalogue", "shoppers"]


@dataclass(frozen=True)
class DemoPreset:
    """Everything the first-start training reads: its sources of requests, their sizes, towers and schedule.
    `model.use_history` holds only with the "shoppers" source: the catalogue's requests have no history."""

    sources: tuple[Source, ...]
    shoppers: DemoDataConfig
    pairs: PairConfig
    model: RankerConfig
    train: TrainConfig


def demo_preset(dim: int, epochs: int) -> DemoPreset:
    """The `demo` preset for an encoder of dimension `dim` (residual towers keep it), training at most `epochs`."""
    preset = load_preset("demo")
    sources = tuple(preset["sources"])
    data = DemoDataConfig(**preset["shoppers"])
    model = RankerConfig(input_dim=dim, output_dim=dim, **preset["model"])
    train_config = TrainConfig(epochs=epochs, seed=data.seed, **preset["train"])
    return DemoPreset(sources, data, PairConfig(**preset["catalogue"]), model, train_config)


def simulate_demo_shoppers(items: list[Item], config: DemoDataConfig) -> list[ReviewEvent]:
    """The simulated shoppers' purchases and requests; a taste with too few items in the catalogue has none."""
    rng = random.Random(config.seed)
    attributes = {"colour": lambda item: item.colour}
    for shopper in shoppers_for(items):
        attributes[shopper.user.id] = lambda item, taste=shopper.taste: "yes" if taste.matches(item) else "no"
    catalogue = Catalogue(items, attributes)
    events: list[ReviewEvent] = []
    for shopper in shoppers_for(items):
        liked = catalogue.columns[shopper.user.id] == "yes"
        if liked.sum() < config.history_length + config.requests_per_shopper:
            continue
        colours = sorted(set(catalogue.columns["colour"][liked]))
        for n in range(config.shoppers_per_taste):
            favourite = Preference("colour", (rng.choice(colours),), config.favourite_colour_boost)
            taste = Taste((favourite,), required={shopper.user.id: ("yes",)})
            user = f"sim-{shopper.user.id}-{n}"
            events += simulate_shopper(user, taste, catalogue, config.shape, describe_request, rng)
    return events


def demo_examples(items: list[Item], preset: DemoPreset) -> tuple[list[Example], list[Example]]:
    """(train, validation) requests of the preset's sources: catalogue pairs split by item, simulated shoppers'
    requests split at random."""
    train: list[Example] = []
    validation: list[Example] = []
    if "catalogue" in preset.sources:
        pairs = catalogue_pairs(items, preset.pairs)
        train, validation = train + pairs.train, validation + pairs.validation
    if "shoppers" in preset.sources:
        events = simulate_demo_shoppers(items, preset.shoppers)
        examples = build_examples(events, history_max=preset.model.history_max)
        shopper_train, shopper_validation, _ = random_split(examples, seed=preset.shoppers.seed)
        train, validation = train + shopper_train, validation + shopper_validation
    return train, validation


def train_demo_model(
    items: list[Item], item_matrix: np.ndarray, encoder: Encoder, epochs: int, progress: bool = True
) -> DemoModel:
    """Train the `demo` preset; item_matrix (N, D) holds the stored vectors of `items`, row for row."""
    return train_preset(items, item_matrix, demo_preset(encoder.dim, epochs), encoder.encode_text, progress)


def train_preset(
    items: list[Item],
    item_matrix: np.ndarray,
    preset: DemoPreset,
    encode: Callable[[list[str]], np.ndarray],
    progress: bool = True,
) -> DemoModel:
    """Train on the preset's sources; `encode` turns request texts into (n, D) frozen-encoder vectors."""
    train_examples, val_examples = demo_examples(items, preset)
    count = len(train_examples) + len(val_examples)
    if count < MIN_EXAMPLES or not val_examples:
        raise ValueError(f"the catalogue gives only {count} training requests; the demo model needs {MIN_EXAMPLES}")
    index = {item.id: row for row, item in enumerate(items)}
    texts = sorted({example.request_text for example in train_examples + val_examples})
    vectors = dict(zip(texts, encode(texts)))

    def tensors(subset):
        return TrainingSet.from_examples(subset, index, np.stack([vectors[e.request_text] for e in subset]))

    log.info(
        "training the demo model on %d requests (%d for validation) from %s", count, len(val_examples), preset.sources
    )
    model_config = replace(preset.model, use_history=preset.model.use_history and "shoppers" in preset.sources)
    evaluator = RankingEvaluator()
    result = train(
        model_config, preset.train, tensors(train_examples), tensors(val_examples), item_matrix, progress, evaluator
    )
    catalogue = sum(example.user == CATALOGUE_USER for example in train_examples + val_examples)
    metrics = {
        **result.summary(evaluator.primary_metric),
        "examples": count,
        "catalogue_examples": catalogue,
        "shopper_examples": count - catalogue,
    }
    return DemoModel(result.model, model_config, preset.train, metrics)
