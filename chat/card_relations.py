"""Comparatives read in a message ("like #2 but darker", "a longer one") applied to a card on screen: which
relations come into force on which reference card, and what the reply must say about those that cannot. Pure:
the parsed message, the cards and the anchors in, the relations and the notes out (chat/relations.py says what
each relation asks of the candidates)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from chat.relations import property_of, relation_filter
from chat.request import RelationRequest
from chat.turn import Card
from chat.understand.constraints import Constraints, ParsedMessage
from chat.understand.kinds import plural, without_words, words_naming
from chat.understand.topic import without_dropped_words


@dataclass(frozen=True)
class InForce:
    """A relative refinement applied: what the recommender checks, and how the reply says it ("darker than card 2")."""

    request: RelationRequest
    wording: str


def relations_on_cards(
    parsed: ParsedMessage, cards: Sequence[Card], anchors: Sequence[str]
) -> tuple[dict[str, InForce], list[str]]:
    """The relations the message puts in force, keyed by the property they compare (one per property: "darker"
    replaces "lighter"), and the notes the reply says first: comparatives nothing records, relations that cannot
    apply and why. The reference is the card named ("like #2 but darker", "what goes with #1"), else the card
    of "more like" still on screen, else the top card. "Cheaper" / "pricier" without a named card are not
    relations: they bound the price by the median on screen (the conversation does that)."""
    notes = []
    if parsed.unknown_comparatives:
        said = " or ".join(f"“{phrase}”" for phrase in parsed.unknown_comparatives)
        notes.append(f"I can't tell {said} from what this catalogue records, so I left it out.")
    cited = parsed.card_refs_pair or parsed.card_refs_like
    named = cited[-1] if cited else None
    names = [r for r in parsed.relations if named is not None or r not in ("cheaper", "pricier")]
    if names and not cards:
        notes.append("There are no cards on screen to compare with yet.")
    applied_now: dict[str, InForce] = {}
    if names and cards:
        on_screen = {card.item.id: card.position for card in cards}
        anchored = next((on_screen[a] for a in reversed(anchors) if a in on_screen), None)
        position = named or anchored or 1
        reference = cards[position - 1].item
        for name in names:
            # the cards change with the answer: an outfit stays readable turns later by the item's name
            label = f"“{reference.title}”" if name == "goes_with" else f"card {position}"
            applied = relation_filter(name, reference, label)
            if not applied.supported:
                notes.append(applied.reason[0].upper() + applied.reason[1:] + ".")
                continue
            request = RelationRequest(name, reference.id, label)
            applied_now[property_of(name)] = InForce(request, applied.wording)
    return applied_now, notes


def for_other_kinds(parts: list[str], constraints: Constraints) -> tuple[list[str], Constraints]:
    """The request in force once "what goes with card 1" comes in force without naming a kind: the kinds in
    force ("a white linen shirt in m") go with the colour, material and size said for them, and their words:
    the outfit asks for other kinds (chat/relations.py), in whatever colour goes with it. The price, the
    occasion and what was refused stay: they are the shopper's, not the shirt's."""
    after = constraints
    for name in ("categories", "colours", "materials", "sizes"):
        after = after.without(name)
    for category in constraints.categories:
        parts = without_words(parts, words_naming(plural(category)))
    return without_dropped_words(parts, constraints, after), after
