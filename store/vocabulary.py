"""The shared fashion vocabulary: canonical categories, colours and materials, and the words that mean them.

Catalogue readers map their raw attributes onto these canonical values, and the chat's constraint parser
maps a shopper's words onto the same values, so that a parsed filter matches stored metadata exactly.
CLIP-family encoders are weak on colour and material, which is why these are hard filters and not only text.
"""

from __future__ import annotations

# canonical category -> words a shopper or a catalogue uses for it (the canonical word itself included)
CATEGORIES: dict[str, tuple[str, ...]] = {
    "dress": (
        "dress",
        "dresses",
        "gown",
        "gowns",
        "sundress",
        "frock",
        "shirt dress",  # a dress, not a shirt and a dress: the longest phrase wins over its words
        "shirt dresses",
        "t-shirt dress",
        "t-shirt dresses",
        "sweater dress",
        "sweater dresses",
        "jumper dress",
    ),
    "top": (
        "top",
        "tops",
        "t-shirt",
        "t-shirts",
        "tshirt",
        "tshirts",
        "tee",
        "tees",
        "shirt",
        "shirts",
        "blouse",
        "blouses",
        "tank",
        "tunic",
        "tunics",
        "hoodie",
        "hoodies",
        "sweater",
        "sweaters",
        "sweatshirt",
        "sweatshirts",
        "jumper",
        "cardigan",
        "polo",
        "kurta",
        "kurtas",
        "kurti",
        "kurtis",
    ),
    "trousers": (
        "trousers",
        "trouser",
        "pants",
        "jeans",
        "chinos",
        "leggings",
        "joggers",
        "track pants",
        "shorts",
        "capris",
    ),
    "skirt": ("skirt", "skirts"),
    "jacket": ("jacket", "jackets", "coat", "coats", "blazer", "blazers", "parka", "windbreaker", "waistcoat"),
    "shoes": (
        "shoes",
        "shoe",
        "sneakers",
        "sneaker",
        "trainers",
        "boots",
        "boot",
        "heels",
        "sandals",
        "sandal",
        "flats",
        "loafers",
        "flip flops",
        "slippers",
        "pumps",
    ),
    "bag": (
        "bag",
        "bags",
        "handbag",
        "handbags",
        "backpack",
        "backpacks",
        "tote",
        "clutch",
        "clutches",
        "purse",
        "wallet",
        "wallets",
        "satchel",
    ),
    "accessory": (
        "accessory",
        "accessories",
        "scarf",
        "scarves",
        "belt",
        "belts",
        "hat",
        "hats",
        "cap",
        "caps",
        "sunglasses",
        "watch",
        "watches",
        "jewellery",
        "jewelry",
        "necklace",
        "earrings",
        "bracelet",
        "ring",
        "tie",
        "ties",
        "socks",
        "gloves",
    ),
}

COLOURS: dict[str, tuple[str, ...]] = {
    "black": ("black", "jet", "charcoal black"),
    "white": ("white", "off white", "off-white", "ivory"),
    "grey": ("grey", "gray", "charcoal", "silver", "grey melange"),
    "navy": ("navy", "navy blue", "dark blue"),
    "blue": ("blue", "light blue", "sky blue", "denim blue", "turquoise blue", "teal", "turquoise"),
    "red": ("red", "maroon", "burgundy", "wine", "crimson", "rust"),
    "pink": ("pink", "rose", "magenta", "fuchsia", "peach", "coral"),
    "green": ("green", "olive", "khaki", "mint", "lime green", "sea green", "emerald", "lime", "fluorescent green"),
    "yellow": ("yellow", "mustard", "gold", "golden"),
    "orange": ("orange", "tangerine"),
    "purple": ("purple", "lavender", "violet", "lilac", "mauve"),
    "brown": ("brown", "tan", "coffee brown", "camel", "chocolate", "bronze", "copper", "taupe"),
    "beige": ("beige", "cream", "nude", "skin", "off beige"),
    "multi": ("multi", "multicolour", "multicolor", "multicoloured", "printed"),
}

MATERIALS: dict[str, tuple[str, ...]] = {
    "cotton": ("cotton",),
    "linen": ("linen",),
    "silk": ("silk", "satin"),
    "wool": ("wool", "woollen", "woolen", "cashmere", "merino"),
    "denim": ("denim",),
    "leather": ("leather",),
    "polyester": ("polyester", "poly"),
    "nylon": ("nylon",),
    "viscose": ("viscose", "rayon"),
    "synthetic": ("synthetic", "faux leather", "vegan leather", "pu"),
    "canvas": ("canvas",),
}


