"""Product pictures for the demo catalogue: a flat drawing of the garment's silhouette in the item's colour.

Each shape is a list of primitives (Pillow `ImageDraw` calls). The silhouette is painted into a binary mask, the
mask is filled with the item colour, a pattern (stripes, dots, flowers, checks) in a second colour covers at
most about a third of it, and a thin outline and seams in a shade of the item colour finish it. No drawing is
anti-aliased, so the item colour is one exact RGB value and always the most frequent non-background pixel.
"""

from __future__ import annotations

import io
import random
from collections.abc import Sequence

from PIL import Image, ImageChops, ImageDraw, ImageFilter

SIZE = 224
BACKGROUND = (232, 230, 226)
COLOUR_RGB: dict[str, tuple[int, int, int]] = {
    "black": (30, 30, 32),
    "white": (250, 250, 250),
    "grey": (140, 140, 145),
    "navy": (28, 42, 92),
    "blue": (52, 120, 210),
    "red": (200, 36, 44),
    "pink": (238, 130, 170),
    "green": (46, 139, 87),
    "yellow": (240, 200, 40),
    "orange": (240, 130, 30),
    "purple": (128, 64, 168),
    "brown": (120, 72, 40),
    "beige": (222, 200, 160),
}

# (ImageDraw method, xy, keyword arguments); `fill` is added when painting
Primitive = tuple[str, Sequence, dict]


def _poly(*points: tuple[float, float]) -> Primitive:
    return ("polygon", points, {})


def _mirror(primitive: Primitive) -> Primitive:
    """The same polygon on the other side of the vertical centre line."""
    method, points, kwargs = primitive
    return method, [(SIZE - x, y) for x, y in points], kwargs


def _dress(bottom: int, sleeves: bool) -> tuple[list[Primitive], list[Primitive]]:
    flare = int((bottom - 92) * 0.42)
    body = [
        _poly((86, 40), (98, 28), (112, 40), (126, 28), (138, 40), (134, 92), (90, 92)),
        _poly((90, 90), (134, 90), (134 + flare, bottom), (90 - flare, bottom)),
    ]
    if sleeves:
        sleeve = _poly((138, 40), (156, 62), (146, 72), (134, 58))
        body += [sleeve, _mirror(sleeve)]
    return body, [("line", [(90, 92), (134, 92)], {"width": 2})]


def _top(sleeve_end: int | None, bottom: int = 186, hood: bool = False) -> tuple[list[Primitive], list[Primitive]]:
    body = [_poly((78, 50), (98, 40), (112, 52), (126, 40), (146, 50), (146, bottom), (78, bottom))]
    if sleeve_end is not None:
        if sleeve_end > 120:  # long sleeves
            right = _poly((146, 50), (170, 70), (186, sleeve_end), (168, sleeve_end + 4), (152, 98), (146, 100))
        else:
            right = _poly((146, 50), (174, 70), (164, sleeve_end), (146, 84))
        body += [right, _mirror(right)]
    if hood:
        body.append(("pieslice", (86, 18, 138, 70), {"start": 180, "end": 360}))
    return body, [("line", [(98, 40), (112, 52), (126, 40)], {"width": 2})]


def _tank() -> tuple[list[Primitive], list[Primitive]]:
    body = [
        _poly(
            (92, 34), (98, 34), (102, 60), (122, 60), (126, 34), (132, 34), (146, 80), (146, 184), (78, 184), (78, 80)
        )
    ]
    return body, [("line", [(78, 180), (146, 180)], {"width": 1})]


def _trousers(bottom: int, hem_half: int, crotch: int = 88) -> tuple[list[Primitive], list[Primitive]]:
    body = [
        ("rectangle", (74, 28, 150, 42), {}),
        _poly(
            (74, 40),
            (150, 40),
            (112 + hem_half * 2 + 8, bottom),
            (120, bottom),
            (112, crotch),
            (104, bottom),
            (112 - hem_half * 2 - 8, bottom),
        ),
    ]
    seams = [("line", [(74, 42), (150, 42)], {"width": 2}), ("line", [(112, 44), (112, 72)], {"width": 2})]
    return body, seams


def _skirt(bottom: int, flare: int, pleats: bool) -> tuple[list[Primitive], list[Primitive]]:
    body = [
        ("rectangle", (80, 34, 144, 46), {}),
        _poly((80, 44), (144, 44), (144 + flare, bottom), (80 - flare, bottom)),
    ]
    seams: list[Primitive] = [("line", [(80, 46), (144, 46)], {"width": 2})]
    if pleats:
        for x in range(90, 140, 12):
            offset = (x - 112) * flare // 32
            seams.append(("line", [(x, 48), (x + offset, bottom - 2)], {"width": 1}))
    return body, seams


