"""Relative refinement: a relation ("darker", "cheaper", "more casual") and a reference card -> a filter.

A shopper's comparative is applied to the item it compares with, on measured or catalogued properties, never by
appending the words to the encoder's text (the frozen encoder ranks a formal top first for "less formal"). A
candidate must be of the reference's category and beat the reference by a margin on the relation's property, so
"darker" is visibly darker; "what goes with card 2" asks for the other kinds of item one wears with it:

| relation | property (metadata key) | candidate must have |
| --- | --- | --- |
| darker / lighter | median L* of the product (`lightness`) | at least 8 L* lower / higher |
| brighter / more_muted | median chroma C*ab (`chroma`) | at least 6 higher / lower |
| more_colourful / plainer | Hasler-Suesstrunk colourfulness (`colourfulness`) | at least 10 higher / lower |
| cheaper / pricier | `price` | at most 0.9x / at least 1.1x the reference's |
| more_formal / more_casual | formality rung (`formality`, store/attributes.py) | a higher / lower rung |
| longer / shorter | length rung (`length`) | a higher / lower rung |
| with_sleeves / sleeveless | sleeve rung (`sleeves`) | sleeves (rung >= 1) / none (rung 0) |
| looser / tighter | fit rung (`fit`) | a higher / lower rung |
| other_colour | canonical `colour` | a known colour other than the reference's |
| goes_with | `category`, `gender` | another category, not one worn in its place (a skirt: no dress, no trousers); |
| | | the reference's gender, unisex or unsaid |

Unknown measures and rungs are stored as negative numbers (store.item.UNMEASURED, store.attributes.UNKNOWN), so
every range filter also requires the property to be at least 0: an item whose picture was never measured is not
passed off as darker. A reference whose own property is unknown cannot be compared: the filter says so
(`supported=False`, with the reason in words) and carries no `where`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from store import attributes
from store.item import Item

LIGHTNESS_MARGIN = 8.0  # L* units: about the step between two shades a shopper calls different
CHROMA_MARGIN = 6.0
COLOURFULNESS_MARGIN = 10.0
CHEAPER_FACTOR = 0.9
PRICIER_FACTOR = 1.1

# relation -> (metadata key, direction: -1 lower, +1 higher, margin), for the relations on a measured number
_MEASURED = {
    "darker": ("lightness", -1, LIGHTNESS_MARGIN),
    "lighter": ("lightness", +1, LIGHTNESS_MARGIN),
    "brighter": ("chroma", +1, CHROMA_MARGIN),
    "more_muted": ("chroma", -1, CHROMA_MARGIN),
    "more_colourful": ("colourfulness", +1, COLOURFULNESS_MARGIN),
    "plainer": ("colourfulness", -1, COLOURFULNESS_MARGIN),
}
# relation -> (rung key, direction), for the relations on an ordinal rung of store.attributes
_RUNGS = {
    "more_formal": ("formality", +1),
    "more_casual": ("formality", -1),
    "longer": ("length", +1),
    "shorter": ("length", -1),
    "looser": ("fit", +1),
    "tighter": ("fit", -1),
}
# what a missing property is called in a reply ("card 2 has no measured lightness")
_PROPERTY_WORDS = {
    "lightness": "no picture or colour to measure its lightness from",
    "chroma": "no picture or colour to measure its colour strength from",
    "colourfulness": "no picture or colour to measure its colourfulness from",
    "price": "no price",
    "formality": "no usage or occasion that says how formal it is",
    "length": "no length in its description",
    "fit": "no fit in its description",
    "colour": "no known colour",
    "category": "no kind of item recorded",
}
RELATIONS = (*_MEASURED, "cheaper", "pricier", *_RUNGS, "with_sleeves", "sleeveless", "other_colour", "goes_with")
# the categories one wears in a category's place: a skirt goes with a top, not with a dress or trousers
_WORN_INSTEAD = {
    "dress": ("top", "trousers", "skirt"),
    "top": ("dress",),
    "trousers": ("dress", "skirt"),
    "skirt": ("dress", "trousers"),
}


def property_of(relation: str) -> str:
    """The property a relation compares ("darker" and "lighter" both compare lightness): a newer relation on the
    same property replaces the older one in a conversation."""
    if relation in _MEASURED:
        return _MEASURED[relation][0]
    if relation in _RUNGS:
        return _RUNGS[relation][0]
    named = {"cheaper": "price", "pricier": "price", "with_sleeves": "sleeves", "sleeveless": "sleeves"}
    return named.get(relation, "outfit" if relation == "goes_with" else "colour")


@dataclass(frozen=True)
class RelationFilter:
    """What candidates must satisfy for `relation` with respect to the reference item.

    `where` is a Chroma `where` clause (the reference's category AND the relation), None when not `supported`;
    `wording` is the reply's account of what was done ("darker than card 2"); `reason` says why a relation cannot
    be applied ("card 2 has no price"), empty when it can.
    """

    relation: str
    reference_id: str
    where: dict[str, Any] | None
    wording: str
    supported: bool
    reason: str = ""


_PHRASES = {
    "other_colour": "in another colour than",
    "with_sleeves": "with sleeves, unlike",
    "sleeveless": "sleeveless, unlike",
    "goes_with": "to go with",
}


def _phrase(relation: str) -> str:
    return _PHRASES.get(relation, relation.replace("_", " ") + " than")


def _condition(relation: str, meta: dict[str, Any]) -> tuple[dict[str, Any] | None, str]:
    """(the relation's clause on a candidate's metadata, the missing property's key when it cannot apply)."""
    if relation in _MEASURED:
        key, direction, margin = _MEASURED[relation]
        value = float(meta[key])
        if value < 0:
            return None, key
        bound = {"$lte": value - margin} if direction < 0 else {"$gte": value + margin}
        return {"$and": [{key: {"$gte": 0.0}}, {key: bound}]}, ""
    if relation in ("cheaper", "pricier"):
        price = float(meta["price"])
        if price <= 0:
            return None, "price"
        if relation == "cheaper":
            return {"$and": [{"price": {"$gt": 0.0}}, {"price": {"$lte": round(price * CHEAPER_FACTOR, 2)}}]}, ""
        return {"price": {"$gte": round(price * PRICIER_FACTOR, 2)}}, ""
    if relation in _RUNGS:
        key, direction = _RUNGS[relation]
        rung = int(meta[key])
        if rung == attributes.UNKNOWN:
            return None, key
        bound = {"$lt": rung} if direction < 0 else {"$gt": rung}
        return {"$and": [{key: {"$gte": 0}}, {key: bound}]}, ""
    if relation == "with_sleeves":
        return {"sleeves": {"$gte": 1}}, ""
    if relation == "sleeveless":
        return {"sleeves": 0}, ""
    if relation == "goes_with":
        category = str(meta["category"])
        if not category:
            return None, "category"
        clauses = [{"category": {"$nin": [category, *_WORN_INSTEAD.get(category, ())]}}]
        if meta["gender"] and meta["gender"] != "unisex":
            clauses.append({"gender": {"$in": [meta["gender"], "unisex", ""]}})
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}, ""
    if relation == "other_colour":
        colour = str(meta["colour"])
        if not colour:
            return None, "colour"
        return {"$and": [{"colour": {"$ne": colour}}, {"colour": {"$ne": ""}}]}, ""
    raise ValueError(f"unknown relation {relation!r}; known: {', '.join(RELATIONS)}")


def relation_filter(relation: str, reference: Item, label: str = "") -> RelationFilter:
    """The filter for `relation` with respect to `reference`; `label` names the reference in the reply ("card 2"),
    by default its title in quotes."""
    label = label or f'"{reference.title}"'
    meta = reference.metadata()
    condition, missing = _condition(relation, meta)
    if condition is None:
        told = "what goes with it" if relation == "goes_with" else relation.replace("_", " ")
        reason = f"{label} has {_PROPERTY_WORDS[missing]}, so I can't tell {told} here"
        return RelationFilter(relation, reference.id, None, "", supported=False, reason=reason)
    same_kind = reference.category and relation != "goes_with"
    where = {"$and": [{"category": reference.category}, condition]} if same_kind else condition
    return RelationFilter(relation, reference.id, where, f"{_phrase(relation)} {label}", supported=True)
