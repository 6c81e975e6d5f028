"""Answers about the cards on screen that leave the request as it is: a comparison side by side, a question
about one card ("how much is #2?", "what is it made of?"), or which card is the cheapest or dearest. Pure: the
move, the cards and the card named last in, the reply and the card "it" names next out."""

from __future__ import annotations

from collections.abc import Sequence

from chat.answers import answer_question, compare_table, extreme_answer, not_on_screen
from chat.turn import Card
from chat.understand.moves import Move


def answer_about_cards(
    move: Move, cards: Sequence[Card], named_last: int | None, lists_sizes: bool
) -> tuple[str, int | None]:
    """The reply to a "compare" or question move, and the card it named last (`named_last` unchanged when the
    move names none it could answer about). "It" is the card named last, or the only card."""
    count = len(cards)
    if not cards:
        return "There are no cards on screen yet. What are you looking for?", named_last
    if move.kind == "compare":
        positions = move.positions or tuple(range(1, count + 1))
        if any(not 0 < position <= count for position in positions):
            return not_on_screen(positions, count), named_last
        if len(positions) < 2:
            return "Name two cards to compare, for example “compare 1 and 3”.", named_last
        numbered = [(position, cards[position - 1].item) for position in positions]
        named = ", ".join(map(str, positions[:-1])) + f" and {positions[-1]}"
        return f"Cards {named} side by side:\n\n{compare_table(numbered, lists_sizes)}", positions[-1]
    if move.kind == "extreme":  # "it" then names the card found (the first, if several share the price)
        return extreme_answer(list(enumerate((card.item for card in cards), start=1)), lowest=move.asked == "lowest")
    position = move.positions[0] if move.positions else named_last or (1 if count == 1 else None)
    if position is None:
        return "Which card do you mean? For example “how much is #2?”.", named_last
    if not 0 < position <= count:
        return not_on_screen((position,), count), named_last
    item = cards[position - 1].item
    return answer_question(move.fact or "price", position, item, move.asked, lists_sizes), position
