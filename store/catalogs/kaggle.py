"""Kaggle "Fashion Product Images (Small)" (Param Aggarwal, Myntra catalogue): `styles.csv` + `images/<id>.jpg`.

Columns: id, gender, masterCategory, subCategory, articleType, baseColour, season, year, usage, productDisplayName.

- Malformed rows: 22 rows of the published file have unquoted commas in the title. The title is the last
  column, so the extra fields are re-joined into it (the row is REPAIRED, not skipped) and each repair is listed
  in `CatalogRead.problems` as "styles.csv:<line>: 11 fields, expected 10 (title re-joined)".
- Category: `canonical_category(articleType)`, else of `subCategory`, else `KAGGLE_CATEGORIES`, a table for
  garments the shared vocabulary does not name (sarees, churidars, stoles...). Products outside the eight
  canonical categories (innerwear, nightwear, personal care, free gifts, sports equipment) get category "" by
  design: `UNCATEGORISED_ARTICLE_TYPES` lists them. The raw Kaggle values stay in `extra`.
- Brand: the data has no brand column. Myntra titles read "<Brand> <Gender> ...": the words before the gender
  word are taken as the brand only when that prefix starts at least `MIN_BRAND_TITLES` titles of the whole
  file (e.g. "Nike", "United Colors of Benetton"); rarer prefixes ("Lino Perros Black") leave brand "".
- Price: the data has NO price. `synthetic_price` derives a deterministic, plausible price (USD) from the
  article type and the item id, so that chat price filters have something to act on. It is not real data,
  and `extra["price_source"] = "synthetic"` says so on every item.
- Material: none in the data; a material word in the title ("Leather Wallet") is used when present.
- Gender: 195 of the photographed rows say "Men" or "Women" for a child's item ("Gini and Jony Kids Boys Solid
  Black Shorts", "Doodle Kids Girl Printed White Dress"), which put girls' dresses first for a shopper of women's
  clothes. `title_gender` takes the child's gender where the title's gender word names a child. The column's
  value is not kept beside it: `Item.text()` embeds every text in `extra`, and "Women" in a girl's dress's text
  is the error itself. `genders_from_titles=False` reads the column as published (the semi-synthetic set does,
  so that its published numbers stay reproducible).
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from pathlib import Path

from store.catalogs.report import CatalogRead, finish_read
from store.item import Item
from store.vocabulary import canonical_category, canonical_colour, canonical_material

COLUMNS = (
    "id",
    "gender",
    "masterCategory",
    "subCategory",
    "articleType",
    "baseColour",
    "season",
    "year",
    "usage",
    "productDisplayName",
)
GENDER_WORDS = frozenset({"men", "women", "boys", "girls", "unisex", "men's", "women's", "mens", "womens", "kids"})
MIN_BRAND_TITLES = 20
# A title's first gender word -> the child's gender it names; "kids" alone says the age, the column the sex.
CHILD_GENDER_WORDS = {"boy": "Boys", "boys": "Boys", "girl": "Girls", "girls": "Girls"}
KIDS_WORDS = frozenset({"kids", "kidswear"})
CHILD_OF_ADULT = {"Men": "Boys", "Women": "Girls"}

# Kaggle article types (lower case) the shared vocabulary does not name, mapped to the nearest canonical category.
KAGGLE_CATEGORIES: dict[str, str] = {
    "sarees": "dress",
    "nightdress": "dress",
    "baby dolls": "dress",
    "lehenga choli": "dress",
    "rompers": "dress",
    "jeggings": "trousers",
    "patiala": "trousers",
    "salwar": "trousers",
    "churidar": "trousers",
    "salwar and dupatta": "trousers",
    "tracksuits": "trousers",
    "tights": "trousers",
    "shrug": "top",
    "suits": "jacket",
    "dupatta": "accessory",
    "stoles": "accessory",
    "mufflers": "accessory",
    "cufflinks": "accessory",
    "headband": "accessory",
    "umbrellas": "accessory",
    "wristbands": "accessory",
    "suspenders": "accessory",
    "stockings": "accessory",
}
# Article types deliberately left without a canonical category: not garments a fashion chat recommends by
# category (underwear, nightwear, swimwear, cosmetics, gifts, sports equipment, homeware).
UNCATEGORISED_ARTICLE_TYPES = frozenset(
    {
        "briefs", "bra", "trunk", "boxers", "innerwear vests", "camisoles", "shapewear",
        "night suits", "bath robe", "robe", "swimwear", "clothing set",
        "perfume and body mist", "deodorant", "fragrance gift set", "nail polish", "nail essentials", "lipstick",
        "lip gloss", "lip liner", "lip care", "lip plumper", "kajal and eyeliner", "foundation and primer",
        "highlighter and blush", "compact", "eyeshadow", "mascara", "concealer", "makeup remover",
        "face moisturisers", "face wash and cleanser", "sunscreen", "mask and peel", "eye cream", "toner",
        "face scrub and exfoliator", "face serum and gel", "body lotion", "body wash and scrub", "hair colour",
        "mens grooming kit", "free gifts", "ipad", "basketballs", "footballs", "water bottle", "cushion covers",
    }
)  # fmt: skip
# Kaggle colour names missing from the shared vocabulary.
KAGGLE_COLOURS = {"steel": "grey", "metallic": "grey", "mushroom brown": "brown"}
# Synthetic price bands (USD, low-high) by canonical category; "" covers the uncategorised products.
PRICE_BANDS: dict[str, tuple[float, float]] = {
    "accessory": (9, 70),
    "top": (15, 80),
    "skirt": (20, 90),
    "trousers": (25, 110),
    "dress": (30, 180),
    "shoes": (35, 160),
    "bag": (25, 150),
    "jacket": (50, 250),
    "": (5, 60),
}


def synthetic_price(item_id: str, article_type: str, category: str) -> float:
    """A deterministic price within the category's band: the same id and type always give the same price."""
    low, high = PRICE_BANDS.get(category, PRICE_BANDS[""])
    digest = hashlib.sha256(f"{article_type.lower()}|{item_id}".encode()).digest()
    fraction = int.from_bytes(digest[:8], "big") / 2**64
    return round(low + (high - low) * fraction**1.5) - 0.01  # skewed to the cheap end, ".99" endings