def _jacket(bottom: int, quilted: bool) -> tuple[list[Primitive], list[Primitive]]:
    body, _ = _top(sleeve_end=170, bottom=bottom)
    body = [_poly((74, 46), (98, 34), (112, 60), (126, 34), (150, 46), (150, bottom), (74, bottom)), *body[1:]]
    seams: list[Primitive] = [
        ("line", [(98, 34), (112, 100), (126, 34)], {"width": 2}),
        ("line", [(112, 100), (112, bottom)], {"width": 2}),
    ]
    seams += [("ellipse", (115, y, 121, y + 6), {}) for y in range(112, bottom - 10, 26)]
    if quilted:
        seams += [("line", [(74, y), (150, y)], {"width": 1}) for y in range(70, bottom, 22)]
    return body, seams


def _shoe(kind: str) -> tuple[list[Primitive], list[Primitive]]:
    sole = ("rectangle", (34, 166, 196, 178), {})
    if kind == "boot":
        upper = [_poly((62, 52), (116, 52), (118, 126), (176, 136), (194, 156), (194, 166), (40, 166), (56, 112))]
        return upper, [sole, ("line", [(62, 64), (116, 64)], {"width": 2})]
    if kind == "heel":
        upper = [
            _poly(
                (30, 158),
                (44, 134),
                (92, 124),
                (122, 130),
                (164, 92),
                (192, 88),
                (194, 116),
                (150, 140),
                (110, 160),
                (40, 166),
            )
        ]
        heel = _poly((168, 112), (190, 110), (184, 184), (176, 184))
        return [*upper, heel], [("line", [(40, 166), (110, 160), (150, 140)], {"width": 3})]
    if kind == "sandal":
        bed = [("rounded_rectangle", (30, 140, 196, 164), {"radius": 10})]
        straps = [
            _poly((60, 140), (78, 100), (94, 100), (80, 140)),
            _poly((110, 140), (128, 96), (150, 96), (134, 140)),
        ]
        return [*bed, *straps], [("line", [(30, 164), (196, 164)], {"width": 3})]
    if kind == "loafer":
        upper = [_poly((34, 164), (44, 128), (100, 118), (150, 124), (184, 140), (196, 164))]
        return upper, [sole, ("line", [(96, 128), (140, 130)], {"width": 3})]
    upper = [_poly((36, 164), (50, 118), (98, 104), (124, 122), (170, 130), (194, 150), (196, 164))]
    laces = [("line", [(100 + i * 8, 112 + i * 2), (108 + i * 8, 122 + i * 2)], {"width": 2}) for i in range(4)]
    return upper, [sole, *laces]


def _bag(kind: str) -> tuple[list[Primitive], list[Primitive]]:
    if kind == "clutch":
        return [("rounded_rectangle", (28, 78, 196, 162), {"radius": 12})], [
            ("line", [(28, 84), (112, 124), (196, 84)], {"width": 2})
        ]
    if kind == "backpack":
        body = [
            ("rounded_rectangle", (58, 46, 166, 206), {"radius": 26}),
            ("arc", (90, 22, 134, 62), {"start": 180, "end": 360, "width": 7}),
        ]
        return body, [("rounded_rectangle", (76, 130, 148, 190), {"radius": 10, "width": 0})]
    if kind == "crossbody":
        body = [
            ("rounded_rectangle", (54, 104, 170, 186), {"radius": 10}),
            ("line", [(60, 108), (112, 20), (164, 108)], {"width": 6}),
        ]
        return body, [("line", [(54, 130), (170, 130)], {"width": 2})]
    body = [
        _poly((50, 96), (174, 96), (186, 204), (38, 204)),
        ("arc", (72, 40, 152, 150), {"start": 180, "end": 360, "width": 9}),
    ]
    return body, [("line", [(50, 98), (174, 98)], {"width": 2})]


def _accessory(kind: str) -> tuple[list[Primitive], list[Primitive]]:
    if kind == "belt":
        body = [("rectangle", (14, 98, 210, 126), {})]
        return body, [("rectangle", (150, 92, 176, 132), {"width": 0}), ("line", [(30, 112), (140, 112)], {"width": 1})]
    if kind == "hat":
        body = [("ellipse", (20, 118, 204, 170), {}), ("pieslice", (64, 62, 160, 170), {"start": 180, "end": 360})]
        return body, [("line", [(66, 112), (158, 112)], {"width": 4})]
    if kind == "cap":
        body = [
            ("pieslice", (58, 60, 166, 164), {"start": 180, "end": 360}),
            _poly((150, 104), (206, 112), (200, 124), (150, 116)),
        ]
        return body, [("line", [(112, 60), (112, 112)], {"width": 2})]
    if kind == "beanie":
        body = [("pieslice", (60, 40, 164, 180), {"start": 180, "end": 360}), ("rectangle", (58, 108, 166, 140), {})]
        return body, [("line", [(58, 110), (166, 110)], {"width": 2})]
    body = [_poly((40, 30), (84, 22), (184, 186), (140, 196))]  # scarf, a long diagonal band with a fringe
    return body, [("line", [(140 + i * 8, 198 - i), (136 + i * 8, 212 - i)], {"width": 2}) for i in range(6)]


