"""Cards told by their colour ("more like the blue one", "not the black ones", "what goes with the red one"),
found among the cards on screen. Pure: the parser cannot see the cards, so this step between it and the
conversation turns each into a card position, or into the colour itself when no card on screen has it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from chat.turn import Card
from chat.understand.constraints import ParsedMessage


def find_described(parsed: ParsedMessage, cards: Sequence[Card]) -> ParsedMessage:
    """`parsed` with each card told by its colour as its position among `cards` (the first of that colour, every
    one for "ones"), under the same cue as a card number. A colour no card on screen has is read as the colour:
    wanted ("the blue one" with no blue card: blue ones, as a shopper pointing at nothing means), refused for
    "not the black one"; "not the black ones" refuses the colour, on screen or not."""
    if not parsed.described:
        return parsed
    refs = {"like": list(parsed.card_refs_like), "exclude": list(parsed.card_refs_exclude)}
    refs["pair"] = list(parsed.card_refs_pair)
    wanted: set[str] = set()
    refused: set[str] = set()
    for told in parsed.described:
        if told.cue == "exclude" and told.every:  # "not the black ones": black, not only the black cards shown
            refused.add(told.colour)
            continue
        positions = [card.position for card in cards if card.item.colour == told.colour]
        if not positions:
            (refused if told.cue == "exclude" else wanted).add(told.colour)
        for position in positions if told.every else positions[:1]:
            if position not in refs[told.cue]:
                refs[told.cue].append(position)
    constraints = replace(
        parsed.constraints,
        colours=parsed.constraints.colours | wanted,
        exclude_colours=parsed.constraints.exclude_colours | refused,
    )
    pairs = refs["pair"] and "goes_with" not in parsed.relations
    return replace(
        parsed,
        constraints=constraints,
        card_refs_like=tuple(refs["like"]),
        card_refs_exclude=tuple(refs["exclude"]),
        card_refs_pair=tuple(refs["pair"]),
        relations=(*parsed.relations, "goes_with") if pairs else parsed.relations,
        described=(),
    )
