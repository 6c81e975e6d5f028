"""What the web app may serve as files: product pictures, and nothing else.

Gradio serves a local file only from `allowed_paths` (and from its own cache of what a handler returned, which
here is pictures only). The app allows exactly:
- the folders that hold catalogue pictures, when such a folder holds nothing private: it lies neither inside
  a private place nor above one, and it is not the working folder (source, environment files), a home or the
  root, nor a folder above them;
- a folder of its own for generated pictures: the placeholder, and copies of pictures that live in a folder
  that may not be opened (copied once, on first display).

Everything private (the stores, checkpoints, caches, transcripts, the working folder with its source and
environment files) is also given to Gradio as `blocked_paths`, which it checks before `allowed_paths`.
A path that resolves (through a symlink, `..` or otherwise) into a private place is never handed out.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path

from PIL import Image

from store.item import is_url

log = logging.getLogger(__name__)

PICTURE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif"})
PLACEHOLDER_COLOUR = (232, 232, 236)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


class Pictures:
    """The app's picture folders. `own_dir` is the app's own; `private` lists files and folders never to serve;
    `roots` are folders that hold private files among public ones (a served folder may lie inside one, never
    be one or lie above it). The working folder, the home and the root are always roots."""

    def __init__(self, image_paths: Iterable[str], own_dir: Path, private: Sequence[Path], roots: Sequence[Path] = ()):
        self.own_dir = Path(own_dir).resolve()
        self.private = tuple(Path(path).resolve() for path in private)
        self.roots = tuple(Path(path).resolve() for path in (*roots, Path.cwd(), Path.home(), Path("/")))
        folders = {Path(image).resolve().parent for image in image_paths if image and not is_url(image)}
        self.folders = tuple(sorted(folder for folder in folders if self._may_open(folder)))
        for folder in sorted(folders - set(self.folders)):
            log.info("pictures in %s are copied before they are shown: that folder holds private files", folder)
        self.placeholder = str(self._placeholder())

    def _may_open(self, folder: Path) -> bool:
        private = any(_inside(place, folder) or _inside(folder, place) for place in self.private)
        return not private and not any(_inside(root, folder) for root in self.roots)

    def _placeholder(self) -> Path:
        """A neutral square shown where an item's picture cannot be read; written once."""
        path = self.own_dir / "placeholder.png"
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            Image.new("RGB", (224, 224), PLACEHOLDER_COLOUR).save(path)
        return path

    @property
    def allowed_paths(self) -> list[str]:
        return [str(self.own_dir), *(str(folder) for folder in self.folders)]

    @property
    def blocked_paths(self) -> list[str]:
        return [str(place) for place in self.private]

    def served(self, image: str) -> str | None:
        """The file to hand to the gallery for an item's picture, or None when it is not a servable picture
        (not a picture file, or it resolves into a private place). A URL is returned as it is."""
        if is_url(image):
            return image
        if not image:
            return None
        path = Path(image).resolve()
        if path.suffix.lower() not in PICTURE_SUFFIXES or any(_inside(path, place) for place in self.private):
            return None
        if path.parent in self.folders or _inside(path, self.own_dir):
            return str(path)
        return self._copy(path)

    def _copy(self, path: Path) -> str | None:
        if not path.is_file():
            return None
        copy = self.own_dir / "copies" / (hashlib.sha1(str(path).encode()).hexdigest()[:20] + path.suffix.lower())
        if not copy.is_file():
            copy.parent.mkdir(parents=True, exist_ok=True)
            temporary = copy.with_suffix(copy.suffix + ".tmp")
            shutil.copyfile(path, temporary)
            temporary.replace(copy)
        return str(copy)
