"""Demo shoppers are derived from the catalogue in use: tastes in its terms, histories of its items."""

from __future__ import annotations

import random

from store.demo_shoppers import PERSONA_IDS, seed_demo_shoppers, shoppers_for
from store.item import Item
from store.users import UserStore
from store.vocabulary import who_when

GROUPS = [("Women", "Casual"), ("Men", "Sports"), ("Women", "Ethnic"), ("Women", "Sports"), ("Girls", "Casual")]
KINDS = {"Casual": ("Tops", "Flats"), "Sports": ("Tshirts", "Sports Shoes"), "Ethnic": ("Kurtas", "Sarees")}
COLOURS = ("blue", "white", "black", "red")


def kaggle_like(n_per_group: int = 50, prefix: str = "") -> list[Item]:
    """A catalogue with the Kaggle schema: gender, usage and article type in `extra`, prices spread out."""
    rng = random.Random(0)
    items = []
    for gender, usage in GROUPS:
        for n in range(n_per_group):
            kind = KINDS[usage][n % 2]
            items.append(
                Item(
                    id=f"{prefix}{gender}-{usage}-{n}",
                    title=f"{gender} {usage} {kind} {n}",
                    category="top" if kind in ("Tops", "Tshirts", "Kurtas") else "shoes",
                    colour=COLOURS[(n // 2) % 2] if n % 5 else rng.choice(COLOURS),
                    price=10.0 + 3 * n,
                    extra={"gender": gender, "usage": usage, "articleType": kind},
                )
            )
    return items


CATALOGUE = kaggle_like()


def test_each_persona_gets_a_different_who_and_when_of_the_catalogue():
    groups = [(shopper.taste.genders, shopper.taste.usages) for shopper in shoppers_for(CATALOGUE)]
    assert groups == [
        ({"women"}, {"casual"}),
        ({"men"}, {"sports"}),
        ({"women"}, {"ethnic"}),
        ({"women"}, {"sports"}),
    ]


def test_the_picker_describes_a_taste_in_the_catalogues_terms():
    maya = shoppers_for(CATALOGUE)[0]
    assert maya.user.about == "women's casual wear, blues and whites, flats and tops, mid-price"


def test_a_catalogue_saying_neither_who_nor_when_gives_each_shopper_its_own_categories():
    kinds = ["dress"] * 40 + ["top"] * 30 + ["shoes"] * 20 + ["bag"] * 10 + ["skirt"] * 5
    plain = [Item(id=str(n), title="thing", category=kind) for n, kind in enumerate(kinds)]
    categories = [shopper.taste.categories for shopper in shoppers_for(plain)]
    assert categories == [{"dress", "skirt"}, {"top"}, {"shoes"}, {"bag"}]


def test_the_same_catalogue_gives_the_same_shoppers_and_histories(tmp_path):
    first = seed_demo_shoppers(UserStore(tmp_path / "a.sqlite"), CATALOGUE)
    second = seed_demo_shoppers(UserStore(tmp_path / "b.sqlite"), list(reversed(CATALOGUE)))
    assert shoppers_for(CATALOGUE) == shoppers_for(list(reversed(CATALOGUE))) and first == second


def test_each_seeded_history_holds_only_items_of_the_shoppers_taste(tmp_path):
    seeded = seed_demo_shoppers(UserStore(tmp_path / "u.sqlite"), CATALOGUE)
    by_id = {item.id: item for item in CATALOGUE}
    for shopper in shoppers_for(CATALOGUE):
        history = [by_id[item_id] for item_id in seeded[shopper.user.id]]
        assert len(history) == 12 and all(shopper.taste.matches(item) for item in history)


def test_a_history_favours_the_tastes_kinds_colours_and_price_band(tmp_path):
    seeded = seed_demo_shoppers(UserStore(tmp_path / "u.sqlite"), CATALOGUE)
    maya = shoppers_for(CATALOGUE)[0].taste
    by_id = {item.id: item for item in CATALOGUE}
    assert all(maya.affinity(by_id[item_id]) >= 2 for item_id in seeded["maya"])


def test_seeded_histories_are_stored_in_time_order(tmp_path):
    users = UserStore(tmp_path / "u.sqlite")
    seeded = seed_demo_shoppers(users, CATALOGUE)
    for persona in PERSONA_IDS:
        assert [i.item_id for i in users.history(persona)] == seeded[persona]


def test_a_second_start_on_the_same_catalogue_keeps_the_stored_histories(tmp_path):
    users = UserStore(tmp_path / "u.sqlite")
    seed_demo_shoppers(users, CATALOGUE)
    before = {persona: users.history(persona) for persona in PERSONA_IDS}
    assert seed_demo_shoppers(users, CATALOGUE) == {}
    assert {persona: users.history(persona) for persona in PERSONA_IDS} == before


def test_a_data_folder_reused_on_another_catalogue_re_derives_the_personas_histories(tmp_path):
    users = UserStore(tmp_path / "u.sqlite")
    seed_demo_shoppers(users, kaggle_like(prefix="old-"))
    other = kaggle_like(prefix="new-")
    seed_demo_shoppers(users, other)
    in_catalogue = {item.id for item in other}
    for persona in PERSONA_IDS:
        history = users.history(persona)
        assert len(history) == 12 and {i.item_id for i in history} <= in_catalogue
    assert [user.id for user in users.personas()] == list(PERSONA_IDS)


def test_leo_is_seeded_with_mens_items_and_maya_with_womens(tmp_path):
    users = UserStore(tmp_path / "u.sqlite")
    seeded = seed_demo_shoppers(users, CATALOGUE)
    by_id = {item.id: item for item in CATALOGUE}
    assert {who_when(by_id[i].extra)["gender"] for i in seeded["leo"]} == {"men"}
    assert {who_when(by_id[i].extra)["gender"] for i in seeded["maya"]} == {"women"}
