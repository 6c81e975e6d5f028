"""Relations: "darker / cheaper / more casual than card 2" as a filter over measured and catalogued properties."""

from __future__ import annotations

import numpy as np
import pytest

from chat.relations import RELATIONS, relation_filter
from store.index import ItemIndex
from store.item import Item, Measures
from store.items import ItemStore, ItemStoreConfig


def look(lightness: float, chroma: float = 20.0, colourfulness: float = 20.0) -> Measures:
    return Measures(lightness, chroma, colourfulness, "blue", "picture")


def dress(item_id: str, **fields) -> Item:
    return Item(**{"id": item_id, "title": f"Dress {item_id}", "category": "dress", "colour": "blue", **fields})


def passing(relation: str, reference: Item, candidates: list[Item]) -> list[str]:
    """Ids of the candidates the relation's filter lets through, evaluated by the in-memory index."""
    index = ItemIndex(candidates, np.eye(len(candidates), dtype=np.float32))
    mask = index.mask(relation_filter(relation, reference).where)
    return [item.id for item, passes in zip(candidates, mask) if passes]


def test_darker_means_visibly_darker_items_of_the_same_category():
    reference = dress("ref", measures=look(60))
    candidates = [
        dress("darker", measures=look(50)),
        dress("barely", measures=look(55)),
        dress("lighter", measures=look(70)),
        Item(id="top", title="Top", category="top", measures=look(30)),
        dress("unmeasured"),
    ]
    assert passing("darker", reference, candidates) == ["darker"]


def test_more_colourful_is_on_colourfulness_and_brighter_on_chroma():
    reference = dress("ref", measures=look(50, chroma=20, colourfulness=20))
    print_ = dress("print", measures=look(50, chroma=20, colourfulness=60))
    vivid = dress("vivid", measures=look(50, chroma=45, colourfulness=25))
    assert passing("more_colourful", reference, [print_, vivid]) == ["print"]
    assert passing("brighter", reference, [print_, vivid]) == ["vivid"]


def test_cheaper_is_at_most_nine_tenths_of_the_reference_price():
    reference = dress("ref", price=100.0)
    candidates = [dress("a", price=89.0), dress("b", price=95.0), dress("c", price=120.0)]
    assert passing("cheaper", reference, candidates) == ["a"]
    assert passing("pricier", reference, candidates) == ["c"]


def test_more_casual_climbs_down_the_usage_ladder():
    reference = dress("ref", extra={"usage": "Formal"})
    candidates = [dress("casual", extra={"usage": "Casual"}), dress("party", extra={"usage": "Party"}), dress("x")]
    assert passing("more_casual", reference, candidates) == ["casual"]


def test_shorter_and_sleeveless_read_the_title_words():
    reference = dress("ref", title="Maxi dress with full sleeves")
    candidates = [dress("mini", title="Sleeveless mini dress"), dress("maxi", title="Maxi dress, half sleeves")]
    assert passing("shorter", reference, candidates) == ["mini"]
    assert passing("sleeveless", reference, candidates) == ["mini"]


def test_another_colour_is_a_known_colour_other_than_the_references():
    reference = dress("ref", colour="red")
    candidates = [dress("red", colour="red"), dress("green", colour="green"), dress("unknown", colour="")]
    assert passing("other_colour", reference, candidates) == ["green"]


def test_the_wording_names_the_reference_by_its_label():
    assert relation_filter("darker", dress("ref", measures=look(60)), "card 2").wording == "darker than card 2"


def test_a_reference_without_the_property_cannot_be_compared_and_says_why():
    applied = relation_filter("more_formal", dress("ref"), "card 2")
    assert (applied.supported, applied.where) == (False, None)
    assert applied.reason.startswith("card 2 has no usage or occasion") and "can't tell more formal" in applied.reason


def test_an_unknown_relation_is_refused():
    with pytest.raises(ValueError, match="unknown relation"):
        relation_filter("sparklier", dress("ref"))


def test_every_relation_of_the_shared_contract_is_known():
    assert set(RELATIONS) == set(
        "darker lighter brighter more_muted more_colourful plainer cheaper pricier more_formal more_casual longer "
        "shorter with_sleeves sleeveless looser tighter other_colour goes_with".split()
    )


def test_chroma_applies_the_same_filter_as_the_index(tmp_path):
    reference = dress("ref", measures=look(60), price=100.0)
    candidates = [dress("a", measures=look(40), price=50.0), dress("b", measures=look(58), price=80.0), dress("c")]
    store = ItemStore(ItemStoreConfig(path=tmp_path / "chroma"), "cat", "test", 3)
    vectors = np.eye(3, dtype=np.float32)
    store.upsert(candidates, vectors, ["f"] * 3)
    for relation in ("darker", "cheaper"):
        where = relation_filter(relation, reference).where
        from_chroma = sorted(hit.item.id for hit in store.query(np.ones(3, np.float32) / 3**0.5, 3, where=where))
        assert from_chroma == passing(relation, reference, candidates)


def kind(item_id: str, category: str, gender: str = "") -> Item:
    extra = {"gender": gender} if gender else {}
    return Item(id=item_id, title=f"{category} {item_id}", category=category, extra=extra)


def test_what_goes_with_a_skirt_is_every_other_kind_but_those_worn_in_its_place():
    candidates = [kind(c, c) for c in ("skirt", "dress", "trousers", "top", "shoes", "bag", "jacket", "accessory")]
    assert passing("goes_with", kind("ref", "skirt"), candidates) == ["top", "shoes", "bag", "jacket", "accessory"]


def test_what_goes_with_shoes_is_every_kind_but_shoes():
    candidates = [kind(c, c) for c in ("shoes", "dress", "top", "trousers", "bag")]
    assert passing("goes_with", kind("ref", "shoes"), candidates) == ["dress", "top", "trousers", "bag"]


def test_what_goes_with_a_mens_item_is_for_men_unisex_or_unsaid():
    candidates = [kind("m", "shoes", "Men"), kind("w", "shoes", "Women"), kind("u", "bag", "Unisex"), kind("n", "bag")]
    assert passing("goes_with", kind("ref", "top", "Men"), candidates) == ["m", "u", "n"]


def test_an_item_of_no_recorded_kind_cannot_say_what_goes_with_it():
    applied = relation_filter("goes_with", Item(id="gift", title="Free Gift"), "card 3")
    assert not applied.supported and applied.reason == (
        "card 3 has no kind of item recorded, so I can't tell what goes with it here"
    )


def test_chroma_pairs_an_outfit_as_the_index_does(tmp_path):
    reference = kind("ref", "skirt", "Women")
    candidates = [kind("a", "top", "Women"), kind("b", "dress", "Women"), kind("c", "shoes", "Men")]
    store = ItemStore(ItemStoreConfig(path=tmp_path / "chroma"), "cat", "test", 3)
    store.upsert(candidates, np.eye(3, dtype=np.float32), ["f"] * 3)
    where = relation_filter("goes_with", reference).where
    from_chroma = sorted(hit.item.id for hit in store.query(np.ones(3, np.float32) / 3**0.5, 3, where=where))
    assert from_chroma == passing("goes_with", reference, candidates) == ["a"]
