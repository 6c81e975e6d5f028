"""The closed loop end to end on the demo app, tiny: shoppers with hidden tastes chat in-process and over HTTP,
the app stores their feedback with the request in force, and the model is retrained from what it stored through
the app's own retraining (`retrain_from_feedback`: the quality gate, the registry). The gain is measured by
`whisperlite simulate-loop` (docs/results.md), not asserted here."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from app_server import app_env, copy_data_dir, start_server

from chat.evaluate.closed_loop import LoopConfig, converse, held_out_requests, in_process_sessions, run_loop
from chat.evaluate.history_score import history_score
from chat.request import TOP_K, Request
from chat.scripted.runner import LiveSession
from chat.serve.feedback_training import SOURCE, retrain_from_feedback
from chat.serve.models import ModelContext, model_in_use
from ranker.feedback_pairs import feedback_examples
from ranker.simulate.hidden_taste import draw_clientele, draw_shoppers

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("one_torch_thread")]


def build(data_dir):
    from chat.serve.build import build_app
    from chat.serve.settings import AppSettings

    return build_app(AppSettings.from_env(app_env(WHISPERLITE_DATA_DIR=str(data_dir))), progress=False)


def test_two_rounds_in_process_store_feedback_and_retrain_on_it_through_the_app_s_gate(demo_data_dir, tmp_path_factory):
    app = build(copy_data_dir(demo_data_dir, tmp_path_factory, "loop-in-process"))
    demo_scorer = app.recommender.scorer
    config = LoopConfig(rounds=2, shoppers=8, requests=6, held_out=40, epochs=2)  # enough feedback for the gate
    report = run_loop(app, in_process_sessions(app), config)
    events = app.feedback.events()
    assert {"like", "dislike"} <= {e.kind for e in events}
    assert all(e.user_id is None and e.request for e in events)  # guests: the session id only, never an identity
    assert [r.round for r in report.rounds] == [0, 1, 2] and report.rounds[2].events == len(events)
    assert 0 < report.rounds[1].examples < report.rounds[2].examples  # the second model saw both rounds' feedback
    entry = model_in_use(app.settings, app.catalog.items, app.encoder)
    last = entry.served if report.rounds[2].gate.startswith("served") else entry.refused[-1]
    assert last.source.startswith(SOURCE) and last.decision.reason in report.rounds[2].gate  # the app's gate judged it
    any_served = any(r.gate.startswith("served") for r in report.rounds[1:])
    assert (app.recommender.scorer is not demo_scorer) == any_served and app.recommender.scorer is app.scorer


def test_the_history_score_passes_each_held_out_shopper_the_cards_their_taste_liked_earlier(
    demo_data_dir, tmp_path_factory
):
    app = build(copy_data_dir(demo_data_dir, tmp_path_factory, "loop-history"))
    items = app.catalog.items
    by_id = {item.id: item for item in items}
    rng = random.Random(0)
    shoppers = draw_shoppers(draw_clientele(items, rng), items, 4, rng, prefix="held-out")
    turns = held_out_requests(shoppers, items, 12, app.encoder.encode_text, rng).turns  # three requests each
    scored = history_score(app.recommender, turns, by_id)
    assert any(scored.histories.values())  # some cards shown were liked: the later requests had a history
    for shopper in shoppers:
        history = scored.histories[shopper.name]
        assert all(shopper.react(by_id[i]) in ("like", "purchase") for i in history)  # their taste chose each
        first = next(turn for turn in turns if turn.shopper is shopper)  # cold start: no earlier likes
        shown = app.recommender.recommend(Request(first.text, k=10))[:TOP_K]
        liked_first = [c.item.id for c in shown if shopper.react(by_id[c.item.id]) in ("like", "purchase")]
        assert list(history[: len(liked_first)]) == liked_first  # the likes of the cards their first request showed
    assert 0 <= scored.with_history <= 1 and 0 <= scored.without_history <= 1


def test_shoppers_over_http_leave_feedback_the_app_stores_and_a_model_trains_on(demo_data_dir, tmp_path_factory):
    data_dir = copy_data_dir(demo_data_dir, tmp_path_factory, "loop-live")
    server = start_server(
        app_env(WHISPERLITE_DATA_DIR=str(data_dir), WHISPERLITE_RATE_TURNS_PER_CLIENT="100000"),
        data_dir.parent / "server.log",
        timeout=900,
    )
    url = next(server)
    try:
        app_items = build_catalogue_items(data_dir)
        rng = random.Random(0)
        shoppers = draw_shoppers(draw_clientele(app_items, rng), app_items, 6, rng)  # enough requests for the gate
        by_id = {item.id: item for item in app_items}
        for shopper in shoppers:
            converse(LiveSession(url, "guest"), shopper, by_id, rng, requests=8)
    finally:
        server.close()  # stops the server: the item store is free to open again
    app = build(data_dir)
    events = app.feedback.events()
    assert len({e.session_id for e in events}) == 6 and all(e.user_id is None for e in events)
    assert any(e.kind == "like" and e.request for e in events)
    context = ModelContext(replace(app.settings, train_epochs=2), app.catalog.items, app.encoder, app.items)
    retrained = retrain_from_feedback(context, app.feedback, progress=False)
    assert retrained.requests == len(feedback_examples(events, history_max=50))
    assert retrained.requests == len(
        {(e.session_id, e.request, e.item_id) for e in events if e.kind in ("like", "purchase")}
    )
    assert (retrained.scorer is not None) == retrained.decision.serve


def build_catalogue_items(data_dir):
    """The catalogue the server reads, read here too (the generated demo catalogue is cached in the data folder)."""
    from chat.serve.build import read_catalog
    from chat.serve.settings import AppSettings

    return read_catalog(AppSettings.from_env(app_env(WHISPERLITE_DATA_DIR=str(data_dir)))).items
