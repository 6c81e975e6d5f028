"""Background retraining: after every `every` new feedback events, a model is trained from the stored feedback in
a thread of its own and, when training returns a scorer (the gate served it), the recommender's scorer is
swapped in one assignment: a turn in flight finishes with the scorer it started with, the next uses the new one.
Turns never wait for training; events that arrive while a retraining runs count towards the next one."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from ranker.model import Scorer

log = logging.getLogger(__name__)


class Retrainer:
    """Counts stored feedback events (`noticed`) and retrains through `train` (no arguments: it reads the
    feedback log itself; None means keep the scorer in use) on its own thread."""

    def __init__(self, recommender, train: Callable[[], Scorer | None], every: int):
        if every < 1:
            raise ValueError(f"retraining needs a positive number of events between runs, not {every}")
        self.recommender, self.train, self.every = recommender, train, every
        self._lock = threading.Lock()
        self._pending = 0
        self._thread: threading.Thread | None = None

    def noticed(self, count: int) -> bool:
        """`count` more events were stored; returns whether a retraining started now."""
        with self._lock:
            self._pending += count
            if self._pending < self.every or self.running:
                return False
            self._pending = 0
            self._thread = threading.Thread(target=self._retrain, name="whisperlite-retrain", daemon=True)
            self._thread.start()
            return True

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def join(self, timeout: float | None = None) -> None:
        """Wait for a retraining in progress (shutdown, tests)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def _retrain(self) -> None:
        try:
            scorer = self.train()
        except Exception:  # a failed retraining keeps the model in use; the app goes on serving
            log.exception("background retraining failed; the model in use stays")
            return
        if scorer is not None:
            self.recommender.scorer = scorer
            log.info("background retraining: the new model is served")
