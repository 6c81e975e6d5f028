"""A shopper's words as filters: price bounds, colours, categories, materials, sizes and their negations.

`parse_message` reads one chat message (rule-based, no I/O); `Constraints.merge` accumulates turns;
`Constraints.to_where` gives a Chroma `where` filter over the canonical metadata of `store.vocabulary`, and
`is_valid_where` checks any filter (also one written by a chat model) against Chroma's grammar.

Only the first `MAX_MESSAGE_CHARS` characters of a message are read: a longer message is pasted text, not a
request, and the cap keeps every regex linear in practice (a 20,000-character message parses in about a
millisecond). Any Unicode decimal digits read as numbers ("١٢٠" and, after NFKC, "１２０" are 120).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal

from chat.references import BOUNDARY, find_references
from store.vocabulary import CATEGORIES, COLOURS, MATERIALS

MAX_MESSAGE_CHARS = 2_000
MAX_PRICE = 1_000_000.0  # a larger number is not a fashion price ("under 99999999999999999999")
AROUND = 0.2  # "around 50" means 40 to 60

# positive field, excluded field, Chroma metadata key, describe() wording of a positive and an exclusion
_FILTERED = (
    ("categories", "exclude_categories", "category", "category {}", "no {}"),
    ("colours", "exclude_colours", "colour", "colour {}", "not {}"),
    ("materials", "exclude_materials", "material", "material {}", "no {}"),
)


def _values(raw: Any) -> frozenset[str]:
    return frozenset(str(value).strip().lower() for value in raw if str(value).strip())


def _price(value: float | None) -> float | None:
    if value is None or not math.isfinite(value) or value < 0:
        return None
    return float(value)


@dataclass(frozen=True)
class Constraints:
    """Hard filters. Values are canonical lower-case vocabulary words; a value is never both wanted and excluded
    (the exclusion wins). `sizes` and `exclude_ids` are not part of `to_where()`: the caller drops rejected ids
    and, where its catalogue has sizes, filters on them (a `where` on a key some items lack would hide them)."""

    price_min: float | None = None
    price_max: float | None = None
    colours: frozenset[str] = frozenset()
    exclude_colours: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    exclude_categories: frozenset[str] = frozenset()
    materials: frozenset[str] = frozenset()
    exclude_materials: frozenset[str] = frozenset()
    sizes: frozenset[str] = frozenset()
    exclude_ids: frozenset[str] = frozenset()
    # kinds refused within a category ("no sneakers" while shopping for shoes): the caller drops items whose
    # text names them; the category itself stays allowed
    exclude_terms: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        low, high = _price(self.price_min), _price(self.price_max)
        if low is not None and high is not None and low > high:
            low, high = high, low
        object.__setattr__(self, "price_min", low)
        object.__setattr__(self, "price_max", high)
        for name in ("sizes", "exclude_ids", "exclude_terms"):
            object.__setattr__(self, name, _values(getattr(self, name)))
        for positive, negative, *_ in _FILTERED:
            excluded = _values(getattr(self, negative))
            object.__setattr__(self, negative, excluded)
            object.__setattr__(self, positive, _values(getattr(self, positive)) - excluded)

    def is_empty(self) -> bool:
        return self == Constraints()

    def merge(self, newer: Constraints) -> Constraints:
        """This conversation's constraints updated by a newer message's.

        A newer wanted value set replaces the older one ("in blue" after "in red" gives blue), a newer price
        bound replaces the older bound (and drops an older opposite bound it contradicts), exclusions accumulate,
        and a value named positively lifts its exclusion while an excluded value leaves the wanted set.
        """
        low = newer.price_min if newer.price_min is not None else self.price_min
        high = newer.price_max if newer.price_max is not None else self.price_max
        if low is not None and high is not None and low > high:
            low, high = (low, None) if newer.price_min is not None else (None, high)
        changes: dict[str, Any] = {
            "price_min": low,
            "price_max": high,
            "sizes": newer.sizes or self.sizes,
            "exclude_ids": self.exclude_ids | newer.exclude_ids,
            "exclude_terms": self.exclude_terms | newer.exclude_terms,
        }
        for positive, negative, *_ in _FILTERED:
            wanted, excluded = getattr(newer, positive), getattr(newer, negative)
            changes[positive] = wanted or getattr(self, positive) - excluded
            changes[negative] = (getattr(self, negative) - wanted) | excluded
        return Constraints(**changes)

    def without(self, name: str) -> Constraints:
        """These constraints with one field relaxed; "price" relaxes both bounds."""
        if name == "price":
            return replace(self, price_min=None, price_max=None)
        default = {f.name: f.default for f in fields(self)}
        if name not in default:
            raise ValueError(f"unknown constraint {name!r}; expected 'price' or one of {sorted(default)}")
        return replace(self, **{name: default[name]})

    def describe(self) -> list[tuple[str, str]]:
        """(field, wording) pairs such as ("price", "under $60"), ("colours", "colour blue"),
        ("exclude_materials", "no polyester"); the field is what `without` takes."""
        parts: list[tuple[str, str]] = []
        if self.price_min is not None and self.price_max is not None:
            parts.append(("price", f"{_dollars(self.price_min)} to {_dollars(self.price_max)}"))
        elif self.price_max is not None:
            parts.append(("price", f"under {_dollars(self.price_max)}"))
        elif self.price_min is not None:
            parts.append(("price", f"over {_dollars(self.price_min)}"))
        for positive, negative, _, wanted_wording, excluded_wording in _FILTERED:
            if getattr(self, positive):
                parts.append((positive, wanted_wording.format(" or ".join(sorted(getattr(self, positive))))))
            if getattr(self, negative):
                parts.append((negative, excluded_wording.format(" or ".join(sorted(getattr(self, negative))))))
        if self.sizes:
            parts.append(("sizes", "size " + " or ".join(sorted(self.sizes))))
        if self.exclude_terms:
            parts.append(("exclude_terms", "no " + " or ".join(sorted(self.exclude_terms))))
        if self.exclude_ids:
            count = len(self.exclude_ids)
            parts.append(("exclude_ids", f"{count} hidden item{'s' if count > 1 else ''}"))
        return parts

    def to_where(self) -> dict[str, Any] | None:
        """A Chroma `where` filter, or None when nothing filters. A wanted set implies its exclusions (the two
        are disjoint), so a field gives `$in` or else `$nin`, never an empty list."""
        clauses: list[dict[str, Any]] = []
        if self.price_min is not None:
            clauses.append({"price": {"$gte": self.price_min}})
        if self.price_max is not None:
            clauses.append({"price": {"$lte": self.price_max}})
        for positive, negative, key, *_ in _FILTERED:
            if getattr(self, positive):
                clauses.append({key: {"$in": sorted(getattr(self, positive))}})
            elif getattr(self, negative):
                clauses.append({key: {"$nin": sorted(getattr(self, negative))}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _dollars(value: float) -> str:
    return f"${value:,.0f}" if value == int(value) else f"${value:,.2f}"


_COMPARISONS = ("$gt", "$gte", "$lt", "$lte")
_SCALAR_OPERATORS = ("$eq", "$ne", "$contains", "$not_contains")
_LIST_OPERATORS = ("$in", "$nin")


def _is_scalar(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, str | int)  # bool is an int


def is_valid_where(where: Any) -> bool:
    """Whether `where` is a Chroma metadata filter that Chroma accepts, checked strictly: one key per dict;
    `$and` / `$or` with at least two filters; field keys not starting with "$"; comparisons on finite numbers;
    `$in` / `$nin` on a non-empty list of scalars of one type."""
    if not isinstance(where, dict) or len(where) != 1:
        return False
    ((key, value),) = where.items()
    if key in ("$and", "$or"):
        return isinstance(value, list) and len(value) >= 2 and all(is_valid_where(part) for part in value)
    if not isinstance(key, str) or not key or key.startswith("$"):
        return False
    if not isinstance(value, dict):
        return _is_scalar(value)
    if len(value) != 1:
        return False
    ((operator, operand),) = value.items()
    if operator in _COMPARISONS:
        return _is_scalar(operand) and not isinstance(operand, str | bool)
    if operator in _SCALAR_OPERATORS:
        return _is_scalar(operand)
    if operator in _LIST_OPERATORS:
        return (
            isinstance(operand, list)
            and len(operand) > 0
            and all(_is_scalar(item) and type(item) is type(operand[0]) for item in operand)
        )
    return False


@dataclass(frozen=True)
class ParsedMessage:
    """What one message says. `semantic_text` is the message for the encoder: positive descriptive words kept
    (colour and category words too), price phrases, negated terms, card references and filler dropped.

    Card references are 1-based positions in the last row of cards; "not that one" / "more like this" name the
    card mentioned just before in the same message, else card 1. `new_topic` flags explicit topic-change words
    only ("actually, show me ...", "something different", "instead" with a category); whether a new category
    is a new topic is the conversation's call."""

    constraints: Constraints = field(default_factory=Constraints)
    semantic_text: str = ""
    relative_price: Literal["cheaper", "pricier"] | None = None
    card_refs_like: tuple[int, ...] = ()
    card_refs_exclude: tuple[int, ...] = ()
    reset: bool = False
    new_topic: bool = False


