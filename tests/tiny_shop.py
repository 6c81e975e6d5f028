"""A real Recommender over a handful of items (in-memory index, offline encoder, no model), and a message asked of
it as the conversation asks it: for tests of one ranking rule through the whole recommendation step."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from chat.recommender import Recommender
from chat.request import Recommendation, Request
from chat.understand.constraints import parse_message
from ranker.encoders import Encoder
from store.index import ItemIndex
from store.item import Item
from store.users import UserStore


def tiny_shop(items: list[Item], encoder: Encoder, users_dir: Path) -> Recommender:
    index = ItemIndex(items, encoder.encode_text([item.text() for item in items]))
    return Recommender(encoder, index, UserStore(users_dir / "u.sqlite"), None)


def ask(shop: Recommender, message: str, k: int | None = None) -> list[Recommendation]:
    """The cards for `message` (`k` of them, or the request's default)."""
    request = Request.from_constraints(message, parse_message(message).constraints)
    return shop.recommend(request if k is None else replace(request, k=k))
