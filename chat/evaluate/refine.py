"""The `refine` protocol: does "like this one but darker" return darker items of the same kind?

It lives in chat/ (not ranker/evaluate/) because it drives the chat's Recommender and chat/relations.py, and
ranker/ never imports chat/.

Catalogue: the Kaggle Fashion Product Images with a photo (store/catalogs/kaggle.py), ingested with the offline
MiniLM into a real Chroma folder under `cache_dir` (idempotent: a second run re-embeds nothing), measured at
ingest (store/measure.py); the demo WhisperLite is trained on simulated shoppers of it (ranker/demo.py).

For each relation and up to `references` reference items (a seeded sample of the items for which the relation
can apply and at least `k` other items satisfy it), the next turn is asked of three systems:
- `relation`: the chat's path: `Request.relations` (reference's category AND the relation, query = the
  reference's vector plus its title's), ranked by WhisperLite with the frozen similarity;
- `words-appended`: today's behaviour without the relation: the reference's title with the comparative words
  appended ("..., but darker") as the request text, same recommender, no relation filter;
- `zero-shot`: the frozen encoder's nearest neighbours of the reference's vector ("more like this").
The reference itself is never a candidate.

Metrics, per relation and system:
- `satisfied@8`: the share of the top 8 that satisfy the relation with respect to the reference AND share its
  category (empty slots count as unsatisfied);
- `target hit_rate@8` and `target mrr@100` (ranx): the held-out target is the satisfying item nearest to the
  reference by frozen cosine: the shopper wants the same thing, changed as they said. The target is defined with
  the frozen vectors the relation path queries from, so this favours systems that query near the reference; it
  is a check that the right item comes first, not an independent relevance judgement.
Beside them, the share of the sampled items each relation could not be applied to, and the agreement of each
item's measured colour with its catalogued `baseColour`, per colour.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from chat.relations import relation_filter
from chat.request import RelationRequest, Request
from store.index import ItemIndex
from store.item import Item

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "fashion-product-images"
K = 8
RANKED = 100  # items ranked per request, for the target's rank (MRR over the top 100)
# relation -> the words a shopper appends today ("..., but darker")
EVALUATED = {
    "darker": "darker",
    "lighter": "lighter",
    "more_colourful": "more colourful",
    "plainer": "plainer",
    "cheaper": "cheaper",
    "pricier": "more expensive",
    "more_formal": "more formal",
    "more_casual": "more casual",
    "other_colour": "in another colour",
}
SYSTEMS = ("relation", "words-appended", "zero-shot")
TARGET_METRICS = ("hit_rate@8", "mrr@100")


@dataclass(frozen=True)
class RefineConfig:
    data: Path = DATA
    references: int = 300  # per relation
    limit: int | None = None  # items read from the catalogue (None: every product with a photo)
    seed: int = 0
    epochs: int = 10  # the demo model's ceiling (early stopping on its validation set)
    cache_dir: Path = Path("data/cache/refine")
    relations: tuple[str, ...] = tuple(EVALUATED)


@dataclass(frozen=True)
class RelationResult:
    """One relation's numbers: metric -> system -> value, and how many references were asked."""

    relation: str
    references: int
    not_applicable: float  # share of sampled items the relation could not be applied to (unknown property)
    too_few: float  # share of applicable sampled items with fewer than K satisfying items (skipped)
    metrics: dict[str, dict[str, float]]


@dataclass(frozen=True)
class RefineReport:
    config: dict
    items: int
    seconds: float
    results: list[RelationResult]
    colour_agreement: dict[str, tuple[int, float]]  # catalogued colour -> (items, share measured the same)
    notes: dict[str, str] = field(default_factory=dict)


def satisfied_at(ranked_ids: list[str], satisfying: set[str], k: int = K) -> float:
    """Share of the first k slots holding a satisfying item; a list shorter than k counts its empty slots as not."""
    return sum(1 for item_id in ranked_ids[:k] if item_id in satisfying) / k


def colour_agreement(items: list[Item]) -> dict[str, tuple[int, float]]:
    """Per catalogued colour: how many pictured items carry it, and the share whose measured colour is the same."""
    totals: Counter[str] = Counter()
    agree: Counter[str] = Counter()
    for item in items:
        if item.colour_source == "catalogue" and item.measures is not None and item.measures.source == "picture":
            totals[item.colour] += 1
            agree[item.colour] += item.measures.colour == item.colour
    overall = sum(totals.values())
    shares = {colour: (totals[colour], agree[colour] / totals[colour]) for colour, _ in totals.most_common()}
    shares["all"] = (overall, sum(agree.values()) / overall if overall else 0.0)
    return shares


