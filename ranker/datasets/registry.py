"""Datasets by name, with their files found under the shared data folder unless given explicitly."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ranker.datasets.amazon import read_amazon_2014, read_amazon_2018
from ranker.datasets.jsonl import read_jsonl
from ranker.datasets.movielens import read_movielens
from ranker.datasets.semi_synthetic import SemiSyntheticConfig, generate_fashion_set
from ranker.datasets.table import Dataset
from ranker.datasets.yelp import read_yelp

DATASETS = ("movielens", "fashion-semi", "amazon-2014", "amazon-2018", "yelp", "jsonl")


@dataclass(frozen=True)
class DatasetSource:
    """`name` is one of DATASETS; `paths` are the reader's inputs in its order (defaults under `data_root`):
    movielens: folder; fashion-semi: catalogue folder, captions folder; amazon-*: reviews[, meta];
    yelp: review.json, business.json; jsonl: interactions.jsonl, items.jsonl."""

    name: str = "movielens"
    paths: tuple[Path, ...] = ()
    data_root: Path = Path("../shared/data")
    semi: SemiSyntheticConfig = field(default_factory=SemiSyntheticConfig)


def load_dataset(source: DatasetSource) -> Dataset:
    paths = [Path(path) for path in source.paths]
    root = Path(source.data_root)
    if source.name == "movielens":
        return read_movielens(paths[0] if paths else root / "movielens-small")
    if source.name == "fashion-semi":
        catalogue, captions = paths or [root / "fashion-product-images", root / "fashion-iq" / "captions"]
        return generate_fashion_set(catalogue, captions, source.semi)
    if source.name == "amazon-2018":
        paths = paths or [root / "amazon-fashion-5" / "AMAZON_FASHION_5.json"]
        return read_amazon_2018(paths[0], paths[1] if len(paths) > 1 else None)
    if not paths:
        raise ValueError(f"dataset {source.name!r} has no copy in the shared data: give its file paths")
    if source.name == "amazon-2014":
        return read_amazon_2014(paths[0], paths[1] if len(paths) > 1 else None)
    if source.name == "yelp":
        return read_yelp(paths[0], paths[1])
    if source.name == "jsonl":
        return read_jsonl(paths[0], paths[1])
    raise ValueError(f"unknown dataset {source.name!r}; known: {', '.join(DATASETS)}")
