"""How a parsed message bears on the request in force: whether it asks for anything, whether it starts another
topic, and which earlier words it makes stale. Pure: parsed messages and constraints in, answers out."""

from __future__ import annotations

from chat.understand.constraints import Constraints, ParsedMessage
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
    said "in red instead") leave the request text, so the encoder and the reply follow the change."""
    dropped = {
        **{word: "colour" for word, value in COLOUR_OF_WORD.items() if value in before.colours - after.colours},
        **{word: "colour" for word, value in COLOUR_OF_WORD.items() if value in after.exclude_colours},
        **{word: "material" for word, value in MATERIAL_OF_WORD.items() if value in before.materials - after.materials},
        **{word: "material" for word, value in MATERIAL_OF_WORD.items() if value in after.exclude_materials},
    }
    if not dropped:
        return parts
    kept = [" ".join(word for word in part.split() if word.lower() not in dropped) for part in parts]
    return [part for part in kept if part]
