"""Prices and sizes in a shopper's words: "under $60", "between 30 and 80", "around 50", "size m", "xl".

Each finder returns what it read and the text with those phrases replaced by a boundary, so the vocabulary scan
that follows never reads "60 bucks" or "size m" as words of the request.
"""

from __future__ import annotations

import re

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
