"""A first start's demo model trains after the page is up: zero-shot serves and says so until the model has been
trained and gated, then the recommender serves it and the page's header names it."""

from __future__ import annotations

import shutil

import pytest
from app_server import app_env, copy_data_dir

from chat.request import Request
from chat.serve.build import build_app, serve_first_model
from chat.serve.registry import read_registry
from chat.serve.settings import AppSettings

pytest_plugins = ["conftest_app"]
pytestmark = pytest.mark.slow


def header_of(app) -> str:
    from chat.web.page import build_demo

    (header,) = [b.value for b in build_demo(app).blocks.values() if getattr(b, "elem_id", None) == "header"]
    return header


@pytest.fixture(scope="module")
def untrained_app(demo_data_dir, tmp_path_factory):
    """The built demo with no model registered (as on a first start), its training left to the background."""
    data_dir = copy_data_dir(demo_data_dir, tmp_path_factory, "first-model")
    shutil.rmtree(data_dir / "checkpoints")
    settings = AppSettings.from_env(app_env(WHISPERLITE_DATA_DIR=str(data_dir), WHISPERLITE_TRAIN_EPOCHS="1"))
    return build_app(settings, progress=False, train_in_background=True)


def test_until_the_first_model_is_trained_zero_shot_serves_and_the_header_says_so(untrained_app):
    assert untrained_app.first_model is not None and untrained_app.recommender.scorer is None
    assert "model: zero-shot while the demo model trains (first start)" in header_of(untrained_app)
    assert not read_registry(untrained_app.settings.checkpoint_dir)


def test_a_turn_is_answered_while_the_first_model_is_untrained(untrained_app):
    picks = untrained_app.recommender.recommend(Request(text="a light summer dress", k=5))
    assert len(picks) == 5


def test_once_trained_the_first_model_is_registered_served_and_named(untrained_app):
    serve_first_model(untrained_app)
    registry = read_registry(untrained_app.settings.checkpoint_dir)
    assert len(registry) == 1 and untrained_app.first_model is None
    (entry,) = registry.values()
    assert untrained_app.recommender.scorer is untrained_app.scorer
    assert (untrained_app.scorer is not None) == (entry.served is not None)
    assert f"model: {entry.in_use()}" in header_of(untrained_app)
