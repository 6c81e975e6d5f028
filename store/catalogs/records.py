"""One raw record (a JSON object, a CSV row, a dataset row) -> one `Item`, or a `RecordError` saying why not.

Category, colour and material are mapped onto the shared vocabulary so chat filters match them exactly; a raw
value that differs from its canonical form ("Navy Blue" -> "navy") is kept in `extra` as `raw_<field>`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from store.item import Item, is_url
from store.vocabulary import canonical_category, canonical_colour, canonical_material

ITEM_FIELDS = ("id", "title", "description", "brand", "category", "colour", "material", "price", "image", "sizes")
_CANONICAL: dict[str, Callable[[str], str]] = {
    "category": canonical_category,
    "colour": canonical_colour,
    "material": canonical_material,
}


class RecordError(ValueError):
    """A record that cannot become an item; the message says what is wrong, the caller says where."""


def parse_price(raw: Any) -> float:
    """Numbers, or strings such as "59.90", "$1,299", "" (no price -> 0.0)."""
    if raw is None or raw == "":
        return 0.0
    if isinstance(raw, bool):
        raise RecordError(f"price {raw!r} is not a number")
    if isinstance(raw, int | float):
        price = float(raw)
    else:
        text = str(raw).strip().lstrip("$£€").replace(",", "").strip()
        try:
            price = float(text) if text else 0.0
        except ValueError as error:
            raise RecordError(f"price {raw!r} is not a number") from error
    if not math.isfinite(price) or price < 0:
        raise RecordError(f"price {raw!r} is not a non-negative number")
    return price


def parse_sizes(raw: Any) -> tuple[str, ...]:
    """A list, or text such as "S, M, L" or "xs|s|m" (how a CSV or Chroma holds it), as lower-case sizes."""
    if raw is None or raw == "":
        return ()
    values = raw if isinstance(raw, list | tuple) else re.split(r"[,;|/]", str(raw))
    return tuple(dict.fromkeys(" ".join(str(value).lower().split()) for value in values if str(value).strip()))


def scalar(value: Any) -> str | int | float | bool:
    """`Item.extra` holds scalars only (Chroma metadata): lists and objects are kept as JSON text."""
    if isinstance(value, str | int | float | bool):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def resolve_image(image: str, base_dir: Path | None) -> str:
    """URLs stay as they are; a relative path is relative to the catalogue file's folder."""
    image = image.strip()
    if not image or is_url(image) or base_dir is None:
        return image
    path = Path(image).expanduser()
    return str(path if path.is_absolute() else (base_dir / path).resolve())


def build_item(fields: Mapping[str, Any], extra: Mapping[str, Any], base_dir: Path | None = None) -> Item:
    """`fields` are keyed by Item field names; `extra` is everything else the record has. Empty extra values
    are dropped (a CSV's empty cell is absence, not a value)."""
    raw_id = fields.get("id")
    item_id = "" if raw_id is None else str(raw_id).strip()
    if not item_id:
        raise RecordError("no id")
    title = str(fields.get("title") or "").strip()
    if not title:
        raise RecordError(f"item {item_id}: no title")
    extras = {str(key): scalar(value) for key, value in extra.items() if value is not None and value != ""}
    canonical = {}
    for name, to_canonical in _CANONICAL.items():
        raw = str(fields.get(name) or "").strip()
        canonical[name] = to_canonical(raw) if raw else ""
        if raw and raw != canonical[name]:
            extras[f"raw_{name}"] = raw
    return Item(
        id=item_id,
        title=title,
        description=str(fields.get("description") or "").strip(),
        brand=str(fields.get("brand") or "").strip(),
        price=parse_price(fields.get("price")),
        image=resolve_image(str(fields.get("image") or ""), base_dir),
        sizes=parse_sizes(fields.get("sizes")),
        extra=extras,
        **canonical,
    )
