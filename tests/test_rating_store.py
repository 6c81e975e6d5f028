"""The study's ratings on each backend: stored with their systems, one transaction per task, read as feedback."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from store.ratings import Rating, RatingStore
from store.users import UserStore


def _rating(item_id: str, grade: int, systems: dict[str, int], account: str | None = None, when: float = 1.0):
    return Rating("session-1", account, "task-1", "a red dress", 3, item_id, grade, systems, when)


def test_ratings_are_stored_with_the_systems_and_ranks_that_returned_the_card(users_url):
    store = RatingStore(users_url)
    assert store.record([_rating("i1", 5, {"zero-shot": 1, "whisperlite": 2}), _rating("i2", 2, {"random": 3})]) == 2
    stored = RatingStore(users_url).ratings()  # a new object reads the same rows
    assert [(r.item_id, r.grade, dict(r.systems)) for r in stored] == [
        ("i1", 5, {"whisperlite": 2, "zero-shot": 1}),
        ("i2", 2, {"random": 3}),
    ]
    assert stored[0].request == "a red dress" and stored[0].k == 3 and stored[0].account_id is None


def test_a_bad_grade_stores_none_of_the_tasks_ratings(users_url):
    store = RatingStore(users_url)
    with pytest.raises(ValueError, match="1 to 5"):
        store.record([_rating("i1", 4, {"random": 1}), _rating("i2", 9, {"random": 2})])
    assert store.ratings() == []


def test_ratings_live_in_the_user_stores_database_in_a_table_of_their_own(users_url):
    UserStore(users_url)
    store = RatingStore(users_url)
    store.record([_rating("i1", 4, {"random": 1})])
    assert {"users", "interactions", "study_ratings"} <= set(inspect(store.database.engine).get_table_names())


def test_ratings_read_as_graded_feedback_events_for_training(users_url):
    store = RatingStore(users_url)
    store.record([_rating("i1", 5, {"zero-shot": 1, "whisperlite": 2}, account="hf:sam", when=5.0)])
    (event,) = store.as_feedback()
    assert (event.kind, event.grade, event.item_id, event.request) == ("rating", 5, "i1", "a red dress")
    assert (event.session_id, event.user_id, event.time) == ("session-1", "hf:sam", 5.0)
    assert event.detail == "study task task-1, k=3: whisperlite@2, zero-shot@1"


def test_forgetting_an_account_deletes_its_ratings_only(users_url):
    store = RatingStore(users_url)
    store.record([_rating("i1", 5, {"random": 1}, account="hf:sam"), _rating("i2", 1, {"random": 2})])
    assert store.forget("hf:sam") == 1
    assert [r.item_id for r in store.ratings()] == ["i2"]
