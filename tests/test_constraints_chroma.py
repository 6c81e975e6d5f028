"""Parsed filters against a real Chroma collection, and the parser on real shopper wording (Fashion IQ captions)."""

from __future__ import annotations

import json
import random
import uuid

import numpy as np
import pytest

from chat.understand.constraints import UNKNOWN_ADMITTED, Constraints, is_valid_where, parse_message
from store.vocabulary import CATEGORIES, COLOURS, MATERIALS

MESSAGES = [
    "a blue dress under $60",
    "no polyester",
    "not red or pink",
    "anything but black tops between 20 and 90",
    "made of linen, over $40",
    "around 50",
    "in green",
    "shoes without leather",
    "a white cotton t-shirt max 30",
    "no more dresses, nothing in grey",
    "start over",
]


def matches(meta: dict, constraints: Constraints) -> bool:
    """The meaning of the constraints, written independently of to_where(): a record lacking a wanted colour or
    material ("") passes, to rank after the known matches."""
    price = meta["price"]
    if constraints.price_min is not None and price < constraints.price_min:
        return False
    if constraints.price_max is not None and price > constraints.price_max:
        return False
    for key, wanted, excluded in (
        ("colour", constraints.colours, constraints.exclude_colours),
        ("category", constraints.categories, constraints.exclude_categories),
        ("material", constraints.materials, constraints.exclude_materials),
    ):
        unknown_passes = key in UNKNOWN_ADMITTED and meta[key] == ""
        if (wanted and meta[key] not in wanted and not unknown_passes) or meta[key] in excluded:
            return False
    return True


@pytest.fixture(scope="module")
def collection():
    chromadb = pytest.importorskip("chromadb")
    rng = random.Random(0)
    client = chromadb.EphemeralClient()
    created = client.create_collection(
        f"constraints-{uuid.uuid4().hex}", embedding_function=None, metadata={"hnsw:space": "cosine"}
    )
    records = 300
    metadatas = [
        {
            "colour": rng.choice([*COLOURS, ""]),
            "category": rng.choice(list(CATEGORIES)),
            "material": rng.choice([*MATERIALS, ""]),
            "price": round(rng.uniform(5, 150), 2),
        }
        for _ in range(records)
    ]
    embeddings = np.random.default_rng(0).normal(size=(records, 8)).astype(np.float32)
    created.add(ids=[f"item-{i}" for i in range(records)], embeddings=embeddings, metadatas=metadatas)
    return created


@pytest.mark.parametrize("message", MESSAGES)
def test_parsed_filter_selects_exactly_the_matching_records(collection, message):
    constraints = parse_message(message).constraints
    everything = collection.get(include=["metadatas"])
    expected = {
        i for i, meta in zip(everything["ids"], everything["metadatas"], strict=True) if matches(meta, constraints)
    }
    assert set(collection.get(where=constraints.to_where())["ids"]) == expected


@pytest.mark.parametrize("message", MESSAGES)
def test_parsed_filter_runs_in_a_vector_query_and_returns_only_matches(collection, message):
    constraints = parse_message(message).constraints
    result = collection.query(
        query_embeddings=np.ones((1, 8), np.float32), n_results=10, where=constraints.to_where(), include=["metadatas"]
    )
    assert all(matches(meta, constraints) for meta in result["metadatas"][0])


def test_merged_conversation_filter_runs_in_chroma(collection):
    constraints = Constraints()
    for message in ("a dress under $100", "in blue or red", "no silk", "not red"):
        constraints = constraints.merge(parse_message(message).constraints)
    found = collection.get(where=constraints.to_where(), include=["metadatas"])["metadatas"]
    assert found and all(meta["colour"] in ("blue", "") and meta["category"] == "dress" for meta in found)


def test_a_colour_filter_in_chroma_keeps_records_without_a_colour(collection):
    where = parse_message("a blue dress").constraints.to_where()
    colours = {meta["colour"] for meta in collection.get(where=where, include=["metadatas"])["metadatas"]}
    assert colours == {"blue", ""}


def test_a_colour_exclusion_in_chroma_keeps_records_without_a_colour(collection):
    where = parse_message("not blue").constraints.to_where()
    colours = {meta["colour"] for meta in collection.get(where=where, include=["metadatas"])["metadatas"]}
    assert "" in colours and "blue" not in colours


def fashion_iq_captions(shared_data) -> list[str]:
    folder = shared_data / "fashion-iq" / "captions"
    files = sorted(folder.glob("cap.*.train.json"))
    if not files:
        pytest.skip(f"no Fashion IQ captions in {folder}")
    return [caption for path in files for record in json.loads(path.read_text()) for caption in record["captions"]]


def test_fashion_iq_captions_parse_into_valid_filters(shared_data):
    captions = random.Random(0).sample(fashion_iq_captions(shared_data), 3000)
    parsed = [parse_message(caption) for caption in captions]
    wheres = [p.constraints.to_where() for p in parsed]
    assert all(where is None or is_valid_where(where) for where in wheres)
    assert sum(where is not None for where in wheres) > 1000  # colour is what captions name most


def test_fashion_iq_caption_naming_black_wants_black(shared_data):
    caption = "is solid black with no sleeves"
    assert caption in fashion_iq_captions(shared_data)
    assert parse_message(caption).constraints.colours == {"black"}


def test_fashion_iq_caption_with_not_red_excludes_red(shared_data):
    caption = "Is fitted with no fringe and not red"
    assert caption in fashion_iq_captions(shared_data)
    constraints = parse_message(caption).constraints
    assert (constraints.exclude_colours, constraints.colours) == ({"red"}, frozenset())


def test_fashion_iq_caption_wanting_one_colour_and_not_another(shared_data):
    caption = "has different images and is brown not black"
    assert caption in fashion_iq_captions(shared_data)
    constraints = parse_message(caption).constraints
    assert (constraints.colours, constraints.exclude_colours) == ({"brown"}, {"black"})


def test_fashion_iq_caption_with_cap_sleeves_names_no_category(shared_data):
    captions = [c for c in fashion_iq_captions(shared_data) if "cap sleeve" in c.lower()]
    assert captions
    assert all("accessory" not in parse_message(c).constraints.categories for c in captions)
