"""Vocabulary terms in a shopper's words: wanted and excluded categories, colours and materials, and the words
left over for the encoder. Negation has a scope ("not red or pink" excludes both, "not red and black" only red),
a category after "with" describes a part ("a dress with a belt"; "leather" in "with a leather top" is the part's
material), as does one the sentence is about ("the top has thin straps"), and a refused kind ("no sneakers") is
an excluded term, not an excluded category, while a wanted kind ("a shirt") is a kind as well as its category
("top"). A colour of a detail ("white buttons", "a black dress with red
trim") is an accent: a preferred colour, not a filter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chat.understand.colours import (
    ACCENT_NOUNS,
    EXTRA_COLOUR_NAMES,
    MULTI_KEEPS_NOUNS,
    SHOPPER_NOT_COLOUR,
    STYLE_AFTER_BUTTON,
)
from chat.understand.schema import FILTERED
from store.vocabulary import CATEGORIES, COLOURS, MATERIALS

_TOKEN_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*|\S")
_INNER_HYPHEN_RE = re.compile(r"(?<=[^\W_])-(?=[^\W_])")  # "t-shirt", "navy-blue", "polyester-free"


def _tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(_INNER_HYPHEN_RE.sub(" ", text))


# Phrases in which a vocabulary word is not the thing itself ("cap sleeves" is not a cap, "boot cut" not a boot).
_NOT_TERMS = (
    "cap sleeve",
    "cap sleeves",
    "cap sleeved",
    "boot cut",
    "tie dye",
    "tie dyed",
    "tie front",
    "tie waist",
    "tie neck",
    "polo neck",
    "top rated",
    "top pick",
    "top picks",
    "on top",
    "mint condition",
    "skin tight",
    "watch out",
)


def _phrase_table() -> dict[tuple[str, ...], tuple[str, str] | None]:
    table: dict[tuple[str, ...], tuple[str, str] | None] = {}
    for name, vocabulary in (("categories", CATEGORIES), ("colours", COLOURS), ("materials", MATERIALS)):
        for canonical, words in vocabulary.items():
            for word in (canonical, *words):
                table[tuple(_tokens(word))] = (name, canonical)
    for word, canonical in EXTRA_COLOUR_NAMES.items():
        table.setdefault(tuple(_tokens(word)), ("colours", canonical))
    table.update({(word,): None for word in SHOPPER_NOT_COLOUR})
    table.update({tuple(_tokens(phrase)): None for phrase in _NOT_TERMS})
    return table


_PHRASES = _phrase_table()
# negating one of these refuses the whole category ("no dresses"); negating a kind ("no sneakers") refuses the kind
_CATEGORY_LEVEL_WORDS = frozenset(
    word for canonical in CATEGORIES for word in (canonical, f"{canonical}s", f"{canonical}es", "accessories")
)
_LONGEST_PHRASE = max(len(phrase) for phrase in _PHRASES)


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_NEGATION_CUES = _word_set(
    "no not non never without except excluding exclude avoid avoiding hate dislike nothing none minus "
    "skip don't dont isn't aren't neither nor"
)
# words allowed between a cue and its term: "not a fan of yellow", "nothing in pink", "no more dresses"
_NEGATION_FILLER = _word_set(
    "a an the any anything more in of made fan big really too so very want like wear wearing color colour "
    "colors colours colored coloured shade shades things stuff items clothes clothing ones dark light "
    "bright pale deep plain solid pure real genuine at all to fabric fabrics material materials"
)
_NEGATION_MAX_GAP = 4
# words after a cue that refuse no item ("not sure", "no thanks", "not for work"); any other word a cue covers is
# refused in the items' text, as a kind is ("no sneakers"), which is how a brand the vocabulary lacks is refused
_NOT_A_THING = _word_set(
    "sure thanks thank idea problem worries worry matter mind need needed know care else way longer that this "
    "these those one ones them it its for with and but yet just now really much less over under above below "
    "what when where which who why how because if then than there here yes okay thing"
)
_COORDINATORS = frozenset(("or", "nor", "/"))  # "not red or pink" excludes both; "not red and black" only red
_BOUNDARIES = _word_set('| . , ; : ! ? ( ) [ ] { } "')
# after these, a category word describes a part or a companion ("a dress with a belt"), not what is sought
_FEATURE_WORDS = frozenset(
    ("with", "has", "have", "having", "featuring", "plus", "including", "for", "match", "matching", "pair", "paired")
)
# "the top has thin straps": a category the sentence describes a part of, not one it asks for
_SUBJECT_BEFORE = frozenset(("the", "its", "this", "that"))
_SUBJECT_AFTER = frozenset(("has", "have"))
# a colour's detail noun is looked for at most this many words after it, up to one of these words
_ACCENT_REACH = 3
_ACCENT_STOPS = _word_set(
    "with and or but is are in has have that which color colour colored coloured colors colours tone tones shade"
)
# after these (not "has": "has a white color and is black" names two main colours) a colour that follows the
# main one is an accent: "a black dress with white", "is grey with black homo sapiens"
_ACCENT_CUES = frozenset(("with", "featuring", "plus", "w/"))
_KEPT_PUNCTUATION = frozenset(("/", "%", "&", "+", "'"))
_EDGE_WORDS = frozenset(
    ("and", "or", "but", "with", "in", "of", "for", "to", "also", "so", "then", "a", "an", "the", "i", "me")
)


@dataclass(frozen=True)
class _Unit:
    text: str
    term: tuple[str, str] | None = None  # (field, canonical)


@dataclass(frozen=True)
class Scan:
    filters: dict[str, frozenset[str]]
    semantic_text: str
    accent_colours: frozenset[str] = frozenset()


def _units(text: str) -> list[_Unit]:
    """Tokens, with vocabulary phrases (longest first, whole words only) merged into one unit each."""
    tokens = _tokens(text)
    units: list[_Unit] = []
    i = 0
    while i < len(tokens):
        for length in range(min(_LONGEST_PHRASE, len(tokens) - i), 0, -1):
            phrase = tuple(tokens[i : i + length])
            if phrase in _PHRASES:
                units.append(_Unit(" ".join(phrase), _PHRASES[phrase]))
                i += length
                break
        else:
            units.append(_Unit(tokens[i]))
            i += 1
    return units


def scan_terms(text: str) -> Scan:
    """Wanted and excluded vocabulary values, and the words left for the encoder.

    A negation cue covers the first vocabulary term after it (with at most a few filler words between) and the
    terms of the same field joined to it by "or" / "nor"; it ends at punctuation or at any other word.
    A term followed by "free" ("polyester-free") is excluded too.
    """
    units = _units(text)
    group_ends = _colour_group_ends(units)
    wanted: dict[str, set[str]] = {name: set() for name, *_ in FILTERED}
    excluded: dict[str, set[str]] = {name: set() for name, *_ in FILTERED}
    keep = [True] * len(units)
    negation_start: int | None = None  # where the open negation's dropped words begin
    negated_field: str | None = None  # the field of its first term, once found
    coordinated = False
    features = False
    excluded_terms: set[str] = set()
    last_refused, refused_at = "", -1  # the latest word refused in the items' text, and where: a kind right
    # after it joins it
    kinds: set[str] = set()
    accents: set[str] = set()
    accent_cue = False
    for i, unit in enumerate(units):
        if unit.term is not None:
            name, value = unit.term
            after_refused = negated_field == _REFUSED_WORD and name == "categories"
            if name == "categories" and refused_at == i - 1 and negation_start == i and not coordinated:
                # "no running shoes", "no tank tops": the refused word said which of a kind, refused with it
                excluded_terms.discard(last_refused)
                last_refused = f"{last_refused} {unit.text}"
                excluded_terms.add(last_refused)
                keep[i] = False
                negation_start, refused_at = i + 1, i
                continue
            negated = negation_start is not None and (
                negated_field is None or (coordinated and (name == negated_field or after_refused))
            )
            if (features and name == "categories") or (name == "categories" and _is_subject(units, i)):
                negation_start, negated_field = None, None  # a part ("has no belt"): left to the encoder
            elif features and name == "materials" and not negated and _before_part(units, i):
                negation_start, negated_field = None, None  # a part's material ("with a leather top"): the encoder
            elif i + 1 < len(units) and units[i + 1].text == "free":
                excluded[name].add(value)
                keep[i : i + 2] = [False, False]
                negation_start, negated_field = None, None
            elif negated and name == "categories" and unit.text not in _CATEGORY_LEVEL_WORDS:
                excluded_terms.add(unit.text)
                last_refused, refused_at = unit.text, i
                keep[negation_start : i + 1] = [False] * (i + 1 - negation_start)
                negation_start, negated_field, coordinated = i + 1, name, False
            elif negated:
                excluded[name].add(value)
                keep[negation_start : i + 1] = [False] * (i + 1 - negation_start)
                negation_start, negated_field, coordinated = i + 1, name, False
            elif name == "colours" and (
                (accent_cue and wanted["colours"]) or _names_detail(units, i, group_ends[i], features)
            ):
                negation_start, negated_field = None, None
                accents.add(value)
            else:
                negation_start, negated_field = None, None
                wanted[name].add(value)
                if name == "categories" and unit.text not in _CATEGORY_LEVEL_WORDS:
                    kinds.add(unit.text)  # "shirt": a kind within "top", which the shopper named
            continue
        word = unit.text
        if word in _BOUNDARIES:
            negation_start, negated_field, features, accent_cue = None, None, False, False
            continue
        if negation_start is not None and negated_field is not None:
            if word in _COORDINATORS and not coordinated:
                coordinated = True
                continue
            if coordinated and negated_field == _REFUSED_WORD and _names_a_thing(word):  # "not adidas or puma"
                excluded_terms.add(word)
                last_refused, refused_at = word, i
                keep[negation_start : i + 1] = [False] * (i + 1 - negation_start)
                negation_start, coordinated = i + 1, False
                continue
            negation_start, negated_field = None, None
        elif negation_start is not None:
            if word in _NEGATION_FILLER and i - negation_start <= _NEGATION_MAX_GAP:
                continue
            if not features and _names_a_thing(word):  # "no nike": a brand, or a shop's word the vocabulary lacks;
                # after "with" ("with no pockets") the words describe a part and are left to the encoder
                excluded_terms.add(word)
                last_refused, refused_at = word, i
                keep[negation_start : i + 1] = [False] * (i + 1 - negation_start)
                negation_start, negated_field, coordinated = i + 1, _REFUSED_WORD, False
                continue
            negation_start = None
        if word in _NEGATION_CUES:
            negation_start, negated_field, coordinated = i, None, False
        elif word in ("but", "than", "of") and i > 0 and units[i - 1].text in _TWO_WORD_CUE_STARTS[word]:
            negation_start, negated_field, coordinated = i - 1, None, False  # "anything but", "other than"
        elif word in _FEATURE_WORDS:
            features = True
            accent_cue = accent_cue or word in _ACCENT_CUES
    filters = {name: frozenset(values) for name, values in wanted.items()}
    filters |= {negative: frozenset(excluded[positive]) for positive, negative, *_ in FILTERED}
    filters["exclude_terms"] = frozenset(excluded_terms)
    filters["kinds"] = frozenset(kinds)
    return Scan(filters, _semantic_text(units, keep), frozenset(accents - wanted["colours"]))


_REFUSED_WORD = "exclude_terms"  # the open negation's field after a refused word, so "or" extends it


def _names_a_thing(word: str) -> bool:
    """Whether a word a negation covers can name something in an item's text (not "sure" or "for")."""
    return word.isalpha() and len(word) >= 3 and word not in _NOT_A_THING and word not in _NEGATION_CUES


