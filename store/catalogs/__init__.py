"""Catalogue sources behind one config: the generated demo, the project's JSONL/CSV files, the Kaggle fashion
product images, and Hugging Face datasets. Every reader returns a `CatalogRead` (items plus what went wrong)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from store.catalogs.report import CatalogRead
from store.item import Item

SOURCES = ("demo", "jsonl", "kaggle", "hf")


@dataclass(frozen=True)
class CatalogConfig:
    """`source`: "demo" (generated into the cache folder), "jsonl" (a .jsonl or .csv file at `path`), "kaggle"
    (the Fashion Product Images folder at `path`), "hf" (a dataset folder, data file or hub id at `path`).
    `with_images_only` keeps only items whose picture exists (Kaggle: 9,583 of 44,446)."""

    source: str = "demo"
    path: str = ""
    limit: int | None = None
    seed: int = 0
    demo_items: int = 480
    with_images_only: bool = False

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise ValueError(f"catalogue source {self.source!r} is not one of {SOURCES}")
        if self.source != "demo" and not self.path:
            raise ValueError(f"catalogue source {self.source!r} needs a path")


def load_catalog(config: CatalogConfig, cache_dir: Path) -> CatalogRead:
    """Read the configured catalogue; `cache_dir` receives generated or extracted pictures."""
    cache_dir = Path(cache_dir)
    if config.source == "demo":
        from store.catalogs.demo import generate_demo_catalog

        read = CatalogRead(items=generate_demo_catalog(cache_dir / "demo-catalog", config.demo_items, config.seed))
    elif config.source == "jsonl":
        from store.catalogs.jsonl import read_items_file

        read = read_items_file(config.path)
    elif config.source == "kaggle":
        from store.catalogs.kaggle import read_fashion_product_images

        return read_fashion_product_images(config.path, config.limit, config.with_images_only)
    else:
        from store.catalogs.huggingface import read_hf_dataset

        image_dir = cache_dir / "hf-images" / catalog_name(config)
        read = read_hf_dataset(config.path, limit=config.limit, image_dir=image_dir)
    if config.with_images_only:
        read.items = [item for item in read.items if item.image]
        read.missing_images = []
    if config.limit is not None:
        read.items = read.items[: config.limit]
    return read


def catalog_fingerprint(items: list[Item]) -> str:
    """12 hex digits over ids and texts, independent of item order: what an encoder embeds decides it, so a
    changed title changes it while a re-ordered or re-priced catalogue does not."""
    digest = hashlib.sha256()
    for item in sorted(items, key=lambda item: item.id):
        digest.update(item.id.encode())
        digest.update(b"\x1f")
        digest.update(item.text().encode())
        digest.update(b"\x1e")
    return digest.hexdigest()[:12]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "catalogue"


def catalog_name(config: CatalogConfig) -> str:
    """A short readable name, valid as a Chroma collection name part: "demo-s0-480",
    "kaggle-fashion-product-images-img-n1000", "jsonl-shop-catalog", "hf-ashraq-fashion-product-images-small"."""
    if config.source == "demo":
        name = f"demo-s{config.seed}-{config.demo_items}"
    elif config.source == "kaggle":
        name = "kaggle-fashion-product-images"
    else:  # the last two parts of a path or hub id: "shop/catalog.csv" -> "jsonl-shop-catalog"
        path = Path(config.path)
        name = f"{config.source}-{_slug('-'.join([*path.parent.parts[-1:], path.stem]))}"
    if config.with_images_only:
        name += "-img"
    if config.limit is not None:
        name += f"-n{config.limit}"
    return name
