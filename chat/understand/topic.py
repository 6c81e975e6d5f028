"""How a parsed message bears on the request in force: whether it asks for anything, whether it starts another
topic, and which earlier words it makes stale. Pure: parsed messages and constraints in, answers out."""

from __future__ import annotations

import re

from chat.understand.constraints import Constraints, ParsedMessage
from chat.understand.who_when import WhoWhen, names_recipient, without_recipient, without_who_when
from store.vocabulary import COLOUR_OF_WORD, MATERIAL_OF_WORD


def has_request(parsed: ParsedMessage) -> bool:
    """Words to search for (an emoji or punctuation alone is none), a card to follow, a comparative, a
    constraint, or one taken back ("any colour")."""
    words = any(c.isalnum() for c in parsed.semantic_text)
    cues = (parsed.card_refs_like, parsed.card_refs_exclude, parsed.relations, parsed.unknown_comparatives)
    asks = words or any(cues) or parsed.relative_price or parsed.price_band or parsed.drops
    return bool(asks) or not parsed.constraints.is_empty()


def changes_topic(parsed: ParsedMessage, current: Constraints) -> bool:
    """An explicit "actually, show me ..." or a category other than the one being refined."""
    named = parsed.constraints.categories
    return parsed.new_topic or bool(named and current.categories and not named & current.categories)


def without_dropped_words(parts: list[str], before: Constraints, after: Constraints) -> list[str]:
    """Earlier request words naming a colour or material that is no longer wanted ("blue" once the shopper
    said "in red instead", "navy blue" once they said "any colour") leave the request text, with the "in" or
    "made of" that introduced them, and so do those naming whom or when it was for before the shopper changed it
    ("for my boyfriend" once they said "for my daughter"), so the encoder and the reply follow the change."""
    stale = WhoWhen(before.genders - after.genders, before.usages - after.usages, before.seasons - after.seasons)
    if stale != WhoWhen():
        parts = [without_who_when(part, stale) for part in parts]
    colours = (before.colours - after.colours) | after.exclude_colours
    materials = (before.materials - after.materials) | after.exclude_materials
    phrases = [
        *(word for word, value in COLOUR_OF_WORD.items() if value in colours),
        *(word for word, value in MATERIAL_OF_WORD.items() if value in materials),
    ]
    if phrases:
        named = "|".join(re.escape(phrase) for phrase in sorted(phrases, key=len, reverse=True))
        pattern = re.compile(rf"(?<![\w'-])(?:(?:in|made of|made from|of) )?(?:{named})(?![\w'-])", re.IGNORECASE)
        parts = [" ".join(pattern.sub(" ", part).split()) for part in parts]
    return [part for part in parts if part]


def without_replaced_recipient(parts: list[str], said: str) -> list[str]:
    """Earlier request words naming whom it was for by relation leave the request text when the new words name
    another ("a watch for my dad" after "a gift for my boyfriend"), whatever the gender of either."""
    if not names_recipient(said):
        return parts
    return [part for part in map(without_recipient, parts) if part]
