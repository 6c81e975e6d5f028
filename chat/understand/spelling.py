"""Typos read as the vocabulary word they miss ("a sumer dres" -> dress, "blakc" -> black, "no polyster" ->
polyester), so that a mistyped kind, colour or material still filters, and the reply says how it was read.

Only a word that neither an English dictionary (pyspellchecker's word list) nor the catalogue knows is read so,
and only as a category, colour or material word with the same first letter, one edit away (two from seven letters
on); a word of five letters or fewer only by a slip of the fingers (a letter dropped, two swapped, one doubled, or
a key next to the right one): "back" stays a word (a back t-shirt), "colour" is no typo for "colourful", and a
product the shop does not carry ("nike roshe": an "h" far from "s" and "e") is not read as a colour ("rose"); the
catalogue's own words are never typos. The hand-labelled Fashion IQ captions (bench/bench_parser.py) hold such
typos ("yelloe", "greay", "whte", "shrt").
"""

from __future__ import annotations

import re
from functools import lru_cache

from spellchecker import SpellChecker

from store.vocabulary import CATEGORIES, COLOURS, MATERIALS

_WORD = re.compile(r"(?<![\w'])[a-z]{4,}(?![\w'])")
_DERIVED = frozenset(("y", "ey", "ie", "ish"))  # endings that make a word of another ("tanky", "blueish")
_FIRST_TWO_EDITS = 7  # letters from which a word may miss its vocabulary word by two edits
_ANY_EDIT = 6  # letters from which one edit of any kind is a typo; shorter words need a slip of the fingers
_KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


@lru_cache(maxsize=1)
def _english() -> SpellChecker:
    return SpellChecker()


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[frozenset[str], SpellChecker]:
    """The category, colour and material words (of four letters or more), and an edit generator over their letters."""
    words = frozenset(
        word
        for table in (CATEGORIES, COLOURS, MATERIALS)
        for canonical, names in table.items()
        for word in (canonical, *names)
        if word.isalpha() and len(word) >= 4
    )
    edits = SpellChecker(language=None)
    edits.word_frequency.load_words(sorted(words))
    return words, edits


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
    words, edits = _vocabulary()
    longest = max(map(len, words))
    if len(word) > longest + 2 or word in words or word in known or _english().known([word]):
        return ""
    # candidates of the same first letter and about the same length, so a long message costs a few ms a word
    nearby = [v for v in sorted(words) if v[0] == word[0] and abs(len(v) - len(word)) <= 2]
    one_edit = edits.edit_distance_1(word)
    near = [v for v in nearby if v in one_edit]
    if not near and len(word) >= _FIRST_TWO_EDITS:
        near = [v for v in nearby if one_edit & set(edits.edit_distance_1(v))]
    near = [v for v in near if not _derived(word, v) and (len(word) >= _ANY_EDIT or _slip(word, v))]
    return near[0] if near else ""


def _slip(typed: str, word: str) -> bool:
    """Whether `typed` is `word` with one slip of the fingers: a letter dropped, two neighbours swapped, a
    letter doubled, or a key next to a right one pressed instead or as well (QWERTY)."""
    if len(typed) == len(word) - 1:
        return True
    if len(typed) == len(word):
        wrong = [i for i, (a, b) in enumerate(zip(typed, word, strict=True)) if a != b]
        swapped = len(wrong) == 2 and wrong[1] == wrong[0] + 1 and typed[wrong[0]] == word[wrong[1]]
        return swapped or (len(wrong) == 1 and typed[wrong[0]] in _neighbours()[word[wrong[0]]])
    extra = next(i for i in range(len(typed)) if typed[:i] + typed[i + 1 :] == word)
    beside = {typed[j] for j in (extra - 1, extra + 1) if 0 <= j < len(typed)}
    return typed[extra] in beside or bool(beside & _neighbours()[typed[extra]])


@lru_cache(maxsize=1)
def _neighbours() -> dict[str, frozenset[str]]:
    """Each letter's neighbouring keys: beside it on its row, and the two it sits between above and below."""
    near: dict[str, set[str]] = {}
    for r, row in enumerate(_KEY_ROWS):
        for i, key in enumerate(row):
            keys = {row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)}
            if r > 0:
                keys |= {_KEY_ROWS[r - 1][j] for j in (i, i + 1) if j < len(_KEY_ROWS[r - 1])}
            if r + 1 < len(_KEY_ROWS):
                keys |= {_KEY_ROWS[r + 1][j] for j in (i - 1, i) if 0 <= j < len(_KEY_ROWS[r + 1])}
            near[key] = keys
    return {key: frozenset(keys) for key, keys in near.items()}


def _derived(word: str, candidate: str) -> bool:
    """ "tanky", "boxy": a word made from the vocabulary word, not a typo of it."""
    return word.startswith(candidate) and word[len(candidate) :] in _DERIVED
