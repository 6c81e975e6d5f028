"""Frozen-encoder vectors with a disk cache: encoding is the slow part of an evaluation (~440 short texts/s
on 2 cores with the offline MiniLM), so vectors are stored as .npy keyed by a hash of the encoder and texts."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from ranker.encoders import Encoder


def cache_key(encoder_name: str, texts: Sequence[str]) -> str:
    digest = hashlib.sha256(encoder_name.encode())
    for text in texts:
        digest.update(b"\x00" + text.encode())
    return digest.hexdigest()[:24]


def encode_cached(
    encoder: Encoder, texts: Sequence[str], cache_dir: Path, desc: str = "encode", chunk: int = 512
) -> np.ndarray:
    """(len(texts), dim) float32 L2-normalised vectors; read from `cache_dir` when these texts were seen."""
    cache_dir = Path(cache_dir)
    path = cache_dir / f"{desc}-{cache_key(encoder.name, texts)}.npy"
    if path.is_file():
        return np.load(path)
    parts = [
        encoder.encode_text(list(texts[start : start + chunk]))
        for start in tqdm(range(0, len(texts), chunk), desc=f"{desc} ({len(texts)} texts)", unit="chunk")
    ]
    vectors = np.concatenate(parts) if parts else np.zeros((0, encoder.dim), dtype=np.float32)
    cache_dir.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors.astype(np.float32))
    return vectors
