"""Demo shoppers have distinct tastes and histories seeded from the catalogue."""

from __future__ import annotations

from store.demo_shoppers import DEMO_SHOPPERS, seed_demo_shoppers
from store.item import Item
from store.users import UserStore

CATALOGUE = [
    Item(id="boho", title="Bohemian floral maxi dress", category="dress"),
    Item(id="sport", title="Sporty running sneakers", category="shoes"),
    Item(id="office", title="Tailored formal blazer for the office", category="jacket"),
    Item(id="party", title="Glamorous evening clutch", category="bag"),
    Item(id="plain", title="Plain grey socks", category="accessory"),
]


def test_each_demo_shopper_gets_only_items_of_their_taste(tmp_path):
    seeded = seed_demo_shoppers(UserStore(tmp_path / "u.sqlite"), CATALOGUE)
    assert seeded == {"maya": ["boho"], "leo": ["sport"], "grace": ["office"], "nina": ["party"]}


def test_seeded_histories_are_stored_in_time_order(tmp_path):
    users = UserStore(tmp_path / "u.sqlite")
    seeded = seed_demo_shoppers(users, CATALOGUE * 1)
    for shopper in DEMO_SHOPPERS:
        assert [i.item_id for i in users.history(shopper.user.id)] == seeded[shopper.user.id]


def test_the_demo_shoppers_have_distinct_tastes():
    tastes = [shopper.taste.words for shopper in DEMO_SHOPPERS]
    assert all(not (a & b) for i, a in enumerate(tastes) for b in tastes[i + 1 :])
