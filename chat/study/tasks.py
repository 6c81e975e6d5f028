"""The study set: the requests raters judge, and one task drawn from it (a request, k, whose history).

Requests come from a file (`WHISPERLITE_STUDY_REQUESTS`: a YAML list of strings, or JSONL lines with a
"request" field) or, by default, are generated from the catalogue in use: "<colour> <category>", with the
item's gender and usage where the catalogue says them, from items drawn by a fixed seed. Pure apart from
reading that file.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from store.item import Item
from store.users import User
from store.vocabulary import who_when

STUDY_KS = (3, 5, 7)  # the paper's k
GENERATED_REQUESTS = 40


class StudyRequestsError(ValueError):
    """The study requests file cannot be read; the message names it and says what it must hold."""


@dataclass(frozen=True)
class StudyTask:
    """One screen of the study: `request` ranked by every system for its top `k`; WhisperLite + history reads the
    history of `shopper` (None: no persona, so the two WhisperLite systems coincide)."""

    id: str
    request: str
    k: int
    shopper: User | None


def load_requests(path: Path) -> tuple[str, ...]:
    """The requests of a YAML (a list of strings) or JSONL ({"request": ...} a line) file, in file order."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise StudyRequestsError(f"the study requests file {path} cannot be read: {error.strerror}") from error
    try:
        if Path(path).suffix == ".jsonl":
            requests = [json.loads(line)["request"] for line in text.splitlines() if line.strip()]
        else:
            requests = yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError, KeyError, TypeError) as error:
        raise StudyRequestsError(f"the study requests file {path} is malformed ({error})") from error
    if not isinstance(requests, list) or not all(isinstance(r, str) and r.strip() for r in requests) or not requests:
        raise StudyRequestsError(
            f"the study requests file {path} must hold a non-empty list of requests: a YAML list of strings, "
            'or JSONL lines {"request": "..."}'
        )
    return tuple(request.strip() for request in requests)


def catalogue_requests(items: Sequence[Item], count: int = GENERATED_REQUESTS, seed: int = 0) -> tuple[str, ...]:
    """Up to `count` distinct requests worded from items drawn by `seed`: "blue dress for women, casual"."""
    rng = random.Random(seed)
    requests: dict[str, None] = {}
    for item in rng.sample(list(items), min(len(items), count * 3)):
        if not item.category:
            continue
        facts = who_when(item.extra)
        words = " ".join(part for part in (item.colour, item.category) if part)
        wording = words + (f" for {facts['gender']}" if facts["gender"] else "")
        requests[wording + (f", {facts['usage']}" if facts["usage"] else "")] = None
        if len(requests) == count:
            break
    return tuple(requests)


def draw_task(requests: Sequence[str], shoppers: Sequence[User], rng: random.Random) -> StudyTask:
    """A task: a request, k from the paper's 3, 5, 7, and a persona whose history WhisperLite + history reads."""
    return StudyTask(
        id=uuid.UUID(int=rng.getrandbits(128)).hex,
        request=rng.choice(list(requests)),
        k=rng.choice(STUDY_KS),
        shopper=rng.choice(list(shoppers)) if shoppers else None,
    )
