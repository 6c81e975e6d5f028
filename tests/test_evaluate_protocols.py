"""Splits and saved candidates: reproducible by seed, no future in the time split."""

from __future__ import annotations

import json

from ranker.data import Example
from ranker.evaluate.protocols import load_or_sample_candidates, per_user_time_split, sample_candidates

ITEMS = [f"i{n}" for n in range(100)]


def _examples(count: int = 30, users: int = 3) -> list[Example]:
    return [Example(f"u{n % users}", ITEMS[n], f"request {n}", (), float(n)) for n in range(count)]


def test_candidates_are_the_target_and_nine_distinct_others():
    candidates = sample_candidates(_examples(), ITEMS, 10, seed=0)
    for (_, items), example in zip(candidates.items(), _examples(), strict=True):
        assert items[0] == example.target
        assert len(set(items)) == 10


def test_candidates_are_reproducible_by_seed_and_differ_across_seeds():
    assert sample_candidates(_examples(), ITEMS, 10, seed=3) == sample_candidates(_examples(), ITEMS, 10, seed=3)
    assert sample_candidates(_examples(), ITEMS, 10, seed=3) != sample_candidates(_examples(), ITEMS, 10, seed=4)


def test_candidates_are_saved_and_reused_from_disk(tmp_path):
    path = tmp_path / "candidates.json"
    first = load_or_sample_candidates(path, _examples(), ITEMS, 10, seed=1)
    saved = json.loads(path.read_text())
    assert saved["seed"] == 1 and saved["candidates"] == first
    saved["candidates"]["q00000-uu0"] = ["i0", "i99"]  # a saved list wins over a fresh draw
    path.write_text(json.dumps(saved))
    assert load_or_sample_candidates(path, _examples(), ITEMS, 10, seed=1)["q00000-uu0"] == ["i0", "i99"]


def test_time_split_puts_each_users_latest_requests_in_test_and_none_before_train():
    examples = _examples(count=60, users=3) + [Example("rare", "i1", "once", (), 5.0)]
    train, val, test = per_user_time_split(examples)
    assert (len(train), len(val), len(test)) == (49, 6, 6)  # 20 per user: 2 test, 2 val; "rare" trains
    for user in ("u0", "u1", "u2"):
        last_train = max(e.time for e in train if e.user == user)
        assert last_train < min(e.time for e in val if e.user == user)
        assert max(e.time for e in val if e.user == user) < min(e.time for e in test if e.user == user)