def kaggle_category(article_type: str, sub_category: str) -> str:
    return (
        canonical_category(article_type)
        or canonical_category(sub_category)
        or KAGGLE_CATEGORIES.get(article_type.strip().lower(), "")
    )


def title_brand(title: str) -> str:
    """The words before the gender word ("Peter England Men Party Blue Jeans" -> "Peter England"), or ""."""
    words = title.split()
    for index, word in enumerate(words):
        if word.lower() in GENDER_WORDS:
            return " ".join(words[:index])
    return ""


def title_gender(gender: str, title: str) -> str:
    """The gender column, or the child's gender where the title's first gender word names a child: "Kids Boys",
    "Girl's", "Kids-Girls" in a row saying "Men"/"Women". The first word decides, as titles read "<Brand>
    <Gender> ...": "Guess Women Party Girl White Watch" stays a women's watch."""
    if gender not in CHILD_OF_ADULT:
        return gender
    for word in re.sub(r"[-']", " ", title.lower()).split():
        if word in CHILD_GENDER_WORDS:
            return CHILD_GENDER_WORDS[word]
        if word in KIDS_WORDS:
            return CHILD_OF_ADULT[gender]
        if word in GENDER_WORDS:
            return gender
    return gender


def title_material(title: str) -> str:
    words = title.lower().replace("-", " ").split()
    for size in (2, 1):  # "faux leather" before "leather"
        for start in range(len(words) - size + 1):
            material = canonical_material(" ".join(words[start : start + size]))
            if material:
                return material
    return ""


def _rows(styles: Path, problems: list[str]) -> list[tuple[int, list[str]]]:
    """(line number, 10 fields) for every usable row; repairs titles split by unquoted commas."""
    rows: list[tuple[int, list[str]]] = []
    with styles.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None or tuple(name.strip() for name in header) != COLUMNS:
            raise ValueError(f"{styles}: not a Fashion Product Images styles.csv (header {header})")
        end = reader.line_num
        for row in reader:
            start, end = end + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) < len(COLUMNS):
                problems.append(f"{styles.name}:{start}: {len(row)} fields, expected {len(COLUMNS)} (skipped)")
                continue
            if len(row) > len(COLUMNS):
                problems.append(f"{styles.name}:{start}: {len(row)} fields, expected {len(COLUMNS)} (title re-joined)")
                row = [*row[: len(COLUMNS) - 1], ",".join(row[len(COLUMNS) - 1 :])]
            rows.append((start, [cell.strip() for cell in row]))
    return rows


def read_fashion_product_images(
    folder: str | Path, limit: int | None = None, with_images_only: bool = False, genders_from_titles: bool = True
) -> CatalogRead:
    """Read `folder/styles.csv`; images are `folder/images/<id>.jpg`. `with_images_only` keeps only rows whose
    photo exists (those rows are then not reported as missing images); `limit` applies after that filter.
    `genders_from_titles`: see the module's docstring."""
    folder = Path(folder).resolve()
    styles = folder / "styles.csv"
    problems: list[str] = []
    rows = _rows(styles, problems)
    brand_counts = Counter(title_brand(fields[9]) for _, fields in rows)
    image_dir = folder / "images"
    photos = {path.stem for path in image_dir.glob("*.jpg")} if image_dir.is_dir() else set()
    items: list[Item] = []
    for line, fields in rows:
        record = dict(zip(COLUMNS, fields, strict=True))
        item_id, title = record["id"], record["productDisplayName"]
        if not item_id or not title:
            problems.append(f"{styles.name}:{line}: no {'id' if not item_id else 'title'} (skipped)")
            continue
        if with_images_only and item_id not in photos:
            continue
        category = kaggle_category(record["articleType"], record["subCategory"])
        raw_colour = record["baseColour"]
        brand = title_brand(title)
        extra: dict[str, str | int | float | bool] = {
            key: record[key] for key in ("gender", "masterCategory", "subCategory", "articleType", "season", "usage")
        }
        if genders_from_titles:
            extra["gender"] = title_gender(record["gender"], title)
        extra["raw_colour"] = raw_colour
        if record["year"].isdigit():
            extra["year"] = int(record["year"])
        extra["price_source"] = "synthetic"
        items.append(
            Item(
                id=item_id,
                title=title,
                brand=brand if brand_counts[brand] >= MIN_BRAND_TITLES else "",
                category=category,
                colour=canonical_colour(raw_colour) or KAGGLE_COLOURS.get(raw_colour.lower(), ""),
                material=title_material(title),
                price=synthetic_price(item_id, record["articleType"], category),
                image=str(image_dir / f"{item_id}.jpg"),
                extra={key: value for key, value in extra.items() if value != ""},
            )
        )
        if limit is not None and len(items) >= limit:
            break
    return finish_read(items, problems, str(styles))
