"""Readers on the real shared files and on small files written here for formats without a sample."""

from __future__ import annotations

import gzip
import json

import pytest

from ranker.data import ReviewEvent
from ranker.datasets.amazon import read_amazon_2014, read_amazon_2018
from ranker.datasets.jsonl import read_jsonl
from ranker.datasets.movielens import read_movielens
from ranker.datasets.yelp import read_yelp
from store.item import Item


@pytest.fixture(scope="module")
def movielens(shared_data):
    return read_movielens(shared_data / "movielens-small")


def test_movielens_reads_every_rating_tag_and_movie(movielens):
    dataset = movielens
    requests = [row for row in dataset.interactions if row.text]
    assert len(dataset.items) == 9742
    assert len(requests) == 1775  # 3,683 tags on 1,775 (user, movie) pairs: one request per pair
    assert len(dataset.interactions) - len(requests) == 100836
    assert dataset.problems == []
    assert dataset.items["1"] == "Toy Story (1995). Adventure, Animation, Children, Comedy, Fantasy"


def test_movielens_histories_hold_only_earlier_ratings_never_the_target(movielens):
    first_rated: dict[tuple[str, str], float] = {}
    for row in movielens.interactions:
        if not row.text:
            key = (row.user, row.item)
            first_rated[key] = min(first_rated.get(key, row.time), row.time)
    examples = movielens.examples(history_max=50)
    assert len(examples) == 1775
    for example in examples:
        assert example.target not in example.history
        assert all(first_rated[(example.user, item)] < example.time for item in example.history)
    assert sum(len(example.history) >= 5 for example in examples) == 1737  # README: about 1.7k


def test_movielens_malformed_rows_are_counted_with_their_line(tmp_path):
    (tmp_path / "movies.csv").write_text('movieId,title,genres\n1,"Heat, the (1995)",Action|Crime\n2,Solo\n')
    (tmp_path / "ratings.csv").write_text("userId,movieId,rating,timestamp\n1,1,4.0,100\n1,1,x,101\n1,9,3.0,102\n")
    (tmp_path / "tags.csv").write_text("userId,movieId,tag,timestamp\n1,1,heist,200\n1,1,,201\n1,1,noir,199\n")
    dataset = read_movielens(tmp_path)
    assert [row.text for row in dataset.interactions] == ["", "noir, heist"]
    assert sorted(str(problem) for problem in dataset.problems) == [
        "movies.csv:3: wrong number of fields or an empty value",
        "ratings.csv:3: bad number: could not convert string to float: 'x'",
        "ratings.csv:4: unknown movie '9'",
        "tags.csv:3: wrong number of fields or an empty value",
    ]


def test_amazon_2018_fixture_drops_and_counts_exact_duplicates(shared_data):
    dataset = read_amazon_2018(shared_data / "amazon-fashion-5" / "AMAZON_FASHION_5.json")
    assert dataset.duplicates == 88  # same reviewer, item, time and text
    assert len(dataset.interactions) == 3176 - 88
    assert len(dataset.items) == 31
    assert len({row.user for row in dataset.interactions}) == 406
    assert dataset.problems == []


def test_amazon_2014_reads_gzip_reviews_and_python_literal_metadata(tmp_path):
    reviews = tmp_path / "reviews_Clothing_5.json.gz"
    lines = [
        {"reviewerID": "u1", "asin": "A1", "summary": "Lovely", "reviewText": "Fits well", "overall": 5.0,
         "unixReviewTime": 1400000000},
        {"reviewerID": "u1", "asin": "A2", "reviewText": "Too small", "overall": 2.0, "unixReviewTime": 1400000100},
    ]  # fmt: skip
    with gzip.open(reviews, "wt") as handle:
        handle.write("\n".join(json.dumps(line) for line in lines) + "\n{not json\n")
    meta = tmp_path / "meta_Clothing.json"
    meta.write_text(
        "{'asin': 'A1', 'title': \"Women's Maxi Dress\", 'categories': [['Clothing', 'Dresses']], 'brand': 'Acme'}\n"
        "{'asin': 'A2', 'title': 'Slim Jeans', 'price': 30.5}\n"
        "{'asin': 'A3', 'title': broken\n"
    )
    dataset = read_amazon_2014(reviews, meta)
    assert [(row.user, row.item, row.text, row.rating) for row in dataset.interactions] == [
        ("u1", "A1", "Lovely. Fits well", 5.0),
        ("u1", "A2", "Too small", 2.0),
    ]
    assert dataset.items["A1"] == "Women's Maxi Dress. Acme. Clothing, Dresses"
    assert [(problem.file, problem.line) for problem in dataset.problems] == [
        ("meta_Clothing.json", 3),
        ("reviews_Clothing_5.json.gz", 3),
    ]


def test_yelp_item_text_is_name_and_categories_and_bad_reviews_are_skipped(tmp_path):
    businesses = tmp_path / "business.json"
    businesses.write_text(
        json.dumps({"business_id": "b1", "name": "Blue Cafe", "categories": "Cafes, Breakfast"}) + "\n"
        + json.dumps({"business_id": "b2", "name": "Shoe Hut", "categories": ["Shopping", "Shoes"]}) + "\n"
    )  # fmt: skip
    reviews = tmp_path / "review.json"
    rows = [
        {"user_id": "u", "business_id": "b1", "text": "Great latte", "date": "2016-03-09 10:00:00"},
        {"user_id": "u", "business_id": "zz", "stars": 1, "text": "?", "date": "2016-03-10"},
        {"user_id": "u", "business_id": "b2", "text": "ok"},
    ]
    reviews.write_text("".join(json.dumps(row) + "\n" for row in rows))
    dataset = read_yelp(reviews, businesses)
    assert dataset.items == {"b1": "Blue Cafe. Cafes, Breakfast", "b2": "Shoe Hut. Shopping, Shoes"}
    assert [(row.item, row.text, row.time) for row in dataset.interactions] == [("b1", "Great latte", 1457517600)]
    assert [problem.line for problem in dataset.problems] == [2, 3]


def test_jsonl_reads_events_and_items_and_reports_unknown_items(tmp_path):
    items = tmp_path / "items.jsonl"
    items.write_text('{"id": "a", "text": "red dress"}\n{"id": "b", "title": "Boots", "colour": "black"}\n')
    events = tmp_path / "interactions.jsonl"
    rows = [
        {"user": "u", "item": "a", "text": "", "time": 1, "rating": 4},
        {"user": "u", "item": "b", "text": "warm boots", "time": 2},
        {"user": "u", "item": "nope", "text": "hi", "time": 3},
    ]
    events.write_text("".join(json.dumps(row) + "\n" for row in rows) + '{"user": "x"}\n')
    dataset = read_jsonl(events, items)
    assert dataset.interactions == [ReviewEvent("u", "a", "", 1, 4.0), ReviewEvent("u", "b", "warm boots", 2)]
    assert dataset.items == {"a": "red dress", "b": Item(id="b", title="Boots", colour="black").text()}
    assert [problem.line for problem in dataset.problems] == [3, 4]