def _is_subject(units: list[_Unit], i: int) -> bool:
    """Whether the category at `i` is what the sentence describes a part of: "the top has thin straps"."""
    return 0 < i < len(units) - 1 and units[i - 1].text in _SUBJECT_BEFORE and units[i + 1].text in _SUBJECT_AFTER


def _colour_group_ends(units: list[_Unit]) -> list[int]:
    """For each unit, where the colours joined to it end ("red and white boxes": both at "white"), in one pass."""
    ends = list(range(len(units)))
    for i in range(len(units) - 2, -1, -1):
        if not _is_colour(units[i]):
            continue
        if _is_colour(units[i + 1]):
            ends[i] = ends[i + 1]
        elif units[i + 1].text in ("and", "or", "/") and i + 2 < len(units) and _is_colour(units[i + 2]):
            ends[i] = ends[i + 2]
    return ends


def _names_detail(units: list[_Unit], i: int, j: int, features: bool) -> bool:
    """Whether the colour at `i` (with the colours joined to it, up to `j`: "red and white boxes", "red pink") is
    that of a detail named within a few words ("white buttons", "red on the text logo"), or of a garment part
    after "with" / "has" ("has a black bottom", "with a red mini skirt")."""
    for k in range(j + 1, min(j + 1 + _ACCENT_REACH, len(units))):
        unit = units[k]
        if unit.text in _BOUNDARIES or unit.text in _ACCENT_STOPS or _is_colour(unit):
            return False
        if unit.text == "button" and k + 1 < len(units) and units[k + 1].text in STYLE_AFTER_BUTTON:
            return False
        if unit.text in ACCENT_NOUNS:
            return not (units[i].term == ("colours", "multi") and unit.text in MULTI_KEEPS_NOUNS)
        if unit.term is not None and unit.term[0] == "categories":
            return features
    return False


