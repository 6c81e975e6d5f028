"""The chat's feedback log: every like, rejection, relaxation and purchase kept with the request in force, with
identity only for a signed-in account, and included in that account's export and forget."""

from __future__ import annotations

import sqlite3

import pytest
from fake_shop import FakeFeedbackStore, FakeRecommender
from sqlalchemy import inspect

from chat.conversation import Conversation
from store.feedback import FeedbackEvent, FeedbackLog
from store.users import User, UserStore


def event(kind="like", item_id="d1", user_id=None, **more) -> FeedbackEvent:
    return FeedbackEvent("s1", user_id, item_id, kind, "a red dress", 1.0, **more)


def test_events_come_back_in_the_order_they_were_stored(users_url):
    log = FeedbackLog(users_url)
    log.record([event("like", "d1"), event("reject", "d2")])
    log.record([event("rating", "d3", grade=4, detail="study: whisperlite")])
    assert log.events() == [
        event("like", "d1"),
        event("reject", "d2"),
        event("rating", "d3", grade=4, detail="study: whisperlite"),
    ]


def test_the_log_shares_the_user_store_file_in_its_own_table_with_a_wal_journal(tmp_path):
    path = tmp_path / "users.sqlite"
    UserStore(path)
    FeedbackLog(path).record([event()])
    with sqlite3.connect(path) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"users", "interactions", "feedback_events"} <= tables
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_log_is_a_table_of_its_own_beside_the_users_on_either_backend(users_url):
    UserStore(users_url)
    log = FeedbackLog(users_url)
    log.record([event()])
    assert {"users", "interactions", "feedback_events"} <= set(inspect(log.database.engine).get_table_names())


@pytest.mark.parametrize(
    "kind, item_id, grade",
    [("rating", "d1", None), ("rating", "d1", 6), ("like", "d1", 3), ("relax", "d1", None), ("like", None, None)],
)
def test_an_event_that_breaks_its_kind_is_refused(kind, item_id, grade):
    with pytest.raises(ValueError):
        FeedbackEvent("s1", None, item_id, kind, "a dress", 1.0, grade)


def test_a_signed_in_shoppers_events_are_exported_and_forgotten_and_nobody_elses(users_url):
    users, log = UserStore(users_url), FeedbackLog(users_url)
    users.add_user(User("hf:ana", "Ana"))
    log.record([event("like", "d1", user_id="hf:ana"), event("like", "d2", user_id=None)])
    exported = users.export("hf:ana")["feedback"]
    assert [(row["item_id"], row["kind"], row["request"]) for row in exported] == [("d1", "like", "a red dress")]
    assert users.forget("hf:ana")["feedback_events"] == 1
    assert log.events() == [event("like", "d2", user_id=None)]


def test_a_like_a_rejection_and_a_purchase_carry_the_request_their_card_was_ranked_for():
    recommender, conversation = FakeRecommender(), Conversation()
    conversation.respond("a blue dress", recommender)
    conversation.feedback(1, "like")
    conversation.respond("not that one", recommender)
    conversation.feedback(1, "purchase")
    events = conversation.take_events()
    assert [(e.kind, e.item_id, e.request) for e in events] == [
        ("like", "d2", "blue dress"),
        ("reject", "d2", "blue dress"),
        ("purchase", "d3", "blue dress"),
    ]
    assert conversation.take_events() == []


def test_a_relaxed_filter_is_an_event_naming_the_filter_and_no_item():
    recommender, conversation = FakeRecommender(), Conversation()
    conversation.respond("a dress in red", recommender)
    conversation.respond("made of silk", recommender)
    conversation.respond("yes", recommender)
    (relaxed,) = conversation.take_events()
    assert (relaxed.kind, relaxed.item_id, relaxed.detail) == ("relax", None, "materials")


def test_a_filter_taken_back_unprompted_is_a_relax_event_with_the_request_it_was_part_of():
    recommender, conversation = FakeRecommender(), Conversation()
    conversation.respond("a dress in red", recommender)
    conversation.respond("forget the red", recommender)
    (relaxed,) = conversation.take_events()
    assert (relaxed.kind, relaxed.item_id, relaxed.detail) == ("relax", None, "colours")
    assert relaxed.request == "dress in red"


def test_a_guest_or_persona_event_names_the_session_only_and_an_account_event_its_account():
    recommender = FakeRecommender()
    persona = Conversation(user_id="maya", remembered=False)
    account = Conversation(user_id="hf:ana", remembered=True)
    for conversation in (persona, account):
        conversation.respond("a dress", recommender)
        conversation.feedback(1, "like", FakeFeedbackStore())
    assert [(e.user_id, e.session_id) for e in persona.take_events()] == [(None, persona.session_id)]
    assert [e.user_id for e in account.take_events()] == ["hf:ana"]


def test_a_purchase_is_stored_as_a_purchase_for_a_remembered_shopper():
    store, conversation = FakeFeedbackStore(), Conversation(user_id="hf:ana", remembered=True)
    conversation.respond("a dress", FakeRecommender())
    assert "Bought" in conversation.feedback(2, "purchase", store)
    assert store.recorded == [("hf:ana", "d2", "purchase")]
