"""The deployment recipe (deploy/, docs/deploy.md) agrees with the code it deploys: every variable it sets is one
the app reads, the replicas share the servers, and the pinned versions are the project's."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

import yaml

from chat.serve.settings import ENVIRONMENT

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"


def _compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def _replicas(compose: dict) -> dict[str, dict]:
    return {name: service for name, service in compose["services"].items() if name.startswith("app-")}


def test_every_variable_the_compose_file_sets_is_one_the_app_reads():
    services = _compose()["services"].values()
    named = {key for service in services for key in (service.get("environment") or {}) if "WHISPERLITE" in key}
    assert named and named - set(ENVIRONMENT) == set()


def test_two_replicas_share_one_postgresql_one_chroma_server_and_trust_the_proxy():
    replicas = _replicas(_compose())
    assert len(replicas) == 2
    for service in replicas.values():
        env = service["environment"]
        assert (
            env["WHISPERLITE_USERS_URL"].startswith("postgresql://")
            and "@postgres:5432/" in env["WHISPERLITE_USERS_URL"]
        )
        assert env["WHISPERLITE_CHROMA_URL"] == "http://chroma:8000"
        assert env["WHISPERLITE_BEHIND_PROXY"] == "1"
        assert service["depends_on"]["prepare"] == {"condition": "service_completed_successfully"}


def test_the_proxy_sends_to_both_replicas_and_keeps_a_browser_on_one():
    config = (DEPLOY / "nginx.conf").read_text()
    upstreams = re.findall(r"server (app-[ab]):7860", config)
    assert sorted(upstreams) == sorted(_replicas(_compose()))
    assert "hash $remote_addr consistent" in config and "X-Forwarded-For $proxy_add_x_forwarded_for" in config


def test_the_chroma_server_is_the_version_of_the_client_the_app_pins():
    image = _compose()["services"]["chroma"]["image"]
    assert image == f"chromadb/chroma:{version('chromadb')}"


def test_the_image_installs_the_torch_the_project_pins_from_the_cpu_index():
    pins = tomllib.loads((DEPLOY.parent / "pyproject.toml").read_text())["project"]["dependencies"]
    torch = next(pin for pin in pins if pin.startswith("torch=="))
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert f"{torch} --index-url https://download.pytorch.org/whl/cpu" in dockerfile
