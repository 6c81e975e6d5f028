"""Blind interleaving: every system's top k shown once, duplicates credited to each system at its own rank."""

from __future__ import annotations

import random

from chat.study.interleave import interleave

RANKINGS = {
    "a": ["x1", "x2", "x3"],
    "b": ["x2", "y2", "y3"],
    "c": ["z1", "z2", "x1"],
}


def test_every_item_of_every_top_k_is_shown_exactly_once():
    shown = interleave(RANKINGS, 3, random.Random(0))
    ids = [s.item_id for s in shown]
    assert len(ids) == len(set(ids))
    assert set(ids) == {item for ranked in RANKINGS.values() for item in ranked}


def test_a_shared_item_is_credited_to_every_system_at_its_rank_there():
    credits = {s.item_id: dict(s.credits) for s in interleave(RANKINGS, 3, random.Random(1))}
    assert credits["x2"] == {"a": 2, "b": 1}
    assert credits["x1"] == {"a": 1, "c": 3}
    assert credits["y3"] == {"b": 3}


def test_only_the_first_k_of_a_ranking_are_shown():
    shown = interleave({"a": ["1", "2", "3", "4"], "b": ["5", "6", "7"]}, 2, random.Random(0))
    assert {s.item_id for s in shown} == {"1", "2", "5", "6"}


def test_round_one_shows_every_systems_top_item_before_any_second_one():
    shown = interleave({"a": ["a1", "a2"], "b": ["b1", "b2"], "c": ["c1", "c2"]}, 2, random.Random(3))
    assert {s.item_id for s in shown[:3]} == {"a1", "b1", "c1"}


def test_the_order_of_systems_within_a_round_is_drawn_so_no_system_owns_the_top_card():
    firsts = {interleave({"a": ["a1"], "b": ["b1"]}, 1, random.Random(seed))[0].item_id for seed in range(20)}
    assert firsts == {"a1", "b1"}


def test_the_same_seed_gives_the_same_page():
    assert interleave(RANKINGS, 3, random.Random(7)) == interleave(RANKINGS, 3, random.Random(7))


def test_a_system_returning_fewer_than_k_items_gives_what_it_has():
    shown = interleave({"a": ["a1"], "b": ["b1", "b2", "b3"]}, 3, random.Random(0))
    assert [s.item_id for s in shown if "a" in s.credits] == ["a1"]
    assert len(shown) == 4
