"""What a catalogue read produced: the items, and everything that was wrong with the source.

Readers never crash on a bad record: they skip it and say where it was (`file:line: what (skipped)`), so that
a 44k-row file with 22 broken rows still loads, and the broken rows are counted rather than silently lost.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from store.item import Item, is_url

log = logging.getLogger(__name__)


@dataclass
class CatalogRead:
    """`problems` name file and line ("styles.csv:1234: 11 fields, expected 10 (skipped)"); `duplicate_ids`
    are ids seen again after their first record (the first one wins); `missing_images` are ids of items kept
    with `image=""` because their image file does not exist."""

    items: list[Item]
    problems: list[str] = field(default_factory=list)
    duplicate_ids: list[str] = field(default_factory=list)
    missing_images: list[str] = field(default_factory=list)


def finish_read(items: Iterable[Item], problems: list[str], source: str) -> CatalogRead:
    """Drop repeated ids (first wins) and blank local images that do not exist, logging ONE warning for all
    missing images of the read rather than one per item (a catalogue may miss thousands)."""
    kept: list[Item] = []
    seen: set[str] = set()
    duplicates: list[str] = []
    missing: list[str] = []
    for item in items:
        if item.id in seen:
            duplicates.append(item.id)
            continue
        seen.add(item.id)
        if item.image and not is_url(item.image) and not Path(item.image).is_file():
            missing.append(item.id)
            item = replace(item, image="")
        kept.append(item)
    if duplicates:
        log.warning("%s: %d duplicate item ids skipped (first record kept)", source, len(duplicates))
    if missing:
        log.warning("%s: %d of %d items have no image file; kept from their text", source, len(missing), len(kept))
    if problems:
        log.warning("%s: %d malformed records (see CatalogRead.problems)", source, len(problems))
    return CatalogRead(items=kept, problems=problems, duplicate_ids=duplicates, missing_images=missing)
