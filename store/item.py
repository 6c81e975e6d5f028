"""The catalogue item: one product, as every reader produces it and every store keeps it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from store import attributes
from store.vocabulary import who_when

SIZE_SEPARATOR = "|"  # Chroma metadata holds scalars: sizes travel as "xs|s|m"
# Chroma metadata holds scalars and a `where` must see every item, so an unmeasured item stores this number in the
# measure keys (no measure is negative): a range filter `{"$gte": 0, ...}` leaves it out, see chat/relations.py.
UNMEASURED = -1.0
MEASURE_KEYS = ("lightness", "chroma", "colourfulness")


def is_url(image: str) -> bool:
    """Whether an item's `image` is a web address rather than a local file."""
    return image.startswith(("http://", "https://"))


@dataclass(frozen=True)
class Measures:
    """An item's look, measured by store.measure: median CIELAB L* (0-100) and C*ab of the product's pixels,
    Hasler-Suesstrunk colourfulness, and the canonical colour most of its pixels are nearest to ("multi" when
    none dominates). `source` is "picture", or "colour name" for nominal measures of an item without one."""

    lightness: float
    chroma: float
    colourfulness: float
    colour: str
    source: str


@dataclass(frozen=True)
class Item:
    """A product. `id` is stable across re-reads of the catalogue (it is the store's upsert key).

    `category`, `colour` and `material` are lower-case canonical words ("dress", "blue", "cotton") so that
    filters parsed from chat messages match them exactly; `image` is a local path or an http(s) URL, or ""
    when the catalogue has none. `sizes` are the sizes it comes in, lower-case ("xs", "m", "38", "one size"),
    empty where the catalogue lists none; they filter "size m" and are not part of the embedded text.
    `extra` holds whatever else a catalogue knows (gender, season, ...), with scalar values only.
    `measures` are set at ingest (store/ingest.py), None before. `colour_source` says where `colour` came from:
    "catalogue" (the record), "picture" (the record had none: measured), or "" (no colour known).
    """

    id: str
    title: str
    description: str = ""
    brand: str = ""
    category: str = ""
    colour: str = ""
    material: str = ""
    price: float = 0.0
    image: str = ""
    sizes: tuple[str, ...] = ()
    extra: dict[str, str | int | float | bool] = field(default_factory=dict)
    measures: Measures | None = None
    colour_source: str = ""

    def text(self) -> str:
        """The text an encoder embeds: every attribute a shopper might ask for, in words."""
        parts = [self.title, self.colour, self.material, self.category, self.brand, self.description]
        parts += [str(self.extra[key]) for key in sorted(self.extra) if isinstance(self.extra[key], str)]
        seen: list[str] = []
        for part in parts:
            part = part.strip()
            if part and part.lower() not in (s.lower() for s in seen):
                seen.append(part)
        return ". ".join(seen)

    def metadata(self) -> dict[str, Any]:
        """Flat metadata for Chroma: the fixed keys, then `extra` under an `x_` prefix. Values are str, int, float
        or bool (Chroma's types), and the fixed keys are always present, so that `where` filters on them see every
        item (a record without a key passes `$nin`, which would leak exclusions). The measures travel as
        `lightness`, `chroma`, `colourfulness` (UNMEASURED when unknown), `measured_colour` and `measure_source`
        ("" when unknown); the ordinal rungs of store.attributes as `formality`, `length`, `sleeves`, `fit`
        (UNKNOWN = -1), derived from the item's words each time, so `from_metadata` does not read them back."""
        meta: dict[str, Any] = {
            "title": self.title,
            "description": self.description,
            "brand": self.brand,
            "category": self.category,
            "colour": self.colour,
            "material": self.material,
            "price": float(self.price),
            "image": self.image,
            "sizes": SIZE_SEPARATOR.join(self.sizes),
            "colour_source": self.colour_source,
            "measured_colour": self.measures.colour if self.measures else "",
            "measure_source": self.measures.source if self.measures else "",
        }
        for key in MEASURE_KEYS:
            meta[key] = float(getattr(self.measures, key)) if self.measures else UNMEASURED
        words = f"{self.title}. {self.description}. {self.extra.get('articleType', '')}"
        meta["formality"] = attributes.formality(words, self.extra)
        meta["length"] = attributes.length(words)
        meta["sleeves"] = attributes.sleeves(words)
        meta["fit"] = attributes.fit(words)
        meta.update({f"x_{key}": value for key, value in self.extra.items()})
        meta.update(who_when(self.extra))  # gender, usage, season: canonical, "" when unknown, always present
        return meta

    @classmethod
    def from_metadata(cls, item_id: str, meta: dict[str, Any]) -> Item:
        """Inverse of `metadata()`."""
        extra = {key[2:]: value for key, value in meta.items() if key.startswith("x_")}
        measures = None
        if meta.get("measure_source"):
            measures = Measures(
                *(float(meta[key]) for key in MEASURE_KEYS), str(meta["measured_colour"]), str(meta["measure_source"])
            )
        return cls(
            id=item_id,
            title=str(meta.get("title", "")),
            description=str(meta.get("description", "")),
            brand=str(meta.get("brand", "")),
            category=str(meta.get("category", "")),
            colour=str(meta.get("colour", "")),
            material=str(meta.get("material", "")),
            price=float(meta.get("price", 0.0)),
            image=str(meta.get("image", "")),
            sizes=tuple(size for size in str(meta.get("sizes", "")).split(SIZE_SEPARATOR) if size),
            extra=extra,
            measures=measures,
            colour_source=str(meta.get("colour_source", "")),
        )
