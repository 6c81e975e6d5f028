"""The registry of the app's models: a small JSON manifest beside the checkpoints saying, per catalogue and
encoder, which model is served (or that zero-shot is) and which were refused by the gate, and why.

`models.json` maps a checkpoint's stem (catalogue--encoder--fingerprint, as `chat.serve.models.checkpoint_path`)
to {"served": record or null, "refused": [record, ...]}. It is written atomically, like `ranker.checkpoint`: to
a temporary file in the same folder, then renamed over the manifest, so a crash leaves the old one whole.
A record holds no private data: sources name a file (never its folder) and counts, never a user.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ranker.checkpoint import atomic_write
from ranker.gate import GateDecision

MANIFEST = "models.json"


class RegistryError(ValueError):
    """The manifest cannot be read: the message names the file and the fix."""


@dataclass(frozen=True)
class ModelRecord:
    """One trained model and the gate's verdict on it. `checkpoint` is a path relative to the manifest's folder."""

    source: str  # what it was trained on: "simulated shoppers of demo", "interactions shop.jsonl (1204 events)"
    trained_at: str  # ISO 8601, UTC
    decision: GateDecision
    checkpoint: str

    def summary(self) -> str:
        """One line a person reads: what, when, and its score against zero-shot."""
        versus = "" if self.decision.current is None else f", model then in use {self.decision.current:.3f}"
        return (
            f"trained on {self.source}, {self.trained_at}: validation NDCG@10 {self.decision.candidate:.3f} "
            f"(zero-shot {self.decision.zero_shot:.3f}{versus})"
        )


@dataclass(frozen=True)
class ModelEntry:
    """The models of one catalogue and encoder: the one served (None: zero-shot) and those kept aside."""

    served: ModelRecord | None = None
    refused: tuple[ModelRecord, ...] = field(default_factory=tuple)

    def in_use(self) -> str:
        """What the app ranks with, in one public line."""
        if self.served is None:
            return "zero-shot (no trained model beat it)"
        return f"WhisperLite {self.served.summary()}"


def read_registry(folder: Path) -> dict[str, ModelEntry]:
    """stem -> entry; an absent manifest is an empty registry, a damaged one an error naming the fix."""
    path = Path(folder) / MANIFEST
    if not path.is_file():
        return {}
    fix = f"delete {path} to start a new registry (the app then retrains its demo model and gates it)"
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
        return {stem: _entry(raw) for stem, raw in content["models"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise RegistryError(
            f"the model registry {path} is unreadable ({type(error).__name__}: {error}); {fix}"
        ) from error


def write_registry(folder: Path, registry: dict[str, ModelEntry]) -> Path:
    """Writes the whole registry atomically and returns the manifest's path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / MANIFEST
    content = {"models": {stem: asdict(entry) for stem, entry in sorted(registry.items())}}
    return atomic_write(path, lambda file: file.write(json.dumps(content, indent=2).encode("utf-8")))


def _entry(raw: dict) -> ModelEntry:
    served = raw["served"]
    return ModelEntry(None if served is None else _record(served), tuple(_record(r) for r in raw["refused"]))


def _record(raw: dict) -> ModelRecord:
    return ModelRecord(raw["source"], raw["trained_at"], GateDecision(**raw["decision"]), raw["checkpoint"])