def parse_message(text: str) -> ParsedMessage:
    """Parse one chat message. Never raises on any string."""
    normalised = _normalise(text)
    sizes, normalised = _find_sizes(normalised)
    (price_min, price_max), normalised = _find_prices(normalised)
    refs = find_references(normalised)
    scan = _scan_terms(refs.text)
    constraints = Constraints(price_min=price_min, price_max=price_max, sizes=sizes, **scan.filters)
    return ParsedMessage(
        constraints=constraints,
        semantic_text=scan.semantic_text,
        relative_price=refs.relative_price,
        card_refs_like=refs.card_refs_like,
        card_refs_exclude=refs.card_refs_exclude,
        reset=refs.reset,
        new_topic=refs.topic_cue or (refs.instead and bool(constraints.categories)),
    )


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text[: 2 * MAX_MESSAGE_CHARS])[:MAX_MESSAGE_CHARS].lower()
    text = text.translate(str.maketrans({"\u2019": "'", "\u2018": "'", "\u2013": "-", "\u2014": "-"}))
    return re.sub(r"\s+", " ", text).strip()


# ---------------------------------------------------------------------------------------------------- sizes
_SIZE_WORDS = {
    **{"small": "s", "medium": "m", "large": "l", "extra small": "xs", "x-small": "xs"},
    **{"extra large": "xl", "x-large": "xl", "xx-large": "xxl"},
}
_LETTER_SIZE = r"xxs|xs|s|m|l|xl|xxl|xxxl|[2-5]xl"
_SIZE_RE = re.compile(
    rf"(?<![\w'])(?:size (?P<sized>{_LETTER_SIZE}|extra small|extra large|x-small|x-large|xx-large|small|medium"
    rf"|large|\d{{1,2}}(?:\.5)?)|(?P<bare>xxs|xs|xl|xxl|xxxl|[2-5]xl))(?![\w.])"
)


