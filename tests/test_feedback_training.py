"""`whisperlite train --from-feedback` retrains as the closed loop measures: hidden-taste shoppers chat with the
demo app, then the command fine-tunes the model in use on the feedback the app stored and the catalogue's own
requests, through the quality gate, exactly as `chat.serve.feedback_training.retrain_from_feedback` does for the
loop and the background retrainer (a real, short training run)."""

from __future__ import annotations

import html
import json
import subprocess
import sys

import pytest
import torch
from app_server import REPO, app_env, copy_data_dir

from chat.serve.build import build_app
from chat.serve.feedback_training import SOURCE
from chat.serve.settings import AppSettings
from ranker.feedback_pairs import feedback_examples, verdict
from ranker.shop_taste import ShopTaste
from store.feedback import FeedbackLog

pytest_plugins = ["conftest_app"]
pytestmark = pytest.mark.slow

CHAT_SCRIPT = """
import random
from chat.evaluate.closed_loop import converse, in_process_sessions
from chat.serve.build import build_app
from chat.serve.settings import AppSettings
from ranker.simulate.hidden_taste import draw_clientele, draw_shoppers

app = build_app(AppSettings.from_env(), progress=False)
rng = random.Random(0)
shoppers = draw_shoppers(draw_clientele(app.catalog.items, rng), app.catalog.items, 8, rng)
by_id = {item.id: item for item in app.catalog.items}
for shopper in shoppers:
    converse(in_process_sessions(app)(), shopper, by_id, rng, requests=8)
"""


@pytest.fixture(scope="module")
def trained(demo_data_dir, tmp_path_factory):
    """A copy of the demo after hidden-taste shoppers chatted with it and `whisperlite train --from-feedback` ran:
    (data folder, its environment, the stored events, the command's result)."""
    data_dir = copy_data_dir(demo_data_dir, tmp_path_factory, "from-feedback")
    env = app_env(WHISPERLITE_DATA_DIR=str(data_dir))
    subprocess.run([sys.executable, "-c", CHAT_SCRIPT], cwd=REPO, env=env, check=True, timeout=1200)
    events = FeedbackLog(data_dir / "users.sqlite").events()
    command = [sys.executable, "-m", "chat.serve.cli", "train", "--from-feedback", "--epochs", "2"]
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stderr
    return data_dir, env, events, result


def test_train_from_feedback_fine_tunes_the_model_in_use_on_the_stored_feedback_through_the_gate(trained):
    data_dir, _, events, result = trained
    assert {"like", "dislike"} <= {event.kind for event in events}
    decided = result.stdout.splitlines()[-1]
    assert decided.startswith(("served: ", "kept aside, not served: ")), result.stdout
    (entry,) = json.loads((data_dir / "checkpoints" / "models.json").read_text())["models"].values()
    record = entry["served"] if decided.startswith("served") else entry["refused"][-1]
    assert record["source"] == f"{SOURCE}, fine-tuning the model in use"  # the demo model was in use
    assert record["decision"]["reason"] in result.stdout
    saved = torch.load(data_dir / "checkpoints" / record["checkpoint"], map_location="cpu", weights_only=False)
    assert saved["metrics"]["examples"] == len(feedback_examples(events, history_max=50))  # every stored request


def test_the_shop_s_taste_learned_with_it_is_saved_loaded_at_start_and_shown(trained):
    data_dir, env, events, result = trained
    (taste_file,) = (data_dir / "checkpoints").glob("*-taste.json")
    taste = ShopTaste.load(taste_file)
    assert taste is not None and taste.reactions == sum(verdict(event) is not None for event in events)
    top = max(taste.values, key=taste.values.get)
    assert top.startswith("brand=")  # every like and purchase of the simulated clientele is of its three brands
    assert taste.describe() in result.stdout

    app = build_app(AppSettings.from_env(env), progress=False)
    assert app.recommender.shop_taste == taste
    assert html.escape(taste.describe()) in header_of(app)
    command = [sys.executable, "-m", "chat.serve.cli", "model"]
    model = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert taste.describe() in model.stdout, model.stdout + model.stderr


def header_of(app) -> str:
    from chat.web.page import build_demo

    blocks = build_demo(app).blocks.values()
    (header,) = [block.value for block in blocks if getattr(block, "elem_id", None) == "header"]
    return header
