"""The conversation's fakes: `FakeRecommender` answers from a dozen items with the real `where` semantics of the
in-memory index and records every `Request`; `FakeFeedbackStore` records what would be stored. For tests of the
dialogue state, in milliseconds; the real app is the point of tests/test_conversation.py."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from chat.conversation import Conversation
from chat.request import Recommendation, Request
from store.facts import CatalogueFacts
from store.index import ItemIndex
from store.item import Item

ITEMS = [
    Item("d1", "Red summer dress", category="dress", colour="red", material="linen", price=40.0, sizes=("s", "m")),
    Item("d2", "Blue summer dress", category="dress", colour="blue", material="cotton", price=60.0, sizes=("m", "l")),
    Item("d3", "Blue silk dress", category="dress", colour="blue", material="silk", price=120.0, sizes=("xs",)),
    Item("d4", "Black linen dress", category="dress", colour="black", material="linen", price=80.0, sizes=("l",)),
    Item("s1", "White running sneakers", category="shoes", colour="white", material="synthetic", price=90.0),
    Item("s2", "Black leather boots", category="shoes", colour="black", material="leather", price=150.0),
    Item("s3", "Tan leather sandals", category="shoes", colour="brown", material="leather", price=50.0),
    Item("b1", "Woven straw bag", category="bag", colour="beige", material="straw", price=35.0),
]


class FakeRecommender:
    """Every item passing the request's filters, in catalogue order; records each request."""

    def __init__(self, items: list[Item] = ITEMS, lists_sizes: bool = True):
        self.index = ItemIndex(items, np.eye(len(items), dtype=np.float32))
        self.facts = replace(CatalogueFacts.of(items), lists_sizes=lists_sizes)
        self.requests: list[Request] = []

    def recommend(self, request: Request) -> list[Recommendation]:
        self.requests.append(request)
        passing = self.index.mask(request.where) & ~np.isin([i.id for i in self.index.items], list(request.exclude_ids))
        items = [item for item, keep in zip(self.index.items, passing) if keep]
        items = [i for i in items if not request.exclude_terms & set(i.title.lower().split())]
        items = [i for i in items if not request.sizes or not i.sizes or request.sizes & set(i.sizes)]
        return [Recommendation(item, 1.0) for item in items[: request.k]]

    def count(self, request: Request) -> int:
        return len(self.recommend(request))

    def search_of(self, conversation: Conversation, text: str):
        """The turn and the request its cards came from: the first one the turn makes (when it shows fewer cards
        than a page, later requests ask how many dropping one constraint would show)."""
        made = len(self.requests)
        return conversation.respond(text, self), self.requests[made]


class FakeFeedbackStore:
    def __init__(self) -> None:
        self.recorded: list[tuple[str, str, str]] = []

    def record(self, user_id, item_id, kind, when=None, session_id=None) -> int:
        self.recorded.append((user_id, item_id, kind))
        return len(self.recorded)
