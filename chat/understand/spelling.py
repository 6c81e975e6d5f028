"""Typos read as the vocabulary word they miss ("a sumer dres" -> dress, "blakc" -> black, "no polyster" ->
polyester), so that a mistyped kind, colour or material still filters, and the reply says how it was read.

Only a word that neither an English dictionary (pyspellchecker's word list) nor the catalogue knows is read so,
and only as a category, colour or material word with the same first letter, one edit away (two from six letters
on): "back" stays a word (a back t-shirt), Nike's "Roshe" stays a shoe where the catalogue sells it, "colour" is
no typo for "colourful". The hand-labelled Fashion IQ captions (bench/bench_parser.py) hold such typos ("yelloe",
"greay", "whte", "shrt").
"""

from __future__ import annotations

import re
from functools import lru_cache

from spellchecker import SpellChecker

from store.vocabulary import CATEGORIES, COLOURS, MATERIALS

_WORD = re.compile(r"(?<![\w'])[a-z]{4,}(?![\w'])")
_DERIVED = frozenset(("y", "ey", "ie", "ish"))  # endings that make a word of another ("tanky", "blueish")
_FIRST_TWO_EDITS = 6  # letters from which a word may miss its vocabulary word by two edits


@lru_cache(maxsize=1)
def _english() -> SpellChecker:
    return SpellChecker()


@lru_cache(maxsize=1)
def _vocabulary() -> SpellChecker:
    words = {
        word
        for table in (CATEGORIES, COLOURS, MATERIALS)
        for canonical, names in table.items()
        for word in (canonical, *names)
        if word.isalpha()
    }
    checker = SpellChecker(language=None, distance=2)
    checker.word_frequency.load_words(sorted(words))
    return checker


def read_typos(text: str, known: frozenset[str] = frozenset()) -> tuple[str, tuple[tuple[str, str], ...]]:
    """(`text` with each typo replaced by the vocabulary word it misses, the (typed, read) pairs in order).
    `text` is normalised (lower case); `known` holds the catalogue's own words, never typos."""
    read: list[tuple[str, str]] = []

    def replace(match: re.Match[str]) -> str:
        word = match.group()
        fixed = _vocabulary_word(word, known)
        if fixed:
            read.append((word, fixed))
        return fixed or word

    return _WORD.sub(replace, text), tuple(dict.fromkeys(read))


@lru_cache(maxsize=4096)
def _vocabulary_word(word: str, known: frozenset[str]) -> str:
    vocabulary = _vocabulary()
    if vocabulary.known([word]) or word in known or _english().known([word]):
        return ""
    near = vocabulary.known(vocabulary.edit_distance_1(word))
    if not near and len(word) >= _FIRST_TWO_EDITS:
        near = vocabulary.known(vocabulary.edit_distance_2(word))
    same_start = sorted(candidate for candidate in near if candidate[0] == word[0] and not _derived(word, candidate))
    return same_start[0] if same_start else ""


def _derived(word: str, candidate: str) -> bool:
    """ "tanky", "boxy": a word made from the vocabulary word, not a typo of it."""
    return word.startswith(candidate) and word[len(candidate) :] in _DERIVED
