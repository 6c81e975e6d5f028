"""The relevance study's actions, shared by its page and its JSON API (`/study_task`, `/study_rate`).

A rater gets a task (a request and the interleaved top k of four systems, `chat/study/`), grades every card 1-5
and submits; the grades are stored with the systems that returned each card (`store/ratings.py`). The round,
with its credits, lives in the session's `gr.State` on the server: what reaches the browser is the request and
the cards (picture, title, brand, colour, category, price), never a system's name, a score or a reason that
would tell which system picked a card. The persona whose history one system reads is not shown either: as in
the paper, raters judge relevance to the text request alone.
"""

from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import gradio as gr

from chat.serve.build import App
from chat.study.interleave import ShownItem, interleave
from chat.study.systems import StudySystems
from chat.study.tasks import StudyTask, catalogue_requests, draw_task, load_requests
from chat.turn import Card
from chat.web.cards import card_image, picture_url, price_text
from chat.web.identity import account_for
from chat.web.rate_limit import RateLimiter
from store.ratings import GRADES, Rating, RatingStore

QUESTION = "How relevant are these items based on the text request?"  # the paper's question to its raters


@dataclass
class StudyRound:
    """One rater's session: an opaque id, the task on screen and its cards (with their credits: server-side)."""

    rater_session: str = field(default_factory=lambda: uuid.uuid4().hex)
    task: StudyTask | None = None
    shown: list[ShownItem] = field(default_factory=list)
    rated: int = 0  # tasks submitted in this session


class StudyHandlers:
    def __init__(self, app: App, limiter: RateLimiter | None = None, rng: random.Random | None = None):
        self.app = app
        self.limiter = limiter or RateLimiter(app.settings.rate_limits)
        self.ratings = RatingStore(app.settings.users_database)
        path = app.settings.study_requests
        self.requests = load_requests(path) if path else catalogue_requests(app.catalog.items)
        self.systems = StudySystems(app.recommender, [item.id for item in app.catalog.items])
        self.rng = rng or random.Random()
        self._items = {item.id: item for item in app.catalog.items}

    def next_task(self, study: StudyRound | None) -> StudyRound:
        """A new task for this rater: the previous one, rated or not, is left."""
        study = study or StudyRound()
        task = draw_task(self.requests, self.app.users.personas(), self.rng)
        shown = interleave(self.systems.rankings(task), task.k, random.Random(task.id))
        return StudyRound(study.rater_session, task, shown, study.rated)

    def cards(self, study: StudyRound) -> list[Card]:
        return [Card(n, self._items[s.item_id], "", 0.0) for n, s in enumerate(study.shown, start=1)]

    def task_json(self, study: StudyRound) -> dict[str, Any]:
        """The task as the rater's client sees it: blind (no system, score or reason)."""
        task = study.task
        return {
            "question": QUESTION,
            "request": task.request,
            "k": task.k,
            "cards": [
                {
                    "position": card.position,
                    "id": card.item.id,
                    "title": card.item.title,
                    "brand": card.item.brand,
                    "category": card.item.category,
                    "colour": card.item.colour,
                    "price": price_text(card.item.price),
                    "picture": picture_url(card, self.app.pictures),
                }
                for card in self.cards(study)
            ],
        }

    def picture(self, card: Card) -> str:
        return card_image(card, self.app.pictures)

    def rate(
        self,
        grades: list[Any],
        study: StudyRound | None,
        profile: gr.OAuthProfile | None = None,
        session: str = "",
        client: str = "local",
    ) -> tuple[dict, StudyRound | None]:
        """Store one grade per card, in card order: {"reply", "stored"}, or {"error", "reply"} and nothing stored
        (the grades on screen stay for the rater to complete)."""
        if study is None or study.task is None:
            return _refusal("Press “Next request” first: there is nothing to rate yet."), study
        refused = self.limiter.admit("feedback", session, client)
        if refused:
            return _refusal(refused), study
        missing = [n for n, grade in enumerate(grades[: len(study.shown)], start=1) if _grade(grade) is None]
        missing += list(range(len(grades) + 1, len(study.shown) + 1))
        if missing:
            cards = ", ".join(str(n) for n in missing)
            return _refusal(f"Rate every card from 1 to 5 before submitting: card {cards} has no grade yet."), study
        account = account_for(profile.username).id if profile else None
        now = time.time()
        stored = self.ratings.record(
            [
                Rating(
                    study.rater_session,
                    account,
                    study.task.id,
                    study.task.request,
                    study.task.k,
                    shown.item_id,
                    _grade(grade),
                    shown.credits,
                    now,
                )
                for shown, grade in zip(study.shown, grades)
            ]
        )
        rated = study.rated + 1
        reply = f"Thank you: {stored} ratings stored ({rated} requests rated in this session)."
        return {"reply": reply, "stored": stored}, StudyRound(study.rater_session, rated=rated)


def _grade(value: Any) -> int | None:
    try:
        grade = int(value)
    except (TypeError, ValueError):
        return None
    return grade if grade in GRADES and str(value).strip() == str(grade) else None


def _refusal(message: str) -> dict:
    return {"error": message, "reply": message}
