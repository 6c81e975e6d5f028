"""Named presets as data: the JSON files beside this module (shipped as package data), read by `load_preset`.

- `demo.json`: the demo model trained on first start: its sources (catalogue pairs, simulated shoppers), their
  sizes, towers and training schedule.
- `evaluation-grid.json`: the offline evaluation's validation grid and training budget (`WhisperLiteGrid`).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def preset_names() -> list[str]:
    return sorted(
        entry.name.removesuffix(".json")
        for entry in resources.files(__name__).iterdir()
        if entry.name.endswith(".json")
    )


def load_preset(name: str) -> dict[str, Any]:
    """The preset `name` ("demo", "evaluation-grid") as plain JSON values."""
    path = resources.files(__name__) / f"{name}.json"
    if not path.is_file():
        raise KeyError(f"no preset {name!r}; the presets are {preset_names()}")
    return json.loads(path.read_text(encoding="utf-8"))
