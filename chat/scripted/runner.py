"""Running scripted conversations (the format is in `chat/scripted/format.py`): in-process on an `App`, or live
against a running app through `gradio_client`, one check per expectation."""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

import yaml

from chat.relations import LIGHTNESS_MARGIN
from chat.scripted.format import MESSAGES, REPLY_EXPECTATIONS, Script, Step


@dataclass(frozen=True)
class Check:
    script: str
    turn: int
    name: str
    passed: bool
    detail: str

    def line(self) -> str:
        return f"{'PASS' if self.passed else 'FAIL'}  {self.script}, turn {self.turn}: {self.name}: {self.detail}"


# ---------------------------------------------------------------- sessions: in-process or live


class Session(Protocol):
    """One conversation with the app; every method returns the endpoint's JSON ({"reply", "cards"} or "error").
    `photo` is the path of a photo attached to the message, "" for none."""

    def say(self, message: str, photo: str = "") -> dict: ...
    def feedback(self, position: int, kind: str) -> dict: ...
    def start_over(self) -> dict: ...


OpenSession = Callable[[str], Session]  # shopper id -> a fresh conversation


class InProcessSession:
    """Drives the same handlers as the `/turn`, `/feedback` and `/start_over` endpoints, without a server."""

    def __init__(self, handlers, shopper: str) -> None:
        self.handlers, self.shopper, self.conversation = handlers, shopper, None

    def say(self, message: str, photo: str = "") -> dict:
        from chat.web.handlers import turn_json

        answer, self.conversation = self.handlers.turn(message, self.shopper, self.conversation, photo=photo or None)
        return turn_json(answer, self.handlers.app.pictures)

    def feedback(self, position: int, kind: str) -> dict:
        return self.handlers.feedback(position, kind, self.conversation)

    def start_over(self) -> dict:
        self.conversation = self.handlers.start_over(self.conversation)
        return {"reply": "Starting over."}


class LiveSession:
    """A conversation with a running app; one `gradio_client.Client` each, so the server gives it its own state.
    `cookie` is a session cookie to send (a signed-in visitor's, on a Space)."""

    def __init__(self, url: str, shopper: str, cookie: str = "") -> None:
        from gradio_client import Client

        headers = {"Cookie": cookie} if cookie else None
        self.client = Client(url, verbose=False, analytics_enabled=False, headers=headers)
        self.shopper = shopper

    def say(self, message: str, photo: str = "") -> dict:
        from gradio_client import handle_file

        return self.client.predict(message, self.shopper, handle_file(photo) if photo else None, api_name="/turn")

    def feedback(self, position: int, kind: str) -> dict:
        return self.client.predict(position, kind, api_name="/feedback")

    def start_over(self) -> dict:
        return self.client.predict(api_name="/start_over")


def in_process(app) -> OpenSession:
    from chat.web.handlers import Handlers

    handlers = Handlers(app)
    return lambda shopper: InProcessSession(handlers, shopper)


def live(url: str) -> OpenSession:
    return lambda shopper: LiveSession(url, shopper)


# ---------------------------------------------------------------- running


@dataclass
class _Replay:
    """What a conversation has shown so far: the cards and quick replies on screen and each message turn's cards."""

    on_screen: list[dict] = field(default_factory=list)
    by_turn: dict[int, list[dict]] = field(default_factory=dict)
    quick_replies: list[str] = field(default_factory=list)


def _act(session: Session, step: Step, replay: _Replay) -> dict:
    if step.action in MESSAGES:
        if step.action == "quick_reply" and not 0 < step.value <= len(replay.quick_replies):
            return {"error": f"no quick reply {step.value} on screen (offered: {replay.quick_replies})"}
        message = replay.quick_replies[step.value - 1] if step.action == "quick_reply" else step.value
        answer = session.say(message, step.photo)
        replay.on_screen = list(answer.get("cards") or [])
        replay.by_turn[step.number] = replay.on_screen
        replay.quick_replies = list(answer.get("quick_replies") or [])
    elif step.action == "start_over":
        answer = session.start_over()
        replay.on_screen, replay.quick_replies = [], []
    else:
        answer = session.feedback(step.value, step.action)
    return answer


