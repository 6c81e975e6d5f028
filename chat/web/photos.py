"""A photo a shopper attached: read, checked and encoded, or the reason it cannot be searched, in words.

Gradio's upload route already refuses files over launch's `max_file_size`; a path handed to the handler is
checked against the same cap again (the JSON API may name any file of Gradio's upload folder). Only what PIL
can decode as an image is encoded; anything else is refused with a message, never an error page.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, UnidentifiedImageError

from chat.turn import Photo
from ranker.encoders import Encoder

NEEDS_IMAGE_ENCODER = (
    "Photo search needs an image encoder (this app runs a text-only one), so I searched on your words alone."
)
NOT_AN_IMAGE = "That file is not a picture I can read: attach a JPEG or PNG photo."
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded


def _too_large(max_bytes: int) -> str:
    return f"That photo is larger than {max_bytes / 1_000_000:g} MB: attach a smaller one."


def read_photo(path: str | Path | None, encoder: Encoder, max_bytes: int) -> Photo | None:
    """The photo at `path` as a `Photo` (its vector, or the problem to tell the shopper); None when no file."""
    if not path:
        return None
    if not encoder.supports_images:
        return Photo(problem=NEEDS_IMAGE_ENCODER)
    file = Path(path)
    try:
        if file.stat().st_size > max_bytes:
            return Photo(problem=_too_large(max_bytes))
        with Image.open(file) as image:
            if image.width * image.height > MAX_PIXELS:
                return Photo(problem=NOT_AN_IMAGE)
            picture = image.convert("RGB")
    except (OSError, UnidentifiedImageError, SyntaxError, ValueError, Image.DecompressionBombError):
        return Photo(problem=NOT_AN_IMAGE)
    return Photo(vector=tuple(float(x) for x in encoder.encode_images([picture])[0]))