def _reverse(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {word: canonical for canonical, words in table.items() for word in (canonical, *words)}


CATEGORY_OF_WORD = _reverse(CATEGORIES)
COLOUR_OF_WORD = _reverse(COLOURS)
MATERIAL_OF_WORD = _reverse(MATERIALS)


def canonical_colour(raw: str) -> str:
    """A catalogue's colour name ("Navy Blue", "Off White") as a canonical colour, or "" when unknown."""
    return COLOUR_OF_WORD.get(raw.strip().lower(), "")


def canonical_category(raw: str) -> str:
    """A catalogue's category or article type ("Tshirts", "Casual Shoes") as a canonical category, or ""."""
    key = raw.strip().lower()
    if key in CATEGORY_OF_WORD:
        return CATEGORY_OF_WORD[key]
    for word in reversed(key.split()):  # "casual shoes" -> "shoes", "track pants" -> "pants"
        if word in CATEGORY_OF_WORD:
            return CATEGORY_OF_WORD[word]
    return ""


def canonical_material(raw: str) -> str:
    return MATERIAL_OF_WORD.get(raw.strip().lower(), "")


# Who an item is for and when it is worn. Catalogues that know it (Kaggle's gender, usage and season columns, the
# demo's usage and season) keep the raw value in `Item.extra`; `who_when` gives its canonical form, which every
# item carries in its metadata ("" when unknown, so that filters can let unknown items through).
GENDERS: dict[str, tuple[str, ...]] = {
    "men": ("men", "man", "mens", "men's", "male", "gents"),
    "women": ("women", "woman", "womens", "women's", "ladies", "lady", "female"),
    "boys": ("boys", "boy", "boy's", "boys'"),
    "girls": ("girls", "girl", "girl's", "girls'"),
    "unisex": ("unisex",),
}
GENDER_POSSESSIVES = {"men": "men's", "women": "women's", "boys": "boys'", "girls": "girls'", "unisex": "unisex"}
USAGES: dict[str, tuple[str, ...]] = {
    "casual": ("casual",),
    "smart casual": ("smart casual",),
    "formal": ("formal",),
    "sports": ("sports", "sport", "sporty", "athletic"),
    "party": ("party", "evening"),
    "ethnic": ("ethnic", "traditional"),
    "travel": ("travel",),
    "home": ("home", "loungewear"),
}
SEASONS: dict[str, tuple[str, ...]] = {
    "spring": ("spring",),
    "summer": ("summer",),
    "autumn": ("autumn", "fall"),
    "winter": ("winter",),
    "all seasons": ("all seasons", "all season", "all-season"),
}
# metadata key -> (the `extra` keys a catalogue may hold it under, its vocabulary)
WHO_WHEN: dict[str, tuple[tuple[str, ...], dict[str, tuple[str, ...]]]] = {
    "gender": (("gender",), GENDERS),
    "usage": (("usage", "occasion"), USAGES),
    "season": (("season",), SEASONS),
}
_WHO_WHEN_OF_WORD = {key: _reverse(table) for key, (_, table) in WHO_WHEN.items()}


def who_when(extra: dict[str, str | int | float | bool]) -> dict[str, str]:
    """An item's canonical gender, usage and season from what its catalogue keeps in `extra` ("Men" -> "men",
    "Fall" -> "autumn"), "" for each one it does not know."""
    found: dict[str, str] = {}
    for key, (names, _) in WHO_WHEN.items():
        raw = next((str(extra[name]) for name in names if name in extra), "")
        found[key] = _WHO_WHEN_OF_WORD[key].get(raw.strip().lower(), "")
    return found


# Kinds of garment outside the canonical categories, as "name in the reply" -> the words that name it. A shopper
# asking for one gets "there are no swimsuits in this catalogue" instead of the nearest-looking items presented as
# swimsuits. A table, not the encoder's distances: a sentence encoder puts "swimsuit" about as near "dress" as
# "sweater", and a miss here only costs the notice (the request is then searched as before). Words that also
# name a canonical category ("gown", "shorts") stay out, and the conversation first checks that no item's text
# names the kind (a catalogue may hold swimwear under no canonical category).
OTHER_GARMENTS: dict[str, tuple[str, ...]] = {
    "swimsuits": ("swimsuit", "swimsuits", "swimwear", "swimming costume", "bathing suit", "swim suit", "wetsuit"),
    "bikinis": ("bikini", "bikinis", "tankini"),
    "pyjamas": ("pyjamas", "pajamas", "pyjama", "pajama", "pjs", "nightwear", "sleepwear", "nightie", "nightgown"),
    "lingerie": ("lingerie", "bra", "bras", "underwear", "panties", "knickers", "boxers", "briefs", "bodysuit"),
    "tuxedos": ("tuxedo", "tuxedos", "tux", "dinner suit"),
    "kimonos": ("kimono", "kimonos", "yukata"),
    "jumpsuits": ("jumpsuit", "jumpsuits", "romper", "rompers", "playsuit", "playsuits", "overalls", "dungarees"),
    "sarees": ("saree", "sarees", "sari", "saris", "lehenga", "lehengas"),
    "bathrobes": ("bathrobe", "bathrobes", "dressing gown", "robe", "robes"),
    "ponchos": ("poncho", "ponchos", "cape", "capes"),
    "tracksuits": ("tracksuit", "tracksuits"),
}

# a kind the catalogue lacks (a canonical category or an `OTHER_GARMENTS` name) -> the canonical categories
# nearest to it, nearest first; the conversation offers the first one the catalogue holds
NEAREST_CATEGORIES: dict[str, tuple[str, ...]] = {
    "dress": ("skirt", "top"),
    "top": ("jacket", "dress"),
    "trousers": ("skirt", "dress"),
    "skirt": ("dress", "trousers"),
    "jacket": ("top",),
    "shoes": ("accessory", "bag"),
    "bag": ("accessory",),
    "accessory": ("bag",),
    "swimsuits": ("top", "dress"),
    "bikinis": ("top", "skirt"),
    "pyjamas": ("top", "trousers"),
    "lingerie": ("top",),
    "tuxedos": ("jacket", "trousers"),
    "kimonos": ("jacket", "dress"),
    "jumpsuits": ("dress", "trousers"),
    "sarees": ("dress", "skirt"),
    "bathrobes": ("jacket",),
    "ponchos": ("jacket", "top"),
    "tracksuits": ("trousers", "jacket", "top"),
}

GARMENT_OF_WORD = {word: name for name, words in OTHER_GARMENTS.items() for word in words}
