"""Saving and loading WhisperLite with everything that produced it; a checkpoint refuses a foreign encoder or catalogue.

The catalogue's identity is `store.catalogs.catalog_fingerprint`, computed by the caller and passed in.
Content is plain tensors, dicts, lists, strings and numbers, so it loads with `torch.load(weights_only=True)`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any, BinaryIO

import torch

from ranker.model import RankerConfig, WhisperLite
from ranker.train import TrainConfig

ENCODER_KEYS = ("name", "dim", "text_template")
FIX = "retrain with `whisperlite train` for this encoder and catalogue, or point the settings at a matching checkpoint"


# checkpoints saved before BCE had a learnable scale and bias used the raw score as the logit: scale 1, bias 0
BEFORE_CALIBRATION = {"bce_log_scale": torch.zeros(()), "bce_bias": torch.zeros(())}
# history models saved before `history_mix` existed scored without the history's frozen-encoder similarity
BEFORE_HISTORY_MIX = {"history_mix": torch.zeros(())}


class CheckpointError(RuntimeError):
    """The checkpoint file cannot be used: missing, corrupt, truncated or of an unknown layout."""


class CheckpointMismatch(CheckpointError):
    """The checkpoint was trained with another encoder or catalogue than the one in use."""


def save_checkpoint(
    path: str | Path,
    model: WhisperLite,
    model_config: RankerConfig,
    train_config: TrainConfig,
    encoder_info: dict[str, Any],
    catalog_fingerprint: str,
    metrics: dict[str, Any],
    step: int,
) -> Path:
    """Writes the checkpoint atomically: to a temporary file in the same folder, then renamed over `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    content = {
        "model": {name: tensor.detach().cpu() for name, tensor in model.state_dict().items()},
        "config": asdict(model_config),
        "train_config": asdict(train_config),
        "encoder": {key: encoder_info[key] for key in ENCODER_KEYS},
        "catalog": catalog_fingerprint,
        "metrics": metrics,
        "step": step,
    }
    return atomic_write(path, lambda file: torch.save(content, file))


def atomic_write(path: Path, write: Callable[[BinaryIO], object]) -> Path:
    """Runs `write` on a temporary file beside `path`, syncs it, then renames it over `path`: a reader sees the
    old file or the new one, never half of one, and a crash leaves no temporary file behind."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def load_checkpoint(
    path: str | Path, encoder_info: dict[str, Any], catalog_fingerprint: str
) -> tuple[WhisperLite, dict[str, Any]]:
    """-> (model in eval mode, everything else in the file). Refuses a foreign encoder or catalogue."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"no checkpoint at {path}: train one with `whisperlite train`")
    try:
        content = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # torch raises pickle, zip, EOF and runtime errors for damaged files
        raise CheckpointError(
            # torch's own message suggests weights_only=False, wrong advice for a damaged file: name the type only
            f"cannot read checkpoint {path} ({type(error).__name__}): the file is corrupt or truncated; "
            "delete it and retrain with `whisperlite train`"
        ) from error
    if not isinstance(content, dict):
        raise CheckpointError(f"{path} is not a WhisperLite checkpoint (it holds a {type(content).__name__}); {FIX}")
    missing = {"model", "config", "encoder", "catalog"} - set(content)
    if missing:
        raise CheckpointError(f"{path} is not a WhisperLite checkpoint (missing {sorted(missing)}); {FIX}")
    _check_identity(path, content, encoder_info, catalog_fingerprint)
    try:
        model = WhisperLite(RankerConfig(**content["config"]))
        before = {**BEFORE_CALIBRATION, **(BEFORE_HISTORY_MIX if model.history is not None else {})}
        model.load_state_dict({**before, **content["model"]})
    except (TypeError, RuntimeError) as error:
        raise CheckpointError(f"{path} holds weights that do not fit its own config ({error}); {FIX}") from error
    meta = {key: value for key, value in content.items() if key != "model"}
    return model.eval(), meta


def _check_identity(path: Path, content: dict, encoder_info: dict[str, Any], catalog_fingerprint: str) -> None:
    expected = {key: encoder_info[key] for key in ENCODER_KEYS}
    found = {key: content["encoder"].get(key) for key in ENCODER_KEYS}
    if found != expected:
        differing = ", ".join(
            f"{key}: expected {expected[key]!r}, found {found[key]!r}"
            for key in ENCODER_KEYS
            if found[key] != expected[key]
        )
        raise CheckpointMismatch(f"checkpoint {path} was trained with another encoder ({differing}); {FIX}")
    if content["catalog"] != catalog_fingerprint:
        raise CheckpointMismatch(
            f"checkpoint {path} was trained on another catalogue (expected fingerprint {catalog_fingerprint!r}, "
            f"found {content['catalog']!r}); {FIX}"
        )