def _find_sizes(text: str) -> tuple[frozenset[str], str]:
    """Sizes ("size m", "size 8", "xl") as lower-case letters or numbers; a bare "s" or "m" is not a size."""
    found = (match.group("sized") or match.group("bare") for match in _SIZE_RE.finditer(text))
    sizes = frozenset(_SIZE_WORDS.get(size, size) for size in found)
    return sizes, _SIZE_RE.sub(BOUNDARY, text)


# --------------------------------------------------------------------------------------------------- prices
_SYMBOL = r"[$€£₹¥]"
_CURRENCY_WORD = r"(?:usd|eur|gbp|inr|rs|dollars?|bucks|euros?|pounds?|quid|rupees?)"
# the lookbehinds keep every start at the beginning of a digit run, so a long run of digits costs linear time
_NUMBER = r"(?<![\d.,])(?:(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?|\.\d+)"


# a number followed by what it counts is not a price ("more than 2 dresses", "under 3 colours"), unless it
# carries a currency symbol ("under $60 dresses")
_COUNTED = "|".join(
    sorted({re.escape(word) for words in CATEGORIES.values() for word in words} | {"items?", "pieces?", "pairs?"})
    + ["colou?rs?", "sizes?", "pack", "sets?", "times?"]
)


def _money(tag: str) -> str:
    currency = rf"(?: ?(?P<{tag}w>{_SYMBOL}|{_CURRENCY_WORD}\b))?"
    counted = rf"(?! (?:{_COUNTED})\b)"
    return rf"(?:(?P<{tag}s>{_SYMBOL}) ?)?(?P<{tag}>{_NUMBER})(?P<{tag}k>k)?(?!\w)(?({tag}s)|{counted}){currency}"


