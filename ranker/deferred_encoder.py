"""An encoder whose model loads once the page is up: a warm start needs only the encoder's identity (its name and
dimension open the right collection and checkpoint); its weights are first needed by a turn or an ingest.

Importing sentence-transformers and loading its model is about a third of a warm start (bench/results/startup.md).
The identity of the encoder last loaded for the same settings is kept in a card, a small JSON file of the data
folder's cache. With a card, `open_encoder` returns a `DeferredEncoder` at once; `start()` loads the model on a
thread of its own, and the first call that needs vectors waits for that load (or does it). A loaded model whose
identity differs from its card's is refused and its real card written, so the next start opens the right store.
Without a card (a first start, other settings) the encoder loads at once and writes its card. `kind="auto"` is
never deferred: whether CLIP loads depends on what is reachable at that moment.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from ranker.encoders import Encoder, EncoderConfig, EncoderUnavailable, load_encoder

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EncoderCard:
    """What the rest of the app reads of an encoder before it encodes anything."""

    name: str
    dim: int
    text_template: str
    supports_images: bool

    @classmethod
    def of(cls, encoder: Encoder) -> EncoderCard:
        return cls(encoder.name, encoder.dim, encoder.text_template, encoder.supports_images)


def _key(config: EncoderConfig) -> str:
    return json.dumps(asdict(config), sort_keys=True)


def read_card(path: Path, config: EncoderConfig) -> EncoderCard | None:
    """The card of the encoder last loaded with `config`; None when there is none or it does not read."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8")).get(_key(config))
        return EncoderCard(**raw) if isinstance(raw, dict) else None
    except (OSError, ValueError, TypeError, AttributeError):
        return None


def write_card(path: Path, config: EncoderConfig, card: EncoderCard) -> None:
    """Records `card` for `config` beside the cards of other settings; written to a temporary name and renamed,
    so a start never reads half a file."""
    try:
        cards = json.loads(path.read_text(encoding="utf-8"))
        cards = cards if isinstance(cards, dict) else {}
    except (OSError, ValueError):
        cards = {}
    cards[_key(config)] = asdict(card)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(cards, indent=1, sort_keys=True), encoding="utf-8")
    temporary.replace(path)


class DeferredEncoder:
    """An `Encoder` known by its card; its model loads on `start()`'s thread or on the first call that encodes."""

    def __init__(self, card: EncoderCard, load: Callable[[], Encoder], refused: Callable[[EncoderCard], None]):
        self.card = card
        self.name, self.dim, self.text_template, self.supports_images = (
            card.name,
            card.dim,
            card.text_template,
            card.supports_images,
        )
        self._load, self._refused = load, refused
        self._lock = threading.Lock()
        self._encoder: Encoder | None = None
        self._error: EncoderUnavailable | None = None

    def start(self) -> DeferredEncoder:
        """Load the model now, on a thread of its own (a failure is logged; the next call that encodes raises)."""
        threading.Thread(target=self._load_in_background, name="encoder-load", daemon=True).start()
        return self

    @property
    def ready(self) -> bool:
        return self._encoder is not None

    def loaded(self) -> Encoder:
        """The model, loading it (or waiting for `start()`'s load) on first use."""
        with self._lock:
            if self._error is not None:
                raise self._error
            if self._encoder is None:
                encoder = self._load()
                real = EncoderCard.of(encoder)
                if real != self.card:
                    self._refused(real)
                    self._error = EncoderUnavailable(
                        f"the encoder loaded as {real} but this start opened its stores for {self.card}; its card is "
                        "now corrected: restart the app"
                    )
                    raise self._error
                self._encoder = encoder
            return self._encoder

    def encode_text(self, texts: Sequence[str]) -> np.ndarray:
        return self.loaded().encode_text(texts)

    def encode_images(self, images: Sequence[Image.Image]) -> np.ndarray:
        return self.loaded().encode_images(images)

    def _load_in_background(self) -> None:
        try:
            self.loaded()
        except Exception:  # the app stays up; a turn that needs vectors raises the same error, with its message
            log.exception("the encoder %s could not be loaded", self.name)


def open_encoder(config: EncoderConfig, export_dir: Path, card_path: Path) -> Encoder:
    """The configured encoder: deferred when a card of the same settings exists, else loaded now (and carded)."""
    card = read_card(card_path, config) if config.kind != "auto" else None
    if card is None:
        encoder = load_encoder(config, export_dir)
        write_card(card_path, config, EncoderCard.of(encoder))
        return encoder
    return DeferredEncoder(
        card, lambda: load_encoder(config, export_dir), lambda real: write_card(card_path, config, real)
    )


def start_loading(encoder: Encoder) -> None:
    """Begin a deferred encoder's load in the background; an encoder already loaded has nothing to do."""
    if isinstance(encoder, DeferredEncoder):
        encoder.start()
