"""Words in a chat message that refer to the conversation itself rather than to the catalogue.

Card references ("more like the second one", "not #3", "not that one"), reset ("start over"), topic change
("actually, show me sneakers"), relative price ("cheaper") and request filler ("show me", "please").
`find_references` reads them from an already normalised message (lower case, single spaces, price phrases
removed) and returns the message with the consumed spans blanked out, so that the vocabulary scan in
`chat.understand.constraints` never mistakes "not the third" for a negation and the encoder never sees "show me".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from chat.understand.colours import colour_of

# Where the consumed text was, a clause boundary: the vocabulary scan ends a negation there.
BOUNDARY = " | "

_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_MAX_CARD = 50  # a row of cards is short; "#2024" is not a card

_LIKE_CUES = (
    r"more like|more of|similar to|same as|closer to|like|love|liked|prefer|i'm into|along the lines of"
    r"|in the style of|resembling|based on"
)
_EXCLUDE_CUES = (
    r"not a fan of|don't like|dont like|do not like|don't want|dont want|do not want|no to|not|hate|dislike"
    r"|remove|drop|skip|hide|exclude|without|except|get rid of|no more of|nope to|nix"
)
# "what goes with card 1", "shoes to go with #2", "something to match this one": what to wear with the card
_PAIR_CUES = (
    r"(?:(?:what|which|something|anything|that|one|ones) )?(?:to )?(?:(?:can|could|should|would|will|might|do"
    r"|does) (?:i |you )?)?(?:goes|go|going|wear|pair|pairs|team) (?:it |up )?(?:well |nicely |best )?with"
    r"|(?:to |that )?match(?:es|ing)?|to complete|complete the look (?:of|with|for)"
)
_REF_NOUN = r"(?: (?:one|ones|item|card|option|pick|result|suggestion|choice|look|image|picture|photo|product))"
# An ordinal after "the" is a card only when nothing but a card noun, punctuation or a connective follows:
# "the first one", "not the third," but not "the first date".
_AFTER_BARE_ORDINAL = r"(?=[^\w ]|$| (?:in|but|and|or|please|is|was|instead|though|with|for|too|either)\b)"
_ORDINAL = rf"(?P<word>{'|'.join(_ORDINALS)})|(?P<nth>\d{{1,2}})(?:st|nd|rd|th)"
_CARD = (
    rf"(?:(?P<det>the|that|this) )?(?:{_ORDINAL})(?:(?P<noun>{_REF_NOUN})|{_AFTER_BARE_ORDINAL})"
    rf"|(?:#|number |no\. |item |card |option |pick |result )(?P<num>\d{{1,2}})\b"
)
_DEICTIC = rf"(?:that|this)(?:{_REF_NOUN}|{_AFTER_BARE_ORDINAL})|it\b"  # "it" only after a pair cue: "goes with it"
# "the blue one", "not the black ones": a card told by its colour, which the conversation finds on screen
_DESCRIBED = r"(?:the|that|this) (?P<shade>[a-z]+(?: [a-z]+)?) (?P<ones>ones?)\b"
_REF_RE = re.compile(
    rf"(?<![\w'])(?:(?P<exclude>{_EXCLUDE_CUES})|(?P<pair>{_PAIR_CUES})|(?P<like>{_LIKE_CUES}))? ?"
    rf"(?:(?P<card>{_CARD})|(?P<described>{_DESCRIBED})|(?P<deictic>{_DEICTIC})"
    rf"|(?<=[a-z] )(?P<bare>\d{{1,2}})\b(?![.,/]\d))"
)

_RESET_RE = re.compile(
    r"(?<![\w'])(?:start(?:ing)? (?:over|again|afresh|fresh|from scratch)|new (?:search|query)|reset|from scratch"
    r"|clear (?:all|everything|(?:the |my )?filters|(?:the |my )?search|it all)"
    r"|forget (?:everything|it all|all that))\b"
)
_RESET_ALONE_RE = re.compile(r"^\W*clear\W*$")
_TOPIC_RE = re.compile(
    r"(?<![\w'])(?:actually,?(?= (?:show|i want|i need|i'd like|i would like|let's|lets|give|find|get|i'm looking"
    r"|im looking|looking))|on second thoughts?|never ?mind|nvm|change of plans?|scratch that"
    r"|switch(?:ing)? to|let'?s (?:try|look at|switch to|do)|something (?:completely |totally |entirely )?"
    r"(?:different|else))(?!\w)"
)
_INSTEAD_RE = re.compile(r"(?<![\w'])instead(?: of that\b|(?! of\b))\b,?")  # "instead of red" is a negation
_CHEAPER_RE = re.compile(
    r"(?<![\w'])(?:cheaper|less expensive|less pricey|more affordable|lower[- ]priced|lower price[sd]?|budget ones)\b"
)
_PRICIER_RE = re.compile(
    r"(?<![\w'])(?:pricier|more expensive|higher[- ]end|more upscale|more premium|higher[- ]priced|fancier)\b"
)
_FILLER_RE = re.compile(
    r"(?<![\w'])(?:show me|show|i'm looking for|im looking for|i am looking for|looking for|i want|i'd like|i would"
    r" like|i need|i'd love|find me|get me|give me|can you|could you|can i see|do you have|have you got|got any"
    r"|please|pls|thanks|thank you|hi|hello|hey|either|as well)\b"
)


@dataclass(frozen=True)
class Described:
    """A card told by its colour ("not the black one"): `cue` is "like", "exclude" or "pair", as for a card
    number; `colour` canonical; `every` for "ones" (each card of that colour)."""

    cue: str
    colour: str
    every: bool = False


@dataclass(frozen=True)
class References:
    text: str  # the message with every consumed span replaced by a boundary or a space
    card_refs_like: tuple[int, ...]
    card_refs_exclude: tuple[int, ...]
    card_refs_pair: tuple[int, ...]  # "what goes with card 1": the cards to wear something with
    described: tuple[Described, ...]  # "the blue one": cards told by their colour, found on screen later
    relative_price: Literal["cheaper", "pricier"] | None
    reset: bool
    topic_cue: bool  # an explicit topic-change phrase ("actually, show me", "something different")
    instead: bool  # "instead": a topic change only when the message also names a category


def find_references(text: str, pointed: int | None = None) -> References:
    """Conversation references in `text` (normalised: lower case, single spaces).

    "not that one" / "more like this" name the card referred to just before in the same message, else the card
    the chat's last answer named (`pointed`: "The most expensive is card 2"), else card 1 (the top card, which is
    what a shopper looks at first); the conversation sees only the index.
    """
    reset = bool(_RESET_RE.search(text) or _RESET_ALONE_RE.match(text))
    text = _RESET_RE.sub(BOUNDARY, text)
    topic_cue = bool(_TOPIC_RE.search(text))
    text = _TOPIC_RE.sub(BOUNDARY, text)
    instead = bool(_INSTEAD_RE.search(text))
    text = _INSTEAD_RE.sub(BOUNDARY, text)
    relative_price = _relative_price(text)
    text = _PRICIER_RE.sub(BOUNDARY, _CHEAPER_RE.sub(BOUNDARY, text))
    like, exclude, pair, described, text = _card_refs(text, pointed)
    text = _FILLER_RE.sub(" ", text)
    return References(text, like, exclude, pair, described, relative_price, reset, topic_cue, instead)


def _relative_price(text: str) -> Literal["cheaper", "pricier"] | None:
    cheaper, pricier = _CHEAPER_RE.search(text), _PRICIER_RE.search(text)
    if cheaper and pricier:  # both: the later one is the shopper's last word
        return "cheaper" if cheaper.start() > pricier.start() else "pricier"
    return "cheaper" if cheaper else "pricier" if pricier else None


def _card_refs(
    text: str, pointed: int | None
) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], tuple[Described, ...], str]:
    like: list[int] = []
    exclude: list[int] = []
    pair: list[int] = []
    described: list[Described] = []
    last_named: int | None = None
    kept: list[str] = []
    end = 0
    for match in _REF_RE.finditer(text):
        index = _card_index(match)
        cued = bool(match.group("exclude") or match.group("like") or match.group("pair"))
        cue = "exclude" if match.group("exclude") else "pair" if match.group("pair") else "like"
        if match.group("described"):
            shade = match.group("shade")
            colour = colour_of(shade) or colour_of(shade.split()[-1])  # "the light blue one", "the long red one"
            if not colour:
                continue  # "the long one", "that one": no colour to find it by
            described.append(Described(cue, colour, match.group("ones") == "ones"))
            kept += [text[end : match.start()], BOUNDARY]
            end = match.end()
            continue
        if match.group("deictic"):
            if not cued or (match.group("deictic") == "it" and not match.group("pair")):
                continue  # a bare "this" is not a reference, nor "it" unless worn with ("I like it in red")
            index = last_named or pointed or 1
        elif match.group("bare") and not cued:
            continue  # "2 pieces": a bare number needs a cue ("similar to 3", "not 2")
        elif match.group("word") and not (cued or match.group("det") or match.group("noun")):
            continue  # "wait a second": an ordinal word alone needs a cue, "the" or "one"
        if index is None:
            continue
        last_named = index
        target = {"exclude": exclude, "pair": pair, "like": like}[cue]
        if index not in target:
            target.append(index)
        kept.append(text[end : match.start()])
        kept.append(BOUNDARY)
        end = match.end()
    kept.append(text[end:])
    return tuple(like), tuple(exclude), tuple(pair), tuple(described), "".join(kept)


def _card_index(match: re.Match[str]) -> int | None:
    if match.group("word"):
        return _ORDINALS.index(match.group("word")) + 1
    digits = match.group("nth") or match.group("num") or match.group("bare")
    if digits is None:
        return None
    index = int(digits)
    return index if 1 <= index <= _MAX_CARD else None
