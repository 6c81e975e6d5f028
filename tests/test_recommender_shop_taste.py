"""The shop's taste in the ranking (chat/recommender.py with ranker/shop_taste.py): it leans a stranger's cards to
what the shop's shoppers liked, and leaves a shopper with a history to that history."""

from __future__ import annotations

from collections import Counter

import pytest

from chat.request import Request
from ranker.shop_taste import ShopTaste

pytestmark = pytest.mark.slow


def brands(app, request: Request) -> Counter[str]:
    return Counter(r.item.brand for r in app.recommender.recommend(request))


def least_shown_brand(app, request: Request) -> str:
    """A brand of the catalogue's dresses that the request's cards show least without a taste."""
    shown = brands(app, request)
    every = sorted({item.brand for item in app.catalog.items if item.category == "dress"})
    return min(every, key=lambda brand: (shown[brand], brand))


@pytest.fixture
def liked_brand_taste(demo_app, monkeypatch):
    """A taste whose shoppers liked one brand, seldom shown for "a dress", and nothing else."""
    brand = least_shown_brand(demo_app, Request("a dress"))
    taste = ShopTaste({f"brand={brand}": 2.0}, scale=1.0, weight=1.0, reactions=20)
    monkeypatch.setattr(demo_app.recommender, "shop_taste", taste)
    return brand


def test_a_guest_sees_more_of_the_brand_the_shop_liked(demo_app, liked_brand_taste, monkeypatch):
    leaned = brands(demo_app, Request("a dress"))[liked_brand_taste]
    monkeypatch.setattr(demo_app.recommender, "shop_taste", ShopTaste())
    assert leaned > brands(demo_app, Request("a dress"))[liked_brand_taste]


def test_a_shopper_with_a_history_is_ranked_by_it_and_not_by_the_shop(demo_app, liked_brand_taste, monkeypatch):
    request = Request("a dress", user_id="maya")
    leaned = [r.item.id for r in demo_app.recommender.recommend(request)]
    monkeypatch.setattr(demo_app.recommender, "shop_taste", ShopTaste())
    assert leaned == [r.item.id for r in demo_app.recommender.recommend(request)]


def test_a_gift_for_someone_else_leans_to_the_shop_as_a_strangers_search_does(demo_app, liked_brand_taste, monkeypatch):
    gift = Request("a dress", user_id="maya", for_someone_else=True)  # maya's own history steers nothing here
    leaned = brands(demo_app, gift)[liked_brand_taste]
    monkeypatch.setattr(demo_app.recommender, "shop_taste", ShopTaste())
    assert leaned > brands(demo_app, gift)[liked_brand_taste]