def _replay_cards(open_session: OpenSession, shopper: str, steps: Iterable[Step]) -> list[str]:
    session, replay = open_session(shopper), _Replay()
    for step in steps:
        _act(session, step, replay)
    return _ids(replay.on_screen)


def _ids(cards: list[dict]) -> list[str]:
    return [card["id"] for card in cards]


def _words(value: Any) -> list[str]:
    return [str(v).lower() for v in (value if isinstance(value, list) else [value])]


def _cards_text(cards: list[dict], name: str) -> str:
    return ", ".join(f"{card['position']}:{card.get(name, '')}" for card in cards) or "no cards"


def run_script(script: Script, open_session: OpenSession) -> list[Check]:
    """Plays the script in a fresh conversation and checks every expectation; never stops at a failure."""
    session, replay, checks = open_session(script.shopper), _Replay(), []
    for step in script.steps:
        before = replay.on_screen
        answer = _act(session, step, replay)
        error = answer.get("error") if isinstance(answer, dict) else f"not a JSON object: {answer!r}"
        checks.append(Check(script.name, step.number, "answered", not error, error or "no API error"))
        if error:
            continue
        for key, wanted in step.expect.items():
            passed, detail = _check(key, wanted, answer, before, replay, script, step, open_session)
            checks.append(Check(script.name, step.number, f"{key} {_short(wanted)}", passed, detail))
    return checks


def _short(value: Any) -> str:
    text = (
        yaml.safe_dump(value, default_flow_style=True, width=10_000, allow_unicode=True)
        .strip()
        .removesuffix("...")
        .strip()
    )
    return text[:80] + "…" if len(text) > 80 else text


