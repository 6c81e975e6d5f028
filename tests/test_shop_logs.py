"""A shop's log matched against the catalogue in use: usable events kept, the others counted and named."""

from __future__ import annotations

import json

import pytest

from ranker.datasets.shop_logs import read_shop_log


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(row) + "\n" for row in rows) + "not json\n")
    return path


def test_events_of_items_outside_the_catalogue_are_counted_and_named(tmp_path):
    rows = [
        {"user": "a", "item": "1", "text": "a red dress", "time": 1},
        {"user": "a", "item": "9", "text": "a hat", "time": 2},
        {"user": "b", "item": "9", "text": "", "time": 3},
        {"user": "b", "item": "2", "text": "", "time": 4},
    ]
    log = read_shop_log([write_jsonl(tmp_path / "log.jsonl", rows)], "jsonl", {"1", "2"})
    assert [event.item for event in log.events] == ["1", "2"]
    assert (log.read, log.unknown_items, log.unknown_examples) == (4, 2, ("9",))
    assert log.report("demo") == (
        "4 events read, 2 usable; 2 left out: their items are not in the catalogue demo (e.g. 9); "
        "1 unreadable records (first: log.jsonl:5: unreadable interaction: "
        "JSONDecodeError('Expecting value: line 1 column 1 (char 0)'))"
    )


def test_a_yelp_log_needs_its_reviews_and_its_businesses(tmp_path):
    with pytest.raises(ValueError, match="the yelp format reads 2 path"):
        read_shop_log([tmp_path / "review.json"], "yelp", set())


def test_a_missing_log_file_is_named(tmp_path):
    with pytest.raises(ValueError, match="no such file or folder: .*absent.jsonl"):
        read_shop_log([tmp_path / "absent.jsonl"], "jsonl", set())


def test_an_amazon_dump_is_read_with_its_asins_as_item_ids(tmp_path):
    review = {"reviewerID": "r1", "asin": "B01", "unixReviewTime": 5, "summary": "Lovely", "reviewText": "fits"}
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps(review) + "\n")
    log = read_shop_log([path], "amazon", {"B01"})
    assert [(event.user, event.item, event.text) for event in log.events] == [("r1", "B01", "Lovely. fits")]
