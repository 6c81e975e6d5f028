"""Scripted conversations: YAML files of shopper turns and what a shopper demands of each answer.

A script is one conversation, run either in-process (on an `App`) or against a live app through `gradio_client`
(`whisperlite converse FILE... [--url URL]`, and pytest collects every script in both modes). The schema, in
full (docs/conversation-scripts.md has examples):

    shopper: guest | maya | leo | grace | nina   # who talks; guest has no stored history
    description: what the conversation checks     # one line, shown in reports
    xfail: "reason"                               # optional: a known product failure (pytest marks it xfail)
    turns:                                        # each turn is one `say` or one action, plus `expect`
      - say: "a summer dress"
        expect: {...}
      - like: 2            # thumbs-up on card 2 of the cards on screen (also `dislike: N`)
      - start_over: true
      - say: "a navy blazer."
        pad_to: 20000        # optional: the message is followed by " blah" until it has 20,000 characters

Expectations on a `say` turn (cards are the ones the answer shows; "before" means the cards on screen before
this turn, which actions do not change except `start_over`, which clears them):

    all: {field: value}        every card has field == value (a list of values: any of them)
    any: {field: value}        at least one card does
    none: {field: value}       no card does                 (fields: category, colour, material, brand)
    price_max: 60              every card costs at most 60   (price_min: every card at least)
    below_previous_median: true  every card is cheaper than the median price of the cards before
    excludes_previous: [3]     the items that were cards 3, ... before are not shown
    excludes_item_seen_at: [{turn: 2, position: 3}]   the item shown as card 3 after turn 2 is not shown
    min_cards: 4 / max_cards: 8 / no_cards: true
    cards_changed: true        the card list (ids, in order) differs from the cards before (false: equals it)
    differs_from: {shopper: leo}           the same turns so far, replayed by another shopper in a fresh
    differs_from: {without_feedback: true} conversation (or without this one's likes and dislikes), give a
                                           different card list
    reply_mentions: [blue]     case-insensitive substrings the reply contains (reply_not_mentions: must not)

Action turns take `reply_mentions` and `reply_not_mentions` only. Every turn also checks that the app answered
without an API error. Likes of a named shopper are stored in the app's user store, so they carry over to later
scripts run on the same app: scripts that like or dislike use the guest.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

from store.demo_shoppers import DEMO_SHOPPERS

GUEST = "guest"
SHOPPERS = (GUEST, *(shopper.user.id for shopper in DEMO_SHOPPERS))
ACTIONS = ("say", "like", "dislike", "start_over")
CARD_FIELDS = ("category", "colour", "material", "brand")
REPLY_EXPECTATIONS = ("reply_mentions", "reply_not_mentions")
CARD_EXPECTATIONS = (
    "all",
    "any",
    "none",
    "price_max",
    "price_min",
    "below_previous_median",
    "excludes_previous",
    "excludes_item_seen_at",
    "min_cards",
    "max_cards",
    "no_cards",
    "cards_changed",
    "differs_from",
)
SCRIPT_KEYS = ("shopper", "description", "xfail", "turns")
PAD = " blah"


class ScriptError(ValueError):
    """A script that does not follow the schema; the message names the file and the turn."""


@dataclass(frozen=True)
class Step:
    """One turn: `action` is say, like, dislike or start_over; `value` the message or the card position."""

    number: int  # 1-based, as people count turns
    action: str
    value: Any
    expect: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Script:
    name: str
    shopper: str
    description: str
    steps: tuple[Step, ...]
    xfail: str = ""


@dataclass(frozen=True)
class Check:
    script: str
    turn: int
    name: str
    passed: bool
    detail: str

    def line(self) -> str:
        return f"{'PASS' if self.passed else 'FAIL'}  {self.script}, turn {self.turn}: {self.name}: {self.detail}"


# ---------------------------------------------------------------- loading and validation


def load_script(path: str | Path) -> Script:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ScriptError(f"{path.name}: not valid YAML: {error}") from error
    return parse_script(data, path.name)


def parse_script(data: Any, name: str) -> Script:
    def fail(message: str) -> ScriptError:
        return ScriptError(f"{name}: {message}")

    if not isinstance(data, dict):
        raise fail("a script is a mapping with shopper, description and turns")
    unknown = sorted(set(data) - set(SCRIPT_KEYS))
    if unknown:
        raise fail(f"unknown key {unknown[0]!r} (expected one of {', '.join(SCRIPT_KEYS)})")
    shopper = data.get("shopper", GUEST)
    if shopper not in SHOPPERS:
        raise fail(f"unknown shopper {shopper!r} (expected one of {', '.join(SHOPPERS)})")
    if not isinstance(data.get("description"), str) or not data["description"].strip():
        raise fail("description is missing: say in one line what the conversation checks")
    turns = data.get("turns")
    if not isinstance(turns, list) or not turns:
        raise fail("turns must be a non-empty list")
    steps = tuple(_parse_step(turn, number, name) for number, turn in enumerate(turns, start=1))
    for step in steps:
        for seen in step.expect.get("excludes_item_seen_at", []):
            if seen["turn"] >= step.number or steps[seen["turn"] - 1].action != "say":
                raise ScriptError(
                    f"{name}, turn {step.number}: excludes_item_seen_at turn {seen['turn']} must be an earlier say turn"
                )
    return Script(name, shopper, data["description"].strip(), steps, str(data.get("xfail") or ""))


def _parse_step(turn: Any, number: int, name: str) -> Step:
    def fail(message: str) -> ScriptError:
        return ScriptError(f"{name}, turn {number}: {message}")

    if not isinstance(turn, dict):
        raise fail("a turn is a mapping such as {say: ...} or {like: 2}")
    actions = [key for key in turn if key in ACTIONS]
    extra = sorted(set(turn) - set(ACTIONS) - {"expect", "pad_to"})
    if extra:
        raise fail(f"unknown key {extra[0]!r} (a turn has one of {', '.join(ACTIONS)}, and expect)")
    if len(actions) != 1:
        raise fail(f"a turn has exactly one of {', '.join(ACTIONS)} (found {len(actions)})")
    action, value = actions[0], turn[actions[0]]
    if action == "say" and not isinstance(value, str):
        raise fail('say takes a message in quotes (an empty message is "")')
    if action in ("like", "dislike") and not (isinstance(value, int) and not isinstance(value, bool) and value > 0):
        raise fail(f"{action} takes a card position (1, 2, ...), not {value!r}")
    if action == "start_over" and value is not True:
        raise fail("start_over takes true")
    if "pad_to" in turn:
        if action != "say" or not _is_position(turn["pad_to"]):
            raise fail("pad_to goes with say and takes a length in characters")
        value = (value + PAD * (turn["pad_to"] // len(PAD) + 1))[: max(turn["pad_to"], len(value))]
    expect = turn.get("expect") or {}
    if not isinstance(expect, dict):
        raise fail("expect is a mapping of expectations")
    allowed = (*CARD_EXPECTATIONS, *REPLY_EXPECTATIONS) if action == "say" else REPLY_EXPECTATIONS
    for key, wanted in expect.items():
        if key not in allowed:
            known = (*CARD_EXPECTATIONS, *REPLY_EXPECTATIONS)
            if key in known:
                raise fail(f"expectation {key!r} applies to say turns only (an action shows no new cards)")
            raise fail(f"unknown expectation {key!r} (expected one of {', '.join(known)})")
        problem = _expectation_problem(key, wanted)
        if problem:
            raise fail(f"expectation {key!r}: {problem}")
    return Step(number, action, value, dict(expect))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_position(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _expectation_problem(key: str, wanted: Any) -> str:
    """What is wrong with one expectation's value, or "" when it is well formed."""
    if key in ("all", "any", "none"):
        if not isinstance(wanted, dict) or not wanted:
            return "takes a mapping such as {colour: blue}"
        for name, value in wanted.items():
            if name not in CARD_FIELDS:
                return f"unknown card field {name!r} (expected one of {', '.join(CARD_FIELDS)})"
            values = value if isinstance(value, list) else [value]
            if not values or not all(isinstance(v, str) and v for v in values):
                return f"{name} takes a word or a list of words"
        return ""
    if key in ("price_max", "price_min"):
        return "" if _is_number(wanted) and wanted >= 0 else "takes a price (a number)"
    if key in ("min_cards", "max_cards"):
        return "" if isinstance(wanted, int) and not isinstance(wanted, bool) and wanted >= 0 else "takes a count"
    if key in ("below_previous_median", "no_cards"):
        return "" if wanted is True else "takes true"
    if key == "cards_changed":
        return "" if isinstance(wanted, bool) else "takes true or false"
    if key == "excludes_previous":
        return "" if isinstance(wanted, list) and wanted and all(map(_is_position, wanted)) else "takes [positions]"
    if key == "excludes_item_seen_at":
        ok = isinstance(wanted, list) and wanted
        ok = ok and all(
            isinstance(s, dict) and set(s) == {"turn", "position"} and all(map(_is_position, s.values()))
            for s in wanted
        )
        return "" if ok else "takes [{turn: N, position: P}, ...]"
    if key == "differs_from":
        if wanted == {"without_feedback": True}:
            return ""
        if isinstance(wanted, dict) and set(wanted) == {"shopper"}:
            return "" if wanted["shopper"] in SHOPPERS else f"unknown shopper {wanted['shopper']!r}"
        return "takes {shopper: NAME} or {without_feedback: true}"
    if key in REPLY_EXPECTATIONS:
        ok = isinstance(wanted, list) and wanted and all(isinstance(w, str) and w for w in wanted)
        return "" if ok else "takes a list of words or phrases"
    return ""


