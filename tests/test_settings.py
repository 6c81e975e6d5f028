"""Settings come from the environment once, with defaults that give the built-in demo."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from chat.serve.settings import ENVIRONMENT, AppSettings

REPO = Path(__file__).resolve().parents[1]


def test_defaults_give_the_offline_demo():
    settings = AppSettings.from_env({})
    assert (settings.catalog.source, settings.encoder.kind, settings.spaces) == ("demo", "sentence", False)
    assert settings.item_store.path == Path("data/chroma") and settings.users_path == Path("data/users.sqlite")


def test_every_variable_is_read():
    env = {
        "WHISPERLITE_CATALOG": "kaggle",
        "WHISPERLITE_CATALOG_PATH": "/x/fashion",
        "WHISPERLITE_CATALOG_LIMIT": "300",
        "WHISPERLITE_CATALOG_IMAGES_ONLY": "1",
        "WHISPERLITE_ENCODER": "clip",
        "WHISPERLITE_CLIP_ID": "/models/clip",
        "WHISPERLITE_TEXT_TEMPLATE": "a photo of {}",
        "WHISPERLITE_DATA_DIR": "/tmp/wl",
        "WHISPERLITE_CHROMA_URL": "http://127.0.0.1:8000",
        "WHISPERLITE_TOP_K": "4",
        "WHISPERLITE_CANDIDATES": "50",
        "WHISPERLITE_TEXT_WEIGHT": "0",
        "WHISPERLITE_TRAIN_EPOCHS": "3",
    }
    s = AppSettings.from_env(env)
    assert (s.catalog.source, s.catalog.path, s.catalog.limit, s.catalog.with_images_only) == (
        "kaggle",
        "/x/fashion",
        300,
        True,
    )
    assert (s.encoder.kind, s.encoder.clip_id, s.encoder.text_template) == ("clip", "/models/clip", "a photo of {}")
    assert (s.data_dir, s.item_store.url, s.top_k, s.candidates, s.text_weight, s.train_epochs) == (
        Path("/tmp/wl"),
        "http://127.0.0.1:8000",
        4,
        50,
        0.0,
        3,
    )


def test_the_user_database_is_the_data_folders_sqlite_file_unless_a_url_names_a_server():
    assert AppSettings.from_env({"WHISPERLITE_DATA_DIR": "/tmp/wl"}).users_database == "/tmp/wl/users.sqlite"
    server = "postgresql://shop:secret@db:5432/shop"
    assert AppSettings.from_env({"WHISPERLITE_USERS_URL": server}).users_database == server


def test_an_unknown_encoder_kind_is_refused_with_the_variable_named():
    with pytest.raises(ValueError, match="WHISPERLITE_ENCODER"):
        AppSettings.from_env({"WHISPERLITE_ENCODER": "word2vec"})


def test_the_encoder_runtime_is_read_and_its_exports_live_in_the_data_cache():
    settings = AppSettings.from_env({"WHISPERLITE_ENCODER_RUNTIME": "onnx-int8", "WHISPERLITE_DATA_DIR": "/tmp/wl"})
    assert settings.encoder.runtime == "onnx-int8" and settings.onnx_dir == Path("/tmp/wl/cache/onnx")


def test_the_encoder_runtime_defaults_to_onnx_float():
    assert AppSettings.from_env({}).encoder.runtime == "onnx"


def test_an_unknown_encoder_runtime_is_refused_with_the_variable_named():
    with pytest.raises(ValueError, match="WHISPERLITE_ENCODER_RUNTIME must be torch, onnx, onnx-int8 or onnx-int8-pc"):
        AppSettings.from_env({"WHISPERLITE_ENCODER_RUNTIME": "tensorrt"})


def test_the_readme_documents_every_variable():
    readme = (REPO / "README.md").read_text()
    assert [name for name in ENVIRONMENT if f"`{name}`" not in readme] == []


def test_a_proxy_in_front_is_trusted_only_when_said_so_or_on_a_space():
    assert not AppSettings.from_env({}).behind_proxy
    assert AppSettings.from_env({"WHISPERLITE_BEHIND_PROXY": "1"}).behind_proxy
    assert AppSettings.from_env({"SPACE_ID": "me/shop"}, persistent_storage=Path("/nonexistent")).behind_proxy


def test_turns_at_once_default_to_the_cores_the_process_may_use_and_can_be_set():
    assert AppSettings.from_env({}).turns_at_once == len(os.sched_getaffinity(0))
    assert AppSettings.from_env({"WHISPERLITE_TURNS_AT_ONCE": "4"}).turns_at_once == 4


def test_the_per_channel_int8_runtime_is_accepted():
    assert AppSettings.from_env({"WHISPERLITE_ENCODER_RUNTIME": "onnx-int8-pc"}).encoder.runtime == "onnx-int8-pc"
