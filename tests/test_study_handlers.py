"""The study's actions in-process on the demo app: a task, its blind JSON, grading, and whose ratings they are."""

from __future__ import annotations

import json
import random

import pytest
from test_ui_handlers import profile

from chat.study.systems import SYSTEMS
from chat.web.handlers import Handlers
from chat.web.study import StudyHandlers
from store.ratings import RatingStore


@pytest.fixture(scope="module")
def study(demo_app) -> StudyHandlers:
    return StudyHandlers(demo_app, rng=random.Random(0))


def _ratings(demo_app):
    return RatingStore(demo_app.settings.users_path).ratings()


def test_the_default_study_set_is_worded_from_the_catalogue(study, demo_app):
    colours = {item.colour for item in demo_app.catalog.items}
    assert len(study.requests) >= 20
    assert all(request.split()[0] in colours for request in study.requests)


def test_a_task_json_holds_the_request_and_cards_but_no_system_score_or_reason(study):
    round_ = study.next_task(None)
    task = study.task_json(round_)
    assert task["request"] == round_.task.request and len(task["cards"]) == len(round_.shown) >= task["k"]
    text = json.dumps(task)
    assert not [name for name in (*SYSTEMS, "score", "why") if f'"{name}"' in text or name in text.lower()]


def test_a_guests_ratings_are_stored_under_an_opaque_session_and_no_account(study, demo_app):
    round_ = study.next_task(None)
    before = len(_ratings(demo_app))
    result, after = study.rate(["4"] * len(round_.shown), round_)
    assert result["stored"] == len(round_.shown) and after.task is None and after.rated == 1
    mine = _ratings(demo_app)[before:]
    assert {r.account_id for r in mine} == {None} and {r.rater_session for r in mine} == {round_.rater_session}
    assert all(set(r.systems) <= set(SYSTEMS) and r.systems for r in mine)


@pytest.mark.parametrize("grade", ["0", "6", "five", "", None, "4.5"])
def test_a_grade_that_is_not_one_to_five_is_refused_and_nothing_is_stored(study, demo_app, grade):
    round_ = study.next_task(None)
    before = len(_ratings(demo_app))
    result, after = study.rate([grade, *["3"] * (len(round_.shown) - 1)], round_)
    assert "card 1 has no grade" in result["error"] and after is round_
    assert len(_ratings(demo_app)) == before


def test_rating_before_any_task_says_what_to_do(study):
    assert "Next request" in study.rate(["5"], None)[0]["error"]


def test_a_signed_in_raters_ratings_are_in_their_data_and_forgotten_with_them(study, demo_app):
    hana = profile("hana")
    round_ = study.next_task(None)
    study.rate(["5"] * len(round_.shown), round_, hana)
    handlers = Handlers(demo_app)
    exported = handlers.my_data(hana)["study_ratings"]
    assert len(exported) == len(round_.shown) and {r["request"] for r in exported} == {round_.task.request}
    assert handlers.my_data(profile("ivan")).get("study_ratings", []) == []
    assert handlers.forget_me(hana)["deleted"]["study_ratings"] == len(round_.shown)
    assert not [r for r in _ratings(demo_app) if r.account_id == "hf:hana"]
