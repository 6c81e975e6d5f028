"""How a request's words meet an item's text, and what an item looks like to a shopper: the word tests the
recommender ranks and filters with (plain text in, answers out, no store)."""

from __future__ import annotations

import re

from chat.understand.kinds import number_forms
from store.item import Item
from store.vocabulary import COLOUR_OF_WORD, MATERIAL_OF_WORD, WHO_WHEN

_WORD = re.compile(r"[a-z]+")
# words that describe an item without naming it
_DESCRIBING = frozenset(
    (
        *COLOUR_OF_WORD,
        *MATERIAL_OF_WORD,
        *(word for _, table in WHO_WHEN.values() for words in table.values() for word in words),
    )
)
_STOPWORDS = frozenset(
    "a an and the for in of on to with me show some something i want need looking like please more less "
    "that this it is are be my our your any anything".split()
)


def words(text: str) -> set[str]:
    """The words that carry meaning: lower case, no stop words ("show me", "something"), three letters or more."""
    return {word for word in _WORD.findall(text.lower()) if word not in _STOPWORDS and len(word) > 2}


def matched_words(request_text: str, item_text: str) -> tuple[str, ...]:
    """The request's words the item's text has, singular or plural: "a shirt" matches "Check Blue Shirts"."""
    found = words(item_text)
    return tuple(sorted(word for word in words(request_text) if number_forms(word) & found))


def names_the_item(request_text: str, title: str) -> bool:
    """Whether the request shares a word with the title beyond a colour, a material, whom or when it is for:
    "black briefs" names the briefs; "like this but in black" (a photo the text-only encoder could not read)
    and an outfit "for women" name every black or women's item."""
    return any(word not in _DESCRIBING for word in matched_words(request_text, title))


def names_any(item: Item, terms: frozenset[str]) -> bool:
    """Whether the item's text names one of the terms (the words a shopper refused: "no t-shirts"), whatever
    its number or spelling: "sneakers" names a "Sneaker", "t-shirts" a "Tshirt", "kurtas" a "Kurti"."""
    stems = [_singular(word) for word in _WORD.findall(item.text().lower())]
    runs = {_garment("".join(stems[i : i + n])) for n in (1, 2, 3) for i in range(len(stems) - n + 1)}
    return any(_term_key(term) in runs or _names_every_word(term, runs) for term in terms)


def _names_every_word(term: str, runs: set[str]) -> bool:
    """Whether the text names each word of a term of several, anywhere: "nike shoes" names "Nike Men Running
    Shoes", "running shoes" names "Running Shoes for Men"."""
    parts = [_garment(_singular(word)) for word in _WORD.findall(term.lower())]
    return len(parts) > 1 and all(part in runs for part in parts)


# one garment under several names, each as _term_key writes it: a shopper refusing one refuses them all
_SAME_GARMENT = {"tee": "tshirt", "kurti": "kurta", "trainer": "sneaker", "highheel": "heel"}


def _garment(key: str) -> str:
    return _SAME_GARMENT.get(key, key)


def _term_key(term: str) -> str:
    """A term's words singular and joined: "t-shirts", "t shirts" and "tshirt" all read "tshirt"."""
    return _garment("".join(_singular(word) for word in _WORD.findall(term.lower())))


def _singular(word: str) -> str:
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def look(item: Item) -> tuple[str, str]:
    """What a shopper sees an item as: its title and colour (one product listed under several ids looks the same)."""
    return " ".join(item.title.casefold().split()), item.colour
