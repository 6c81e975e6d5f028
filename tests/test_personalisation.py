"""The demo model and history: different shoppers, same words, different cards; cold start still works."""

from __future__ import annotations

import pytest

from chat.request import Request
from ranker.evaluate.evaluator import RankingEvaluator
from store.demo_shoppers import shoppers_for

pytestmark = pytest.mark.slow


def top_ids(app, text: str, user: str | None, k: int = 5) -> list[str]:
    return [r.item.id for r in app.recommender.recommend(Request(text=text, user_id=user, k=k))]


def test_the_demo_model_was_trained_and_loaded(demo_app):
    assert demo_app.scorer is not None and demo_app.model_info[RankingEvaluator().primary_metric] > 0.2


@pytest.mark.parametrize("request_text", ["something for the weekend", "a new outfit", "a bag"])
def test_shoppers_with_opposite_histories_get_different_top_five(demo_app, request_text):
    assert top_ids(demo_app, request_text, "maya") != top_ids(demo_app, request_text, "leo")


NEUTRAL_REQUESTS = ("something for the weekend", "a new outfit", "a bag", "shoes", "a top", "something nice")


@pytest.mark.parametrize("pair", [("maya", "leo"), ("grace", "nina"), ("leo", "grace")], ids="-".join)
def test_each_shoppers_top_cards_match_their_own_taste_more_often_than_the_others(demo_app, pair):
    """Personalisation that is right, not merely different: over neutral requests, the top 8 cards of each
    shopper match that shopper's stated taste (store/demo_shoppers.py) more often than the other's taste."""
    tastes = {shopper.user.id: shopper.taste for shopper in shoppers_for(demo_app.catalog.items)}
    for shopper, other in (pair, pair[::-1]):
        cards = [
            r.item for text in NEUTRAL_REQUESTS for r in demo_app.recommender.recommend(Request(text, user_id=shopper))
        ]
        own = sum(tastes[shopper].matches(item) for item in cards)
        theirs = sum(tastes[other].matches(item) for item in cards)
        assert own > theirs, f"{shopper}: {own} of {len(cards)} cards match their taste, {theirs} match {other}'s"


def test_a_shopper_with_no_history_gets_text_matched_cards(demo_app):
    picks = demo_app.recommender.recommend(Request(text="a red dress", k=5))
    assert len(picks) == 5 and sum(p.item.category == "dress" for p in picks) >= 4


def test_an_unknown_history_item_is_ignored(demo_app):
    request = Request(text="a skirt", liked_ids=("no-such-item",), k=5)
    assert len(demo_app.recommender.recommend(request)) == 5


def test_the_reason_names_words_of_the_request(demo_app):
    first = demo_app.recommender.recommend(Request(text="a linen dress", k=1))[0]
    assert "dress" in first.why
