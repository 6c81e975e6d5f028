"""The shoppers of bench/bench_replicas.py: their scripted turns, how one holds a conversation through the lean
endpoint (a like on the first card after each answered turn, at a shopper's pace), and the tally of what each
request came to, by the fault phase it was sent in."""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx

# (message, colour it asks for or None, whether it refines the topic in force rather than starting one)
TURNS = [
    ("a summer dress", None, False),
    ("in blue", "blue", True),
    ("cheaper", None, True),
    ("jeans", None, False),
    ("in black", "black", True),
    ("cheaper", None, True),
    ("a denim jacket", None, False),
    ("in white", "white", True),
]  # each refinement has matches in the demo catalogue (black sporty sneakers, for one, do not)
OUTCOMES = ("answered", "failed with a message", "failed with a bare HTTP error", "lost")
PHASES = ("before the faults", "after PostgreSQL restarted", "after Chroma restarted", "after replica A killed")
PACE_SECONDS = 0.4  # a shopper's pause between requests, so the faults fall inside the conversations


@dataclass
class Tally:
    """Outcomes by phase, shared by the conversation threads; `phase` is advanced by the fault thread."""

    phase: int = 0
    sent: int = 0
    turns: int = 0
    done: Counter = field(default_factory=Counter)  # turns each shopper has had answered or refused
    counts: dict[str, Counter] = field(default_factory=lambda: {phase: Counter() for phase in PHASES})
    filters: dict[str, Counter] = field(default_factory=lambda: {phase: Counter() for phase in PHASES})
    messages: Counter = field(default_factory=Counter)
    refinements: list[dict] = field(default_factory=list)  # every answered refinement turn, for the record
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, phase: int, outcome: str, message: str = "") -> None:
        """One request's outcome, in the phase in which it was sent."""
        with self.lock:
            self.sent += 1
            self.counts[PHASES[phase]][outcome] += 1
            if message:
                self.messages[message[:240]] += 1

    def refinement(self, phase: int, turn: int, topic: str, colour: str | None, answer: dict, failed: list) -> None:
        """An answered refinement: kept when every card is of the conversation's category in the colour in force
        (any colour when none was asked for in an answered turn), lost when a card is not, nothing matched when the
        app said so (it then offers to drop a filter, beside the cards found without it). `failed`: the topic's
        earlier turns that failed."""
        cards = answer["cards"]
        matched = all(c["category"] == topic and colour in (None, c["colour"]) for c in cards)
        nothing = not cards or answer["reply"].startswith("Nothing matches")
        verdict = "nothing matched" if nothing else "kept" if matched else "lost"
        shown = [f"{c['category']}/{c['colour']}" for c in cards]
        with self.lock:
            self.filters[PHASES[phase]][verdict] += 1
            self.refinements.append(
                {
                    "turn": turn,
                    "phase": PHASES[phase],
                    "verdict": verdict,
                    "wanted": f"{topic}/{colour or 'any colour'}",
                    "cards": shown,
                    "earlier turns of the topic that failed": failed,
                }
                | ({} if verdict == "kept" else {"reply": answer["reply"][:160]})
            )


def shopper_client(proxy_url: str, address: str, cookie: str) -> httpx.Client:
    """A shopper's HTTP client: from its own loopback address (which decides its replica), signed in by `cookie`."""
    return httpx.Client(
        base_url=proxy_url,
        transport=httpx.HTTPTransport(local_address=address),
        headers={"Cookie": cookie},
        timeout=120,
    )


def addresses_on_each_replica(proxy_url: str, replica_urls: list[str], per_replica: int) -> list[str]:
    """Loopback client addresses, `per_replica` of them that nginx sends to each replica (its Gradio app id)."""
    app_ids = {httpx.get(f"{url}/config").json()["app_id"]: [] for url in replica_urls}
    for n in range(2, 250):
        address = f"127.0.0.{n}"
        with httpx.Client(transport=httpx.HTTPTransport(local_address=address)) as http:
            home = app_ids[http.get(f"{proxy_url}/config").json()["app_id"]]
        if len(home) < per_replica:
            home.append(address)
        if all(len(found) == per_replica for found in app_ids.values()):
            break
    return [address for found in zip(*app_ids.values(), strict=True) for address in found]


def send(http: httpx.Client, endpoint: str, data: list, session: str) -> tuple[str, dict, str]:
    """(outcome, the app's answer or {}, the message the shopper read)."""
    try:
        response = http.post(f"/gradio_api/run/{endpoint}", json={"data": data, "session_hash": session})
    except httpx.TransportError as error:
        return "lost", {}, f"no answer: {type(error).__name__}"
    if response.status_code != 200:
        try:  # the shop's message from deploy/nginx.conf for a request its replica died with
            said = response.json()["error"]
        except (ValueError, KeyError, TypeError):
            return "failed with a bare HTTP error", {}, f"HTTP {response.status_code}"
        return "failed with a message", {}, f"{said} (nginx, HTTP {response.status_code})"
    answer = response.json()["data"][0]
    if "error" in answer:
        return "failed with a message", answer, answer["error"]
    return "answered", answer, ""


def conversation(http: httpx.Client, session: str, tally: Tally, liked: list[str], record: list) -> None:
    """One shopper's turns and likes; the ids of the likes answered go into `liked`, each request's outcome into
    `record`."""
    topic, in_force, failed = "", None, []
    for turn, (message, colour, refines) in enumerate(TURNS, start=1):
        with tally.lock:
            tally.turns += 1
        phase = tally.phase
        outcome, answer, said = send(http, "turn", [message, "me", None, None], session)
        tally.count(phase, outcome, said)
        record.append(f"{turn} {message!r}: {outcome}")
        if not refines:
            topic, in_force, failed = "", None, []
        if outcome != "answered":
            failed.append(f"{turn} {message!r}")
        else:
            cards = answer["cards"]
            if not refines:
                topic = Counter(card["category"] for card in cards).most_common(1)[0][0] if cards else ""
            elif topic:
                in_force = colour or in_force
                tally.refinement(phase, turn, topic, in_force, answer, list(failed))
        time.sleep(PACE_SECONDS)
        if outcome == "answered" and answer["cards"]:
            phase = tally.phase
            outcome, _, said = send(http, "feedback", [1, "like", None], session)
            tally.count(phase, outcome, said)
            record.append(f"{turn} like: {outcome}")
            if outcome == "answered":
                liked.append(answer["cards"][0]["id"])
            time.sleep(PACE_SECONDS)
        with tally.lock:
            tally.done[session] += 1
