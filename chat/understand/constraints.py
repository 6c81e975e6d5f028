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

from chat.understand.comparatives import find_comparatives
from chat.understand.drops import Drops, find_drops
from chat.understand.prices import PriceBand, find_price_band, find_prices, find_sizes, named_currency
from chat.understand.references import Described, find_references
from chat.understand.schema import FILTERED, WHO_WHEN_FIELDS
from chat.understand.spelling import read_typos
from chat.understand.terms import scan_terms
from chat.understand.who_when import find_who_when

MAX_MESSAGE_CHARS = 2_000
# metadata keys where a record may lack the value (a catalogue without colours or materials): a filter on them
# admits the unknown "" too, and the recommender ranks those items after the known matches
UNKNOWN_ADMITTED = frozenset(("colour", "material"))


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
    # the kinds the shopper named within a category ("shirt", "jeans", "sneakers"; not "top" itself): items whose
    # title names one rank first (a shirt before a t-shirt), the category still filters
    kinds: frozenset[str] = frozenset()
    # who and when (chat/understand/who_when.py): items that do not say are let through
    genders: frozenset[str] = frozenset()
    usages: frozenset[str] = frozenset()
    seasons: frozenset[str] = frozenset()
    # soft colour wishes, not part of `to_where`: accents ("white buttons") and "more white" lean the ranking
    # towards a colour, "less yellow" away from it; the recommender adds a small boost or penalty
    prefer_colours: frozenset[str] = frozenset()
    avoid_colours: frozenset[str] = frozenset()
    # this message re-describes the main colour ("more white", "less black", "another colour"): a colour filter
    # carried from earlier turns yields to it in `merge` (the flag itself is not carried)
    restates_colour: bool = False

    def __post_init__(self) -> None:
        low, high = _price(self.price_min), _price(self.price_max)
        if low is not None and high is not None and low > high:
            low, high = high, low
        object.__setattr__(self, "price_min", low)
        object.__setattr__(self, "price_max", high)
        for name in (
            "sizes",
            "exclude_ids",
            "exclude_terms",
            "kinds",
            "avoid_colours",
            *(f.name for f in WHO_WHEN_FIELDS),
        ):
            object.__setattr__(self, name, _values(getattr(self, name)))
        object.__setattr__(self, "prefer_colours", _values(self.prefer_colours) - self.avoid_colours)
        for positive, negative, *_ in FILTERED:
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
        Soft colours follow the same rule (newer replace older; a preferred colour lifts its avoidance and the
        other way round), and a carried colour filter yields to a newer turn that re-describes the colour
        ("a black dress", then "more white": black no longer filters) or steers away from it ("less black").
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
            "kinds": newer.kinds or (frozenset() if newer.categories else self.kinds),  # "a top" ends "a shirt"
            **{f.name: getattr(newer, f.name) or getattr(self, f.name) for f in WHO_WHEN_FIELDS},
            "prefer_colours": newer.prefer_colours or self.prefer_colours - newer.avoid_colours,
            "avoid_colours": newer.avoid_colours or self.avoid_colours - newer.prefer_colours,
        }
        for positive, negative, *_ in FILTERED:
            wanted, excluded = getattr(newer, positive), getattr(newer, negative)
            changes[positive] = wanted or getattr(self, positive) - excluded
            changes[negative] = (getattr(self, negative) - wanted) | excluded
        if not newer.colours:
            changes["colours"] = frozenset() if newer.restates_colour else changes["colours"] - newer.avoid_colours
        return Constraints(**changes)

    def without(self, name: str) -> Constraints:
        """These constraints with one field relaxed; "price" relaxes both bounds, "categories" the kinds too."""
        if name == "price":
            return replace(self, price_min=None, price_max=None)
        if name == "categories":  # the kind of item goes with its kinds
            return replace(self, categories=frozenset(), kinds=frozenset())
        default = {f.name: f.default for f in fields(self)}
        if name not in default:
            raise ValueError(f"unknown constraint {name!r}; expected 'price' or one of {sorted(default)}")
        return replace(self, **{name: default[name]})

    def dropping(self, drops: Drops) -> Constraints:
        """These constraints with what a shopper took back ("forget the red", "any colour"): each dropped kind of
        constraint relaxed with its exclusions and soft wishes, and each dropped value taken out wherever it is."""
        relaxed = self
        for name in drops.fields:
            for part in DROPPED_TOGETHER.get(name, (name,)):
                relaxed = relaxed.without(part)
        if not drops.values:
            return relaxed
        changes = {name: getattr(relaxed, name) - drops.values for name in _VALUE_FIELDS}
        return replace(relaxed, **changes)

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
        for positive, negative, _, wanted_wording, excluded_wording in FILTERED:
            if getattr(self, positive):
                parts.append((positive, wanted_wording.format(" or ".join(sorted(getattr(self, positive))))))
            if getattr(self, negative):
                parts.append((negative, excluded_wording.format(" or ".join(sorted(getattr(self, negative))))))
        for who_when in WHO_WHEN_FIELDS:
            if values := getattr(self, who_when.name):
                parts.append((who_when.name, who_when.wording.format(" or ".join(sorted(values)))))
        if self.prefer_colours:
            parts.append(("prefer_colours", "leaning to " + " or ".join(sorted(self.prefer_colours))))
        if self.avoid_colours:
            parts.append(("avoid_colours", "less " + " or ".join(sorted(self.avoid_colours))))
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
        are disjoint), so a field gives `$in` or else `$nin`, never an empty list. Who and when admit items that
        do not say ("" in every record's metadata). A wanted colour or material also admits "" (`UNKNOWN_ADMITTED`):
        an item whose record lacks it is not silently dropped (the recommender ranks it after the known matches);
        an exclusion keeps unknowns as it is."""
        clauses: list[dict[str, Any]] = []
        if self.price_min is not None:
            clauses.append({"price": {"$gte": self.price_min}})
        if self.price_max is not None:
            clauses.append({"price": {"$lte": self.price_max}})
        for positive, negative, key, *_ in FILTERED:
            if getattr(self, positive):
                unknown = {""} if key in UNKNOWN_ADMITTED else set()
                clauses.append({key: {"$in": sorted(getattr(self, positive) | unknown)}})
            elif getattr(self, negative):
                clauses.append({key: {"$nin": sorted(getattr(self, negative))}})
        for who_when in WHO_WHEN_FIELDS:
            if getattr(self, who_when.name):
                admitted = getattr(self, who_when.name) | {"", *who_when.also}
                clauses.append({who_when.key: {"$in": sorted(admitted)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


# "any colour" relaxes the wanted, excluded and soft colours alike; a dropped value leaves these sets
DROPPED_TOGETHER = {
    "colours": ("colours", "exclude_colours", "prefer_colours", "avoid_colours"),
    "materials": ("materials", "exclude_materials"),
}
_VALUE_FIELDS = (*DROPPED_TOGETHER["colours"], *DROPPED_TOGETHER["materials"], "seasons", "usages")


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
    card mentioned just before in the same message, else card 1; "what goes with card 1" names a card in
    `card_refs_pair` and puts the relation "goes_with" in `relations`. `new_topic` flags explicit topic-change words
    only ("actually, show me ...", "something different", "instead" with a category); whether a new category
    is a new topic is the conversation's call. `price_band` is an absolute price word ("cheap": low) that the
    conversation turns into bounds of the catalogue's prices; `currency` names a currency other than dollars that
    an amount was given in ("euros"), read as the catalogue's own.

    `drops` are what the message takes back of the request in force ("forget the red", "any price":
    `chat.understand.drops`); their words reach neither the filters nor `semantic_text`.

    `relations` are comparatives to the cards on screen, as names of `chat.understand.comparatives.RELATIONS`
    ("darker", "more_casual", "cheaper", ...), in the order said; `unknown_comparatives` the comparatives of
    no known relation as said ("more flowy", "lacier"). Neither reaches `semantic_text`."""

    constraints: Constraints = field(default_factory=Constraints)
    semantic_text: str = ""
    relative_price: Literal["cheaper", "pricier"] | None = None
    relations: tuple[str, ...] = ()
    unknown_comparatives: tuple[str, ...] = ()
    card_refs_like: tuple[int, ...] = ()
    card_refs_exclude: tuple[int, ...] = ()
    card_refs_pair: tuple[int, ...] = ()
    described: tuple[Described, ...] = ()  # "the blue one": cards told by their colour (chat/described_cards.py)
    typos: tuple[tuple[str, str], ...] = ()  # (typed, read as): "dres" read as "dress"
    reset: bool = False
    new_topic: bool = False
    price_band: PriceBand | None = None
    currency: str = ""
    drops: Drops = field(default_factory=Drops)


def parse_message(text: str, pointed: int | None = None, known: frozenset[str] = frozenset()) -> ParsedMessage:
    """Parse one chat message; `pointed` is the card the chat's last answer named, which "that one" then means;
    `known` the catalogue's own words, which are never typos (chat/understand/spelling.py). Never raises on any
    string."""
    normalised, typos = read_typos(_normalise(text), known)
    drops, normalised = find_drops(normalised)
    who_when = find_who_when(normalised)
    sizes, normalised = find_sizes(normalised)
    currency = named_currency(normalised)
    (price_min, price_max), normalised = find_prices(normalised)
    band, normalised = find_price_band(normalised)
    refs = find_references(normalised, pointed)
    comparatives = find_comparatives(refs.text)
    scan = scan_terms(comparatives.text)
    relations = (*((refs.relative_price,) if refs.relative_price else ()), *comparatives.relations)
    relations += ("goes_with",) if refs.card_refs_pair else ()
    constraints = Constraints(
        price_min=price_min,
        price_max=price_max,
        sizes=sizes,
        genders=who_when.genders,
        usages=who_when.usages,
        seasons=who_when.seasons,
        prefer_colours=scan.accent_colours | comparatives.prefer_colours,
        avoid_colours=comparatives.avoid_colours,
        restates_colour=bool(comparatives.prefer_colours or comparatives.avoid_colours) or "other_colour" in relations,
        **scan.filters,
    )
    return ParsedMessage(
        constraints=constraints,
        semantic_text=scan.semantic_text,
        relative_price=refs.relative_price,
        relations=relations,
        unknown_comparatives=comparatives.unknown,
        card_refs_like=refs.card_refs_like,
        card_refs_exclude=refs.card_refs_exclude,
        card_refs_pair=refs.card_refs_pair,
        described=refs.described,
        typos=typos,
        reset=refs.reset,
        new_topic=refs.topic_cue or (refs.instead and bool(constraints.categories)),
        price_band=band,
        currency=currency,
        drops=drops,
    )


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text[: 2 * MAX_MESSAGE_CHARS])[:MAX_MESSAGE_CHARS].lower()
    text = text.translate(str.maketrans({"\u2019": "'", "\u2018": "'", "\u2013": "-", "\u2014": "-"}))
    return re.sub(r"\s+", " ", text).strip()
