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
      - say: "like this but in red"
        photo: photos/red.png  # optional: a photo attached to the message (relative to the script's folder)
      - quick_reply: 1     # clicks the first quick-reply button of the last answer: its text is the next message

Expectations on a `say` turn (cards are the ones the answer shows; "before" means the cards on screen before
this turn, which actions do not change except `start_over`, which clears them):

    all: {field: value}        every card has field == value (a list of values: any of them)
    any: {field: value}        at least one card does
    none: {field: value}       no card does   (fields: category, colour, material, brand, gender, usage, season;
                               the last three are canonical, "" where the catalogue does not say)
    fewer_than_previous: {field: value}  fewer cards have it than among the cards before (a soft "less yellow")
    price_max: 60              every card costs at most 60   (price_min: every card at least)
    comes_in: m                every card lists size m among its sizes
    below_previous_median: true  every card is cheaper than the median price of the cards before
    darker_than_card: 2        every card's measured lightness is visibly below card 2's before (by the margin
                               of chat/relations.py); fails on no cards and on unmeasured cards
    excludes_previous: [3]     the items that were cards 3, ... before are not shown
    excludes_item_seen_at: [{turn: 2, position: 3}]   the item shown as card 3 after turn 2 is not shown
    min_cards: 4 / max_cards: 8 / no_cards: true
    cards_changed: true        the card list (ids, in order) differs from the cards before (false: equals it)
    same_cards_as_turn: 1      the card list equals the one shown after that earlier say turn ("go back")
    differs_from: {shopper: leo}           the same turns so far, replayed by another shopper in a fresh
    differs_from: {without_feedback: true} conversation (or without this one's likes and dislikes), give a
                                           different card list
    reply_mentions: [blue]     case-insensitive substrings the reply contains (reply_not_mentions: must not)
    reply_starts_with: "There are no swimsuits"   the reply begins so (ignoring case): what it says first
    reply_table: true          the reply holds a Markdown table (a header row, then a |---| rule); false: none
    quick_replies: {min: 3, max: 5}   the answer offers that many quick replies ({max: 0}: asks no question)

A `quick_reply` turn sends a message, so it takes every expectation a `say` turn takes. Action turns take
the reply expectations only. Every turn also checks that the app answered
without an API error. Likes last for the conversation, for the guest and the demo personas alike (a visitor
never writes a persona's history), so scripts never change each other's answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from chat.web.identity import GUEST
from store.demo_shoppers import PERSONA_IDS

SHOPPERS = (GUEST, *PERSONA_IDS)
ACTIONS = ("say", "quick_reply", "like", "dislike", "start_over")
MESSAGES = ("say", "quick_reply")  # the turns that send a message and show new cards
CARD_FIELDS = ("category", "colour", "material", "brand", "gender", "usage", "season")
REPLY_EXPECTATIONS = ("reply_mentions", "reply_not_mentions", "reply_starts_with", "reply_table")
CARD_EXPECTATIONS = (
    "all",
    "any",
    "none",
    "fewer_than_previous",
    "price_max",
    "price_min",
    "comes_in",
    "some_title_has",
    "no_title_has",
    "below_previous_median",
    "darker_than_card",
    "excludes_previous",
    "excludes_item_seen_at",
    "min_cards",
    "max_cards",
    "no_cards",
    "cards_changed",
    "same_cards_as_turn",
    "differs_from",
    "quick_replies",
)
SCRIPT_KEYS = ("shopper", "description", "xfail", "turns")
PAD = " blah"


class ScriptError(ValueError):
    """A script that does not follow the schema; the message names the file and the turn."""


@dataclass(frozen=True)
class Step:
    """One turn: `action` is say, quick_reply, like, dislike or start_over; `value` the message or the position
    of the card or quick reply; `photo` the absolute path of the photo a say turn attaches ("" for none)."""

    number: int  # 1-based, as people count turns
    action: str
    value: Any
    expect: dict[str, Any] = field(default_factory=dict)
    photo: str = ""


@dataclass(frozen=True)
class Script:
    name: str
    shopper: str
    description: str
    steps: tuple[Step, ...]
    xfail: str = ""


# ---------------------------------------------------------------- loading and validation


def load_script(path: str | Path) -> Script:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ScriptError(f"{path.name}: not valid YAML: {error}") from error
    return parse_script(data, path.name, path.parent)


def parse_script(data: Any, name: str, folder: Path = Path(".")) -> Script:
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
    steps = tuple(_parse_step(turn, number, name, folder) for number, turn in enumerate(turns, start=1))
    for step in steps:
        earlier = step.expect.get("same_cards_as_turn")
        if earlier is not None and (earlier >= step.number or steps[earlier - 1].action != "say"):
            raise ScriptError(f"{name}, turn {step.number}: same_cards_as_turn {earlier} must be an earlier say turn")
        for seen in step.expect.get("excludes_item_seen_at", []):
            if seen["turn"] >= step.number or steps[seen["turn"] - 1].action not in MESSAGES:
                raise ScriptError(
                    f"{name}, turn {step.number}: excludes_item_seen_at turn {seen['turn']} must be an earlier say turn"
                )
    return Script(name, shopper, data["description"].strip(), steps, str(data.get("xfail") or ""))


def _parse_step(turn: Any, number: int, name: str, folder: Path) -> Step:
    def fail(message: str) -> ScriptError:
        return ScriptError(f"{name}, turn {number}: {message}")

    if not isinstance(turn, dict):
        raise fail("a turn is a mapping such as {say: ...} or {like: 2}")
    actions = [key for key in turn if key in ACTIONS]
    extra = sorted(set(turn) - set(ACTIONS) - {"expect", "pad_to", "photo"})
    if extra:
        raise fail(f"unknown key {extra[0]!r} (a turn has one of {', '.join(ACTIONS)}, and expect)")
    if len(actions) != 1:
        raise fail(f"a turn has exactly one of {', '.join(ACTIONS)} (found {len(actions)})")
    action, value = actions[0], turn[actions[0]]
    if action == "say" and not isinstance(value, str):
        raise fail('say takes a message in quotes (an empty message is "")')
    if action in ("like", "dislike", "quick_reply") and not _is_position(value):
        raise fail(f"{action} takes a position (1, 2, ...), not {value!r}")
    if action == "start_over" and value is not True:
        raise fail("start_over takes true")
    if "pad_to" in turn:
        if action != "say" or not _is_position(turn["pad_to"]):
            raise fail("pad_to goes with say and takes a length in characters")
        value = (value + PAD * (turn["pad_to"] // len(PAD) + 1))[: max(turn["pad_to"], len(value))]
    photo = ""
    if "photo" in turn:
        if action != "say" or not isinstance(turn["photo"], str) or not (folder / turn["photo"]).is_file():
            raise fail("photo goes with say and names a file beside the script")
        photo = str((folder / turn["photo"]).resolve())
    expect = turn.get("expect") or {}
    if not isinstance(expect, dict):
        raise fail("expect is a mapping of expectations")
    allowed = (*CARD_EXPECTATIONS, *REPLY_EXPECTATIONS) if action in MESSAGES else REPLY_EXPECTATIONS
    for key, wanted in expect.items():
        if key not in allowed:
            known = (*CARD_EXPECTATIONS, *REPLY_EXPECTATIONS)
            if key in known:
                raise fail(f"expectation {key!r} applies to say turns only (an action shows no new cards)")
            raise fail(f"unknown expectation {key!r} (expected one of {', '.join(known)})")
        problem = _expectation_problem(key, wanted)
        if problem:
            raise fail(f"expectation {key!r}: {problem}")
    return Step(number, action, value, dict(expect), photo)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_position(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _expectation_problem(key: str, wanted: Any) -> str:
    """What is wrong with one expectation's value, or "" when it is well formed."""
    if key in ("all", "any", "none", "fewer_than_previous"):
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
    if key == "comes_in":
        return "" if isinstance(wanted, str) and wanted.strip() else "takes a size such as m or 38"
    if key in ("min_cards", "max_cards"):
        return "" if isinstance(wanted, int) and not isinstance(wanted, bool) and wanted >= 0 else "takes a count"
    if key in ("below_previous_median", "no_cards"):
        return "" if wanted is True else "takes true"
    if key in ("cards_changed", "reply_table"):
        return "" if isinstance(wanted, bool) else "takes true or false"
    if key == "darker_than_card":
        return "" if _is_position(wanted) else "takes a card position"
    if key == "same_cards_as_turn":
        return "" if _is_position(wanted) else "takes the number of an earlier say turn"
    if key == "reply_starts_with":
        return "" if isinstance(wanted, str) and wanted.strip() else "takes the words the reply begins with"
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
    if key == "quick_replies":
        ok = isinstance(wanted, dict) and wanted and set(wanted) <= {"min", "max"}
        ok = ok and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in wanted.values())
        return "" if ok else "takes {min: N, max: M} (either or both)"
    if key in ("some_title_has", "no_title_has", *REPLY_EXPECTATIONS):
        ok = isinstance(wanted, list) and wanted and all(isinstance(w, str) and w for w in wanted)
        return "" if ok else "takes a list of words or phrases"
    return ""
