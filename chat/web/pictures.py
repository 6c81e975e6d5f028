"""What the web app may serve as files: thumbnails of product pictures that the app makes itself, and nothing else.

Every local product picture is shown as a small WebP thumbnail, made once in the app's own folder and named by
the source picture's path, size and modification time (so a changed picture gets a new thumbnail, and a name
never changes what it holds). That folder is the only one Gradio may open (`allowed_paths`) and it is a static
path: the gallery hands its files out as they are, without copying each card's picture into Gradio's cache on
every turn. A shopper's browser fetches a few kilobytes per card, whatever size the catalogue's photos are.

No catalogue folder is ever opened to the web, so a catalogue that keeps its pictures beside private files (or
in the working folder) exposes nothing. Everything private (the stores, checkpoints, caches, transcripts) is also
given to Gradio as `blocked_paths`, which it checks before `allowed_paths`; a path that resolves (through a
symlink, `..` or otherwise) into a private place is never read.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from store.item import is_url

PICTURE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif"})
PLACEHOLDER_COLOUR = (232, 232, 236)
THUMBNAIL_SIDE = 360  # a card shows its picture 170 px high; 360 keeps it sharp on a 2x screen
THUMBNAIL_QUALITY = 85
UNREADABLE = (OSError, UnidentifiedImageError, SyntaxError, ValueError, Image.DecompressionBombError)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


class Pictures:
    """The app's own picture folder `own_dir` (the placeholder and the thumbnails); `private` lists files and
    folders never to read or serve."""

    def __init__(self, own_dir: Path, private: Sequence[Path]):
        self.own_dir = Path(own_dir).resolve()
        self.thumbnails = self.own_dir / "thumbnails"
        self.private = tuple(Path(path).resolve() for path in private)
        self.placeholder = str(self._placeholder())
        self._made: dict[str, str | None] = {}  # source picture -> its thumbnail, for this process

    def _placeholder(self) -> Path:
        """A neutral square shown where an item's picture cannot be read; written once."""
        path = self.own_dir / "placeholder.png"
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            Image.new("RGB", (224, 224), PLACEHOLDER_COLOUR).save(path)
        return path

    @property
    def allowed_paths(self) -> list[str]:
        return [str(self.own_dir)]

    @property
    def static_paths(self) -> list[str]:
        """Files that never change under their name: the gallery may serve them in place."""
        return [str(self.own_dir)]

    @property
    def blocked_paths(self) -> list[str]:
        return [str(place) for place in self.private]

    def served(self, image: str) -> str | None:
        """The file to hand to the gallery for an item's picture: its thumbnail, or None when it is not a
        readable picture or it resolves into a private place. A URL is returned as it is."""
        if is_url(image):
            return image
        if not image:
            return None
        if image not in self._made:
            self._made[image] = self._thumbnail(Path(image).resolve())
        return self._made[image]

    def warm(self, images: Iterable[str]) -> int:
        """Make every missing thumbnail of `images` ahead of the shoppers (the app runs it in the background once
        its page is up), so that no turn waits for one; returns how many pictures can be served."""
        return sum(self.served(image) is not None for image in images if image and not is_url(image))

    def _thumbnail(self, path: Path) -> str | None:
        if path.suffix.lower() not in PICTURE_SUFFIXES or any(_inside(path, place) for place in self.private):
            return None
        if not path.is_file():
            return None
        stat = path.stat()
        name = hashlib.sha1(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}".encode()).hexdigest()[:24]
        thumbnail = self.thumbnails / f"{name}.webp"
        if not thumbnail.is_file():
            try:
                self._make(path, thumbnail)
            except UNREADABLE:
                return None
        return str(thumbnail)

    @staticmethod
    def _make(source: Path, thumbnail: Path) -> None:
        """Shrink `source` to fit THUMBNAIL_SIDE (never enlarged), upright, written atomically (two sessions may
        make the same thumbnail at once: each writes its own temporary file)."""
        thumbnail.parent.mkdir(parents=True, exist_ok=True)
        temporary = thumbnail.with_name(f"{thumbnail.stem}.{uuid.uuid4().hex}.tmp")
        with Image.open(source) as image:
            image.draft("RGB", (THUMBNAIL_SIDE, THUMBNAIL_SIDE))  # JPEG decodes at a reduced scale: much faster
            picture = ImageOps.exif_transpose(image)
            picture = picture.convert("RGBA" if "A" in picture.getbands() else "RGB")
            picture.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
            picture.save(temporary, format="WEBP", quality=THUMBNAIL_QUALITY)
        temporary.replace(thumbnail)