def _ranked_ids(recommender, request: Request) -> list[str]:
    return [pick.item.id for pick in recommender.recommend(request)]


def evaluate_relation(recommender, index: ItemIndex, relation: str, config: RefineConfig) -> RelationResult:
    """Sample references for `relation`, ask the three systems, and score their answers."""
    rng = random.Random(f"refine-{config.seed}-{relation}")
    order = list(range(len(index.items)))
    rng.shuffle(order)
    asked = not_applicable = too_few = 0
    satisfied: dict[str, list[float]] = {system: [] for system in SYSTEMS}
    targets: dict[str, str] = {}
    runs: dict[str, dict[str, dict[str, float]]] = {system: {} for system in SYSTEMS}
    for row in order:
        if asked >= config.references:
            break
        reference = index.items[row]
        applied = relation_filter(relation, reference)
        if not applied.supported:
            not_applicable += 1
            continue
        mask = index.mask(applied.where)
        mask[row] = False
        if mask.sum() < K:
            too_few += 1
            continue
        asked += 1
        rows = np.flatnonzero(mask)
        satisfying = {index.items[i].id for i in rows}
        query = f"{relation}:{reference.id}"
        targets[query] = index.items[rows[int(np.argmax(index.matrix[rows] @ index.matrix[row]))]].id
        answers = {
            "relation": _ranked_ids(
                recommender,
                Request(text=reference.title, relations=(RelationRequest(relation, reference.id),), k=RANKED),
            ),
            "words-appended": _ranked_ids(
                recommender,
                Request(
                    text=f"{reference.title}, but {EVALUATED[relation]}",
                    exclude_ids=frozenset({reference.id}),
                    k=RANKED,
                ),
            ),
            "zero-shot": [hit.item.id for hit in index.query(index.matrix[row], k=RANKED, exclude_ids=[reference.id])],
        }
        for system, ranked in answers.items():
            satisfied[system].append(satisfied_at(ranked, satisfying))
            runs[system][query] = {item_id: float(RANKED - rank) for rank, item_id in enumerate(ranked)}
    shares = {system: float(np.mean(values or [0.0])) for system, values in satisfied.items()}
    metrics: dict[str, dict[str, float]] = {"satisfied@8": shares}
    if targets:
        from ranker.evaluate.metrics import per_query_metrics

        for system in SYSTEMS:
            run = {query: runs[system][query] or {"": 0.0} for query in targets}
            per_query = per_query_metrics(targets, run, TARGET_METRICS)
            for metric in TARGET_METRICS:
                metrics.setdefault(f"target {metric}", {})[system] = float(np.mean(list(per_query[metric].values())))
    sampled = asked + not_applicable + too_few
    return RelationResult(
        relation,
        asked,
        not_applicable / sampled if sampled else 0.0,
        too_few / max(sampled - not_applicable, 1),
        metrics,
    )


def run_refine(config: RefineConfig) -> RefineReport:
    """Read, ingest (cached), train the demo model, then evaluate every relation."""
    from chat.recommender import Recommender
    from ranker.demo import train_demo_model
    from ranker.encoders import SentenceEncoder
    from ranker.model import Scorer
    from store.catalogs.kaggle import read_fashion_product_images
    from store.ingest import ingest
    from store.items import ItemStore, ItemStoreConfig
    from store.users import UserStore

    started = time.perf_counter()
    items = read_fashion_product_images(config.data, limit=config.limit, with_images_only=True).items
    encoder = SentenceEncoder()
    name = f"kaggle-refine-{config.limit or 'all'}"
    store = ItemStore(ItemStoreConfig(path=config.cache_dir / "chroma"), name, encoder.name, encoder.dim)
    ingest(items, encoder, store)
    index = ItemIndex.from_store(store)
    demo = train_demo_model(index.items, index.matrix, encoder, epochs=config.epochs)
    with tempfile.TemporaryDirectory() as folder:
        users = UserStore(Path(folder) / "users.sqlite")
        recommender = Recommender(encoder, index, users, Scorer(demo.model))
        results = [
            evaluate_relation(recommender, index, relation, config)
            for relation in tqdm(config.relations, desc="refine protocol", unit="relation")
        ]
    return RefineReport(
        config={key: str(value) for key, value in vars(config).items()},
        items=len(index),
        seconds=round(time.perf_counter() - started, 1),
        results=results,
        colour_agreement=colour_agreement(index.items),
        notes={"encoder": encoder.name, "demo model val": f"{demo.validation_score:.4f}"},
    )
