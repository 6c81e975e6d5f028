"""A Hugging Face dataset of products -> items, through the `datasets` library.

`name_or_path` is a folder written by `Dataset.save_to_disk` / `DatasetDict.save_to_disk`, a local data file
(`.jsonl`, `.json`, `.csv`, `.parquet`), or a hub id (which needs the network: tests never use one). Columns are
found through a `ColumnMap`: for each item field, the first candidate column the dataset has. Image columns may
hold PIL images (an `Image` feature; saved as PNG under `image_dir`), `{"bytes", "path"}` dicts, URLs, or paths
(relative paths are relative to the dataset's folder).

A dataset of the Kaggle/Myntra schema (`ashraq/fashion-product-images-small` and its copies: id, gender,
masterCategory, subCategory, articleType, baseColour, season, year, usage, productDisplayName, image) is read into
the same item fields the Kaggle reader fills (`store/catalogs/kaggle.py`): gender, usage, season and the article
type stay in `extra` under the Kaggle names (so who/when filters and the derived demo shoppers work alike, the
gender column telling boys and girls from men and women, corrected from the titles as there), the category comes
from the Kaggle table, and, the data having no price, a synthetic one marked `price_source: synthetic`.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from PIL import Image
from tqdm import tqdm

from store.catalogs.kaggle import COLUMNS as MYNTRA_COLUMNS
from store.catalogs.kaggle import KAGGLE_COLOURS, kaggle_category, synthetic_price, title_gender
from store.catalogs.records import RecordError, build_item, scalar
from store.catalogs.report import CatalogRead, finish_read
from store.item import is_url

DATA_FILE_BUILDERS = {".jsonl": "json", ".json": "json", ".csv": "csv", ".parquet": "parquet"}


@dataclass(frozen=True)
class ColumnMap:
    """Item field -> candidate column names, first present wins. Defaults fit common product datasets
    (Kaggle/Myntra styles, Amazon metadata, generic e-commerce dumps). With no id column the row number is
    the id (stable only while the dataset does not change)."""

    id: tuple[str, ...] = ("id", "item_id", "product_id", "asin", "sku", "parent_asin")
    title: tuple[str, ...] = ("title", "productDisplayName", "name", "product_name", "product_title")
    description: tuple[str, ...] = ("description", "product_description", "desc", "details")
    brand: tuple[str, ...] = ("brand", "brand_name", "store")
    category: tuple[str, ...] = ("category", "articleType", "product_type", "subCategory", "masterCategory")
    colour: tuple[str, ...] = ("colour", "color", "baseColour", "base_colour")
    material: tuple[str, ...] = ("material", "fabric")
    price: tuple[str, ...] = ("price", "selling_price", "sale_price")
    image: tuple[str, ...] = ("image", "image_url", "image_path", "img", "imageURL", "images")

    def resolve(self, column_names: list[str]) -> dict[str, str]:
        """Item field -> the dataset column that fills it (fields with no matching column are left out)."""
        present = set(column_names)
        chosen: dict[str, str] = {}
        for spec in fields(self):
            column = next((name for name in getattr(self, spec.name) if name in present), None)
            if column is not None:
                chosen[spec.name] = column
        return chosen


def _load(name_or_path: str | Path, split: str):
    import datasets  # heavy: imported only when a dataset is actually read

    path = Path(name_or_path)
    if path.is_dir() and any((path / name).exists() for name in ("dataset_info.json", "dataset_dict.json")):
        loaded = datasets.load_from_disk(str(path))
        return loaded[split] if isinstance(loaded, datasets.DatasetDict) else loaded, path
    if path.is_file():
        builder = DATA_FILE_BUILDERS.get(path.suffix.lower())
        if builder is None:
            raise ValueError(f"{path}: unsupported data file (expected one of {sorted(DATA_FILE_BUILDERS)})")
        return datasets.load_dataset(builder, data_files=str(path), split="train"), path.parent
    return datasets.load_dataset(str(name_or_path), split=split), None


def _safe_name(item_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", item_id)[:120] or "item"


def _image_value(value: Any, item_id: str, base_dir: Path | None, image_dir: Path | None) -> str:
    """A path or URL for the image cell: PIL images and raw bytes are saved to `image_dir/<id>.png`."""
    if isinstance(value, list):  # a list of images or URLs: the first one is the item's picture
        value = value[0] if value else ""
    if isinstance(value, dict):
        if value.get("bytes"):
            value = Image.open(io.BytesIO(value["bytes"]))
        else:
            value = value.get("path") or value.get("url") or ""
    if isinstance(value, Image.Image):
        if image_dir is None:
            raise RecordError("image column holds pictures but no image_dir was given to save them in")
        target = image_dir / f"{_safe_name(item_id)}.png"
        if not target.exists():  # resumable: a re-read does not re-encode every picture
            value.convert("RGB").save(target, format="PNG")
        return str(target)
    text = str(value or "").strip()
    if not text or is_url(text) or base_dir is None:
        return text
    return str((base_dir / text).resolve()) if not Path(text).is_absolute() else text


def read_hf_dataset(
    name_or_path: str | Path,
    split: str = "train",
    columns: ColumnMap | None = None,
    limit: int | None = None,
    image_dir: Path | None = None,
) -> CatalogRead:
    """Read a product dataset; every column not mapped to an item field goes to `extra` (scalars only)."""
    dataset, base_dir = _load(name_or_path, split)
    if limit is not None:
        dataset = dataset.select(range(min(limit, len(dataset))))
    myntra = columns is None and set(MYNTRA_COLUMNS) <= set(dataset.column_names)
    mapping = (columns or (MYNTRA_COLUMN_MAP if myntra else ColumnMap())).resolve(dataset.column_names)
    if "title" not in mapping:
        raise ValueError(f"{name_or_path}: no title column among {dataset.column_names}")
    if "image" in mapping and image_dir is None and _holds_pictures(dataset.features[mapping["image"]]):
        raise ValueError(f"{name_or_path}: column {mapping['image']!r} holds pictures: pass image_dir to save them")
    if image_dir is not None:
        image_dir.mkdir(parents=True, exist_ok=True)
    source = Path(str(name_or_path)).name or str(name_or_path)
    used = set(mapping.values())
    items, problems = [], []
    for row_number, row in enumerate(tqdm(dataset, desc=f"reading {source}", unit="item", leave=False)):
        item_fields = {name: row[column] for name, column in mapping.items() if name != "image"}
        item_fields.setdefault("id", str(row_number))
        extra = {key: scalar(value) for key, value in row.items() if key not in used and _is_plain(value)}
        if myntra:
            item_fields, extra = _myntra_fields(item_fields, extra)
        try:
            item_id = str(item_fields["id"]).strip()
            if "image" in mapping:
                item_fields["image"] = _image_value(row[mapping["image"]], item_id, base_dir, image_dir)
            items.append(build_item(item_fields, extra))
        except (RecordError, OSError) as error:
            problems.append(f"{source}:row {row_number}: {error} (skipped)")
    return finish_read(items, problems, source)


# the Kaggle/Myntra schema: the article type and colour are read by `_myntra_fields`, not mapped
MYNTRA_COLUMN_MAP = ColumnMap(category=(), colour=(), price=())


def _myntra_fields(fields: dict[str, Any], extra: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A Myntra row's item fields and extra as the Kaggle reader makes them."""
    article_type, raw_colour = str(extra.get("articleType") or ""), str(extra.pop("baseColour", "") or "")
    category = kaggle_category(article_type, str(extra.get("subCategory") or ""))
    colour = KAGGLE_COLOURS.get(raw_colour.lower(), raw_colour)
    price = synthetic_price(str(fields.get("id", "")), article_type, category)
    extra = {**extra, "raw_colour": raw_colour, "price_source": "synthetic"}
    if extra.get("gender"):
        extra["gender"] = title_gender(str(extra["gender"]), str(fields.get("title") or ""))
    return {**fields, "category": category, "colour": colour, "price": price}, extra


def _holds_pictures(feature: Any) -> bool:
    """An `Image` feature, or a list/sequence of them."""
    from datasets import Image as ImageFeature

    while isinstance(feature, list) or hasattr(feature, "feature"):
        feature = feature[0] if isinstance(feature, list) else feature.feature
    return isinstance(feature, ImageFeature)


def _is_plain(value: Any) -> bool:
    """Extra metadata keeps text, numbers and small lists/dicts; pictures and bytes never go to metadata."""
    return not isinstance(value, Image.Image | bytes) and value is not None
