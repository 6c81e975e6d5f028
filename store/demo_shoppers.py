"""Demo shoppers derived from the catalogue in use, and their seeded histories (purchases and likes).

Four personas (Maya, Leo, Grace, Nina) each carry an *archetype*: who they shop for and the occasions they shop
for, in order of preference. `shoppers_for(items)` turns each archetype into a taste over what this catalogue
actually holds: the first (gender, usage) the catalogue has enough items of and no earlier shopper took, then that
group's most common kinds of item and colours, and a price band. So the same four personas show personalisation on
the generated demo catalogue (no genders, usages casual/sports/formal/party), on the Kaggle photos (Men Sports,
Women Ethnic...) and on a Hugging Face dataset of that schema, and the picker describes each in the catalogue's own
terms ("women's casual wear, blues and whites, tshirts and flats, mid-price").

A catalogue that says neither who nor when gives each shopper its own categories instead. Deterministic: the same
items give the same shoppers and histories.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

from store.facts import CatalogueFacts
from store.item import Item
from store.users import Interaction, User, UserStore
from store.vocabulary import GENDER_POSSESSIVES, who_when

HISTORY_LENGTH = 12
MIN_GROUP_ITEMS = 2 * HISTORY_LENGTH  # fewer items of a (gender, usage) leave too little beyond a history to show
_KINDS_SHOWN = 2  # kinds of item and colours named in a taste
_BAND_WORDS = {"low": "budget", "mid": "mid-price", "high": "premium"}


@dataclass(frozen=True)
class Archetype:
    """A persona's stable identity and leanings; the taste is derived from it per catalogue."""

    id: str
    name: str
    genders: tuple[str, ...]  # preferred first; ignored where the catalogue says no gender
    usages: tuple[str, ...]  # preferred first
    band: str  # "low", "mid" or "high": a third of the catalogue's prices


ARCHETYPES: tuple[Archetype, ...] = (
    Archetype("maya", "Maya", ("women",), ("casual", "ethnic", "smart casual"), "mid"),
    Archetype("leo", "Leo", ("men",), ("sports", "casual"), "low"),
    Archetype("grace", "Grace", ("women",), ("formal", "smart casual", "ethnic", "casual"), "high"),
    Archetype("nina", "Nina", ("women",), ("party", "ethnic", "sports", "casual"), "high"),
)
PERSONA_IDS = tuple(archetype.id for archetype in ARCHETYPES)


def kind_of(item: Item) -> str:
    """The finest kind of item the catalogue names: its article type where it has one ("Flats"), else its
    category."""
    return str(item.extra.get("articleType", "") or item.category).lower()


@dataclass(frozen=True)
class StatedTaste:
    """What a demo shopper likes, as predicates on items. `matches` is the core (who the items are for and what
    they are worn for; the shopper's categories where the catalogue says neither): what the picker promises and
    the benchmark counts. `affinity` counts the kinds, colours and price band the history is drawn from first. The
    simulator's weighted `ranker.simulate.taste.Taste` is another thing: this one only says yes or no."""

    genders: frozenset[str] = frozenset()
    usages: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    kinds: tuple[str, ...] = ()
    colours: tuple[str, ...] = ()
    band: str = ""
    price_range: tuple[float | None, float | None] = (None, None)

    def matches(self, item: Item) -> bool:
        said = who_when(item.extra)
        return (
            (not self.genders or said["gender"] in self.genders)
            and (not self.usages or said["usage"] in self.usages)
            and (not self.categories or item.category in self.categories)
        )

    def affinity(self, item: Item) -> int:
        """How many of the taste's kinds, colours and price band the item has: 0 to 3 (-1 when it does not match)."""
        if not self.matches(item):
            return -1
        low, high = self.price_range
        in_band = bool(self.band) and (low is None or item.price >= low) and (high is None or item.price < high)
        return (kind_of(item) in self.kinds) + (item.colour in self.colours) + in_band

    def describe(self) -> str:
        """The taste in the catalogue's words: "women's casual wear, blues and whites, tshirts and flats, mid-price"."""
        who = " and ".join(GENDER_POSSESSIVES.get(gender, gender) for gender in sorted(self.genders))
        what = " and ".join(sorted(self.usages)) or " and ".join(sorted(self.categories))
        parts = [" ".join(part for part in (who, what, "wear") if part)]
        if self.colours:
            parts.append(" and ".join(f"{colour}s" for colour in self.colours))
        if self.kinds:
            parts.append(" and ".join(self.kinds))
        if self.band:
            parts.append(_BAND_WORDS[self.band])
        return ", ".join(parts)


@dataclass(frozen=True)
class Shopper:
    user: User
    taste: StatedTaste


def _most_common(values: list[str], n: int) -> tuple[str, ...]:
    counts = Counter(value for value in values if value)
    return tuple(value for value, _ in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:n])


def _groups(items: list[Item]) -> Counter[tuple[str, str]]:
    return Counter((said["gender"], said["usage"]) for said in (who_when(item.extra) for item in items))


