"""Specifications of the hybrid baselines: zero-shot similarity plus a validation-chosen weight of the history's,
in the encoder's space or in the collaborative one."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ranker.collaborative import CollaborativeSpace
from ranker.data import Example
from ranker.evaluate.baselines import ZeroShotCollaborativeSystem, ZeroShotHistorySystem, ZeroShotSystem
from ranker.evaluate.systems import Context

D = 8


def _context(request_vector: np.ndarray) -> Context:
    """Items 0-3 are one direction each; items 4-7 their mirror images, near the request only by noise."""
    rng = np.random.default_rng(0)
    items = np.vstack([np.eye(4, D), np.eye(4, D, k=4)]) + 0.05 * rng.normal(size=(8, D))
    items /= np.linalg.norm(items, axis=1, keepdims=True)
    return Context(
        item_ids=[f"i{i}" for i in range(8)],
        item_texts=[""] * 8,
        item_vectors=items.astype(np.float32),
        request_index={"r": 0},
        request_vectors=request_vector[None].astype(np.float32),
    )


def _examples(target: str, history: tuple[str, ...], count: int = 6) -> list[Example]:
    return [Example(f"u{n}", target, "r", history, float(n)) for n in range(count)]


def test_the_hybrid_keeps_zero_shot_when_history_does_not_help_on_validation():
    request = np.eye(1, D, 1)[0]  # points at item 1, the target
    context = _context(request)
    hybrid = ZeroShotHistorySystem("enc")
    val = _examples("i1", ("i4",))  # a history pointing at an unrelated item
    hybrid.fit([], val, context, seed=0)
    assert hybrid.weight == 0.0
    zero_shot = ZeroShotSystem("enc").scores(val, context)
    assert np.array_equal(hybrid.scores(val, context), zero_shot)


def test_the_hybrid_weighs_in_a_history_that_finds_the_target_on_validation():
    request = (np.eye(1, D, 0)[0] + np.eye(1, D, 1)[0]) / np.sqrt(2)  # as near item 0 as the target, item 1
    context = _context(request)
    near_target = context.item_vectors[1] * 0.9 + context.item_vectors[2] * 0.1
    context.item_vectors[3] = near_target / np.linalg.norm(near_target)  # the history's item, like the target
    hybrid = ZeroShotHistorySystem("enc")
    val = [Example("u", "i1", "r", ("i3",), 0.0)]
    hybrid.fit([], val, context, seed=0)
    assert hybrid.weight > 0.0
    scores = hybrid.scores(val, context)[0]
    scores[3] = -np.inf  # the history item itself is never recommended (the runner masks it)
    assert np.argmax(scores) == 1
    assert [point["weight"] for point in hybrid.tuning] == list(ZeroShotHistorySystem.WEIGHTS)


def _logged_context() -> Context:
    """Item 1 (the target) is taken by the shoppers who took item 5; items 0 and 2 by others."""
    request = (np.eye(1, D, 0)[0] + np.eye(1, D, 1)[0]) / np.sqrt(2)  # as near item 0 as the target, item 1
    context = _context(request)
    log = [(f"s{n}", item) for n in range(4) for item in ("i1", "i5")]
    log += [(f"t{n}", item) for n in range(4) for item in ("i0", "i2", "i6")]
    return replace(context, collaborative=CollaborativeSpace.fit(log, context.item_ids, rank=2))


def test_the_collaborative_hybrid_weighs_in_a_history_whose_shoppers_took_the_target():
    context = _logged_context()
    hybrid = ZeroShotCollaborativeSystem("enc")
    val = [Example("u", "i1", "r", ("i5",), 0.0)]
    hybrid.fit([], val, context, seed=0)
    assert hybrid.weight > 0.0
    scores = hybrid.scores(val, context)[0]
    scores[5] = -np.inf
    assert np.argmax(scores) == 1


def test_the_collaborative_hybrid_is_zero_shot_without_a_log():
    context = _context(np.eye(1, D, 1)[0])
    hybrid = ZeroShotCollaborativeSystem("enc")
    val = _examples("i1", ("i5",))
    hybrid.fit([], val, context, seed=0)
    assert np.array_equal(hybrid.scores(val, context), ZeroShotSystem("enc").scores(val, context))
