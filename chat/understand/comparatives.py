"""Comparatives in a shopper's words: relations to the cards on screen, colour shifts, and the ones not understood.

Shoppers refine relatively ("darker", "not as long", "more casual", "less yellow"). Appended to the encoder's
text such words often pull the wrong way (the frozen encoder ranks long dresses first for "not as long"), so
every comparative is consumed here and leaves the text: a known one becomes a relation name (the shared
contract below), a colour one a soft preference or avoidance ("more white" leans to white, "less yellow" away
from yellow: never a filter to yellow), and any other "more X" / "less X" / "X-er" is reported as not understood.

Decisions: "longer sleeves" and "has sleeves" mean `with_sleeves`; "shorter sleeves" names no relation (the
garment is not shorter), so it is an unknown comparative; "long sleeves" is a description, not a comparative.
"plain" and "solid" mean `plainer`, "elegant" and "dressy" `more_formal`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chat.understand.colours import EXTRA_COLOUR_NAMES, colour_of
from chat.understand.references import BOUNDARY
from store.vocabulary import CATEGORY_OF_WORD, COLOUR_OF_WORD, MATERIAL_OF_WORD

RELATIONS = (
    "darker",
    "lighter",
    "brighter",
    "more_muted",
    "more_colourful",
    "plainer",
    "cheaper",
    "pricier",
    "more_formal",
    "more_casual",
    "longer",
    "shorter",
    "with_sleeves",
    "sleeveless",
    "looser",
    "tighter",
    "other_colour",
    "goes_with",  # not a comparative: chat.understand.references reads "what goes with card 1"
)

_COLOUR_WORD = r"colou?r(?:s|ed)?"
_SHADE = rf"(?: in {_COLOUR_WORD}| {_COLOUR_WORD}| shades?| tones?)?"
_PATTERNED = r"(?:pattern|patterns|patterned|print|prints|stripes|striped|graphics?|designs?|logos?|text)"

# (kind, pattern) in priority order: at one position the first that matches wins, so a specific phrase
# ("shorter sleeves", "more colourful", "more relaxed fit") is listed before the general one it contains
_KNOWN: tuple[tuple[str, str], ...] = (
    ("unknown", r"shorter[- ]sleeve[sd]?"),
    ("with_sleeves", r"(?:with|has|have|having|w/) sleeves|longer[- ]sleeve[sd]?|more sleeves?"),
    (
        "sleeveless",
        r"sleeveless|no[- ]sleeve[sd]?|without sleeves|(?:does not|doesn't|not) have sleeves",
    ),
    ("other_colour", rf"(?:a |an )?(?:different|another|other) {_COLOUR_WORD}(?: ?ways?)?|other shades"),
    (
        "more_colourful",
        rf"more colou?rful+|colou?rfuller|more {_COLOUR_WORD}|more multi ?{_COLOUR_WORD}|more multi"
        rf"|more vibrant {_COLOUR_WORD}",
    ),
    (
        "more_muted",
        rf"more muted|more subdued|more neutral|duller|less bright|less colou?rful|less vibrant|less flashy"
        rf"|toned[- ]down|softer {_COLOUR_WORD}",
    ),
    ("brighter", rf"brighter{_SHADE}|more vibrant|more vivid|more bright|bolder {_COLOUR_WORD}|less muted|less dull"),
    ("darker", rf"darker{_SHADE}|more dark|less light|not as light"),
    ("lighter", rf"lighter(?! (?:weight|fabric|material|feel))(?:{_SHADE})|paler|more light|less dark|not as dark"),
    (
        "plainer",
        rf"plainer|more plain|plain|simpler(?: designs?)?|more simple|less busy|solid(?: {_COLOUR_WORD})?"
        rf"|less {_PATTERNED}|fewer {_PATTERNED}|(?:no|without) {_PATTERNED}|more minimal(?:ist)?",
    ),
    (
        "looser",
        r"looser(?: fit(?:ting)?)?|more loose|less tight|not as tight|less fitted|baggier|roomier|more relaxed fit",
    ),
    (
        "tighter",
        r"tighter(?: fit(?:ting)?)?|more fitted|more form[- ]fitting|more fitting|less loose|not as loose"
        r"|slimmer(?: fit)?|snugger|more tailored",
    ),
    (
        "more_formal",
        r"more formal|dressier|more dressy|more elegant|less casual|more dressed[- ]up|more sophisticated|classier"
        r"|more classy|smarter",
    ),
    (
        "more_casual",
        r"more casual|less formal|less dressy|less elegant|more relaxed|not (?:as|so) formal|less dressed[- ]up"
        r"|less fancy|more laid[- ]back|more everyday",
    ),
    ("longer", r"longer(?: in length| length)?|not as short|less short|more long"),
    ("shorter", r"shorter(?: in length| length)?|not as long|less long|more short"),
)


def _alternation(words: list[str]) -> str:
    spelled = {re.escape(word).replace(r"\ ", "[- ]").replace(r"\-", "[- ]") for word in words}
    return "|".join(sorted(spelled, key=len, reverse=True))


_COLOURS = _alternation([w for w in (*COLOUR_OF_WORD, *EXTRA_COLOUR_NAMES) if colour_of(w)])
_COLOUR_ER = {
    "whiter": "white",
    "blacker": "black",
    "redder": "red",
    "greener": "green",
    "bluer": "blue",
    "pinker": "pink",
    "yellower": "yellow",
    "browner": "brown",
    "greyer": "grey",
    "grayer": "grey",
    "purpler": "purple",
}
_OF = r"(?:of (?:a |an |the )?)?"
_NOT_AFTER = r"(?<!no )(?<!not )(?<!any )(?<!nothing )"  # "no more dresses", "not any more": no comparative

_SHIFTS: tuple[tuple[str, str], ...] = (
    ("prefer", rf"more {_OF}(?P<prefer>{_COLOURS})(?: {_COLOUR_WORD}| tones?)?"),
    ("prefer", rf"(?P<prefer_er>{'|'.join(_COLOUR_ER)})"),
    ("avoid", rf"(?:less|not as) {_OF}(?P<avoid>{_COLOURS})(?: {_COLOUR_WORD}| tones?)?"),
)
# comparatives of no relation: "more X" / "less X" / "not as X", a closed list of "-er" words, and "X-er than"
_UNKNOWN: tuple[tuple[str, str], ...] = (
    ("unknown", rf"(?P<degree>more|less|not as) {_OF}(?P<quality>[a-z][a-z'-]*)"),
    (
        "unknown",
        r"(?P<er>smaller|bigger|larger|wider|narrower|higher|lower|thinner|thicker|softer|shinier|lacier|frillier"
        r"|sexier|flowier|cuter|prettier|nicer|deeper|fuller|warmer|cooler|heavier|bolder|busier|sparklier|edgier"
        r"|trendier|comfier|cosier|cozier|girlier|sportier|funkier|sleeker|flashier|racier|stretchier)",
    ),
    ("unknown", r"(?P<than>[a-z]+(?:er|ier)) than"),
)
_PATTERNS = (*_KNOWN, *_SHIFTS, *_UNKNOWN)
_RE = re.compile(
    _NOT_AFTER
    + r"(?<![\w'])(?:"
    + "|".join(f"(?P<k{i}>{pattern})" for i, (_, pattern) in enumerate(_PATTERNS))
    + r")(?![\w'])"
)

# words after "more" / "less" that are not a quality: "more options", "more like a blazer", "less than that"
_NOT_QUALITIES = frozenset(
    (
        "like than options option choices results items item things stuff ideas suggestions picks pictures cards "
        "ones one please and or the a an to with in on for it them this that these those pages page examples "
        "money of more less so much too very often"
    ).split()
)

# words ending like a comparative before "than" that are none: "other than beige", "rather than red"
_NOT_COMPARATIVE_ER = frozenset("other rather either neither never ever over under later sooner".split())


@dataclass(frozen=True)
class Comparatives:
    text: str  # the message with every comparative replaced by a clause boundary
    relations: tuple[str, ...]  # names from RELATIONS, in the order said, each once
    unknown: tuple[str, ...]  # comparatives of no relation, as said ("more flowy", "lacier", "shorter sleeves")
    prefer_colours: frozenset[str]  # "more white", "whiter"
    avoid_colours: frozenset[str]  # "less yellow", "not as red"


def find_comparatives(text: str) -> Comparatives:
    """Comparatives in `text` (normalised: lower case, single spaces), consumed from it."""
    relations: list[str] = []
    unknown: list[str] = []
    prefer: set[str] = set()
    avoid: set[str] = set()
    kept: list[str] = []
    end = 0
    for match in _RE.finditer(text):
        kind = _PATTERNS[int(match.lastgroup[1:])][0] if match.lastgroup else ""
        if kind == "prefer":
            prefer.add(
                colour_of(
                    _colour_words(match.group("prefer"))
                    if match.group("prefer")
                    else _COLOUR_ER[match.group("prefer_er")]
                )
            )
        elif kind == "avoid":
            avoid.add(colour_of(_colour_words(match.group("avoid"))))
        elif kind == "unknown":
            phrase = _unknown_phrase(match)
            if not phrase:
                continue
            unknown.append(phrase)
        elif kind not in relations:
            relations.append(kind)
        kept.append(text[end : match.start()])
        kept.append(BOUNDARY)
        end = match.end()
    kept.append(text[end:])
    return Comparatives(
        "".join(kept), tuple(relations), tuple(dict.fromkeys(unknown)), frozenset(prefer), frozenset(avoid - prefer)
    )


def _colour_words(words: str) -> str:
    """A colour phrase as the vocabulary spells it: "navy-blue" and "navy blue" are one name."""
    return words if words in COLOUR_OF_WORD else words.replace("-", " ")


def _unknown_phrase(match: re.Match[str]) -> str:
    """The comparative as reported, or "" when the words after "more" / "less" are no quality ("more options")."""
    if match.group("er"):
        return match.group("er")
    if match.group("than"):
        return "" if match.group("than") in _NOT_COMPARATIVE_ER else match.group("than")
    quality = match.group("quality")
    if quality is None:
        return match.group(0)  # a listed phrase of no relation, such as "shorter sleeves"
    if quality in _NOT_QUALITIES or quality in CATEGORY_OF_WORD or quality in MATERIAL_OF_WORD or quality.isdigit():
        return ""
    return f"{match.group('degree')} {quality}"