def _core_tastes(items: list[Item]) -> list[StatedTaste]:
    """Each archetype's (gender, usage), or its own categories where the catalogue says neither."""
    facts = CatalogueFacts.of(items)
    if not facts.who_when.get("gender") and not facts.who_when.get("usage"):
        ranked = _most_common([item.category for item in items], len(facts.category_counts))
        return [StatedTaste(categories=frozenset(ranked[n :: len(ARCHETYPES)])) for n in range(len(ARCHETYPES))]
    groups = _groups(items)
    by_size = sorted(groups, key=lambda group: (-groups[group], group))
    taken: set[tuple[str, str]] = set()
    tastes = []
    for archetype in ARCHETYPES:
        genders = archetype.genders if facts.who_when.get("gender") else ("",)
        usages = archetype.usages if facts.who_when.get("usage") else ("",)
        own = [(gender, usage) for usage in usages for gender in genders]
        own += [group for group in by_size if group[0] in genders]
        free_own = [group for group in own if group not in taken and groups[group]]
        free = [group for group in by_size if group not in taken and group != ("", "")]
        preferred = (  # its own genders with room for a history beside it, then any group that has room
            [group for group in free_own if groups[group] >= MIN_GROUP_ITEMS]
            + [group for group in free_own if groups[group] >= HISTORY_LENGTH]
            + [group for group in free if groups[group] >= MIN_GROUP_ITEMS]
            + free
        )
        gender, usage = preferred[0] if preferred else ("", "")
        taken.add((gender, usage))
        tastes.append(StatedTaste(frozenset({gender} - {""}), frozenset({usage} - {""})))
    return tastes


def _refined(core: StatedTaste, archetype: Archetype, items: list[Item], facts: CatalogueFacts) -> StatedTaste:
    """The core taste with the group's most common kinds and colours and the archetype's price band."""
    group = [item for item in items if core.matches(item)]
    kinds = _most_common([kind_of(item) for item in group], _KINDS_SHOWN)
    colours = _most_common([item.colour for item in group], _KINDS_SHOWN)
    price_range = facts.price_band(archetype.band)
    band = archetype.band if price_range != (None, None) else ""
    return StatedTaste(core.genders, core.usages, core.categories, kinds, colours, band, price_range)


def shoppers_for(items: list[Item]) -> tuple[Shopper, ...]:
    """The demo shoppers of this catalogue, in `ARCHETYPES` order, each described in its terms."""
    facts = CatalogueFacts.of(items)
    shoppers = []
    for archetype, core in zip(ARCHETYPES, _core_tastes(items), strict=True):
        taste = _refined(core, archetype, items, facts)
        shoppers.append(Shopper(User(archetype.id, archetype.name, taste.describe(), persona=True), taste))
    return tuple(shoppers)


def draw_history(taste: StatedTaste, items: list[Item], rng: random.Random, length: int) -> list[Item]:
    """`length` items the taste matches, those with most of its kinds, colours and price band first (ties in
    a random order), shuffled."""
    order = {item.id: rng.random() for item in items}
    matching = [item for item in items if taste.matches(item)]
    chosen = sorted(matching, key=lambda item: (-taste.affinity(item), order[item.id]))[:length]
    rng.shuffle(chosen)
    return chosen


def seed_demo_shoppers(
    users: UserStore,
    items: list[Item],
    per_shopper: int = HISTORY_LENGTH,
    seed: int = 0,
    start_time: float = 1_700_000_000.0,
) -> dict[str, list[str]]:
    """Add this catalogue's demo shoppers as personas (their picker text updated) and give each a history of
    items of its taste (about a third likes, the rest purchases).

    Returns shopper id -> item ids seeded now, oldest first. A persona whose stored history is all items of this
    catalogue keeps it; one whose history names an item the catalogue lacks (a data folder reused across
    catalogues) is re-derived: its interactions are replaced. Shoppers whose taste matches nothing get no history.
    """
    rng = random.Random(seed)
    items = sorted(items, key=lambda item: item.id)  # the catalogue's order does not change a history
    in_catalogue = {item.id for item in items}
    seeded: dict[str, list[str]] = {}
    for shopper in shoppers_for(items):
        chosen = draw_history(shopper.taste, items, rng, per_shopper)
        kinds = ["like" if rng.random() < 0.33 else "purchase" for _ in chosen]
        stored = [interaction.item_id for interaction in users.history(shopper.user.id, kinds=("like", "purchase"))]
        if stored and set(stored) <= in_catalogue:
            users.add_user(shopper.user)
            continue
        users.forget(shopper.user.id)  # a persona's rows only: its history is public and seeded, never a visitor's
        users.add_user(shopper.user)
        users.record_many(
            [
                Interaction(shopper.user.id, item.id, kind, start_time + n)
                for n, (item, kind) in enumerate(zip(chosen, kinds, strict=True))
            ]
        )
        seeded[shopper.user.id] = [item.id for item in chosen]
    return seeded
