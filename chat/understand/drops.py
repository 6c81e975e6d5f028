"""A shopper taking back part of the request: "forget the red", "drop the cotton", "never mind the summer bit",
"any colour", "price doesn't matter".

A drop names either a value in force (a colour, material, season or occasion, read through the same vocabulary as
a request) or a whole kind of constraint ("the colour", "the price limit", "any size"). The kind of item is not
dropped this way: "forget the dress" is a new topic, which the conversation handles. A phrase after "forget"
that names nothing of the sort ("forget it", "drop the second one") is no drop and is left for the other readers.
Pure: text in, what it drops and the text without those words out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chat.understand.references import BOUNDARY
from chat.understand.terms import scan_terms
from chat.understand.who_when import find_who_when

# a kind of constraint by the nouns a shopper uses for it
_FIELD_NOUNS = {
    "colours": r"colou?rs?|shades?",
    "price": r"price(?: (?:limit|cap|range|bound|filter))?|budget|prices",
    "materials": r"materials?|fabrics?",
    "sizes": r"sizes?",
    "seasons": r"seasons?",
    "usages": r"occasions?|usages?",
}
_FIELD_OF = [(name, re.compile(rf"^(?:{nouns})$")) for name, nouns in _FIELD_NOUNS.items()]
_ANY_NOUN = "|".join(_FIELD_NOUNS.values())

_CUE = r"forget(?: about)?|drop|remove|ignore|scrap|lose|lift|relax|never ?mind|don'?t (?:worry|care) about"
_DETERMINER = r"(?:(?:the|that|my|this) )?"
_TAIL = r"(?: (?:bit|part|thing|requirement|filter|limit|constraint))?"
# the dropped phrase: up to three words, ending at punctuation, "and", "but" or the end
_PHRASE_END = r"(?=$|[^\w' -]| and | but | in | for )"
_DROP_RE = re.compile(
    rf"(?<![\w'])(?:{_CUE}) {_DETERMINER}(?P<phrase>[a-z'-]+(?: [a-z'-]+){{0,2}}?){_TAIL}{_PHRASE_END}"
)
# "any colour", "whatever size", "colour doesn't matter", "no price limit"; not "any colour but black"
_ANY_RE = re.compile(
    rf"(?<![\w'])(?:(?:any|whatever|every) (?P<any>{_ANY_NOUN})(?! (?:but|except|other))"
    rf"|(?:the )?(?P<matters>{_ANY_NOUN}) (?:doesn'?t|does not|don'?t|do not) matter"
    rf"|no (?P<limit>price limit|budget|price cap|limit on (?:the )?price))\b"
)


@dataclass(frozen=True)
class Drops:
    """What a message takes back: `fields` are whole kinds of constraint, by the names `Constraints.without`
    knows ("price", "colours", ...); `values` are vocabulary values ("red", "cotton", "summer")."""

    fields: frozenset[str] = frozenset()
    values: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.fields or self.values)


def find_drops(text: str) -> tuple[Drops, str]:
    """The drops in a normalised message (lower case, single spaces), and the message with their words blanked."""
    fields: set[str] = set()
    values: set[str] = set()

    def take(match: re.Match[str]) -> str:
        phrase = match.group("phrase")
        if phrase.split()[-1] in ("one", "ones"):  # "remove the red one" names a card, not a colour
            return match.group(0)
        named = _field_named(phrase)
        if named is not None:
            fields.add(named)
            return BOUNDARY
        found = _values_named(phrase)
        if not found:
            return match.group(0)
        values.update(found)
        return BOUNDARY

    def take_any(match: re.Match[str]) -> str:
        noun = match.group("any") or match.group("matters") or "price"
        fields.add(_field_named(noun) or "price")
        return BOUNDARY

    text = _ANY_RE.sub(take_any, _DROP_RE.sub(take, text))
    return Drops(frozenset(fields), frozenset(values)), text


def _field_named(phrase: str) -> str | None:
    return next((name for name, pattern in _FIELD_OF if pattern.match(phrase)), None)


def _values_named(phrase: str) -> frozenset[str]:
    """The colours, materials, seasons and occasions a phrase names, when it names nothing else."""
    scan = scan_terms(phrase)
    if scan.filters["categories"] or any(scan.filters[name] for name in scan.filters if name.startswith("exclude")):
        return frozenset()
    who_when = find_who_when(phrase)
    return scan.filters["colours"] | scan.filters["materials"] | who_when.seasons | who_when.usages