_UPPER_WORDS = (
    r"under|below|beneath|less than|lower than|cheaper than|max\.?|maximum|at most|up to|upto|no more than"
    r"|not more than|not over|no higher than|within|budget(?: of| is)?|tops"
)
_LOWER_WORDS = (
    r"over|above|more than|greater than|at least|min\.?|minimum|from|starting at|starting from|no less than"
    r"|not less than|pricier than|more expensive than"
)
_AROUND_WORDS = r"around|about|approximately|approx\.?|roughly|circa|close to|near|in the region of"
_PRICE_RE = re.compile(
    "|".join(
        (
            rf"(?:(?P<between>between|from) )?{_money('a')} ?(?P<sep>-|to|and) ?{_money('b')}",
            rf"{_money('v')} (?:or less|or under|or below|and under|and below|max|maximum|tops|or cheaper)\b",
            rf"{_money('m')}(?: or more\b| and up\b| and above\b| or above\b|\+| plus\b)",
            rf"(?:(?<![\w'])(?:{_UPPER_WORDS})|<=|=<|<|≤) ?{_money('u')}",
            rf"(?:(?<![\w'])(?:{_LOWER_WORDS})|>=|=>|>|≥) ?{_money('l')}",
            rf"(?:(?<![\w'])(?:{_AROUND_WORDS})|~) ?{_money('r')}",
            _money("c"),
        )
    )
)


def _amount(match: re.Match[str], tag: str) -> float | None:
    value = float(match.group(tag).replace(",", "")) * (1000 if match.group(tag + "k") else 1)
    return value if value <= MAX_PRICE else None


def _has_currency(match: re.Match[str], *tags: str) -> bool:
    return any(match.group(tag + "s") or match.group(tag + "w") for tag in tags)


def _find_prices(text: str) -> tuple[tuple[float | None, float | None], str]:
    """Price bounds ("under $60", "30-80", "around 50", "60 bucks") and the text without them. A later phrase
    replaces an earlier bound; a bare number is a price only with a currency ("$60", "60 bucks": a budget)."""
    low: float | None = None
    high: float | None = None
    pieces: list[str] = []
    end = 0
    for match in _PRICE_RE.finditer(text):
        tag = next(tag for tag in "avmulrc" if match.group(tag) is not None)
        if tag == "a":
            if match.group("sep") != "-" and not (match.group("between") or _has_currency(match, "a", "b")):
                continue  # "2 and 3", "similar to 3": not a price range
            first, second = _amount(match, "a"), _amount(match, "b")
            if first is None or second is None:
                continue
            low, high = min(first, second), max(first, second)
        elif (tag == "c" and not _has_currency(match, "c")) or (value := _amount(match, tag)) is None:
            continue
        elif tag in "vuc":
            high = value
        elif tag in "ml":
            low = value
        else:
            low, high = round(value * (1 - AROUND), 2), round(value * (1 + AROUND), 2)
        pieces += [text[end : match.start()], BOUNDARY]
        end = match.end()
    pieces.append(text[end:])
    return (low, high), "".join(pieces)


