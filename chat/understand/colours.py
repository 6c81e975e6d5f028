"""Colour words as shoppers write them: names outside the vocabulary, and accent colours versus the main one.

Shoppers name colours the catalogue vocabulary does not list ("cranberry", "melon", "salmon"). Each CSS colour
name (from `webcolors`, with its RGB) maps to the canonical colour nearest to it in CIELAB, and a short hand
table adds fashion names CSS lacks; the vocabulary's own words always win. A colour that describes a detail
("white buttons", "with an orange logo", "red trim") is an accent: a soft preference, never a filter, because a
catalogue records one colour per item, the main one.
"""

from __future__ import annotations

import webcolors

from store.vocabulary import CATEGORIES, COLOUR_OF_WORD, MATERIALS

# sRGB points of each canonical colour as a shopper pictures it (blue spans navy-free blues, teal and sky blue);
# "multi" has no single point and is never nearest
_CANONICAL_RGB: dict[str, tuple[tuple[int, int, int], ...]] = {
    "black": ((20, 20, 20),),
    "white": ((250, 250, 250),),
    "grey": ((128, 128, 128), (200, 200, 200)),
    "navy": ((20, 30, 100),),
    "blue": ((30, 90, 230), (0, 160, 190), (140, 190, 235)),
    "red": ((200, 30, 40),),
    "pink": ((240, 130, 170), (250, 140, 120)),
    "green": ((40, 150, 60),),
    "yellow": ((245, 215, 50),),
    "orange": ((245, 130, 30),),
    "purple": ((120, 50, 150),),
    "brown": ((120, 75, 40),),
    "beige": ((225, 205, 170),),
}
# lightness counts half in the distance: "sky blue" is a blue before it is a light colour
_LIGHTNESS_WEIGHT = 0.5

# fashion colour names CSS does not define, or defines far from their meaning in clothing ("indigo" denim)
_FASHION_NAMES: dict[str, str] = {
    "cranberry": "red",
    "cherry": "red",
    "ruby": "red",
    "scarlet": "red",
    "oxblood": "red",
    "merlot": "red",
    "claret": "red",
    "melon": "orange",
    "apricot": "orange",
    "mango": "orange",
    "pumpkin": "orange",
    "terracotta": "orange",
    "blush": "pink",
    "raspberry": "pink",
    "berry": "purple",
    "aubergine": "purple",
    "eggplant": "purple",
    "sage": "green",
    "jade": "green",
    "pistachio": "green",
    "cobalt": "blue",
    "sapphire": "blue",
    "cerulean": "blue",
    "indigo": "navy",
    "midnight": "navy",
    "ochre": "yellow",
    "saffron": "yellow",
    "lemon": "yellow",
    "champagne": "beige",
    "sand": "beige",
    "oatmeal": "beige",
    "ecru": "beige",
    "stone": "beige",
    "cognac": "brown",
    "mocha": "brown",
    "espresso": "brown",
    "slate": "grey",
    "graphite": "grey",
    "pewter": "grey",
}

# CSS names that are other things in a shop ("moccasin" shoes, "linen" fabric) or rarely mean a colour ("snow")
_NOT_COLOUR_NAMES = frozenset(("moccasin", "snow", "peru", "linen"))

# vocabulary colour words a catalogue uses but a shopper means otherwise: "printed" is a pattern, not "multi"
SHOPPER_NOT_COLOUR = frozenset(("printed",))

# how shoppers say "several colours"; read as the canonical "multi"
MULTI_WORDS = (
    "multicoloured",
    "multicolored",
    "multi coloured",
    "multi colored",
    "multi colour",
    "multi color",
    "multi colours",
    "multi colors",
    "colourful",
    "colorful",
    "rainbow",
)

# details a colour can describe without being the item's colour ("white buttons", "a red floral print")
ACCENT_NOUNS = frozenset(
    (
        "button buttons logo logos stripe stripes striping trim trims piping print prints text lettering letters "
        "writing words graphic graphics design designs flower flowers dots dot spots patch patches embroidery "
        "collar collars strap straps bow bows lace accents accent details detail pattern patterns motif motifs "
        "check checks boxes lines zip zipper pocket pockets hem hemline neckline cuffs bottom "
        "bodice waistband band sash lining"
    ).split()
)
# "a blue button up shirt" is a shirt that buttons, not blue buttons; "a black long sleeve shirt" is black
STYLE_AFTER_BUTTON = frozenset(("up", "down", "front", "through"))
# a colour of the whole pattern is still the item's colour: "a multicoloured print" is a multi item
MULTI_KEEPS_NOUNS = frozenset(("print", "prints", "pattern", "patterns", "design", "designs", "motif"))


def _linear(channel: int) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def lab(rgb: tuple[int, int, int]) -> tuple[float, float, float]:
    """CIELAB (D65) of an sRGB colour: distances in it follow perceived colour difference, RGB's do not."""
    r, g, b = (_linear(c) for c in rgb)
    xyz = (
        (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
        0.2126 * r + 0.7152 * g + 0.0722 * b,
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
    )
    fx, fy, fz = (t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29 for t in xyz)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def nearest_canonical(rgb: tuple[int, int, int]) -> str:
    """The canonical colour nearest to `rgb` in CIELAB, lightness at half weight."""
    point = lab(rgb)

    def distance(anchor: tuple[int, int, int]) -> float:
        other = lab(anchor)
        return (
            (_LIGHTNESS_WEIGHT * (point[0] - other[0])) ** 2 + (point[1] - other[1]) ** 2 + (point[2] - other[2]) ** 2
        )

    return min(_CANONICAL_RGB, key=lambda name: min(map(distance, _CANONICAL_RGB[name])))


def _extra_names() -> dict[str, str]:
    taken = set(COLOUR_OF_WORD) | {w for table in (CATEGORIES, MATERIALS) for c, ws in table.items() for w in (c, *ws)}
    names = {
        name: nearest_canonical(tuple(webcolors.name_to_rgb(name)))
        for name in webcolors.names("css3")
        if name not in taken and name not in _NOT_COLOUR_NAMES
    }
    names.update({name: colour for name, colour in _FASHION_NAMES.items() if name not in taken})
    names.update({word: "multi" for word in MULTI_WORDS})
    return names


# colour names beyond the vocabulary -> canonical colour (the vocabulary's own words are not repeated here)
EXTRA_COLOUR_NAMES = _extra_names()


def colour_of(word: str) -> str:
    """The canonical colour a shopper's colour word names, or "" when it names none."""
    if word in SHOPPER_NOT_COLOUR:
        return ""
    return COLOUR_OF_WORD.get(word) or EXTRA_COLOUR_NAMES.get(word, "")
