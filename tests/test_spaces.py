"""Hugging Face Spaces readiness: README front matter, requirements.txt, settings on a Space, an unlaunched demo."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import gradio as gr
import pytest
import yaml
from app_server import REPO, SPACE_ENV, app_env, copy_data_dir
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from chat.serve.settings import AppSettings


def _front_matter() -> dict:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert text.startswith("---\n"), "README.md must open with the Space's YAML front matter"
    return yaml.safe_load(text.split("---\n", 2)[1])


def test_readme_front_matter_declares_a_gradio_space_with_login():
    meta = _front_matter()
    assert (meta["sdk"], meta["app_file"], meta["hf_oauth"]) == ("gradio", "app.py", True)
    assert meta["python_version"] == "3.11"  # a string: YAML would read 3.10 as 3.1


def test_readme_sdk_version_is_the_installed_gradio():
    assert _front_matter()["sdk_version"] == gr.__version__


def _requirements(lines: list[str]) -> dict[str, Requirement]:
    lines = [line.split(" #")[0].strip() for line in lines]
    parsed = [Requirement(line) for line in lines if line and not line.startswith(("#", "-"))]  # "-" pip options
    return {canonicalize_name(req.name): req for req in parsed}


def test_requirements_txt_names_the_same_packages_as_pyproject():
    declared = _requirements(tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"])
    required = _requirements((REPO / "requirements.txt").read_text().splitlines())
    assert sorted(required) == sorted(declared)
    assert {name: req.extras for name, req in required.items()} == {n: r.extras for n, r in declared.items()}


def test_requirements_txt_keeps_every_version_bound_of_pyproject():
    declared = _requirements(tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"])
    required = _requirements((REPO / "requirements.txt").read_text().splitlines())
    missing = {
        name: sorted(str(spec) for spec in set(req.specifier) - set(required[name].specifier))
        for name, req in declared.items()
        if name in required and set(req.specifier) - set(required[name].specifier)
    }
    assert missing == {}


def test_on_a_space_the_encoder_is_clip_and_data_go_to_persistent_storage(tmp_path):
    settings = AppSettings.from_env({"SPACE_ID": "x/y"}, persistent_storage=tmp_path)
    assert (settings.spaces, settings.encoder.kind, settings.data_dir) == (True, "clip", tmp_path / "whisperlite")


def test_on_a_space_without_persistent_storage_data_stay_in_the_working_folder(tmp_path):
    settings = AppSettings.from_env({"SPACE_ID": "x/y"}, persistent_storage=tmp_path / "absent")
    assert settings.data_dir == Path("data")


def test_a_variable_overrides_the_space_defaults(tmp_path):
    env = {"SPACE_ID": "x/y", "WHISPERLITE_ENCODER": "sentence", "WHISPERLITE_DATA_DIR": str(tmp_path)}
    settings = AppSettings.from_env(env, persistent_storage=tmp_path)
    assert (settings.encoder.kind, settings.data_dir) == ("sentence", tmp_path)


def test_off_a_space_the_defaults_are_the_offline_demo():
    settings = AppSettings.from_env({})
    assert (settings.spaces, settings.encoder.kind, settings.catalog.source) == (False, "sentence", "demo")


@pytest.mark.slow
def test_create_builds_the_demo_without_launching_it(demo_data_dir, tmp_path_factory):
    from chat.serve import launch

    data_dir = copy_data_dir(demo_data_dir, tmp_path_factory, "spaces-create")
    demo, built = launch.create(AppSettings.from_env(app_env(WHISPERLITE_DATA_DIR=str(data_dir))))
    assert isinstance(demo, gr.Blocks) and not demo.is_running
    assert str(data_dir.resolve()) not in built.pictures.allowed_paths  # the stores are never served
    assert str((data_dir / "users.sqlite").resolve()) in built.pictures.blocked_paths
    api_names = {fn.api_name for fn in demo.fns.values()}
    assert {"turn", "feedback", "start_over"} <= api_names


COUNT_LOGIN_BUTTONS = (
    "import gradio as gr; from chat.serve.launch import create; from chat.serve.settings import AppSettings; "
    "demo, _ = create(AppSettings.from_env()); "
    "print(sum(isinstance(block, gr.LoginButton) for block in demo.blocks.values()))"
)


@pytest.mark.slow
def test_on_a_space_the_demo_has_a_login_button(demo_data_dir, tmp_path_factory):
    data_dir = copy_data_dir(demo_data_dir, tmp_path_factory, "spaces-login")
    env = app_env(**SPACE_ENV, WHISPERLITE_ENCODER="sentence", WHISPERLITE_DATA_DIR=str(data_dir))
    run = subprocess.run(
        [sys.executable, "-c", COUNT_LOGIN_BUTTONS], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    assert run.stdout.strip().splitlines()[-1] == "1"


@pytest.mark.slow
def test_off_a_space_the_demo_has_no_login_button(in_process_app):
    from chat.web.page import build_demo

    assert not in_process_app.settings.spaces
    demo = build_demo(in_process_app)
    assert not any(isinstance(block, gr.LoginButton) for block in demo.blocks.values())


@pytest.mark.slow
def test_off_a_space_the_header_says_it_is_a_local_demo_and_no_data_buttons_show(in_process_app):
    from chat.web.page import LOCAL_NOTE, build_demo

    demo = build_demo(in_process_app)
    headers = [block.value for block in demo.blocks.values() if getattr(block, "elem_id", None) == "header"]
    assert LOCAL_NOTE in headers[0] and "Local demo" in LOCAL_NOTE
    buttons = {block.value: block for block in demo.blocks.values() if isinstance(block, gr.Button)}
    assert "Download my data" in buttons and not buttons["Download my data"].parent.visible
