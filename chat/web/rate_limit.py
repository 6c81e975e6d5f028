"""Abuse limits: how many turns and how much feedback one conversation and one client may send per minute.

A sliding window per key (a conversation's session, or a client's address). A request is admitted only when
every limit it falls under admits it, and only an admitted request is counted, so a refused burst does not lock
a shopper out for longer. Pure logic with an injected clock; safe to share between the server's threads.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

WINDOW_SECONDS = 60.0


@dataclass(frozen=True)
class RateLimits:
    """Requests per minute. Per client is higher than per session: several people may share one address."""

    turns_per_session: int = 30
    turns_per_client: int = 240
    feedback_per_session: int = 60
    feedback_per_client: int = 480


class SlidingWindow:
    """At most `limit` events per key in any `window` seconds."""

    def __init__(self, limit: int, window: float = WINDOW_SECONDS):
        self.limit, self.window = limit, window
        self._events: dict[str, deque[float]] = {}

    def wait(self, key: str, now: float) -> float:
        """Seconds until `key` may send again (0: it may now)."""
        events = self._events.get(key)
        if events is None:
            return 0.0
        while events and events[0] <= now - self.window:
            events.popleft()
        if not events:
            del self._events[key]  # keys of quiet clients do not pile up
            return 0.0
        return 0.0 if len(events) < self.limit else events[0] + self.window - now

    def count(self, key: str, now: float) -> None:
        self._events.setdefault(key, deque()).append(now)


class RateLimiter:
    """The turn and feedback limits of one app, keyed by session and by client."""

    def __init__(self, limits: RateLimits, clock: Callable[[], float] = time.monotonic):
        self.limits, self.clock = limits, clock
        self._windows = {
            ("turn", "session"): SlidingWindow(limits.turns_per_session),
            ("turn", "client"): SlidingWindow(limits.turns_per_client),
            ("feedback", "session"): SlidingWindow(limits.feedback_per_session),
            ("feedback", "client"): SlidingWindow(limits.feedback_per_client),
        }
        self._lock = threading.Lock()

    def admit(self, action: str, session: str, client: str) -> str | None:
        """None when admitted (and counted); else the message to show, saying how long to wait."""
        keys = {"session": session, "client": client}
        with self._lock:
            now = self.clock()
            waits = {scope: self._windows[action, scope].wait(key, now) for scope, key in keys.items()}
            if not any(waits.values()):
                for scope, key in keys.items():
                    self._windows[action, scope].count(key, now)
                return None
        scope = max(waits, key=lambda name: waits[name])
        limit = self._windows[action, scope].limit
        what = "messages" if action == "turn" else "ratings"
        per = "in this conversation" if scope == "session" else "from your address"
        return (
            f"That is more {what} than I can take: at most {limit} a minute {per}. "
            f"Please wait {math.ceil(waits[scope])} s and try again; nothing you sent is lost."
        )
