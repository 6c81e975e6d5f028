"""Who an item is for and when it is worn, in a shopper's words: "for men", "women's", "for my daughter", "kids",
"for the office", "for the gym", "party", "for winter".

Values are canonical words of `store.vocabulary` (GENDERS, USAGES, SEASONS), as catalogues store them. The words
stay in the request for the encoder ("for the gym" also describes the item); a comparative ("less formal",
"more casual") is a relation to a card, not a usage, and a negated phrase ("not for winter") is no constraint.
Decided: "wedding" names no usage (a beach wedding is not a formal one: the encoder reads it), and "kids" means
boys and girls. A value the shopper changes takes its words out of the request (`without_who_when`), and so does
a recipient named by relation when another is named (`without_recipient`); a gift or a recipient says the shopper
buys for someone else (`buys_for_someone_else`), whose taste their history does not tell. Pure: text in, values
out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_FOR = r"for (?:a |an |my |the |our |his |her )?"
_MEN = (
    rf"men|mens|men's|male|gents|gentlemen|"
    rf"{_FOR}(?:man|husband|boyfriend|dad|father|brother|grandpa|grandfather|him)"
)
_WOMEN = (
    rf"women|womens|women's|ladies|ladies'|lady's|female|"
    rf"{_FOR}(?:woman|wife|girlfriend|mum|mom|mother|sister|grandma|grandmother|her)"
)
_PHRASES: dict[str, dict[str, str]] = {
    "genders": {
        "men": _MEN,
        "women": _WOMEN,
        "boys": rf"boys|boys'|boy's|{_FOR}(?:son|boy|nephew|grandson)",
        "girls": rf"girls|girls'|girl's|{_FOR}(?:daughter|girl|niece|granddaughter)",
        "kids": rf"kids|kids'|kid's|children|children's|childrens|{_FOR}(?:child|kid|toddler|baby)",
        "unisex": r"unisex",
    },
    "usages": {
        "formal": (
            r"(?:for|to|at) (?:the )?(?:office|work)|office|workwear|work wear|business wear|for business"
            r"|(?:for )?(?:a |an )?(?:job )?interviews?|formal|formals"
        ),
        "sports": (
            r"(?:for )?(?:the )?gym|gymwear|workouts?|running|jogging|sports?|sporty|athletic|athleisure|training"
            r"|yoga|hiking|activewear"
        ),
        "party": r"party|parties|partywear|nights? out|clubbing|cocktail|evening",
        "smart casual": r"smart casual|smart-casual",
        "casual": r"casual|casuals|everyday",
        "ethnic": r"ethnic|traditional",
    },
    "seasons": {
        "winter": r"winter|wintry|winters|wintertime|cold weather",
        "summer": r"summer|summery|summers|summertime|hot weather",
        "spring": r"spring|springtime",
        "autumn": r"autumn|autumnal|(?:for|this|in|the|next|early|late) fall|fall (?:season|wear|collection)",
    },
}
_VALUES = {"kids": ("boys", "girls")}
# a comparative or a negation before the phrase makes it something else ("less formal", "not for winter")
_NOT_A_CONSTRAINT = re.compile(
    r"(?<![\w'])(?:more|less|not|no|non|nothing|too|semi|smart)(?: so| too| very| for)?[ -]$"
)
_PHRASE_RE = re.compile(
    r"(?<![\w'])(?:"
    + "|".join(
        f"(?P<{field}_{value.replace(' ', '_')}>{pattern})"
        for field, table in _PHRASES.items()
        for value, pattern in table.items()
    )
    + r")(?![\w'])"
)


# whom a shopper buys for when it is not themselves: a gift, or someone named by relation ("for my dad")
_RELATIONS = (
    "husband|boyfriend|dad|father|brother|grandpa|grandfather|wife|girlfriend|mum|mom|mother|sister|grandma|"
    "grandmother|son|nephew|grandson|daughter|niece|granddaughter|child|children|kids|kid|toddler|baby|friend|"
    "partner|colleague|boss|teacher|parents|family"
)
# "for my son"; and "my son", as the request keeps "for my son instead" (a leading "for" is trimmed)
_RECIPIENT = rf"(?:for (?:my|our|his|her|a)|my|our|his|her) (?:little |baby |new |best )?(?:{_RELATIONS})"
_SOMEONE_ELSE = re.compile(
    rf"(?<![\w'])(?:gifts?|presents?|{_RECIPIENT}|for (?:him|her)(?=\s*(?:$|[.,!?;]|and\b|who\b)))(?![\w'])",
    re.IGNORECASE,
)
_RECIPIENT_RE = re.compile(rf"(?<![\w']){_RECIPIENT}(?![\w'])", re.IGNORECASE)
_LEADING_FOR = re.compile(r"(?:\bfor (?:the )?)?$", re.IGNORECASE)  # "a dress for men": "for" goes with "men"


def buys_for_someone_else(text: str) -> bool:
    """Whether the shopper is buying for someone else: "a gift", "a watch for my dad", "something for her"."""
    return bool(_SOMEONE_ELSE.search(text))


def names_recipient(text: str) -> bool:
    """Whether the text names whom it is for by relation ("for my dad", "for a friend")."""
    return bool(_RECIPIENT_RE.search(text))


def without_recipient(text: str) -> str:
    """The text without the recipients it names: "gift for my boyfriend" is "gift"."""
    return " ".join(_RECIPIENT_RE.sub(" ", text).split())


@dataclass(frozen=True)
class WhoWhen:
    """Canonical genders, usages and seasons a message asks for; empty where it says none."""

    genders: frozenset[str] = frozenset()
    usages: frozenset[str] = frozenset()
    seasons: frozenset[str] = frozenset()


def find_who_when(text: str) -> WhoWhen:
    """Who and when in a normalised (lower-case) message."""
    found: dict[str, set[str]] = {field: set() for field in _PHRASES}
    for _, field, values in _phrases(text):
        found[field].update(values)
    return WhoWhen(**{field: frozenset(values) for field, values in found.items()})


def without_who_when(text: str, stale: WhoWhen) -> str:
    """`text` without the phrases that name a stale value, with the "for" before them: "a gift for my boyfriend"
    once the shopper asks "for my daughter" is "a gift", and "a summer dress" once they say "for winter" is "a
    dress", so that neither the encoder nor the reply keeps the recipient or the season they moved on from."""
    kept, end = [], 0
    for match, field, values in _phrases(text.lower()):
        if values & getattr(stale, field):
            start = match.start()
            start -= len(_LEADING_FOR.search(text[:start]).group())
            kept.append(text[end:start])
            end = match.end()
    return " ".join("".join([*kept, text[end:]]).split())


def _phrases(text: str) -> Iterator[tuple[re.Match[str], str, frozenset[str]]]:
    """Each who-or-when phrase of a lower-case text that is a constraint, with its field and canonical values."""
    for match in _PHRASE_RE.finditer(text):
        if _NOT_A_CONSTRAINT.search(text[max(0, match.start() - 12) : match.start()]):
            continue
        field, value = next(name for name, group in match.groupdict().items() if group).split("_", 1)
        value = value.replace("_", " ")
        yield match, field, frozenset(_VALUES.get(value, (value,)))
