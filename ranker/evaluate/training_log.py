"""The log a split's systems may learn co-occurrence from: every event of the dataset except what the held-out
requests would give away.

A held-out shopper's events from their first validation or test request on are dropped (the model is fitted
before those requests), and so is every event of a held-out request's own target, earlier ones included: in
tag data a user often rates a movie before tagging it, and that rating would put the target beside the user's
other movies, the shortcut `build_examples` already keeps out of the history. Other shoppers' logs are kept
whole, as a shop keeps every other customer's: the per-user time split has no single cut-off date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ranker.data import Example, ReviewEvent


def training_log(events: Iterable[ReviewEvent], held_out: Sequence[Example]) -> list[tuple[str, str]]:
    """(user, item) pairs of `events` that the `held_out` requests (validation and test) leave usable."""
    first_held_out: dict[str, float] = {}
    for example in held_out:
        first_held_out[example.user] = min(first_held_out.get(example.user, example.time), example.time)
    targets = {(example.user, example.target) for example in held_out}
    return [
        (event.user, event.item)
        for event in events
        if event.time < first_held_out.get(event.user, float("inf")) and (event.user, event.item) not in targets
    ]
