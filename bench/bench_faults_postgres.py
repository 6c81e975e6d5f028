"""Likes across PostgreSQL faults, counted: sent, answered, failed with a message to the shopper, lost (target 0).

The demo app runs in-process (`chat/web/handlers.py`, as the page calls it) with its user database on a
throwaway local PostgreSQL server (`tests/postgres_server.py`). Signed-in shoppers press like or dislike on their
cards, each press a change that must become one stored interaction. Three phases:

- restarts between presses: the server restarted (stop + start) every 20 presses;
- restarts during presses: a second thread restarts the server three times while the presses go on;
- server down: the server stopped for a run of presses, then started.

A press is *answered* when the shopper got no error, *failed with a message* when they were told it was not
saved; it is *lost* when it was answered but not stored, or refused yet stored, or stored twice. Afterwards every
shopper's stored interactions are compared with the answered presses, in order.

    flock /tmp/bench.lock python bench/bench_faults_postgres.py   # bench/results/faults-postgres.{json,md}
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import gradio as gr
import torch

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "bench")]

from machine import machine, machine_markdown  # noqa: E402
from postgres_server import started_server  # noqa: E402

from chat.serve.build import build_app  # noqa: E402
from chat.serve.settings import AppSettings  # noqa: E402
from chat.web.handlers import Handlers  # noqa: E402
from chat.web.identity import ME  # noqa: E402

SHOPPERS, PRESSES_PER_PHASE, DOWN_PRESSES = 4, 120, 12
RESULTS = REPO / "bench" / "results"
OTHER_ERRORS: list[str] = []  # errors that are not the database's message, shown in the results


class Shopper:
    """One signed-in shopper pressing through their cards; remembers what each answered press should store."""

    def __init__(self, handlers: Handlers, name: str, request: str):
        self.handlers, self.id = handlers, f"hf:{name}"
        self.profile = gr.OAuthProfile({"name": name, "preferred_username": name, "profile": "", "picture": ""})
        result, self.chat = handlers.turn(request, ME, None, self.profile)
        self.cards = [card.item.id for card in result["cards"]]
        self.state: dict[int, str] = {}  # position -> the kind stored last
        self.expected: list[tuple[str, str]] = []  # (item, kind) of every answered press, in order
        self.presses = 0

    def press(self) -> str:
        """A press on the next card that changes its state; returns answered, failed with a message, or error."""
        position = self.presses % len(self.cards) + 1
        self.presses += 1
        kind = "dislike" if self.state.get(position) == "like" else "like"
        answer = self.handlers.feedback(position, kind, self.chat, self.profile)
        if "error" not in answer or "kept and saved later" in answer["error"]:
            self.state[position] = kind
            self.expected.append((self.cards[position - 1], kind))
            return "answered" if "error" not in answer else "answered, logged later"
        if "database" in answer["error"]:
            return "failed with a message"
        OTHER_ERRORS.append(answer["error"])
        return "error"

    def logged(self) -> list[tuple[str, str]]:
        """The feedback log's like and dislike events of this shopper, in order."""
        events = self.handlers.app.feedback.events()
        return [(e.item_id, e.kind) for e in events if e.user_id == self.id and e.kind in ("like", "dislike")]

    def stored(self) -> list[tuple[str, str]]:
        history = self.handlers.app.users.history(self.id, kinds=("like", "dislike"))
        return [(i.item_id, i.kind) for i in history]


def run_phase(shoppers: list[Shopper], presses: int, between=None) -> dict[str, int]:
    counts = {"sent": 0, "answered": 0, "answered, logged later": 0, "failed with a message": 0, "error": 0}
    for n in range(presses):
        if between is not None:
            between(n)
        outcome = shoppers[n % len(shoppers)].press()
        counts["sent"] += 1
        counts[outcome] += 1
        time.sleep(0.01)  # a shopper's pace, so a restart in another thread falls between and inside presses
    return counts


