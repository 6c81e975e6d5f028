"""What an item looks like, measured from its picture: lightness, chroma, colourfulness and its main colour.

Shoppers refine relatively ("darker", "more colourful"); the catalogue's colour word cannot answer that, the
product's pixels can. Product photos sit on a white or near-white studio background, which would pull every
median towards white, so the background is masked first: very light, nearly grey pixels connected to the
picture's border (a white shirt keeps its own white, which is enclosed by its outline and shadow).

Measures, on the product's pixels of a picture downsampled to `SIDE` pixels (cheap: ingest must stay fast):
- `lightness`: median CIELAB L* (0 black .. 100 white);
- `chroma`: median CIELAB C*ab (0 grey, ~30 a clear colour, 60+ a vivid one);
- `colourfulness`: Hasler and Suesstrunk's M (2003) over sRGB, which grows with the spread of colours as well as
  their strength, so a print of several colours scores above a plain garment of the same chroma;
- `colour`: the canonical colour (store.vocabulary.COLOURS) most of the product's pixels are nearest to in
  CIELAB, or "multi" when none holds `DOMINANT_SHARE` of them.

An item without a picture gets nominal measures from its colour name (`nominal_measures`): those of the colour's
reference swatch, with `source="colour name"` so a reply can say they are not measured.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PIL import Image
from scipy import ndimage
from skimage.color import lab2rgb, rgb2lab, xyz2lab
from skimage.color.colorconv import xyz_from_rgb

from store.item import Measures

SIDE = 48  # pixels per side after downsampling: medians are stable from ~32, and 48x48 is measured in ~2 ms
BACKGROUND_LIGHTNESS = 90.0  # L* at or above which a grey-ish pixel may be studio background
BACKGROUND_CHROMA = 8.0  # C*ab below which a light pixel counts as white or light grey
MIN_PRODUCT_SHARE = 0.02  # fewer product pixels than this: the product is white on white, measure the whole frame
DOMINANT_SHARE = 0.3  # share of product pixels the main colour needs; below it the item is "multi"
# The product sits in the middle of the frame; on photos of a worn garment the edges hold the model's face, arms
# and other clothes. Measures read the product pixels of this central window (fractions of height, width).
CENTRE = (0.2, 0.25)

# CIELAB swatch of each canonical colour: the median L*, a*, b* of the product pixels of Kaggle photos labelled
# with it (1,500 photos, seeded sample; shading, folds and prints make real garments far less saturated than an
# ideal swatch, which is why ideal sRGB swatches agreed with the labels on 38% of photos, these on 48%). The
# nearest swatch names a pixel, and a colour name's nominal measures are its swatch's. "multi" has no swatch.
SWATCHES: dict[str, tuple[float, float, float]] = {
    "black": (26.3, 0.0, 0.0),
    "white": (79.0, 1.4, 2.0),
    "grey": (56.7, 0.0, 0.0),
    "navy": (36.6, 1.5, -7.3),
    "blue": (52.7, 0.2, -11.0),
    "red": (47.8, 23.6, 9.9),
    "pink": (66.4, 25.6, 2.5),
    "green": (60.3, -8.6, 6.1),
    "yellow": (67.0, 1.7, 22.0),
    "orange": (69.0, 21.6, 29.1),
    "purple": (47.6, 10.7, -7.9),
    "brown": (42.7, 4.3, 5.8),
    "beige": (76.2, 1.7, 10.6),
}
# A vivid swatch per colour beside it, so that a saturated product (a drawn demo picture, a neon print) is named
# by its hue and not by the nearest of the muted photo medians (vivid yellow is nearer muted orange than muted
# yellow); sRGB.
VIVID: dict[str, tuple[int, int, int]] = {
    "black": (20, 20, 22),
    "white": (250, 250, 250),
    "grey": (140, 140, 145),
    "navy": (28, 42, 92),
    "blue": (52, 120, 210),
    "red": (200, 35, 45),
    "pink": (240, 150, 185),
    "green": (50, 140, 70),
    "yellow": (245, 210, 60),
    "orange": (240, 130, 40),
    "purple": (120, 60, 150),
    "brown": (120, 75, 45),
    "beige": (220, 200, 165),
}
_NAMES = tuple(SWATCHES)
_SWATCH_LAB = np.array(list(SWATCHES.values()), dtype=np.float64)  # (colours, 3)
_PROTOTYPES = np.concatenate([_SWATCH_LAB, rgb2lab(np.array([list(VIVID.values())], dtype=np.float64) / 255.0)[0]])
_PROTOTYPE_NORMS = (_PROTOTYPES**2).sum(axis=1)
_LEVELS = np.arange(256) / 255.0  # scikit-image's sRGB gamma expansion of each 8-bit level
_LINEAR = np.where(_LEVELS > 0.04045, np.power((_LEVELS + 0.055) / 1.055, 2.4), _LEVELS / 12.92)
_MULTI_COLOURFULNESS = 40.0
_MULTI_LIGHTNESS = 55.0
_MULTI_CHROMA = 15.0


def _colourfulness(rgb: np.ndarray) -> float:
    """Hasler-Suesstrunk M over (pixels, 3) sRGB in 0..255."""
    rg = rgb[:, 0] - rgb[:, 1]
    yb = 0.5 * (rgb[:, 0] + rgb[:, 1]) - rgb[:, 2]
    return float(np.hypot(rg.std(), yb.std()) + 0.3 * np.hypot(rg.mean(), yb.mean()))


def product_mask(lab: np.ndarray) -> np.ndarray:
    """(H, W) bool: the pixels that are not studio background (light low-chroma regions touching the border)."""
    chroma = np.hypot(lab[..., 1], lab[..., 2])
    light = (lab[..., 0] >= BACKGROUND_LIGHTNESS) & (chroma < BACKGROUND_CHROMA)
    labels, _ = ndimage.label(light)
    border = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    background = np.isin(labels, border[border > 0])
    return ~background


def measure_picture(image: Image.Image) -> Measures:
    """The measures of a product picture (any size or mode)."""
    return measure_pictures([image])[0]


def measure_pictures(images: Sequence[Image.Image]) -> list[Measures]:
    """The measures of each picture, in order. The colour conversion and the nearest-swatch search run once over
    the pixels of all of them: per picture they were three quarters of a measure's ~3 ms, mostly numpy's and
    scikit-image's per-call overhead on 48x48 arrays."""
    if not images:
        return []
    rgbs = [_small_rgb(image) for image in images]  # (H, W, 3) uint8 each
    sizes = [rgb.shape[0] * rgb.shape[1] for rgb in rgbs]
    flat = np.concatenate([rgb.reshape(-1, 3) for rgb in rgbs])  # (pixels of all, 3)
    labs = np.split(_srgb_to_lab(flat), np.cumsum(sizes)[:-1])
    masks = [_measured_mask(lab.reshape(rgb.shape)) for lab, rgb in zip(labs, rgbs)]
    pixels = [lab[mask.ravel()] for lab, mask in zip(labs, masks)]  # (product pixels, 3) each
    names = _nearest_names(np.concatenate(pixels))
    bounds = np.cumsum([0] + [len(p) for p in pixels])
    return [
        _measures(lab, rgb.reshape(-1, 3)[mask.ravel()].astype(np.float64), names[start:stop])
        for lab, rgb, mask, start, stop in zip(pixels, rgbs, masks, bounds[:-1], bounds[1:])
    ]


