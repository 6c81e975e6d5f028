"""Prices and sizes in a shopper's words: "under $60", "between 30 and 80", "around 50", "eighty dollars",
"cheap", "mid-range", "size m", "xl".

Each finder returns what it read and the text with those phrases replaced by a boundary, so the vocabulary scan
that follows never reads "60 bucks", "cheap" or "size m" as words of the request. Amounts are read in the
catalogue's currency whatever currency is named: `named_currency` says which other one was, so that the reply
can say so (no exchange rates are invented).
"""

from __future__ import annotations

import re
from typing import Literal

from chat.understand.references import BOUNDARY
from store.vocabulary import CATEGORIES

MAX_PRICE = 1_000_000.0  # a larger number is not a fashion price ("under 99999999999999999999")
AROUND = 0.2  # "around 50" means 40 to 60


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


def find_sizes(text: str) -> tuple[frozenset[str], str]:
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


# a negated lower bound is an upper bound: "nothing over $80" is a maximum (matched from "nothing", before "over")
_UPPER_WORDS = (
    r"under|below|beneath|less than|lower than|cheaper than|max\.?|maximum|at most|up to|upto|no more than"
    r"|not more than|not over|no higher than|within|budget(?: of| is)?|tops"
    r"|(?:nothing|none|not|no|never) (?:over|above|more than|higher than|pricier than|more expensive than)"
    r"|not exceeding|not to exceed"
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


def find_prices(text: str) -> tuple[tuple[float | None, float | None], str]:
    """Price bounds ("under $60", "30-80", "around 50", "60 bucks", "eighty dollars") and the text without
    them. A later phrase replaces an earlier bound; a bare number is a price only with a currency ("$60", "60
    bucks": a budget)."""
    text = _spelled_amounts(text)
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


# ------------------------------------------------------------------------------ spelled amounts, currencies
_UNITS = "one two three four five six seven eight nine".split()
_TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_NUMBER_WORDS = {
    **{word: n for n, word in enumerate(_UNITS, start=1)},
    **{word: n for n, word in enumerate(_TEENS, start=10)},
    **dict(zip(_TENS, range(20, 100, 10), strict=True)),
}
_SPELLED_RE = re.compile(
    rf"(?<![\w'])(?P<words>(?:(?:a|one|{'|'.join(_UNITS[1:])}) hundred(?: and)? ?)?(?:(?:{'|'.join(_TENS)})"
    rf"(?:[- ](?:{'|'.join(_UNITS)}))?|{'|'.join(_TEENS)}|{'|'.join(_UNITS)})?) ?(?P<currency>{_CURRENCY_WORD})\b"
)


def _spelled_value(words: str) -> int:
    value = 0
    for word in re.split(r"[- ]", words):
        if word == "hundred":
            value = max(value, 1) * 100
        elif word in _NUMBER_WORDS:
            value += _NUMBER_WORDS[word]
    return value


def _spelled_amounts(text: str) -> str:
    """ "eighty dollars" as "80 dollars", "a hundred bucks" as "100 bucks": spelled amounts are read only before
    a currency word, so "two dresses" stays words."""

    def digits(match: re.Match[str]) -> str:
        value = _spelled_value(match.group("words").strip())
        return f"{value} {match.group('currency')}" if value else match.group(0)

    return _SPELLED_RE.sub(digits, text)


_FOREIGN_CURRENCIES = {
    "€": "euros",
    "eur": "euros",
    "euro": "euros",
    "euros": "euros",
    "£": "pounds",
    "gbp": "pounds",
    "pound": "pounds",
    "pounds": "pounds",
    "quid": "pounds",
    "₹": "rupees",
    "inr": "rupees",
    "rs": "rupees",
    "rupee": "rupees",
    "rupees": "rupees",
    "¥": "yen",
}
_FOREIGN_RE = re.compile(
    r"(?P<symbol>[€£₹¥]) ?\d|\d(?:k)? ?(?P<after>[€£₹¥]|(?:eur|euros?|gbp|pounds?|quid|inr|rs|rupees?)\b)"
)


def named_currency(text: str) -> str:
    """The currency other than dollars that an amount is given in ("€80", "50 quid": "euros", "pounds"), or "";
    the first one named wins."""
    match = _FOREIGN_RE.search(_spelled_amounts(text))
    if match is None:
        return ""
    return _FOREIGN_CURRENCIES[match.group("symbol") or match.group("after")]


# ---------------------------------------------------------------------------------------------- price bands
PriceBand = Literal["low", "mid", "high"]
# "more expensive", "less pricey", "more premium" are relative ("pricier", "cheaper"), read by the references
_NOT_RELATIVE = r"(?<![\w'])(?<!more )(?<!less )(?<!a bit )"
_BAND_RE = re.compile(
    rf"{_NOT_RELATIVE}(?:(?P<low>(?:not|nothing|none) (?:too |very |that |so |overly )?(?:expensive|pricey|pricy"
    r"|costly)|(?<!not )(?:cheap|inexpensive|affordable|low[- ]cost|low[- ]priced|bargain|budget(?! ones)))"
    r"|(?P<mid>mid[- ]?range|mid[- ]priced|mid[- ]price|moderately priced|medium[- ]priced|reasonably priced)"
    r"|(?P<high>(?<!not )(?:expensive|pricey|pricy|costly|luxury|luxurious|premium|high[- ]end|upscale)))(?![\w'])"
)


def find_price_band(text: str) -> tuple[PriceBand | None, str]:
    """An absolute price word as a band of the catalogue's prices ("cheap", "affordable": low; "mid-range":
    mid; "expensive", "luxury", "premium": high), the last one said winning, and the text without them.
    "designer" is not one: it names a kind of brand, which the encoder reads."""
    band: PriceBand | None = None
    for match in _BAND_RE.finditer(text):
        band = "low" if match.group("low") else "mid" if match.group("mid") else "high"
    return band, _BAND_RE.sub(BOUNDARY, text)
