"""Named protocols: how examples are split, what each test request is ranked against, and which metrics.

- `paper@10cands`: the paper's Table 3 setting. Random 80/10/10 split of all examples (a new split per seed);
  each test request ranks 10 candidates, its true item plus 9 distinct random catalogue items, drawn with
  the seed and saved to disk. P@1..4, R@1..4, NDCG@10.
- `paper@10cands-temporal`: the same candidates and metrics on the per-user time split below, where the
  history extension cannot see the future.
- `full-catalogue`: per-user time split; each test request ranks the whole catalogue except the items of its
  own history (already bought / rated). Recall@10/50, NDCG@10/50, MRR.

The per-user time split cuts each user's requests, in time order, 80/10/10 (a user with n >= 3 requests gives
max(1, round(0.1 n)) to test and as many to validation; fewer requests all go to train). Keeping only each
user's LAST request for test would leave MovieLens (58 taggers, 24 with 3 or more requests) 24 test queries:
too few to tell systems apart. Protocols that share a split share the fitted systems.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ranker.data import Example, Split, random_split
from ranker.evaluate.evaluator import RankingEvaluator
from ranker.evaluate.metrics import FULL_METRICS, PAPER_METRICS


@dataclass(frozen=True)
class Protocol:
    name: str
    split: Literal["random", "temporal"]
    candidates: int | None  # None: the whole catalogue
    metrics: tuple[str, ...]
    headline: str  # the metric the bar chart shows

    @property
    def evaluator(self) -> RankingEvaluator:
        """Scores the test requests: `test/<metric>` for each of the protocol's metrics."""
        return RankingEvaluator(self.metrics, split="test", primary=self.headline)

    def split_examples(self, examples: Sequence[Example], seed: int) -> Split:
        return random_split(examples, seed) if self.split == "random" else per_user_time_split(examples)


def per_user_time_split(examples: Sequence[Example], fraction: float = 0.1) -> Split:
    """Each user's requests in time order: the last max(1, round(fraction n)) test, as many before them
    validation, the rest train; users with fewer than 3 requests go wholly to train."""
    by_user: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        by_user[example.user].append(example)
    train, val, test = [], [], []
    for user in sorted(by_user):
        ordered = sorted(by_user[user], key=lambda example: example.time)
        if len(ordered) < 3:
            train += ordered
            continue
        held = max(1, round(fraction * len(ordered)))
        train += ordered[: -2 * held]
        val += ordered[-2 * held : -held]
        test += ordered[-held:]
    return train, val, test


PROTOCOLS: dict[str, Protocol] = {
    protocol.name: protocol
    for protocol in (
        Protocol("paper@10cands", "random", 10, PAPER_METRICS, "precision@1"),
        Protocol("paper@10cands-temporal", "temporal", 10, PAPER_METRICS, "precision@1"),
        Protocol("full-catalogue", "temporal", None, FULL_METRICS, "ndcg@10"),
    )
}


def query_ids(examples: Sequence[Example]) -> list[str]:
    """Stable, readable query ids: position in the test list plus the user."""
    return [f"q{index:05d}-u{example.user}" for index, example in enumerate(examples)]


def sample_candidates(
    examples: Sequence[Example], item_ids: Sequence[str], count: int, seed: int
) -> dict[str, list[str]]:
    """query id -> [target, count - 1 distinct random other items], from one seeded generator."""
    rng = random.Random(seed)
    out: dict[str, list[str]] = {}
    for query, example in zip(query_ids(examples), examples, strict=True):
        others: list[str] = []
        while len(others) < count - 1:
            item = item_ids[rng.randrange(len(item_ids))]
            if item != example.target and item not in others:
                others.append(item)
        out[query] = [example.target, *others]
    return out


def load_or_sample_candidates(
    path: Path, examples: Sequence[Example], item_ids: Sequence[str], count: int, seed: int
) -> dict[str, list[str]]:
    """Candidates saved at `path` (JSON with seed, queries and targets) are reused when they were drawn for
    the same seed and test examples; otherwise they are drawn and saved, so every system and re-run sees the
    same lists."""
    queries = query_ids(examples)
    targets = [example.target for example in examples]
    if path.is_file():
        saved = json.loads(path.read_text())
        if saved["seed"] == seed and saved["queries"] == queries and saved["targets"] == targets:
            return saved["candidates"]
    candidates = sample_candidates(examples, item_ids, count, seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"seed": seed, "queries": queries, "targets": targets, "candidates": candidates}))
    return candidates
