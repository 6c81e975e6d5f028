"""The study set: requests from a file (YAML or JSONL) or worded from the catalogue; a task draws k from 3, 5, 7."""

from __future__ import annotations

import random

import pytest

from chat.study.tasks import STUDY_KS, StudyRequestsError, catalogue_requests, draw_task, load_requests
from store.item import Item
from store.users import User


def test_requests_are_read_from_a_yaml_list(tmp_path):
    path = tmp_path / "study.yaml"
    path.write_text("- a red dress\n- ' sneakers for running '\n")
    assert load_requests(path) == ("a red dress", "sneakers for running")


def test_requests_are_read_from_jsonl_lines(tmp_path):
    path = tmp_path / "study.jsonl"
    path.write_text('{"request": "a red dress"}\n\n{"request": "a navy blazer"}\n')
    assert load_requests(path) == ("a red dress", "a navy blazer")


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("study.yaml", "requests: a red dress\n", "must hold a non-empty list"),
        ("study.yaml", "[]\n", "must hold a non-empty list"),
        ("study.yaml", "- [unclosed\n", "malformed"),
        ("study.jsonl", '{"text": "a red dress"}\n', "malformed"),
    ],
)
def test_a_bad_requests_file_gets_a_message_naming_it(tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(StudyRequestsError, match=message) as raised:
        load_requests(path)
    assert str(path) in str(raised.value)


def test_a_missing_requests_file_is_named(tmp_path):
    with pytest.raises(StudyRequestsError, match="cannot be read"):
        load_requests(tmp_path / "absent.yaml")


def test_requests_worded_from_the_catalogue_name_colour_category_gender_and_usage():
    items = [
        Item("1", "Red Dress", category="dress", colour="red", extra={"gender": "Women", "usage": "Casual"}),
        Item("2", "Blue Shoes", category="shoes", colour="blue"),
        Item("3", "Mystery", category=""),
    ]
    assert set(catalogue_requests(items, count=10)) == {"red dress for women, casual", "blue shoes"}


def test_a_task_draws_k_from_the_papers_three_five_seven_and_a_persona():
    personas = [User("maya", "Maya", persona=True), User("leo", "Leo", persona=True)]
    tasks = [draw_task(["a red dress"], personas, random.Random(seed)) for seed in range(30)]
    assert {task.k for task in tasks} == set(STUDY_KS)
    assert {task.shopper.id for task in tasks} == {"maya", "leo"}
    assert len({task.id for task in tasks}) == 30


def test_without_personas_a_task_reads_no_history():
    assert draw_task(["a red dress"], [], random.Random(0)).shopper is None
