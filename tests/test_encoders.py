"""Encoders: the tiny CLIP through the real loading path, and the packaged offline sentence model."""

from __future__ import annotations

import logging

import numpy as np
import pytest
from PIL import Image

from ranker.encoders import ClipEncoder, EncoderConfig, EncoderUnavailable, SentenceEncoder, load_encoder


def assert_unit_float32(vectors: np.ndarray, rows: int, dim: int) -> None:
    assert vectors.dtype == np.float32 and vectors.shape == (rows, dim)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_tiny_clip_loads_from_a_local_folder_and_embeds_text(tiny_clip_dir):
    encoder = ClipEncoder(str(tiny_clip_dir))
    assert_unit_float32(encoder.encode_text(["a blue dress", "red shoes", "a bag"]), 3, 16)
    assert encoder.dim == 16 and encoder.supports_images


def test_tiny_clip_embeds_images_of_any_size_and_mode(tiny_clip_dir):
    encoder = ClipEncoder(str(tiny_clip_dir))
    images = [Image.new("RGB", (50, 40), "blue"), Image.new("L", (300, 200), 128), Image.new("RGBA", (8, 8))]
    assert_unit_float32(encoder.encode_images(images), 3, 16)


def test_clip_batches_give_the_same_vectors_as_one_pass(tiny_clip_dir):
    texts = [f"item number {n}" for n in range(7)]
    one_pass = ClipEncoder(str(tiny_clip_dir), batch_size=64).encode_text(texts)
    batched = ClipEncoder(str(tiny_clip_dir), batch_size=3).encode_text(texts)
    np.testing.assert_allclose(one_pass, batched, atol=1e-5)


def test_text_template_changes_clip_vectors_and_the_encoder_name(tiny_clip_dir):
    plain = ClipEncoder(str(tiny_clip_dir))
    templated = ClipEncoder(str(tiny_clip_dir), text_template="a photo of {}")
    assert plain.name != templated.name
    assert not np.allclose(plain.encode_text(["dress"]), templated.encode_text(["dress"]))


def test_the_offline_sentence_encoder_embeds_text(sentence_encoder):
    vectors = sentence_encoder.encode_text(["a light summer dress", "a summer dress for the beach", "hiking boots"])
    assert_unit_float32(vectors, 3, 384)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_the_offline_sentence_encoder_refuses_images_with_a_clear_message(sentence_encoder):
    with pytest.raises(NotImplementedError, match="text-only"):
        sentence_encoder.encode_images([Image.new("RGB", (4, 4))])


def test_empty_input_gives_an_empty_matrix(sentence_encoder, tiny_clip_dir):
    assert sentence_encoder.encode_text([]).shape == (0, 384)
    assert ClipEncoder(str(tiny_clip_dir)).encode_images([]).shape == (0, 16)


def test_an_unreachable_clip_raises_encoder_unavailable(tmp_path):
    with pytest.raises(EncoderUnavailable, match="missing-clip"):
        ClipEncoder(str(tmp_path / "missing-clip"))


def test_auto_uses_clip_when_it_loads(tiny_clip_dir):
    encoder = load_encoder(EncoderConfig(kind="auto", clip_id=str(tiny_clip_dir)))
    assert isinstance(encoder, ClipEncoder)


def test_auto_falls_back_to_the_offline_encoder_with_one_log_line(caplog):
    with caplog.at_level(logging.WARNING, logger="ranker.encoders"):
        encoder = load_encoder(EncoderConfig(kind="auto", clip_id="openai/clip-vit-base-patch32"))
    assert isinstance(encoder, SentenceEncoder)
    fallback_lines = [r for r in caplog.records if "falling back" in r.getMessage()]
    assert len(fallback_lines) == 1
