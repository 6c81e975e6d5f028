"""The demo model and history: different shoppers, same words, different cards; cold start still works."""

from __future__ import annotations

import pytest

from chat.recommender import Request
from ranker.evaluate.evaluator import RankingEvaluator

pytestmark = pytest.mark.slow


def top_ids(app, text: str, user: str | None, k: int = 5) -> list[str]:
    return [r.item.id for r in app.recommender.recommend(Request(text=text, user_id=user, k=k))]


def test_the_demo_model_was_trained_and_loaded(demo_app):
    assert demo_app.scorer is not None and demo_app.model_info[RankingEvaluator().primary_metric] > 0.2


@pytest.mark.parametrize("request_text", ["something for the weekend", "a new outfit", "a bag"])
def test_shoppers_with_opposite_histories_get_different_top_five(demo_app, request_text):
    assert top_ids(demo_app, request_text, "maya") != top_ids(demo_app, request_text, "leo")


def test_a_shopper_with_no_history_gets_text_matched_cards(demo_app):
    picks = demo_app.recommender.recommend(Request(text="a red dress", k=5))
    assert len(picks) == 5 and sum(p.item.category == "dress" for p in picks) >= 4


def test_an_unknown_history_item_is_ignored(demo_app):
    request = Request(text="a skirt", liked_ids=("no-such-item",), k=5)
    assert len(demo_app.recommender.recommend(request)) == 5


def test_the_reason_names_words_of_the_request(demo_app):
    first = demo_app.recommender.recommend(Request(text="a linen dress", k=1))[0]
    assert "dress" in first.why
