"""Training examples from review-style events, the paper's random split, tensors.

A review (or tag) a user wrote about an item stands in for the request, the item is the target, and the
user's earlier items are the history. No item from the example's time or later ever enters its history.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import torch


@dataclass(frozen=True)
class ReviewEvent:
    """One user-item event of a review-style log, a training row (a shopper's stored like or purchase is
    `store.users.Interaction`). `text` is the review or tag; "" for an event with no words (a rating, a like)."""

    user: str
    item: str
    text: str
    time: float
    rating: float | None = None


@dataclass(frozen=True)
class Example:
    """A request (the event's text) for a target item, with the user's earlier items, oldest first.
    `negatives` are items known to be wrong for this request (disliked or rejected in the chat, rated low):
    training puts them in place of sampled negatives."""

    user: str
    target: str
    request_text: str
    history: tuple[str, ...]
    time: float
    negatives: tuple[str, ...] = ()


def build_examples(
    events: Iterable[ReviewEvent], history_max: int, drop_target_from_history: bool = True
) -> list[Example]:
    """One example per event with non-empty text; every event (with text or not) feeds histories.

    A history holds the user's items with time strictly before the example's time (events at the same time
    never see each other), oldest first, each item once at its latest time, capped at the `history_max` most
    recent. `drop_target_from_history` removes the target from its own history: in tag data a user often
    rates a movie before tagging it, and copying it from the history would be a shortcut the product never
    has (it recommends items the shopper has not bought yet).

    Examples come out ordered by user, then time, then input order.
    """
    by_user: dict[str, list[tuple[float, int, ReviewEvent]]] = defaultdict(list)
    for order, event in enumerate(events):
        by_user[event.user].append((event.time, order, event))
    examples = []
    for user in sorted(by_user):
        user_events = sorted(by_user[user], key=lambda entry: entry[:2])
        seen: dict[str, None] = {}  # items before the current time, insertion-ordered: latest occurrence last
        done = 0
        for time, _, event in user_events:
            while done < len(user_events) and user_events[done][0] < time:
                seen.pop(user_events[done][2].item, None)
                seen[user_events[done][2].item] = None
                done += 1
            if event.text.strip():
                exclude = event.item if drop_target_from_history else None
                history = _most_recent(seen, history_max, exclude)
                examples.append(Example(user, event.item, event.text, history, time))
    return examples


def _most_recent(seen: dict[str, None], count: int, exclude: str | None) -> tuple[str, ...]:
    """The last `count` items of `seen` other than `exclude`, oldest first."""
    recent: list[str] = []
    for item in reversed(seen):
        if len(recent) == count:
            break
        if item != exclude:
            recent.append(item)
    return tuple(reversed(recent))


Split = tuple[list[Example], list[Example], list[Example]]


def random_split(
    examples: Sequence[Example], seed: int, fractions: tuple[float, float, float] = (0.8, 0.1, 0.1)
) -> Split:
    """The paper's split: shuffle all examples with the seed, cut into train / validation / test by fractions."""
    if abs(sum(fractions) - 1.0) > 1e-9:
        raise ValueError(f"fractions must sum to 1, got {fractions}")
    shuffled = list(examples)
    random.Random(seed).shuffle(shuffled)
    n_train = round(fractions[0] * len(shuffled))
    n_val = round(fractions[1] * len(shuffled))
    return shuffled[:n_train], shuffled[n_train : n_train + n_val], shuffled[n_train + n_val :]


def pad_rows(rows: Sequence[Sequence[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    """Variable-length rows of item indices -> (M, H) int64 left-aligned and padded with 0, and its (M, H) mask."""
    width = max((len(row) for row in rows), default=0)
    index = torch.zeros((len(rows), width), dtype=torch.int64)
    mask = torch.zeros((len(rows), width), dtype=torch.bool)
    for i, row in enumerate(rows):
        index[i, : len(row)] = torch.tensor(row, dtype=torch.int64)
        mask[i, : len(row)] = True
    return index, mask


@dataclass(frozen=True)
class TrainingSet:
    """Examples as tensors; history and target are rows of the item matrix, which stays separate (N, D).

    history (M, H) is left-aligned, oldest first, padded with row 0 where history_mask (M, H) is False;
    H is the longest history present (0 when none has any). negatives (M, Kn) and negatives_mask (M, Kn) hold
    the known negatives the same way (Kn = 0 when no example has any).
    """

    requests: torch.Tensor  # (M, D) float32
    targets: torch.Tensor  # (M,) int64
    history: torch.Tensor  # (M, H) int64
    history_mask: torch.Tensor  # (M, H) bool
    negatives: torch.Tensor  # (M, Kn) int64
    negatives_mask: torch.Tensor  # (M, Kn) bool

    def __len__(self) -> int:
        return self.targets.shape[0]

    @classmethod
    def from_examples(
        cls, examples: Sequence[Example], item_index: Mapping[str, int], request_vectors: np.ndarray
    ) -> TrainingSet:
        """request_vectors (M, D) are the encoded `request_text`s, in the order of `examples`.

        History items and known negatives missing from `item_index` are skipped (the catalogue may have lost
        them); a missing target is an error, as the example cannot be scored.
        """
        request_vectors = np.asarray(request_vectors, dtype=np.float32)
        if request_vectors.ndim != 2 or len(examples) != len(request_vectors):
            raise ValueError(f"{len(examples)} examples but request vectors of shape {request_vectors.shape}")
        missing = sorted({example.target for example in examples if example.target not in item_index})
        if missing:
            raise KeyError(f"{len(missing)} target items are not in the item index, e.g. {missing[:5]}")
        rows = [[item_index[item] for item in example.history if item in item_index] for example in examples]
        history, mask = pad_rows(rows)
        negatives, negatives_mask = pad_rows(
            [[item_index[item] for item in example.negatives if item in item_index] for example in examples]
        )
        return cls(
            requests=torch.tensor(request_vectors),
            targets=torch.tensor([item_index[example.target] for example in examples], dtype=torch.int64),
            history=history,
            history_mask=mask,
            negatives=negatives,
            negatives_mask=negatives_mask,
        )
