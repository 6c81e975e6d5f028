"""Conversation moves: messages about the cards on screen rather than a new description of what to find.

"show me more" (the next page of the same request), "go back" (the previous request), "compare 1 and 3",
"I'll take the second one" (a purchase, as the card's 🛒 button),
questions about a card ("how much is #2?", "what is the first one made of?", "is #4 for men?"), and which card
on screen is the cheapest or dearest ("which is cheapest?"). `read_move`
reads one message (pure, no state); the conversation acts on the move. A message that is not a move returns
None and is parsed as a request, so "show me more dresses" stays a search and "something else, a scarf" a
topic change.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

MoveKind = Literal["next_page", "back", "compare", "question", "extreme", "purchase"]
Fact = Literal["price", "material", "sizes", "gender", "colour", "brand"]

_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_COUNTS = ("two", "three", "four", "five", "six", "seven", "eight")
_MAX_CARD = 50  # as in chat.understand.references: "#2024" is not a card

_POLITE = r"(?:please|pls|thanks|thank you|ok|okay|hmm|hm|um|so|and|then|now|can you|could you)"
_LEAD = re.compile(rf"^(?:{_POLITE}\b\W*)+")
_TAIL = re.compile(rf"(?:\W+(?:{_POLITE}|for me))+\W*$")
_MAX_MOVE_CHARS = 160  # a move is a short message; longer ones are requests

_NEXT = re.compile(
    r"(?:show|give|get)?(?: me)? ?(?:some ?thing else|some other(?: ones| options| picks)?|other (?:options|ones|picks"
    r"|choices|items|results)|any ?thing else|any others?|any other (?:options|ones)|others|(?:some |a few )?more"
    r"(?: options| ones| results| picks| of (?:these|those|them))?|next(?: page| ones| one)?"
    r"|what else(?: is there| do you have| have you got)?|keep going|load more)"
)
_BACK = re.compile(
    r"(?:go |take me |let'?s go )?back(?: to (?:the )?(?:previous|last|earlier|old|other) ?(?:ones|results|cards|"
    r"search|request|picks)?)?|undo(?: that| it)?|the (?:previous|last|earlier) (?:ones|results|cards|picks)"
    r"|(?:show me )?the previous ones again|previous(?: ones| results)?"
)

# a card as a shopper names it: "#2", "number 2", "card 2", "2", "2nd", "the second (one)"
_REF = re.compile(
    rf"(?<![\w$.,])(?:#|number |no\. |card |item |option |pick )?(?P<num>\d{{1,2}})(?:st|nd|rd|th)?(?![\w.,/%$])"
    rf"|\b(?P<word>{'|'.join(_ORDINALS)})\b"
)
_FIRST_N = re.compile(rf"\b(?:the )?(?:first|top) (?P<n>{'|'.join(_COUNTS)}|\d)\b")
# "that" and "this" alone are relative pronouns as often ("a dress that costs less"): only "that one" points
_PRONOUN = re.compile(r"\b(?:it|its|it's|these|those|they|them|this one|that one)\b")
_NOT_A_CARD = re.compile(r"\bsizes? \S+|\b(?:under|over|below|above|than|around|about) \S+")
_ALL = re.compile(r"\b(?:them|these|those|all|all of them|everything|the cards)\b")

_COMPARE = re.compile(
    r"^(?:compare|(?:what(?:'s| is) )?the differences? between|how (?:do|does) (?P<how>.+?) (?:compare|differ)"
    r"|differences? between|difference of)\b(?P<rest>.*)$"
)
# "which is cheapest?", "what's the most expensive one", "the cheapest of these": a question about the cards on
# screen, not a search ("the cheapest watches" names what to find and stays a request)
_CHEAPEST = r"cheapest|least expensive|lowest priced|lowest price"
_DEAREST = r"most expensive|priciest|dearest|highest priced|highest price"
_EXTREME = re.compile(
    rf"(?:(?:which|what)(?: one| card| item)?(?: is|'s| are)? )?(?:the )?(?P<which>{_CHEAPEST}|{_DEAREST})"
    r"(?: one| card| item)?(?: (?:of|among) (?:them|these|those|all|the cards)(?: here)?| here| on screen)?"
)
# "I'll take the second one", "buy #3", "add card 2 to my basket", "I'll take it": a card bought, as its 🛒 says;
# "I'll take a red one" names no card and stays a request
_BUY = re.compile(
    r"(?:(?:i'?ll|i will|i'?d like to|i would like to|i want to|i wanna|let me|can i|i'?m going to|i am going to"
    r"|gonna|i choose|i pick) )?(?:take|buy|order|purchase|go for) (?P<card>.+?)"
    r"|(?:add|put) (?P<added>.+?) (?:to|in|into) (?:my |the )?(?:basket|cart|bag|order|trolley)"
)
_THE_ONE = re.compile(r"(?:it|this|that|this one|that one)")
_VERSUS = re.compile(r"^(?P<a>.+?) (?:vs\.?|versus|against) (?P<b>.+?)$")

GENDER_OF_WORD = {
    "men": "men",
    "man": "men",
    "male": "men",
    "males": "men",
    "guys": "men",
    "boys": "boys",
    "boy": "boys",
    "women": "women",
    "woman": "women",
    "female": "women",
    "females": "women",
    "ladies": "women",
    "girls": "girls",
    "girl": "girls",
    "kids": "kids",
    "children": "kids",
    "child": "kids",
    "unisex": "unisex",
}
_GENDER_WORDS = "|".join(sorted(GENDER_OF_WORD, key=len, reverse=True))
_FACTS: tuple[tuple[Fact, re.Pattern[str]], ...] = (
    ("price", re.compile(r"\b(?:how much|price|prices|priced|cost|costs|how expensive|how cheap)\b")),
    ("material", re.compile(r"\b(?:made of|made from|material|materials|fabric|fabrics|what is it made)\b")),
    ("colour", re.compile(r"\b(?:colou?rs?|shade)\b")),
    ("sizes", re.compile(r"\b(?:sizes?|sizing)\b")),
    ("gender", re.compile(rf"\b(?:{_GENDER_WORDS})'?s?\b|\bwho is .* for\b")),
    ("brand", re.compile(r"\b(?:who makes|who made|brand|brands|maker|designer|label|manufacturer)\b")),
)
_QUESTION = re.compile(r"\?|^(?:how|what|which|who|is|are|does|do|tell me|what's|whats)\b")


@dataclass(frozen=True)
class Move:
    """A move on the cards on screen. `positions` are 1-based card positions as said ("compare 1 and 3": (1, 3));
    empty means "the card named last, else the only card" for a question or a purchase and "every card" for a
    comparison.
    `fact` is what a question asks; `asked` the value it asks about ("is #4 for men?": "men"; "which is cheapest?":
    "lowest", "the most expensive one?": "highest")."""

    kind: MoveKind
    positions: tuple[int, ...] = ()
    fact: Fact | None = None
    asked: str = ""


def read_move(message: str) -> Move | None:
    """The move a message makes, or None when it is a request to search (never raises on any string)."""
    text = _normalise(message)
    if len(text) > _MAX_MOVE_CHARS:
        return None
    bare = _TAIL.sub("", _LEAD.sub("", text)).strip(" .!?,")
    if not bare:
        return None
    if _NEXT.fullmatch(bare):
        return Move("next_page")
    if _BACK.fullmatch(bare):
        return Move("back")
    compared = _comparison(bare)
    if compared is not None:
        return compared
    bought = _BUY.fullmatch(bare)
    if bought:
        card = bought.group("card") or bought.group("added")
        if _THE_ONE.fullmatch(card):
            return Move("purchase")
        if _only_ref(card) and len(_positions(card)) == 1:
            return Move("purchase", _positions(card))
    extreme = _EXTREME.fullmatch(bare)
    if extreme:
        return Move("extreme", fact="price", asked="lowest" if re.fullmatch(_CHEAPEST, extreme["which"]) else "highest")
    return _question(text, bare)


def _comparison(text: str) -> Move | None:
    match = _COMPARE.match(text)
    if match:
        rest = f"{match.group('how') or ''} {match.group('rest')}"
        if _FIRST_N.search(rest):
            return Move("compare", _first_n(rest))
        positions = _positions(rest)
        if positions or _ALL.search(rest) or not rest.strip():
            return Move("compare", positions)
        return None
    versus = _VERSUS.match(text)
    if versus:
        sides = (_positions(versus.group("a")), _positions(versus.group("b")))
        if all(len(side) == 1 and _only_ref(part) for side, part in zip(sides, versus.group("a", "b"))):
            return Move("compare", sides[0] + sides[1])
    return None


def _question(text: str, bare: str) -> Move | None:
    """A question about a card: a fact asked, in question form, naming a card or pointing at one ("it")."""
    if not _QUESTION.search(text):
        return None
    positions = _positions(_NOT_A_CARD.sub(" ", bare))
    if not positions and not _PRONOUN.search(bare) and not re.search(r"\bthe (?:one|card|item)\b", bare):
        return None
    for fact, pattern in _FACTS:
        if pattern.search(bare):
            asked = next((GENDER_OF_WORD[w] for w in re.findall(r"[a-z]+", bare) if w in GENDER_OF_WORD), "")
            return Move("question", positions[:1], fact, asked if fact == "gender" else "")
    return None


def _positions(text: str) -> tuple[int, ...]:
    found: list[int] = []
    for match in _REF.finditer(text):
        index = _ORDINALS.index(match.group("word")) + 1 if match.group("word") else int(match.group("num"))
        if 1 <= index <= _MAX_CARD and index not in found:
            found.append(index)
    return tuple(found)


def _only_ref(text: str) -> bool:
    """Whether `text` is a card reference and nothing else ("#1", "the first one", "card 3")."""
    rest = _REF.sub(" ", text)
    return not re.sub(r"\b(?:the|one|card|item|option|pick)\b|\W", "", rest)


def _first_n(text: str) -> tuple[int, ...]:
    word = _FIRST_N.search(text).group("n")  # type: ignore[union-attr]: searched by the caller
    count = int(word) if word.isdigit() else _COUNTS.index(word) + 2
    return tuple(range(1, min(count, _MAX_CARD) + 1))


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", (text or "")[: 2 * _MAX_MOVE_CHARS]).lower()
    text = text.translate(str.maketrans({"\u2019": "'", "\u2018": "'", "\u2013": "-", "\u2014": "-"}))
    return re.sub(r"\s+", " ", text).strip()
