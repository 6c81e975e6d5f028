"""The built-in demo catalogue: invented but coherent products with drawn pictures, deterministic by seed.

Attributes hang together the way a shop's do: a kind of garment allows certain materials and styles, a style
has its palette, patterns, seasons and occasions, a brand serves a few styles at its own price tier, and a
category has a realistic price band (accessories are cheaper than jackets). Titles and descriptions say all of
it in words ("Bohemian floral linen maxi dress in blue ... made for festivals and beach weddings") because they
are what a text encoder sees. Every item is drawn by `demo_images.draw_product` in its own colour.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from store.catalogs.demo_images import COLOUR_RGB, draw_product
from store.catalogs.jsonl import read_items_file, write_items_jsonl
from store.item import Item

GENERATOR_VERSION = 3  # bump when items or pictures change, so cached demo folders are rebuilt (2: sizes, 3: usage)
CATALOG_FILE = "catalog.jsonl"
MANIFEST_FILE = "manifest.json"


@dataclass(frozen=True)
class Kind:
    noun: str
    shape: str
    materials: tuple[str, ...]
    styles: tuple[str, ...]
    patterned: bool = True  # may carry a print (a sneaker or a belt stays plain)
    colours: tuple[str, ...] = ()  # restricts the style palette (jeans are blue, navy, black...)


@dataclass(frozen=True)
class Style:
    adjectives: tuple[str, ...]
    occasions: tuple[str, ...]
    colours: tuple[str, ...]
    patterns: tuple[str, ...]  # drawn with repetition as weights
    seasons: tuple[str, ...]


STYLES: dict[str, Style] = {
    "bohemian": Style(
        ("bohemian", "boho", "free-spirited", "flowing"),
        ("festivals", "summer picnics", "garden parties", "beach weddings", "lazy weekends"),
        ("beige", "white", "orange", "brown", "green", "red", "yellow", "pink", "purple"),
        ("floral", "floral", "plain", "polka-dot"),
        ("spring", "summer"),
    ),
    "sporty": Style(
        ("sporty", "athletic", "performance", "active"),
        ("the gym", "running", "training sessions", "weekend hikes", "yoga class"),
        ("black", "white", "grey", "blue", "red", "pink", "green", "orange", "navy", "yellow"),
        ("plain", "plain", "striped"),
        ("all seasons",),
    ),
    "formal": Style(
        ("tailored", "formal", "polished", "elegant"),
        ("the office", "business meetings", "job interviews", "formal dinners", "conferences"),
        ("black", "navy", "grey", "white", "beige", "brown"),
        ("plain", "plain", "plain", "striped"),
        ("autumn", "winter", "spring", "all seasons"),
    ),
    "casual": Style(
        ("casual", "relaxed", "everyday", "easy-going"),
        ("weekends", "errands", "brunch with friends", "everyday wear", "city walks"),
        tuple(COLOUR_RGB),
        ("plain", "plain", "checked", "striped", "polka-dot"),
        ("spring", "summer", "autumn", "winter", "all seasons"),
    ),
    "evening": Style(
        ("elegant", "glamorous", "evening", "statement"),
        ("cocktail parties", "evenings out", "weddings", "date nights", "gala dinners"),
        ("black", "red", "purple", "navy", "green", "pink", "yellow", "white"),
        ("plain", "plain", "plain", "polka-dot"),
        ("spring", "summer", "autumn", "winter"),
    ),
    "beach": Style(
        ("breezy", "light", "beach", "sun-ready"),
        ("beach holidays", "beach weddings", "seaside days", "poolside lounging", "summer vacations"),
        ("white", "blue", "yellow", "pink", "orange", "beige", "green"),
        ("striped", "floral", "plain", "plain"),
        ("summer",),
    ),
}

KINDS: dict[str, tuple[Kind, ...]] = {
    "dress": (
        Kind("maxi dress", "dress_maxi", ("linen", "cotton", "viscose", "silk"), ("bohemian", "beach", "evening")),
        Kind("midi dress", "dress_midi", ("linen", "cotton", "viscose", "silk"), ("bohemian", "casual", "formal")),
        Kind("mini dress", "dress_mini", ("cotton", "polyester", "viscose"), ("casual", "evening", "beach")),
        Kind("sundress", "dress_midi", ("cotton", "linen"), ("beach", "bohemian", "casual")),
        Kind("cocktail dress", "dress_mini", ("silk", "polyester"), ("evening",)),
        Kind("shirt dress", "dress_shirt", ("cotton", "linen", "denim"), ("casual", "formal")),
    ),
    "top": (
        Kind("t-shirt", "tee", ("cotton", "polyester"), ("casual", "sporty", "beach")),
        Kind("blouse", "tee", ("silk", "viscose", "cotton"), ("formal", "bohemian", "evening")),
        Kind("tank top", "tank", ("cotton", "nylon", "polyester"), ("sporty", "beach", "casual")),
        Kind("sweater", "longsleeve", ("wool", "cotton"), ("casual", "formal")),
        Kind("hoodie", "hoodie", ("cotton", "polyester"), ("sporty", "casual")),
        Kind("linen shirt", "longsleeve", ("linen",), ("beach", "casual", "bohemian")),
    ),
    "trousers": (
        Kind("jeans", "trousers", ("denim",), ("casual",), False, ("blue", "navy", "black", "grey", "white")),
        Kind("wide-leg trousers", "wide_trousers", ("linen", "viscose", "wool"), ("formal", "bohemian", "evening")),
        Kind("chinos", "trousers", ("cotton",), ("casual", "formal"), False),
        Kind("joggers", "trousers", ("cotton", "polyester"), ("sporty", "casual"), False),
        Kind("leggings", "leggings", ("nylon", "polyester"), ("sporty",)),
        Kind("shorts", "shorts", ("cotton", "linen", "denim"), ("beach", "casual", "sporty")),
    ),
    "skirt": (
        Kind("pleated midi skirt", "skirt_pleated", ("polyester", "silk", "wool"), ("formal", "evening", "casual")),
        Kind("mini skirt", "skirt_mini", ("denim", "cotton", "leather"), ("casual", "evening")),
        Kind("pencil skirt", "skirt_pencil", ("wool", "viscose", "polyester"), ("formal",), False),
        Kind("maxi skirt", "skirt_maxi", ("cotton", "linen", "viscose"), ("bohemian", "beach")),
        Kind("tennis skirt", "skirt_mini", ("polyester", "cotton"), ("sporty",)),
    ),
    "jacket": (
        Kind("denim jacket", "jacket", ("denim",), ("casual",), False, ("blue", "navy", "black", "white")),
        Kind("blazer", "jacket", ("wool", "linen", "polyester"), ("formal", "evening"), False),
        Kind("trench coat", "coat", ("cotton", "polyester"), ("formal", "casual"), False),
        Kind("puffer jacket", "puffer", ("nylon", "polyester"), ("sporty", "casual"), False),
        Kind("leather jacket", "jacket", ("leather",), ("casual", "evening"), False),
        Kind("wool coat", "coat", ("wool",), ("formal", "evening"), False),
        Kind("windbreaker", "jacket", ("nylon",), ("sporty", "beach"), False),
    ),
    "shoes": (
        Kind("sneakers", "sneaker", ("canvas", "leather", "synthetic"), ("sporty", "casual"), False),
        Kind("running shoes", "sneaker", ("synthetic", "nylon"), ("sporty",), False),
        Kind("ankle boots", "boot", ("leather", "synthetic"), ("casual", "formal", "bohemian"), False),
        Kind("sandals", "sandal", ("leather", "synthetic"), ("beach", "bohemian", "casual"), False),
        Kind("high heels", "heel", ("leather", "silk", "synthetic"), ("evening", "formal"), False),
        Kind("loafers", "loafer", ("leather", "synthetic"), ("formal", "casual"), False),
        Kind("espadrilles", "loafer", ("canvas", "linen"), ("beach", "bohemian"), False),
    ),
    "bag": (
        Kind("tote bag", "tote", ("canvas", "leather", "cotton"), ("casual", "beach", "bohemian")),
        Kind("clutch", "clutch", ("leather", "silk", "synthetic"), ("evening",), False),
        Kind("backpack", "backpack", ("nylon", "canvas", "leather"), ("sporty", "casual")),
        Kind("crossbody bag", "crossbody", ("leather", "synthetic"), ("casual", "formal", "evening"), False),
        Kind("beach bag", "tote", ("canvas", "cotton"), ("beach",)),
        Kind("briefcase", "clutch", ("leather",), ("formal",), False),
    ),
    "accessory": (
        Kind("scarf", "scarf", ("silk", "wool", "cotton"), ("bohemian", "formal", "casual", "evening")),
        Kind("belt", "belt", ("leather", "synthetic"), ("formal", "casual"), False),
        Kind("sun hat", "hat", ("cotton", "linen"), ("beach", "bohemian"), False),
        Kind("baseball cap", "cap", ("cotton", "polyester"), ("sporty", "casual")),
        Kind("beanie", "beanie", ("wool",), ("casual", "sporty")),
    ),
}
CATEGORY_ORDER = tuple(KINDS)

PRICE_BANDS: dict[str, tuple[int, int]] = {  # USD, before material/style/brand factors
    "accessory": (12, 45),
    "top": (18, 70),
    "skirt": (25, 90),
    "trousers": (30, 110),
    "dress": (40, 160),
    "shoes": (45, 170),
    "bag": (35, 180),
    "jacket": (70, 260),
}
MATERIAL_FACTORS = {"silk": 1.35, "leather": 1.4, "wool": 1.3, "linen": 1.1, "polyester": 0.85, "synthetic": 0.8}
STYLE_FACTORS = {"formal": 1.2, "evening": 1.25, "sporty": 1.0, "casual": 0.9, "beach": 0.9, "bohemian": 1.0}

# invented brand -> (styles it serves, price tier)
BRANDS: dict[str, tuple[tuple[str, ...], float]] = {
    "Solenne": (("bohemian", "beach"), 1.0),
    "Northwind": (("casual", "sporty"), 0.9),
    "Marlowe & Finch": (("formal",), 1.4),
    "Kestrel Athletic": (("sporty",), 1.0),
    "Atelier Nove": (("evening", "formal"), 1.6),
    "Tidewater": (("beach", "casual"), 0.9),
    "Brume": (("casual", "bohemian"), 0.85),
    "Velvet Hour": (("evening",), 1.3),
    "Juniper Lane": (("casual", "bohemian"), 0.95),
    "Ostra": (("beach",), 1.1),
    "Halden & Co": (("formal", "casual"), 1.2),
    "Riva Blu": (("beach", "evening"), 1.15),
    "Cobalt Street": (("sporty", "casual"), 0.8),
    "Maison Ardent": (("evening", "formal"), 1.5),
    "Pebble & Pine": (("casual", "bohemian", "beach"), 0.8),
    "Stride Lab": (("sporty",), 1.1),
}
# what a style is worn for, in the usage vocabulary of store/vocabulary.py (the Kaggle catalogue's column)
USAGE_OF_STYLE = {
    "bohemian": "casual",
    "sporty": "sports",
    "formal": "formal",
    "casual": "casual",
    "evening": "party",
    "beach": "casual",
}
SEASON_PHRASES = {
    "spring": "a fresh pick for spring",
    "summer": "light enough for hot summer days",
    "autumn": "perfect for crisp autumn days",
    "winter": "warm enough for winter",
    "all seasons": "wearable all year round",
}
PATTERN_PHRASES = {
    "striped": "with bold stripes",
    "polka-dot": "with a polka-dot print",
    "floral": "with a floral print",
    "checked": "in a classic check",
}


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def _season(material: str, style: Style, rng: random.Random) -> str:
    if material == "wool":
        return rng.choice(("autumn", "winter"))
    if material == "linen":
        return "summer"
    return rng.choice(style.seasons)


def _price(category: str, material: str, style: str, tier: float, rng: random.Random) -> float:
    low, high = PRICE_BANDS[category]
    base = low + (high - low) * rng.random() ** 1.4
    price = base * MATERIAL_FACTORS.get(material, 1.0) * STYLE_FACTORS[style] * tier
    price = min(max(price, low), 2 * high)  # factors stack: keep a silk evening scarf an accessory's price
    return round(price) - rng.choice((0.01, 0.01, 0.05, 0.0))


def _title(
    kind: Kind,
    style_name: str,
    adjective: str,
    colour: str,
    material: str,
    pattern: str,
    brand: str,
    occasion: str,
    season: str,
    rng: random.Random,
) -> str:
    printed = "" if pattern == "plain" else pattern + " "
    fabric = "" if material in kind.noun or kind.noun == "jeans" else material + " "
    templates = (
        f"{adjective} {printed}{fabric}{kind.noun} in {colour}",
        f"{brand} {colour} {printed}{fabric}{kind.noun}",
        f"{colour} {printed}{kind.noun} for {occasion}",
        f"{adjective} {colour} {fabric}{kind.noun}",
        f"{season if season != 'all seasons' else style_name} {fabric}{kind.noun} in {colour}",
        f"{colour} {fabric}{kind.noun} by {brand}",
    )
    title = rng.choice(templates)
    return title[0].upper() + title[1:]


def _description(
    kind: Kind,
    adjective: str,
    colour: str,
    material: str,
    pattern: str,
    brand: str,
    occasions: list[str],
    season: str,
    style_name: str,
) -> str:
    fabric = "" if material in kind.noun else f" in {material}"
    printed = f" {PATTERN_PHRASES[pattern]}" if pattern in PATTERN_PHRASES else ""
    plural = kind.noun.endswith("s") and not kind.noun.endswith("ss")  # "joggers", not "dress"
    opening = (
        f"{adjective} {colour} {kind.noun}" if plural else f"{_article(adjective)} {adjective} {colour} {kind.noun}"
    )
    return (
        f"{opening[0].upper()}{opening[1:]}{fabric}{printed}, made for {occasions[0]} and {occasions[1]}; "
        f"{SEASON_PHRASES[season]}. {_article(style_name).capitalize()} {style_name} piece by {brand}."
    )


LETTER_SIZES = ("xs", "s", "m", "l", "xl")
SHOE_SIZES = tuple(str(size) for size in range(36, 45))  # EU
ONE_SIZE = ("one size",)


def _sizes(category: str, rng: random.Random) -> tuple[str, ...]:
    """The sizes an item is stocked in: a run of letter sizes for clothes, of EU sizes for shoes, one size for
    bags and accessories; runs differ between items so that "size xs" or "size 44" really filters."""
    if category in ("bag", "accessory"):
        return ONE_SIZE
    scale = SHOE_SIZES if category == "shoes" else LETTER_SIZES
    length = rng.randint(3, len(scale)) if category != "shoes" else rng.randint(4, 7)
    start = rng.randint(0, len(scale) - length)
    return scale[start : start + length]


def _demo_item(index: int, seed: int, image_dir: Path | None) -> tuple[Item, bytes | None]:
    """The `index`-th item of the catalogue for `seed`: independent of the catalogue's size, and of whether its
    picture is drawn (`image_dir` None: no picture, the item's `image` is empty; the rest is the same item)."""
    rng = random.Random(f"whisperlite-demo-{seed}-{index}")
    category = CATEGORY_ORDER[index % len(CATEGORY_ORDER)]
    kind = rng.choice(KINDS[category])
    style_name = rng.choice(kind.styles)
    style = STYLES[style_name]
    palette = [colour for colour in style.colours if not kind.colours or colour in kind.colours] or list(kind.colours)
    colour = rng.choice(palette)
    material = rng.choice(kind.materials)
    pattern = rng.choice(style.patterns) if kind.patterned else "plain"
    pattern_colour = rng.choice([c for c in ("white", "black", "yellow", "pink", "navy", "red") if c != colour])
    brand = rng.choice(sorted(name for name, (styles, _) in BRANDS.items() if style_name in styles))
    season = _season(material, style, rng)
    occasions = rng.sample(style.occasions, 2)
    adjective = rng.choice(style.adjectives)
    item_id = f"demo{seed}-{index:04d}"
    picture_seed = rng.randrange(2**31)  # drawn whether or not the picture is, so the texts stay the same
    image = None if image_dir is None else draw_product(kind.shape, colour, pattern, pattern_colour, seed=picture_seed)
    item = Item(
        id=item_id,
        title=_title(kind, style_name, adjective, colour, material, pattern, brand, occasions[0], season, rng),
        description=_description(kind, adjective, colour, material, pattern, brand, occasions, season, style_name),
        brand=brand,
        category=category,
        colour=colour,
        material=material,
        price=_price(category, material, style_name, BRANDS[brand][1], rng),
        image="" if image_dir is None else str(image_dir / f"{item_id}.png"),
        sizes=_sizes(category, random.Random(f"whisperlite-demo-sizes-{seed}-{index}")),  # apart: the rest stays
        extra={
            "kind": kind.noun,
            "style": style_name,
            "usage": USAGE_OF_STYLE[style_name],
            "season": season,
            "pattern": pattern,
            "occasions": ", ".join(occasions),
        },
    )
    return item, image


def _cached(folder: Path, manifest: dict) -> list[Item] | None:
    """The folder's items if it holds a complete catalogue made by this generator for this seed and size."""
    try:
        if json.loads((folder / MANIFEST_FILE).read_text()) != manifest:
            return None
    except (OSError, ValueError):
        return None
    read = read_items_file(folder / CATALOG_FILE)
    complete = not read.problems and not read.missing_images and len(read.items) == manifest["n_items"]
    return read.items if complete else None


def generate_demo_catalog(folder: Path, n_items: int = 480, seed: int = 0) -> list[Item]:
    """Write `n_items` items (pictures in `folder/images`, `folder/catalog.jsonl`) and return them; a folder
    that already holds the complete catalogue for this seed and size is read, not regenerated."""
    folder = Path(folder).resolve()
    manifest = {"generator": GENERATOR_VERSION, "seed": seed, "n_items": n_items}
    cached = _cached(folder, manifest)
    if cached is not None:
        return cached
    image_dir = folder / "images"
    image_dir.mkdir(parents=True, exist_ok=True)
    (folder / MANIFEST_FILE).unlink(missing_ok=True)  # incomplete until the manifest is written last
    for stale in image_dir.glob("demo*.png"):
        stale.unlink()
    items = []
    for index in tqdm(range(n_items), desc="drawing demo catalogue", unit="item", leave=False):
        item, png = _demo_item(index, seed, image_dir)
        Path(item.image).write_bytes(png)
        items.append(item)
    write_items_jsonl(items, folder / CATALOG_FILE)
    (folder / MANIFEST_FILE).write_text(json.dumps(manifest))
    return items


def write_text_only_demo_catalog(path: Path, n_items: int, seed: int = 0) -> Path:
    """The demo catalogue's first `n_items` items without pictures, as a JSONL file the `jsonl` source reads: the
    demo's coherent texts at a shop's scale (bench/bench_app_100k.py writes 100k) without drawing 100k pictures.
    Item i is the demo's item i except for its empty `image`."""
    items = (_demo_item(index, seed, None)[0] for index in range(n_items))
    return write_items_jsonl(tqdm(items, total=n_items, desc="writing text-only demo catalogue", unit="item"), path)