def _small_rgb(image: Image.Image) -> np.ndarray:
    small = image.convert("RGB")
    small.thumbnail((SIDE, SIDE), Image.Resampling.BILINEAR)
    return np.asarray(small, dtype=np.uint8)


def _srgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """(pixels, 3) uint8 sRGB -> (pixels, 3) CIELAB: scikit-image's rgb2lab, its per-pixel gamma expansion (a power
    of every channel, most of its time) read from a table of the 256 values it can take."""
    return xyz2lab((_LINEAR[rgb] @ xyz_from_rgb.T)[None])[0]


def _measured_mask(lab: np.ndarray) -> np.ndarray:
    """(H, W) bool: the product pixels to measure, those of the central window when it holds enough of them."""
    mask = product_mask(lab)
    if mask.mean() < MIN_PRODUCT_SHARE:  # nothing but background: a white product on white
        mask = np.ones(mask.shape, dtype=bool)
    height, width = mask.shape
    top, left = int(height * CENTRE[0]), int(width * CENTRE[1])
    centre = np.zeros_like(mask)
    centre[top : height - top, left : width - left] = True
    if (mask & centre).sum() >= MIN_PRODUCT_SHARE * mask.size:  # a small product off-centre keeps all its pixels
        mask &= centre
    return mask


def _nearest_names(pixels_lab: np.ndarray) -> np.ndarray:
    """(pixels,) index into _NAMES of the swatch, muted or vivid, each CIELAB pixel is nearest to."""
    # |p - c|^2 = |p|^2 - 2 p.c + |c|^2, and |p|^2 is the same for every swatch: one (pixels, 3) @ (3, 2 x colours)
    distances = _PROTOTYPE_NORMS[None, :] - 2.0 * pixels_lab @ _PROTOTYPES.T  # (pixels, 2 x colours)
    return distances.argmin(axis=1) % len(_NAMES)  # a vivid swatch names the same colour as its muted one


def _measures(pixels_lab: np.ndarray, pixels_rgb: np.ndarray, nearest: np.ndarray) -> Measures:
    """One picture's measures from its product pixels in CIELAB and sRGB and their nearest colours."""
    chroma = np.hypot(pixels_lab[:, 1], pixels_lab[:, 2])
    shares = np.bincount(nearest, minlength=len(_NAMES)) / len(pixels_lab)
    best = int(shares.argmax())
    return Measures(
        lightness=round(float(np.median(pixels_lab[:, 0])), 2),
        chroma=round(float(np.median(chroma)), 2),
        colourfulness=round(_colourfulness(pixels_rgb), 2),
        colour=_NAMES[best] if shares[best] >= DOMINANT_SHARE else "multi",
        source="picture",
    )


def nominal_measures(colour: str) -> Measures | None:
    """Measures implied by a canonical colour name alone (an item without a picture), or None for no colour."""
    if colour == "multi":
        return Measures(_MULTI_LIGHTNESS, _MULTI_CHROMA, _MULTI_COLOURFULNESS, "multi", "colour name")
    if colour not in SWATCHES:
        return None
    lab = _SWATCH_LAB[_NAMES.index(colour)]
    swatch = lab2rgb(lab[None, None, :])[0] * 255.0  # (1, 3) sRGB
    return Measures(
        lightness=round(float(lab[0]), 2),
        chroma=round(float(np.hypot(lab[1], lab[2])), 2),
        colourfulness=round(_colourfulness(swatch), 2),
        colour=colour,
        source="colour name",
    )
