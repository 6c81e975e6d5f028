"""Kinds of item a shopper names that are not canonical categories ("a purple wool swimsuit"): pure text lookup.

The conversation uses them to say "there are no swimsuits in this catalogue" rather than presenting the nearest
sweaters as swimsuits; the words come from `store.vocabulary.OTHER_GARMENTS`.
"""

from __future__ import annotations

import re

from store.vocabulary import CATEGORIES, GARMENT_OF_WORD, NEAREST_CATEGORIES, OTHER_GARMENTS

_WORDS = "|".join(re.escape(word) for word in sorted(GARMENT_OF_WORD, key=len, reverse=True))
_GARMENT = re.compile(rf"(?<![\w-])(?:{_WORDS})(?![\w-])")
# "a dress, not a kimono": a garment refused a few words after a negation is not one wanted
_NEGATED = re.compile(r"\b(?:no|not|without|except|never|nothing like|anything but)\b(?:\W+\w+){0,2}\W*$")
# "something chic, like a kimono": a kind named as a likeness is a description to search, not a kind wanted
_LIKENED = re.compile(r"\b(?:like|similar to|resembling|inspired by|in the style of)(?: an?| the)?\W*$")
_PLURALS = {"dress": "dresses", "accessory": "accessories", "trousers": "trousers", "shoes": "shoes"}


def garment_named(message: str) -> str | None:
    """The first kind of `OTHER_GARMENTS` the message asks for (its name, as "swimsuits"), or None."""
    text = re.sub(r"\s+", " ", (message or "").lower())
    for match in _GARMENT.finditer(text):
        before = text[: match.start()]
        if not _NEGATED.search(before) and not _LIKENED.search(before):
            return GARMENT_OF_WORD[match.group()]
    return None


def garment_words(name: str) -> tuple[str, ...]:
    """Every word that names the kind `name` of `OTHER_GARMENTS`."""
    return OTHER_GARMENTS[name]


def plural(category: str) -> str:
    """A canonical category as a reply names it: "tops", "dresses", "accessories"."""
    return _PLURALS.get(category, f"{category}s")


def words_naming(kind: str) -> tuple[str, ...]:
    """The words of a kind as a reply names it: a canonical category's ("skirts") or another garment's."""
    category = _category_named(kind)
    return CATEGORIES[category] if category else OTHER_GARMENTS[kind]


def nearest_categories(kind: str) -> tuple[str, ...]:
    """The canonical categories nearest to a kind as a reply names it ("skirts", "swimsuits"), nearest first."""
    return NEAREST_CATEGORIES.get(_category_named(kind) or kind, ())


def _category_named(kind: str) -> str | None:
    return next((category for category in CATEGORIES if plural(category) == kind), None)


def title_names_kind(title: str, kinds: frozenset[str]) -> bool:
    """Whether a title names one of the kinds a shopper asked for, as a word of its own and in either number:
    "shirt" matches "Striped Shirts", not "Printed Tshirt"; "t shirt" (as the parser keeps "t-shirt") matches
    "T-Shirt" and "Tshirts"; "flip flops" matches "Flip Flop"."""
    words = re.sub(r"[^a-z]+", " ", title.lower().replace("-", "")).split()
    forms = {*words, *(first + second for first, second in zip(words, words[1:], strict=False))}
    return any(number_forms(kind.replace(" ", "").replace("-", "")) & forms for kind in kinds)


def number_forms(word: str) -> set[str]:
    """A word in the singular and the plural, whichever it was given in."""
    forms = {word, f"{word}s", f"{word}es"}
    if word.endswith("s"):
        forms.add(word[:-1])
    if word.endswith("es"):
        forms.add(word[:-2])
    return forms


def without_words(parts: list[str], words: tuple[str, ...]) -> list[str]:
    """Request parts without the words naming a kind of item (multi-word names such as "bathing suit" too)."""
    alternatives = "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
    pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")
    kept = [" ".join(pattern.sub(" ", part).split()) for part in parts]
    return [part for part in kept if part]
