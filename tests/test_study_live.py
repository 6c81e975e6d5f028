"""The relevance study end to end through the JSON API of a real server: a scripted rater grades every card of
a dozen tasks by a rule, then `whisperlite study report` prints the table and writes the chart.

The table here tests the pipeline (a rule-following script, not people): it is not a study result.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
from PIL import Image
from study_rater import SYSTEM_NAMES, grade_by_rule, report_rows, study_report, study_server

from chat.study.systems import SYSTEMS
from store.ratings import RatingStore

pytestmark = pytest.mark.slow
TASKS = 12
CARD_FIELDS = {"position", "id", "title", "brand", "category", "colour", "price", "picture"}


@pytest.fixture(scope="module")
def server(demo_data_dir, tmp_path_factory):
    yield from study_server(demo_data_dir, tmp_path_factory, "study-api")


@pytest.fixture(scope="module")
def rated(server):
    """A rater's session through gradio_client: TASKS tasks, every card graded by the rule."""
    from gradio_client import Client

    url, _ = server
    client = Client(url, verbose=False, analytics_enabled=False)
    sessions = []
    for _ in range(TASKS):
        task = client.predict(api_name="/study_task")
        grades = [grade_by_rule(task["request"], card["colour"]) for card in task["cards"]]
        sessions.append((task, grades, client.predict(grades, api_name="/study_rate")))
    return sessions


def test_every_card_of_every_task_is_stored_with_its_grade(server, rated):
    _, data_dir = server
    stored = RatingStore(data_dir / "users.sqlite").ratings()
    assert [result["stored"] for _, _, result in rated] == [len(task["cards"]) for task, _, _ in rated]
    sent = [
        (task["request"], card["id"], grade) for task, grades, _ in rated for card, grade in zip(task["cards"], grades)
    ]
    assert [(r.request, r.item_id, r.grade) for r in stored] == sent
    assert len(RatingStore(data_dir / "users.sqlite").as_feedback()) == len(sent)


def test_a_task_shows_each_systems_top_k_once_and_at_least_k_cards(rated):
    for task, _, _ in rated:
        ids = [card["id"] for card in task["cards"]]
        assert task["k"] in (3, 5, 7)
        assert len(ids) == len(set(ids)) and task["k"] <= len(ids) <= 4 * task["k"]


def test_the_json_a_rater_receives_names_no_system_score_or_reason(rated):
    for task, _, result in rated:
        assert set(task) == {"question", "request", "k", "cards"}
        assert all(set(card) == CARD_FIELDS for card in task["cards"])
        text = json.dumps([task, result]).lower()
        assert not [name for name in SYSTEM_NAMES if name in text]


def test_the_stored_ratings_credit_each_system_its_top_k(server, rated):
    _, data_dir = server
    by_task: dict[str, list] = {}
    for rating in RatingStore(data_dir / "users.sqlite").ratings():
        by_task.setdefault(rating.task_id, []).append(rating.systems)
    assert len(by_task) == len(rated)
    for (task, _, _), credits in zip(rated, by_task.values()):
        assert len(credits) == len(task["cards"])
        for system in SYSTEMS:
            ranks = sorted(rank for systems in credits for name, rank in systems.items() if name == system)
            assert ranks[: task["k"]] == list(range(1, task["k"] + 1))


def test_an_incomplete_set_of_grades_is_refused_and_stores_nothing(server):
    from gradio_client import Client

    url, data_dir = server
    client = Client(url, verbose=False, analytics_enabled=False)
    before = len(RatingStore(data_dir / "users.sqlite").ratings())
    task = client.predict(api_name="/study_task")
    result = client.predict([5] * (len(task["cards"]) - 1), api_name="/study_rate")
    assert "error" in result and f"card {len(task['cards'])} has no grade" in result["error"]
    assert len(RatingStore(data_dir / "users.sqlite").ratings()) == before


def test_the_report_counts_k_cards_per_system_per_task_and_shows_the_rule_favoured_systems(server, rated, tmp_path):
    _, data_dir = server
    result = study_report(data_dir, tmp_path)
    assert result.returncode == 0, result.stderr
    rows = report_rows(result.stdout)
    tasks_per_k = Counter(task["k"] for task, _, _ in rated)
    for system in SYSTEMS:
        for k, tasks in tasks_per_k.items():
            assert rows[system, k][0] == k * tasks, (system, k, rows)
    means = {system: _overall(rows, system) for system in SYSTEMS}
    assert means["zero-shot"] > means["random"] and means["whisperlite"] > means["random"], means
    chart = tmp_path / "study.png"
    with Image.open(chart) as image:
        assert image.format == "PNG" and image.width > 300


def _overall(rows, system: str) -> float:
    cells = [(count, mean) for (name, _), (count, mean) in rows.items() if name == system]
    return sum(count * mean for count, mean in cells) / sum(count for count, _ in cells)
