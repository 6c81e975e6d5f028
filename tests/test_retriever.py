"""The recommender's LangChain retriever: per-call shopper and filters, one instance for every session."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from chat.retriever import WhisperLiteRetriever, build_request, call_options
from chat.understand.constraints import Constraints

QUERY = "something nice to wear"
METADATA_KEYS = {
    *("id", "title", "brand", "category", "colour", "material", "price", "sizes", "image", "score", "why"),
    *("gender", "usage", "season", "lightness"),
}


@pytest.fixture(scope="module")
def retriever(demo_app) -> WhisperLiteRetriever:
    return WhisperLiteRetriever(recommender=demo_app.recommender)


def ids(documents) -> list[str]:
    return [document.metadata["id"] for document in documents]


# ------------------------------------------------------------------------------------ options (no app needed)
def test_keyword_options_override_the_config_and_foreign_config_keys_are_ignored():
    config = {"configurable": {"user_id": "maya", "k": 3, "thread_id": "abc"}}
    assert call_options(config, {"k": 5}) == {"user_id": "maya", "k": 5}


def test_an_unknown_keyword_option_is_refused():
    with pytest.raises(TypeError, match="user"):
        call_options(None, {"user": "maya"})


def test_constraints_become_the_where_filter_and_their_hidden_ids_join_the_exclusions():
    constraints = Constraints(colours={"red"}, price_max=50, exclude_ids={"a"})
    request = build_request("dress", {"constraints": constraints, "exclude_ids": ["b"]}, default_k=8)
    assert request.where == {"$and": [{"price": {"$lte": 50.0}}, {"colour": {"$in": ["", "red"]}}]}
    assert request.exclude_ids == {"a", "b"}
    assert request.k == 8


def test_refused_kinds_and_sizes_of_the_constraints_reach_the_request():
    constraints = Constraints(categories={"shoes"}, exclude_terms={"sneakers"}, sizes={"38"})
    request = build_request("shoes", {"constraints": constraints}, default_k=8)
    assert (request.exclude_terms, request.sizes) == ({"sneakers"}, {"38"})


def test_no_sneakers_holds_through_the_retriever(retriever):
    constraints = Constraints(categories={"shoes"}, exclude_terms={"sneakers"})
    documents = retriever.invoke("comfortable shoes", constraints=constraints, k=20)
    assert documents and not any("sneaker" in document.page_content.lower() for document in documents)


@pytest.mark.parametrize(
    "options",
    [
        {"where": {"colour": {"$in": []}}},  # Chroma rejects an empty list
        {"where": {"colour": "red"}, "constraints": Constraints(colours={"red"})},
        {"constraints": {"colours": ["red"]}},
        {"k": 0},
        {"k": "3"},
    ],
    ids=["empty-in", "both-filters", "constraints-as-dict", "zero-k", "string-k"],
)
def test_a_bad_option_is_a_value_error(options):
    with pytest.raises(ValueError):
        build_request("dress", options, default_k=8)


# ------------------------------------------------------------------------------------ on the real demo app
@pytest.mark.slow
def test_documents_carry_the_item_text_and_its_card_metadata(retriever, demo_app):
    documents = retriever.invoke("red dress", k=3)
    items = {item.id: item for item in demo_app.catalog.items}
    assert len(documents) == 3
    for document in documents:
        item = items[document.metadata["id"]]
        assert set(document.metadata) == METADATA_KEYS
        # the store hands `extra` back in its own key order, so the text's parts may come in another order
        assert set(document.page_content.split(". ")) == set(item.text().split(". "))
        assert (document.metadata["title"], document.metadata["price"]) == (item.title, item.price)
        assert document.metadata["why"]


@pytest.mark.slow
def test_constraints_hold_on_every_document(retriever):
    constraints = Constraints(colours={"red", "pink"}, price_max=60, exclude_materials={"polyester"})
    documents = retriever.invoke("summer outfit", constraints=constraints, k=20)
    assert len(documents) == 20
    for document in documents:
        meta = document.metadata
        assert meta["colour"] in {"red", "pink"} and meta["price"] <= 60 and meta["material"] != "polyester"


@pytest.mark.slow
def test_a_where_filter_in_the_config_holds_on_every_document(retriever):
    where = {"$and": [{"category": {"$in": ["shoes", "bag"]}}, {"price": {"$gte": 40.0}}]}
    documents = retriever.invoke("leather", config={"configurable": {"where": where, "k": 12}})
    assert len(documents) == 12
    assert all(d.metadata["category"] in {"shoes", "bag"} and d.metadata["price"] >= 40 for d in documents)


@pytest.mark.slow
def test_k_is_respected_and_defaults_to_the_instance_k(demo_app):
    retriever = WhisperLiteRetriever(recommender=demo_app.recommender, k=5)
    assert len(retriever.invoke(QUERY)) == 5
    assert len(retriever.invoke(QUERY, k=2)) == 2


@pytest.mark.slow
def test_excluded_ids_are_never_returned(retriever):
    first = ids(retriever.invoke(QUERY, k=4))
    again = ids(retriever.invoke(QUERY, k=4, exclude_ids=first[:2]))
    assert not set(first[:2]) & set(again)
    assert again[:2] == first[2:]


@pytest.mark.slow
def test_shoppers_with_different_histories_get_different_documents_for_the_same_query(retriever):
    sporty = ids(retriever.invoke(QUERY, user_id="leo", k=8))
    bohemian = ids(retriever.invoke(QUERY, user_id="maya", k=8))
    assert len(set(sporty) & set(bohemian)) <= 2


@pytest.mark.slow
def test_a_session_like_changes_a_guests_documents(retriever):
    guest = ids(retriever.invoke(QUERY, k=8))
    liked = retriever.invoke("sporty running shoes", k=1)
    leaning = ids(retriever.invoke(QUERY, k=8, liked_ids=ids(liked)))
    assert leaning != guest


@pytest.mark.slow
def test_concurrent_calls_for_different_shoppers_do_not_mix(retriever):
    calls = [
        {"user_id": user, "k": 6, "constraints": Constraints(categories={category})}
        for user, category in [("maya", "dress"), ("leo", "shoes"), ("grace", "jacket"), ("nina", "bag")] * 2
    ]
    alone = [ids(retriever.invoke(QUERY, **options)) for options in calls]
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(lambda options: ids(retriever.invoke(QUERY, **options)), calls))
    assert together == alone
    assert len({tuple(result) for result in alone}) == 4  # four shoppers, four distinct answers


@pytest.mark.slow
def test_async_calls_keep_their_options(retriever):
    documents = asyncio.run(retriever.ainvoke(QUERY, user_id="leo", k=3, constraints=Constraints(colours={"blue"})))
    assert ids(documents) == ids(retriever.invoke(QUERY, user_id="leo", k=3, constraints=Constraints(colours={"blue"})))
    assert [d.metadata["colour"] for d in documents] == ["blue"] * 3