def _check(
    key: str,
    wanted: Any,
    answer: dict,
    before: list[dict],
    replay: _Replay,
    script: Script,
    step: Step,
    open_session: OpenSession,
) -> tuple[bool, str]:
    """(passed, what was seen) for one expectation of one answer."""
    cards: list[dict] = answer.get("cards") or []
    reply: str = answer.get("reply") or ""
    if key == "reply_starts_with":
        return reply.lower().startswith(wanted.lower()), f"reply: {reply[:160]!r}"
    if key == "reply_table":
        return _has_table(reply) == wanted, f"reply: {reply[:160]!r}"
    if key in REPLY_EXPECTATIONS:
        present = [w for w in wanted if w.lower() in reply.lower()]
        passed = len(present) == len(wanted) if key == "reply_mentions" else not present
        return passed, f"reply: {reply[:160]!r}"
    if key in ("all", "any", "none"):
        results = []
        for name, value in wanted.items():
            hits = [str(card.get(name, "")).lower() in _words(value) for card in cards]
            ok = {"all": bool(cards) and all(hits), "any": any(hits), "none": not any(hits)}[key]
            results.append((ok, f"{name}: {_cards_text(cards, name)}"))
        return all(ok for ok, _ in results), "; ".join(text for _, text in results)
    if key == "fewer_than_previous":
        results = []
        for name, value in wanted.items():
            now, earlier = (
                sum(str(c.get(name, "")).lower() in _words(value) for c in shown) for shown in (cards, before)
            )
            results.append((bool(cards) and now < earlier, f"{name} {value}: {earlier} before, {now} now"))
        return all(ok for ok, _ in results), "; ".join(text for _, text in results)
    if key == "comes_in":
        sizes = [card.get("sizes") or [] for card in cards]
        return bool(cards) and all(str(wanted).lower() in listed for listed in sizes), f"sizes {sizes}"
    if key in ("some_title_has", "no_title_has"):
        titles = [card["title"] for card in cards]
        has = [title for title in titles if any(word.lower() in title.lower() for word in wanted)]
        return (bool(has) if key == "some_title_has" else not has), f"titles with {wanted}: {has or 'none'}"
    if key in ("price_max", "price_min"):
        prices = [float(card["price"]) for card in cards]
        within = [p <= wanted if key == "price_max" else p >= wanted for p in prices]
        return bool(cards) and all(within), f"prices {prices}"
    if key == "below_previous_median":
        if not before:
            return False, "no cards were on screen before this turn"
        median = statistics.median(float(card["price"]) for card in before)
        prices = [float(card["price"]) for card in cards]
        return bool(cards) and all(p < median for p in prices), f"median before {median:g}; prices {prices}"
    if key == "darker_than_card":
        reference = next((card for card in before if card["position"] == wanted), None)
        if reference is None or reference.get("lightness") is None:
            return False, f"no measured card {wanted} was on screen before this turn"
        bound = reference["lightness"] - LIGHTNESS_MARGIN
        shades = [card.get("lightness") for card in cards]
        return bool(cards) and all(s is not None and s <= bound for s in shades), f"at most {bound:g}: {shades}"
    if key == "excludes_previous":
        banned = {card["id"]: card["position"] for card in before if card["position"] in wanted}
        missing = sorted(set(wanted) - set(banned.values()))
        if missing:
            return False, f"no card {missing} was on screen before this turn"
        shown = [f"{item} (was card {banned[item]}) is card {pos}" for pos, item in _positions(cards) if item in banned]
        return not shown, "; ".join(shown) or f"{sorted(banned)} not shown"
    if key == "excludes_item_seen_at":
        banned = {}
        for seen in wanted:
            earlier = {card["position"]: card["id"] for card in replay.by_turn.get(seen["turn"], [])}
            if seen["position"] not in earlier:
                return False, f"turn {seen['turn']} showed no card {seen['position']}"
            banned[earlier[seen["position"]]] = f"turn {seen['turn']} card {seen['position']}"
        shown = [f"{item} ({banned[item]}) is card {pos}" for pos, item in _positions(cards) if item in banned]
        return not shown, "; ".join(shown) or f"{sorted(banned)} not shown"
    if key == "min_cards":
        return len(cards) >= wanted, f"{len(cards)} cards"
    if key == "max_cards":
        return len(cards) <= wanted, f"{len(cards)} cards"
    if key == "no_cards":
        return not cards, f"{len(cards)} cards"
    if key == "cards_changed":
        changed = _ids(cards) != _ids(before)
        return changed == wanted, f"before {_ids(before)}; now {_ids(cards)}"
    if key == "same_cards_as_turn":
        then = _ids(replay.by_turn.get(wanted, []))
        return bool(cards) and _ids(cards) == then, f"after turn {wanted} {then}; now {_ids(cards)}"
    if key == "quick_replies":
        offered = answer.get("quick_replies") or []
        low, high = wanted.get("min", 0), wanted.get("max", len(offered))
        return low <= len(offered) <= high, f"quick replies {offered}"
    if key == "differs_from":
        upto = script.steps[: step.number]
        if wanted.get("without_feedback"):
            shopper, upto = script.shopper, [s for s in upto if s.action not in ("like", "dislike")]
        else:
            shopper = wanted["shopper"]
        other = _replay_cards(open_session, shopper, upto)
        label = "without feedback" if wanted.get("without_feedback") else shopper
        return bool(cards) and other != _ids(cards), f"{script.shopper}: {_ids(cards)}; {label}: {other}"
    raise AssertionError(f"unchecked expectation {key}")  # parse_script admits only the keys above


def _has_table(reply: str) -> bool:
    """Whether the reply holds a Markdown table: a row of cells followed by a |---| rule."""
    lines = [line.strip() for line in reply.splitlines()]
    return any(
        row.startswith("|") and re.fullmatch(r"\|(?: *:?-+:? *\|)+", rule) for row, rule in zip(lines, lines[1:])
    )


def _positions(cards: list[dict]) -> list[tuple[int, str]]:
    return [(card["position"], card["id"]) for card in cards]


def run_scripts(scripts: Iterable[Script], open_session: OpenSession) -> list[Check]:
    return [check for script in scripts for check in run_script(script, open_session)]
