"""Answers about the cards on screen, from the items' own data: a question about one card, a side-by-side of several.

Pure text from `Item`s: what the catalogue does not record is said to be unknown, never guessed. Catalogue text
goes into replies that the chat renders as Markdown, so `escape_markdown` neutralises what could turn a title
into a link, a picture or a broken table (HTML is escaped later, by the web layer, for every message).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from chat.understand.moves import GENDER_OF_WORD, Fact
from store.item import Item

# the extra attributes a side-by-side shows where any compared item has them, in this order
_COMPARED_EXTRAS = ("gender", "kind", "style", "pattern", "season", "usage", "occasions")
_MARKDOWN = re.compile(r"([\\`*_\[\]|~#!])")
_CHILDREN = frozenset({"boys", "girls"})


def escape_markdown(text: str) -> str:
    """Catalogue text as literal Markdown: emphasis, links, pictures, code and table pipes escaped, one line."""
    return _MARKDOWN.sub(r"\\\1", " ".join(str(text).split()))


def answer_question(fact: Fact, position: int, item: Item, asked: str = "", lists_sizes: bool = True) -> str:
    """One question about card `position` (showing `item`), answered from the item's record."""
    card = f"Card {position}"
    if fact == "price":
        made_up = " (a made-up price: this catalogue has none)" if item.extra.get("price_source") == "synthetic" else ""
        return f"{card}, “{escape_markdown(item.title)}”, costs {_dollars(item.price)}{made_up}."
    if fact == "material":
        if not item.material:
            return f"The catalogue does not say what card {position} is made of."
        return f"{card} is made of {escape_markdown(item.material)}."
    if fact == "sizes":
        if not item.sizes:
            where = "for this item" if lists_sizes else "at all in this catalogue"
            return f"The catalogue lists no sizes for card {position} (none {where}), so I cannot say."
        return f"{card} comes in {', '.join(escape_markdown(size.upper()) for size in item.sizes)}."
    if fact == "gender":
        return _gender_answer(card, position, item, asked)
    if fact == "colour":
        if not item.colour:
            return f"The catalogue does not record card {position}'s colour."
        return f"{card} is {escape_markdown(item.colour)}."
    if not item.brand:
        return f"The catalogue does not say who makes card {position}."
    return f"{card} is made by {escape_markdown(item.brand)}."


def extreme_answer(numbered: Sequence[tuple[int, Item]], lowest: bool) -> tuple[str, int]:
    """Which of the cards on screen (`numbered`: position, item) costs least (`lowest`) or most, every card at that
    price named ("The cheapest is card 2, “Rush Steel Watch”, at $8.99."), and the first of them."""
    price = (min if lowest else max)(item.price for _, item in numbered)
    found = [(position, item) for position, item in numbered if item.price == price]
    which = "cheapest" if lowest else "most expensive"
    made_up = any(item.extra.get("price_source") == "synthetic" for _, item in found)
    note = " (made-up prices: this catalogue has none)" if made_up else ""
    if len(found) == 1:
        position, item = found[0]
        return f"The {which} is card {position}, “{escape_markdown(item.title)}”, at {_dollars(price)}{note}.", position
    cards = ", ".join(str(position) for position, _ in found[:-1]) + f" and {found[-1][0]}"
    return f"Cards {cards} are the {which}, at {_dollars(price)} each{note}.", found[0][0]


def _gender_answer(card: str, position: int, item: Item, asked: str) -> str:
    raw = str(item.extra.get("gender", "")).strip().lower()
    listed = GENDER_OF_WORD.get(raw, raw)
    if not listed:
        return f"The catalogue does not say who card {position} is for."
    said = f"{card} is listed for {escape_markdown(listed)}."
    if not asked:
        return said
    fits = (
        listed == asked
        or (listed == "unisex" and asked in ("men", "women"))
        or (asked == "kids" and listed in _CHILDREN)
    )
    return f"{'Yes' if fits else 'No'}: {said[0].lower()}{said[1:]}"


def compare_table(numbered: Sequence[tuple[int, Item]], lists_sizes: bool = True) -> str:
    """A Markdown table of the cards' titles, prices and attributes, one column per card ("not listed" where
    the record has no value), for "compare 1 and 3"."""
    items = [item for _, item in numbered]
    rows: list[tuple[str, list[str]]] = [
        ("Title", [item.title for item in items]),
        ("Price", [_dollars(item.price) for item in items]),
        ("Brand", [item.brand for item in items]),
        ("Category", [item.category for item in items]),
        ("Colour", [item.colour for item in items]),
        ("Material", [item.material for item in items]),
    ]
    if lists_sizes:
        rows.append(("Sizes", [", ".join(size.upper() for size in item.sizes) for item in items]))
    for key in _COMPARED_EXTRAS:
        if any(str(item.extra.get(key, "")).strip() for item in items):
            rows.append((key.capitalize(), [str(item.extra.get(key, "")) for item in items]))
    header = "| | " + " | ".join(f"Card {position}" for position, _ in numbered) + " |"
    rule = "|---" * (len(numbered) + 1) + "|"
    lines = [header, rule]
    for name, values in rows:
        lines.append(f"| {name} | " + " | ".join(escape_markdown(value) or "not listed" for value in values) + " |")
    return "\n".join(lines)


def not_on_screen(asked: Sequence[int], count: int) -> str:
    """The reply to a reference to cards that are not shown: how many there are, and what to say instead."""
    missing = [position for position in asked if not 0 < position <= count]
    named = " and ".join(str(position) for position in missing)
    which = f"is no card {named}" if len(missing) == 1 else f"are no cards {named}"
    if count == 0:
        return f"There are no cards on screen yet, so there {which}. Tell me what you are looking for."
    shown = "is only one card" if count == 1 else f"are {count} cards"
    return f"There {which}: there {shown} on screen."


def _dollars(value: float) -> str:
    return f"${value:,.0f}" if value == int(value) else f"${value:,.2f}"