# ---------------------------------------------------------------- sessions: in-process or live


class Session(Protocol):
    """One conversation with the app; every method returns the endpoint's JSON ({"reply", "cards"} or "error")."""

    def say(self, message: str) -> dict: ...
    def feedback(self, position: int, kind: str) -> dict: ...
    def start_over(self) -> dict: ...


OpenSession = Callable[[str], Session]  # shopper id -> a fresh conversation


class InProcessSession:
    """Drives the same handlers as the `/turn`, `/feedback` and `/start_over` endpoints, without a server."""

    def __init__(self, app, shopper: str) -> None:
        self.app, self.shopper, self.conversation = app, shopper, None

    def say(self, message: str) -> dict:
        from chat.ui import api_turn

        answer, self.conversation = api_turn(self.app, message, self.shopper, self.conversation)
        return answer

    def feedback(self, position: int, kind: str) -> dict:
        from chat.ui import api_feedback

        answer, self.conversation = api_feedback(self.app, position, kind, self.conversation)
        return answer

    def start_over(self) -> dict:
        from chat.ui import api_start_over

        answer, self.conversation = api_start_over(self.conversation)
        return answer


class LiveSession:
    """A conversation with a running app; one `gradio_client.Client` each, so the server gives it its own state."""

    def __init__(self, url: str, shopper: str) -> None:
        from gradio_client import Client

        self.client, self.shopper = Client(url, verbose=False, analytics_enabled=False), shopper

    def say(self, message: str) -> dict:
        return self.client.predict(message, self.shopper, api_name="/turn")

    def feedback(self, position: int, kind: str) -> dict:
        return self.client.predict(position, kind, api_name="/feedback")

    def start_over(self) -> dict:
        return self.client.predict(api_name="/start_over")


def in_process(app) -> OpenSession:
    return lambda shopper: InProcessSession(app, shopper)


def live(url: str) -> OpenSession:
    return lambda shopper: LiveSession(url, shopper)


# ---------------------------------------------------------------- running


@dataclass
class _Replay:
    """What a conversation has shown so far: the cards on screen and each say turn's cards."""

    on_screen: list[dict] = field(default_factory=list)
    by_turn: dict[int, list[dict]] = field(default_factory=dict)


def _act(session: Session, step: Step, replay: _Replay) -> dict:
    if step.action == "say":
        answer = session.say(step.value)
        replay.on_screen = list(answer.get("cards") or [])
        replay.by_turn[step.number] = replay.on_screen
    elif step.action == "start_over":
        answer = session.start_over()
        replay.on_screen = []
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


def _positions(cards: list[dict]) -> list[tuple[int, str]]:
    return [(card["position"], card["id"]) for card in cards]


def run_scripts(scripts: Iterable[Script], open_session: OpenSession) -> list[Check]:
    return [check for script in scripts for check in run_script(script, open_session)]