SHAPES = {
    "dress_mini": lambda: _dress(150, sleeves=False),
    "dress_midi": lambda: _dress(180, sleeves=False),
    "dress_maxi": lambda: _dress(208, sleeves=False),
    "dress_shirt": lambda: _dress(176, sleeves=True),
    "tee": lambda: _top(sleeve_end=90),
    "longsleeve": lambda: _top(sleeve_end=172),
    "hoodie": lambda: _top(sleeve_end=172, hood=True),
    "tank": _tank,
    "trousers": lambda: _trousers(206, hem_half=11),
    "wide_trousers": lambda: _trousers(206, hem_half=20),
    "leggings": lambda: _trousers(206, hem_half=6),
    "shorts": lambda: _trousers(118, hem_half=13, crotch=84),
    "skirt_mini": lambda: _skirt(122, flare=16, pleats=False),
    "skirt_pleated": lambda: _skirt(176, flare=30, pleats=True),
    "skirt_pencil": lambda: _skirt(172, flare=4, pleats=False),
    "skirt_maxi": lambda: _skirt(206, flare=36, pleats=False),
    "jacket": lambda: _jacket(170, quilted=False),
    "coat": lambda: _jacket(208, quilted=False),
    "puffer": lambda: _jacket(176, quilted=True),
    "sneaker": lambda: _shoe("sneaker"),
    "boot": lambda: _shoe("boot"),
    "heel": lambda: _shoe("heel"),
    "sandal": lambda: _shoe("sandal"),
    "loafer": lambda: _shoe("loafer"),
    "tote": lambda: _bag("tote"),
    "clutch": lambda: _bag("clutch"),
    "backpack": lambda: _bag("backpack"),
    "crossbody": lambda: _bag("crossbody"),
    "scarf": lambda: _accessory("scarf"),
    "belt": lambda: _accessory("belt"),
    "hat": lambda: _accessory("hat"),
    "cap": lambda: _accessory("cap"),
    "beanie": lambda: _accessory("beanie"),
}


def _paint(draw: ImageDraw.ImageDraw, primitives: Sequence[Primitive], fill) -> None:
    for method, xy, kwargs in primitives:
        if kwargs.get("width") == 0:  # an outlined shape (a buckle, a pocket): outline only
            getattr(draw, method)(xy, outline=fill, width=2, **{k: v for k, v in kwargs.items() if k != "width"})
        else:
            getattr(draw, method)(xy, fill=fill, **kwargs)


def _pattern_mask(pattern: str, rng: random.Random) -> Image.Image:
    """Where the pattern colour goes (255), over the whole canvas; each covers at most about a third."""
    mask = Image.new("L", (SIZE, SIZE), 0)
    draw = ImageDraw.Draw(mask)
    if pattern == "striped":
        width, step = rng.choice(((6, 18), (3, 14), (8, 26)))
        for y in range(rng.randrange(step), SIZE, step):
            draw.rectangle((0, y, SIZE, y + width - 1), fill=255)
    elif pattern == "checked":
        for v in range(rng.randrange(16), SIZE, 16):
            draw.rectangle((v, 0, v + 2, SIZE), fill=255)
            draw.rectangle((0, v, SIZE, v + 2), fill=255)
    elif pattern == "polka-dot":
        for y in range(4, SIZE, 16):
            for x in range(4 + (y // 16 % 2) * 8, SIZE, 16):
                draw.ellipse((x - 4, y - 4, x + 4, y + 4), fill=255)
    elif pattern == "floral":
        for y in range(8, SIZE, 28):
            for x in range(8 + (y // 28 % 2) * 14, SIZE, 28):
                cx, cy = x + rng.randint(-4, 4), y + rng.randint(-4, 4)
                for dx, dy in ((0, -5), (5, -1), (3, 5), (-3, 5), (-5, -1)):
                    draw.ellipse((cx + dx - 3, cy + dy - 3, cx + dx + 3, cy + dy + 3), fill=255)
    return mask


def shade_of(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    """Seams and outline: darker on light colours, lighter on dark ones."""
    luminance = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]
    if luminance < 80:
        return tuple(int(c + (255 - c) * 0.35) for c in rgb)
    return tuple(int(c * 0.7) for c in rgb)


def draw_product(
    shape: str, colour: str, pattern: str = "plain", pattern_colour: str = "white", seed: int = 0
) -> bytes:
    """PNG bytes of a 224x224 product picture; the same arguments always give the same bytes."""
    rgb = COLOUR_RGB[colour]
    body, seams = SHAPES[shape]()
    mask = Image.new("L", (SIZE, SIZE), 0)
    _paint(ImageDraw.Draw(mask), body, 255)
    image = Image.new("RGB", (SIZE, SIZE), BACKGROUND)
    image.paste(rgb, mask=mask)
    if pattern != "plain":
        image.paste(
            COLOUR_RGB[pattern_colour], mask=ImageChops.multiply(mask, _pattern_mask(pattern, random.Random(seed)))
        )
    outline = ImageChops.subtract(mask.filter(ImageFilter.MaxFilter(3)), mask)
    image.paste(shade_of(rgb), mask=outline)
    _paint(ImageDraw.Draw(image), seams, shade_of(rgb))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()
