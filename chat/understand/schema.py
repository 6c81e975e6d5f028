"""The constraint schema: which vocabulary fields filter, under which metadata key, and how a reply words them.

`Constraints` (its fields, `to_where`, `describe`) and the term scanner both read this one table, so a new
filtered field is added here once.
"""

from __future__ import annotations

from typing import NamedTuple


class FilteredField(NamedTuple):
    positive: str  # the Constraints field of wanted values
    negative: str  # the Constraints field of excluded values
    key: str  # the item metadata key it filters
    wanted_wording: str  # describe() wording of the wanted values
    excluded_wording: str  # describe() wording of the excluded values


FILTERED = (
    FilteredField("categories", "exclude_categories", "category", "category {}", "no {}"),
    FilteredField("colours", "exclude_colours", "colour", "colour {}", "not {}"),
    FilteredField("materials", "exclude_materials", "material", "material {}", "no {}"),
)


class WhoWhenField(NamedTuple):
    """Who an item is for and when it is worn. Unlike `FILTERED`, an item that does not say (metadata "") is
    never excluded, and `also` values match any wanted one (a unisex item is for men too)."""

    name: str  # the Constraints field of wanted values
    key: str  # the item metadata key it filters (store.vocabulary.WHO_WHEN)
    wording: str  # describe() wording of the wanted values
    unknown: str  # what a catalogue without the key does not say
    also: tuple[str, ...]


WHO_WHEN_FIELDS = (
    WhoWhenField("genders", "gender", "for {}", "who items are for", ("unisex",)),
    WhoWhenField("usages", "usage", "{} wear", "what occasion items are for", ()),
    WhoWhenField("seasons", "season", "for {}", "which season items are for", ("all seasons",)),
)