# ----------------------------------------------------------------------------------------- vocabulary terms
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
_COORDINATORS = frozenset(("or", "nor", "/"))  # "not red or pink" excludes both; "not red and black" only red
_BOUNDARIES = _word_set('| . , ; : ! ? ( ) [ ] { } "')
# after these, a category word describes a part or a companion ("a dress with a belt"), not what is sought
_FEATURE_WORDS = frozenset(
    ("with", "has", "have", "having", "featuring", "plus", "including", "for", "match", "matching", "pair", "paired")
)
_KEPT_PUNCTUATION = frozenset(("/", "%", "&", "+", "'"))
_EDGE_WORDS = frozenset(
    ("and", "or", "but", "with", "in", "of", "for", "to", "also", "so", "then", "a", "an", "the", "i", "me")
)


@dataclass(frozen=True)
class _Unit:
    text: str
    term: tuple[str, str] | None = None  # (field, canonical)


@dataclass(frozen=True)
class _Scan:
    filters: dict[str, frozenset[str]]
    semantic_text: str


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


def _scan_terms(text: str) -> _Scan:
    """Wanted and excluded vocabulary values, and the words left for the encoder.

    A negation cue covers the first vocabulary term after it (with at most a few filler words between) and the
    terms of the same field joined to it by "or" / "nor"; it ends at punctuation or at any other word.
    A term followed by "free" ("polyester-free") is excluded too.
    """
    units = _units(text)
    wanted: dict[str, set[str]] = {name: set() for name, *_ in _FILTERED}
    excluded: dict[str, set[str]] = {name: set() for name, *_ in _FILTERED}
    keep = [True] * len(units)
    negation_start: int | None = None  # where the open negation's dropped words begin
    negated_field: str | None = None  # the field of its first term, once found
    coordinated = False
    features = False
    excluded_terms: set[str] = set()
    for i, unit in enumerate(units):
        if unit.term is not None:
            name, value = unit.term
            negated = negation_start is not None and (negated_field is None or (coordinated and name == negated_field))
            if features and name == "categories":
                negation_start, negated_field = None, None  # a part ("has no belt"): left to the encoder
            elif i + 1 < len(units) and units[i + 1].text == "free":
                excluded[name].add(value)
                keep[i : i + 2] = [False, False]
                negation_start, negated_field = None, None
            elif negated and name == "categories" and unit.text not in _CATEGORY_LEVEL_WORDS:
                excluded_terms.add(unit.text)
                keep[negation_start : i + 1] = [False] * (i + 1 - negation_start)
                negation_start, negated_field, coordinated = i + 1, name, False
            elif negated:
                excluded[name].add(value)
                keep[negation_start : i + 1] = [False] * (i + 1 - negation_start)
                negation_start, negated_field, coordinated = i + 1, name, False
            else:
                negation_start, negated_field = None, None
                wanted[name].add(value)
            continue
        word = unit.text
        if word in _BOUNDARIES:
            negation_start, negated_field, features = None, None, False
            continue
        if negation_start is not None and negated_field is not None:
            if word in _COORDINATORS and not coordinated:
                coordinated = True
                continue
            negation_start, negated_field = None, None
        elif negation_start is not None:
            if word in _NEGATION_FILLER and i - negation_start <= _NEGATION_MAX_GAP:
                continue
            negation_start = None
        if word in _NEGATION_CUES:
            negation_start, negated_field, coordinated = i, None, False
        elif word in ("but", "than", "of") and i > 0 and units[i - 1].text in _TWO_WORD_CUE_STARTS[word]:
            negation_start, negated_field, coordinated = i - 1, None, False  # "anything but", "other than"
        elif word in _FEATURE_WORDS:
            features = True
    filters = {name: frozenset(values) for name, values in wanted.items()}
    filters |= {negative: frozenset(excluded[positive]) for positive, negative, *_ in _FILTERED}
    filters["exclude_terms"] = frozenset(excluded_terms)
    return _Scan(filters, _semantic_text(units, keep))


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
