"""The relevance study's score, as in the paper: grades 1-2 -> -1, 3 -> 0, 4-5 -> +1, averaged per system and k.

Pure maths, no I/O. A rated card counts for every system whose top k held it (a card two systems returned was
shown once and rated once). The 95% interval is Student's t on the mapped scores (scipy), undefined for a single
rating.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats


def relevance(grade: int) -> int:
    """The paper's mapping of a 1-5 grade to -1 / 0 / +1."""
    if grade not in range(1, 6):
        raise ValueError(f"a grade is 1 to 5, not {grade!r}")
    return -1 if grade <= 2 else 0 if grade == 3 else 1


@dataclass(frozen=True)
class StudyCell:
    """One system at one k: how many rated cards, their mean mapped score and its 95% interval."""

    system: str
    k: int
    count: int
    mean: float
    low: float
    high: float


@dataclass(frozen=True)
class GradedCard:
    """One rating as the table needs it: the study's k, the grade, and the systems that returned the card."""

    k: int
    grade: int
    systems: Sequence[str]


def mean_interval(scores: Sequence[float], level: float = 0.95) -> tuple[float, float, float]:
    """(mean, low, high) of a t interval; low and high are NaN for fewer than two scores."""
    values = np.asarray(scores, dtype=float)
    mean = float(values.mean())
    if len(values) < 2:
        return mean, math.nan, math.nan
    half = float(stats.t.ppf((1 + level) / 2, len(values) - 1) * values.std(ddof=1) / math.sqrt(len(values)))
    return mean, mean - half, mean + half


def study_table(cards: Iterable[GradedCard], systems: Sequence[str]) -> list[StudyCell]:
    """A cell per system and k that has ratings, in `systems` order then by k."""
    scores: Mapping[tuple[str, int], list[int]] = defaultdict(list)
    for card in cards:
        for system in card.systems:
            scores[system, card.k].append(relevance(card.grade))
    order = {system: n for n, system in enumerate(systems)}
    cells = []
    for (system, k), values in sorted(
        scores.items(), key=lambda entry: (order.get(entry[0][0], len(order)), entry[0][1])
    ):
        cells.append(StudyCell(system, k, len(values), *mean_interval(values)))
    return cells
