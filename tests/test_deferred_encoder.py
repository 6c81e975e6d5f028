"""The deferred encoder: a start with the card of its settings opens the stores by name and dimension and loads
the model later; the model's vectors are those of the encoder loaded at once; a card that lies is refused."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ranker.deferred_encoder import DeferredEncoder, EncoderCard, open_encoder, read_card, write_card
from ranker.encoders import ClipEncoder, EncoderConfig, EncoderUnavailable


@pytest.fixture
def config(tiny_clip_dir) -> EncoderConfig:
    return EncoderConfig(kind="clip", clip_id=str(tiny_clip_dir))


def test_an_encoder_without_a_card_loads_at_once_and_writes_its_card(config, tmp_path):
    cards = tmp_path / "cards.json"
    encoder = open_encoder(config, tmp_path, cards)
    assert isinstance(encoder, ClipEncoder)
    assert read_card(cards, config) == EncoderCard(encoder.name, 16, "", True)


def test_with_its_card_the_encoder_is_deferred_and_named_before_it_loads(config, tmp_path):
    cards = tmp_path / "cards.json"
    loaded = open_encoder(config, tmp_path, cards)
    deferred = open_encoder(config, tmp_path, cards)
    assert isinstance(deferred, DeferredEncoder) and not deferred.ready
    assert (deferred.name, deferred.dim, deferred.supports_images) == (loaded.name, loaded.dim, True)


def test_a_deferred_encoder_gives_the_vectors_of_the_encoder_loaded_at_once(config, tmp_path):
    cards = tmp_path / "cards.json"
    loaded = open_encoder(config, tmp_path, cards)
    deferred = open_encoder(config, tmp_path, cards)
    texts = ["a blue dress", "red shoes"]
    np.testing.assert_allclose(deferred.encode_text(texts), loaded.encode_text(texts), atol=1e-6)
    assert deferred.ready


def test_a_card_of_other_settings_is_not_used(config, tmp_path):
    cards = tmp_path / "cards.json"
    open_encoder(config, tmp_path, cards)
    templated = EncoderConfig(kind="clip", clip_id=config.clip_id, text_template="a photo of {}")
    assert isinstance(open_encoder(templated, tmp_path, cards), ClipEncoder)


def test_a_card_that_does_not_match_the_model_is_refused_and_corrected(config, tmp_path):
    cards = tmp_path / "cards.json"
    real = EncoderCard.of(open_encoder(config, tmp_path, cards))
    write_card(cards, config, EncoderCard(real.name, 7, "", True))  # as if the model's size changed since
    deferred = open_encoder(config, tmp_path, cards)
    assert deferred.dim == 7
    with pytest.raises(EncoderUnavailable, match="restart the app"):
        deferred.encode_text(["a blue dress"])
    assert read_card(cards, config) == real


def test_a_damaged_card_file_loads_the_encoder_at_once(config, tmp_path):
    cards = tmp_path / "cards.json"
    cards.write_text("{not json")
    assert isinstance(open_encoder(config, tmp_path, cards), ClipEncoder)
    assert json.loads(cards.read_text())  # rewritten whole


def test_start_loads_the_model_in_the_background(config, tmp_path):
    cards = tmp_path / "cards.json"
    open_encoder(config, tmp_path, cards)
    deferred = open_encoder(config, tmp_path, cards).start()
    assert deferred.loaded() is deferred.loaded() and deferred.ready