def main() -> None:
    torch.set_num_threads(1)
    details = machine(torch_threads=1)
    server = started_server()
    folder = Path(tempfile.mkdtemp(prefix="bench-faults-postgres-"))
    try:
        env = {
            "WHISPERLITE_DATA_DIR": str(folder / "data"),
            "WHISPERLITE_USERS_URL": server.create_database(),
            "WHISPERLITE_RATE_FEEDBACK_PER_SESSION": "100000",  # the presses come faster than a person's
            "WHISPERLITE_RATE_FEEDBACK_PER_CLIENT": "100000",
        }
        handlers = Handlers(build_app(AppSettings.from_env(env), progress=False))
        shoppers = [Shopper(handlers, f"shopper{n}", "a summer dress") for n in range(SHOPPERS)]
        phases = {}
        phases["restart between presses, every 20"] = run_phase(
            shoppers, PRESSES_PER_PHASE, lambda n: server.restart() if n and n % 20 == 0 else None
        )

        def restart_three_times() -> None:
            for _ in range(3):
                time.sleep(0.4)
                server.restart()

        restarter = threading.Thread(target=restart_three_times)
        restarter.start()
        phases["restarts during presses, 3"] = run_phase(shoppers, PRESSES_PER_PHASE)
        restarter.join()
        server.stop()
        phases["server down"] = run_phase(shoppers, DOWN_PRESSES)
        server.start()
        for shopper in shoppers:  # the next action saves the events kept while the server was away
            shopper.handlers.turn("in blue", ME, shopper.chat, shopper.profile)
        stored = {s.id: s.stored() for s in shoppers}
        logged = {s.id: s.logged() for s in shoppers}
        lost = {
            "answered presses": sum(len(s.expected) for s in shoppers),
            "rows stored": sum(len(rows) for rows in stored.values()),
            "lost": sum(sum((Counter(s.expected) - Counter(stored[s.id])).values()) for s in shoppers),
            "stored though refused, or twice": sum(
                sum((Counter(stored[s.id]) - Counter(s.expected)).values()) for s in shoppers
            ),
            "shoppers whose history is not their answered presses in order": sum(
                stored[s.id] != s.expected for s in shoppers
            ),
            "feedback events lost": sum(sum((Counter(s.expected) - Counter(logged[s.id])).values()) for s in shoppers),
        }
        details["load_average_at_end"] = [round(value, 2) for value in os.getloadavg()]
    finally:
        server.remove()
    total = {key: sum(phase[key] for phase in phases.values()) for key in next(iter(phases.values()))}
    result = {
        "machine": details,
        "shoppers": SHOPPERS,
        "phases": phases,
        "total": total,
        "check": lost,
        "other_errors": sorted(set(OTHER_ERRORS)),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "faults-postgres.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [
        "# Likes across PostgreSQL faults",
        "",
        machine_markdown(details) + f" Load average at end: {', '.join(map(str, details['load_average_at_end']))}.",
        "",
        f"{SHOPPERS} signed-in shoppers on the demo app (in-process handlers), user database on a local PostgreSQL "
        "server. Run: `flock /tmp/bench.lock python bench/bench_faults_postgres.py`.",
        "",
        "| phase | sent | answered | answered, feedback log written later | failed with a message | other error |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, counts in {**phases, "total": total}.items():
        lines.append(
            f"| {name} | {counts['sent']} | {counts['answered']} | {counts['answered, logged later']} | "
            f"{counts['failed with a message']} | "
            f"{counts['error']} |"
        )
    lines += [
        "",
        f"Stored afterwards: {lost['rows stored']} interactions for {lost['answered presses']} answered presses. "
        f"**Lost (answered, not stored): {lost['lost']}** (target 0); stored though refused, or twice: "
        f"{lost['stored though refused, or twice']}; shoppers whose stored history is not their answered presses "
        f"in order: {lost['shoppers whose history is not their answered presses in order']}; feedback-log events "
        f"of answered presses missing after the next message: {lost['feedback events lost']}.",
    ]
    (RESULTS / "faults-postgres.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
