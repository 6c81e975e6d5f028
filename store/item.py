"""The catalogue item: one product, as every reader produces it and every store keeps it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from store.vocabulary import who_when

SIZE_SEPARATOR = "|"  # Chroma metadata holds scalars: sizes travel as "xs|s|m"


def is_url(image: str) -> bool:
    """Whether an item's `image` is a web address rather than a local file."""
    return image.startswith(("http://", "https://"))


@dataclass(frozen=True)
class Item:
    """A product. `id` is stable across re-reads of the catalogue (it is the store's upsert key).

    `category`, `colour` and `material` are lower-case canonical words ("dress", "blue", "cotton") so that
    filters parsed from chat messages match them exactly; `image` is a local path or an http(s) URL, or ""
    when the catalogue has none. `sizes` are the sizes it comes in, lower-case ("xs", "m", "38", "one size"),
    empty where the catalogue lists none; they filter "size m" and are not part of the embedded text.
    `extra` holds whatever else a catalogue knows (gender, season, ...), with scalar values only.
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
        item (a record without a key passes `$nin`, which would leak exclusions)."""
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
        }
        meta.update({f"x_{key}": value for key, value in self.extra.items()})
        meta.update(who_when(self.extra))  # gender, usage, season: canonical, "" when unknown, always present
        return meta

    @classmethod
    def from_metadata(cls, item_id: str, meta: dict[str, Any]) -> Item:
        """Inverse of `metadata()`."""
        extra = {key[2:]: value for key, value in meta.items() if key.startswith("x_")}
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
        )
