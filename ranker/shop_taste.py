"""What a shop's shoppers like, learned from the chat's feedback: a lean per brand, material and colour.

Every like, purchase and rating of 4-5 counts for each of the item's values of `FIELDS`; every dislike, rejection
("not that one") and rating of 1-2 against. A value's weight is log((for + 1) / (against + 1)): add-one smoothing,
so that one reaction moves a value a little and a value nobody reacted to weighs 0. An item's lean is the sum of
its values' weights over the SD of that sum across the catalogue, times `weight`: the recommender adds that many
of its score's standard deviations.

`weight` is chosen on requests the counts never saw (`choose_weight`), but only among weights that do no harm to
requests describing an item of any brand. Shoppers' likes alone would always ask for more lean: every liked
item is of the liked brands, so ranking them first always pays on those requests; on the closed loop they chose
1.5 SD, which put a described item of another brand below a vaguer match and lost 5% on held-out requests.

Why attribute values and not items or the towers: most of a catalogue's items have no feedback yet, but share a
brand or a material with items that have; and the towers fine-tuned on the same feedback do not learn a taste no
request states (the closed loop: the fine-tuned model alone gains nothing cold start, docs/results.md), while a
lean of one SD for the simulated clientele's brands would lift the loop's held-out ranking by 8.6%
(bench/results/loop-ceiling.md).
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from store.item import Item

FIELDS = ("brand", "material", "colour")
WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5)  # tried in order: a tie keeps the smaller lean, 0 (none) first


@dataclass(frozen=True)
class ShopTaste:
    """`values`: "field=value" -> log-odds of a positive reaction; `scale`: the SD of items' summed log-odds over
    the catalogue it was fitted on; `weight`: standard deviations of the ranking score one `scale` adds."""

    values: dict[str, float] = field(default_factory=dict)
    scale: float = 1.0
    weight: float = 0.0
    reactions: int = 0  # how many reactions it was learned from

    def lean(self, items: Sequence[Item]) -> np.ndarray:
        """(N,) what the taste adds to each item's standardised score."""
        if not self.weight or not self.values:
            return np.zeros(len(items), dtype=np.float32)
        raw = [sum(self.values.get(key, 0.0) for key in _keys(item)) for item in items]
        return np.asarray(raw, dtype=np.float32) * (self.weight / self.scale)

    def describe(self) -> str:
        """One line for people: what it leans to and how strongly ("brand=Solenne, ... by 0.5 SD")."""
        if not self.weight:
            return f"the shop's taste, from {self.reactions} reactions: no lean (validation preferred none)"
        liked = sorted(((w, key) for key, w in self.values.items() if w > 0), reverse=True)
        favourites = ", ".join(key for _, key in liked[:3]) or "nothing"
        return f"the shop's taste, from {self.reactions} reactions: leans to {favourites} by {self.weight} SD"

    def save(self, path: Path) -> None:
        """Atomically: to a temporary file in the same folder, renamed over `path`."""
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(handle, "w") as out:
            json.dump(
                {"values": self.values, "scale": self.scale, "weight": self.weight, "reactions": self.reactions}, out
            )
        os.replace(temporary, path)

    @classmethod
    def load(cls, path: Path) -> ShopTaste | None:
        """The taste saved at `path`; None when there is none or it is unreadable (the app serves without it)."""
        try:
            saved = json.loads(path.read_text())
            return cls(
                {str(k): float(v) for k, v in saved["values"].items()},
                float(saved["scale"]),
                float(saved["weight"]),
                int(saved["reactions"]),
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None


def _keys(item: Item) -> list[str]:
    return [f"{name}={value}" for name in FIELDS if (value := getattr(item, name))]


def fit_shop_taste(reactions: Iterable[tuple[str, bool]], items: Sequence[Item]) -> ShopTaste:
    """`reactions`: (item id, positive) pairs; `items`: the catalogue (ids it does not hold are skipped). The
    weight is 0 until `choose_weight` sets it."""
    by_id = {item.id: item for item in items}
    liked, against = Counter[str](), Counter[str]()
    counted = 0
    for item_id, positive in reactions:
        if (item := by_id.get(item_id)) is None:
            continue
        counted += 1
        (liked if positive else against).update(_keys(item))
    values = {key: math.log((liked[key] + 1) / (against[key] + 1)) for key in liked.keys() | against.keys()}
    sums = np.asarray([sum(values.get(key, 0.0) for key in _keys(item)) for item in items], dtype=np.float64)
    scale = float(sums.std()) if len(sums) and sums.std() > 0 else 1.0
    return ShopTaste(values, scale, 0.0, counted)


def choose_weight(
    taste: ShopTaste, score: Callable[[ShopTaste], float], keeps: Callable[[ShopTaste], bool]
) -> tuple[ShopTaste, dict[float, float]]:
    """The weight of `WEIGHTS` that `score` (a validation metric of the ranking with the taste added, higher is
    better) rates best among those `keeps` allows (it does no harm elsewhere), the first of a tie; and every
    allowed weight's score. No lean (0) is always allowed."""
    tried = [replace(taste, weight=weight) for weight in WEIGHTS]
    scores = {t.weight: score(t) for t in tried if not t.weight or keeps(t)}
    best = max(scores, key=lambda weight: (scores[weight], -weight))
    return replace(taste, weight=best), scores
