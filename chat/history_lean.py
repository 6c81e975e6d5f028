"""The lean of a shopper's history: when most of what they bought and liked is for one gender or age group
(boys, girls, men, women: the catalogue's gender column holds both) or one usage (casual, sports, formal...), and
the request names none, items for it rank higher. A lean, never a filter: "for men" from a shopper of women's
items, or "for the gym" from a casual shopper, is obeyed as said. Pure: what the items say in, the lean and its
score per candidate out (chat/recommender.py applies them).

The age group a gender lean implies is surer than the lean's score: a shopper of women's clothes asking for "a
summer dress" is not shopping for a girl, yet on the Kaggle photos two girls' dresses outscored the two women's
ones by more than the lean's 1.5 standard deviations (their titles say "summer", "dress" and a colour more
plainly). So items of the other age group rank after every item of the shopper's own (`other_age_group`), and
still show when too few others match; unisex items belong to neither. A request from no history that says
nobody is taken to be for adults (`age_group_in_force`): a guest's "a summer dress" showed girls' dresses among
the women's, and a shopper for a child says so ("for my daughter", "kids").

Likewise a gender the history never shows: Leo, whose history is all men's sports wear, asked for "an everyday look"
on the Kaggle photos and got a women's dress and women's sunglasses among the men's cards, under a reply saying
men's items came first (`unseen_gender`). A history that shows both genders is spared: that shopper buys for
either.

A history mostly in two colours (Leo's black and white t-shirts) lifts items of those colours a little where the
request names no colour (`history_colours`): on the Kaggle photos his "an everyday look" (casual, so his sports
lean is off) showed five green items of eight, which the trained model scored highest."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from store.vocabulary import GENDER_POSSESSIVES

LEAN_KEYS = ("gender", "usage")
AGE_GROUPS = {"men": "adults", "women": "adults", "boys": "children", "girls": "children"}


@dataclass(frozen=True)
class LeanSettings:
    """A history leans when at least `share` of its items that say a value (and at least `min_items` of them)
    say the same one; items for it gain `weight` standard deviations of the ranking's scores (unisex items half
    of a gender's)."""

    share: float = 0.6
    min_items: int = 3
    weight: float = 1.5  # bench/results/personal.md: 1.0 left Leo at 62% of his taste on the Kaggle photos
    # the history's colours: at most `colours` of them, which `share` of its items that say a colour are in; their
    # items gain `colour_weight` standard deviations, as a soft colour wish ("more white") does
    colours: int = 2
    colour_weight: float = 0.5


def history_lean(said: Sequence[Mapping[str, str]], settings: LeanSettings) -> dict[str, str]:
    """ "gender" and "usage" -> the value most of the history's items say (`said`: each item's who/when values)
    ("women", "casual"); a key is missing where the history is mixed, short or says nothing of it."""
    lean = {}
    for key in LEAN_KEYS:
        known = [values[key] for values in said if values[key] and values[key] != "unisex"]
        top = max(sorted(set(known)), key=known.count) if known else ""
        if len(known) >= settings.min_items and known.count(top) >= settings.share * len(known):
            lean[key] = top
    return lean


def history_colours(colours: Sequence[str], settings: LeanSettings) -> frozenset[str]:
    """The colours most of a history's items are in (`colours`: each item's, "" when unknown): its
    `settings.colours` commonest, when they cover `settings.share` of the items that say one (and at least
    `settings.min_items` of those); none for a history of many colours."""
    known = [colour for colour in colours if colour]
    top = sorted(set(known), key=lambda colour: (-known.count(colour), colour))[: settings.colours]
    covered = sum(known.count(colour) for colour in top)
    return (
        frozenset(top) if len(known) >= settings.min_items and covered >= settings.share * len(known) else frozenset()
    )


def lean_in_force(lean: Mapping[str, str], genders_stated: bool, usages_stated: bool) -> dict[str, str]:
    """The lean a request leaves in force: what it states (who, what for) it decides itself."""
    stated = {"gender": genders_stated, "usage": usages_stated}
    return {key: value for key, value in lean.items() if not stated[key]}


def lean_boost(
    lean: Mapping[str, str], said: Sequence[Mapping[str, str]], settings: LeanSettings
) -> tuple[np.ndarray, str]:
    """The lean as a score per candidate (`said`: each candidate's who/when values), and its wording ("women's
    casual"; "" when none)."""
    boost = np.zeros(len(said), dtype=np.float32)
    if "gender" in lean:
        boost += [1.0 if s["gender"] == lean["gender"] else 0.5 if s["gender"] == "unisex" else 0.0 for s in said]
    if "usage" in lean:
        boost += [float(s["usage"] == lean["usage"]) for s in said]
    wording = " ".join([GENDER_POSSESSIVES.get(lean.get("gender", ""), ""), lean.get("usage", "")]).strip()
    return settings.weight * boost, wording


def age_group_in_force(lean: Mapping[str, str], genders_stated: bool) -> str:
    """The age group the cards are for when the request does not say: the gender lean's ("adults" for "women"),
    else "adults"; none when the request names who it is for (then its filter decides)."""
    if genders_stated:
        return ""
    return AGE_GROUPS.get(lean.get("gender", ""), "adults")


def other_age_group(age: str, said: Sequence[Mapping[str, str]]) -> np.ndarray:
    """True for each candidate (`said`: its who/when values) of another age group than `age` ("girls" for
    "adults"); all False without an age group, and for unisex or unknown items."""
    return np.array([bool(age) and AGE_GROUPS.get(s["gender"], age) != age for s in said], dtype=bool)


def unseen_gender(
    lean: Mapping[str, str], history_genders: frozenset[str], said: Sequence[Mapping[str, str]]
) -> np.ndarray:
    """True for each candidate (`said`: its who/when values) of a gender none of the history's items is for
    (`history_genders`), where a gender lean is in force; all False without one, and for unisex or unknown items."""
    if "gender" not in lean:
        return np.zeros(len(said), dtype=bool)
    return np.array([s["gender"] not in ("", "unisex", *history_genders) for s in said], dtype=bool)