def _before_part(units: list[_Unit], i: int) -> bool:
    """Whether a category (a part, after "with" / "has") follows the term at `i` closely: "a leather top"."""
    for unit in units[i + 1 : i + 1 + _ACCENT_REACH]:
        if unit.term is not None:
            return unit.term[0] == "categories"
        if unit.text in _BOUNDARIES or unit.text in _ACCENT_STOPS:
            return False
    return False


def _is_colour(unit: _Unit) -> bool:
    return unit.term is not None and unit.term[0] == "colours"


_TWO_WORD_CUE_STARTS = {
    "but": ("anything", "everything", "all"),
    "than": ("other", "rather"),
    "of": ("instead",),
}


def _semantic_text(units: list[_Unit], keep: list[bool]) -> str:
    words: list[str] = []
    after_drop = True  # a connective right after a dropped phrase joins nothing: "not red and black" -> "black"
    for unit, kept in zip(units, keep, strict=True):
        if not kept or (unit.term is None and unit.text in _BOUNDARIES):
            after_drop = after_drop or not kept
        elif not (after_drop and unit.text in ("and", "or", "but", "nor")):
            if unit.text[0].isalnum() or unit.text in _KEPT_PUNCTUATION:
                words.append(unit.text)
            after_drop = False
    while words and words[0] in _EDGE_WORDS | _KEPT_PUNCTUATION:
        words.pop(0)
    while words and words[-1] in _EDGE_WORDS | _KEPT_PUNCTUATION:
        words.pop()
    return re.sub(r" ?([/%&+']) ?", r"\1", " ".join(words))
