"""Every scripted conversation under tests/conversations/, in-process and against a live server; the schema.

A script marked `xfail: reason` is a known product failure: it must keep failing (strict) until the product is
fixed, then the mark goes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from chat.scripted.format import ScriptError, load_script, parse_script
from chat.scripted.runner import in_process, live, run_script
from chat.serve.cli import main as cli_main

CONVERSATIONS = Path(__file__).parent / "conversations"
SCRIPT_PATHS = sorted(CONVERSATIONS.glob("*.yaml"))


def _script_params() -> list:
    params = []
    for path in SCRIPT_PATHS:
        script = load_script(path)
        marks = [pytest.mark.xfail(reason=script.xfail, strict=True)] if script.xfail else []
        params.append(pytest.param(script, id=path.stem, marks=marks))
    return params


def _assert_passes(checks) -> None:
    failures = [check.line() for check in checks if not check.passed]
    assert not failures, "\n".join(failures)


@pytest.mark.slow
@pytest.mark.parametrize("script", _script_params())
def test_script_in_process(script, in_process_app):
    _assert_passes(run_script(script, in_process(in_process_app)))


@pytest.mark.slow
@pytest.mark.parametrize("script", _script_params())
def test_script_against_a_live_server(script, demo_server):
    _assert_passes(run_script(script, live(demo_server)))


def test_there_are_at_least_twelve_scripts_with_distinct_descriptions():
    descriptions = {load_script(path).description for path in SCRIPT_PATHS}
    assert len(descriptions) == len(SCRIPT_PATHS) >= 12


def _error(data: dict, name: str = "refine_colour.yaml") -> str:
    with pytest.raises(ScriptError) as raised:
        parse_script(data, name)
    return str(raised.value)


GOOD_TURN = {"say": "a dress", "expect": {"all": {"category": "dress"}}}


def test_a_misspelt_expectation_is_named_with_file_and_turn():
    turns = [GOOD_TURN, {"say": "in blue", "expect": {"colur": "blue"}}]
    message = _error({"shopper": "guest", "description": "d", "turns": turns})
    assert message.startswith("refine_colour.yaml, turn 2: unknown expectation 'colur'")


def test_a_broken_script_file_fails_to_load_with_its_name(tmp_path):
    path = tmp_path / "refine_colour.yaml"
    path.write_text(
        'shopper: guest\ndescription: d\nturns:\n  - say: "a dress"\n  - say: "in blue"\n    expect: {colur: blue}\n'
    )
    with pytest.raises(ScriptError, match=r"^refine_colour\.yaml, turn 2: unknown expectation 'colur'"):
        load_script(path)


def test_an_unknown_shopper_is_refused():
    assert "unknown shopper 'bob'" in _error({"shopper": "bob", "description": "d", "turns": [GOOD_TURN]})


def test_a_card_field_outside_the_catalogue_fields_is_refused():
    turns = [{"say": "a dress", "expect": {"all": {"size": "m"}}}]
    message = _error({"shopper": "guest", "description": "d", "turns": turns})
    assert message.startswith("refine_colour.yaml, turn 1: expectation 'all': unknown card field 'size'")


def test_fewer_than_previous_takes_card_fields_as_all_does():
    turns = [GOOD_TURN, {"say": "less yellow", "expect": {"fewer_than_previous": "yellow"}}]
    message = _error({"shopper": "guest", "description": "d", "turns": turns})
    assert message.startswith("refine_colour.yaml, turn 2: expectation 'fewer_than_previous': takes a mapping")


def test_an_action_turn_takes_reply_expectations_only():
    turns = [GOOD_TURN, {"like": 2, "expect": {"min_cards": 1}}]
    message = _error({"shopper": "guest", "description": "d", "turns": turns})
    assert message.startswith("refine_colour.yaml, turn 2: expectation 'min_cards' applies to say turns only")


def test_a_turn_with_two_actions_is_refused():
    message = _error({"shopper": "guest", "description": "d", "turns": [{"say": "a dress", "like": 1}]})
    assert message.startswith("refine_colour.yaml, turn 1: a turn has exactly one of")


def test_an_item_reference_must_point_to_an_earlier_say_turn():
    turns = [GOOD_TURN, {"say": "x", "expect": {"excludes_item_seen_at": [{"turn": 2, "position": 1}]}}]
    message = _error({"shopper": "guest", "description": "d", "turns": turns})
    assert message.startswith("refine_colour.yaml, turn 2: excludes_item_seen_at turn 2 must be an earlier say turn")


def test_same_cards_as_turn_must_point_to_an_earlier_say_turn():
    turns = [GOOD_TURN, {"start_over": True}, {"say": "back", "expect": {"same_cards_as_turn": 2}}]
    message = _error({"shopper": "guest", "description": "d", "turns": turns})
    assert message.startswith("refine_colour.yaml, turn 3: same_cards_as_turn 2 must be an earlier say turn")


def test_title_expectations_take_a_list_of_words_on_say_turns_only():
    turns = [GOOD_TURN, {"say": "no t-shirts", "expect": {"no_title_has": "t-shirt"}}]
    message = _error({"shopper": "guest", "description": "d", "turns": turns})
    assert message.startswith("refine_colour.yaml, turn 2: expectation 'no_title_has': takes a list of words")
    turns = [GOOD_TURN, {"like": 1, "expect": {"some_title_has": ["t-shirt"]}}]
    message = _error({"shopper": "guest", "description": "d", "turns": turns})
    assert "applies to say turns only" in message


def test_reply_table_takes_true_or_false_and_applies_to_actions_too():
    turns = [GOOD_TURN, {"say": "compare 1 and 2", "expect": {"reply_table": "yes"}}]
    message = _error({"shopper": "guest", "description": "d", "turns": turns})
    assert message.startswith("refine_colour.yaml, turn 2: expectation 'reply_table': takes true or false")
    script = parse_script(
        {"shopper": "guest", "description": "d", "turns": [GOOD_TURN, {"like": 1, "expect": {"reply_table": False}}]},
        "x.yaml",
    )
    assert script.steps[1].expect == {"reply_table": False}


def test_pad_to_makes_a_message_of_exactly_that_length():
    script = parse_script(
        {"shopper": "guest", "description": "d", "turns": [{"say": "a navy blazer.", "pad_to": 20_000}]}, "x.yaml"
    )
    message = script.steps[0].value
    assert len(message) == 20_000 and message.startswith("a navy blazer. blah blah")


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


@pytest.mark.slow
def test_converse_prints_a_line_per_expectation_and_fails_on_a_broken_promise(tmp_path, demo_server, capsys):
    wrong = _write(
        tmp_path,
        "wrong.yaml",
        "shopper: guest\ndescription: sneakers are not dresses\nturns:\n"
        '  - say: "sneakers"\n    expect: {all: {category: dress}, min_cards: 1}\n',
    )
    assert cli_main(["converse", wrong, "--url", demo_server]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "PASS  wrong.yaml, turn 1: answered: no API error"
    assert out[1].startswith("FAIL  wrong.yaml, turn 1: all {category: dress}: category: 1:shoes")
    assert out[2].startswith("PASS  wrong.yaml, turn 1: min_cards 1: ")
    assert out[-1] == "2 passed, 1 failed"


@pytest.mark.slow
def test_converse_exits_zero_when_every_expectation_holds(demo_server, capsys):
    assert cli_main(["converse", str(CONVERSATIONS / "accumulate_colour.yaml"), "--url", demo_server]) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith(" passed, 0 failed")


def test_converse_refuses_a_broken_script_before_building_anything(tmp_path, capsys):
    broken = _write(tmp_path, "refine_colour.yaml", "shopper: guest\ndescription: d\nturns:\n  - colur: blue\n")
    assert cli_main(["converse", broken, "--url", "http://127.0.0.1:9"]) == 2
    assert "refine_colour.yaml, turn 1: unknown key 'colur'" in capsys.readouterr().err


def test_a_photo_resolves_beside_the_script(tmp_path):
    (tmp_path / "red.png").write_bytes(b"png")
    turns = [{"say": "like this", "photo": "red.png"}]
    script = parse_script({"shopper": "guest", "description": "d", "turns": turns}, "x.yaml", tmp_path)
    assert script.steps[0].photo == str((tmp_path / "red.png").resolve())


def test_a_photo_that_is_not_beside_the_script_is_refused(tmp_path):
    turns = [{"say": "like this", "photo": "missing.png"}]
    with pytest.raises(ScriptError, match="turn 1: photo goes with say and names a file beside the script"):
        parse_script({"shopper": "guest", "description": "d", "turns": turns}, "x.yaml", tmp_path)


def test_a_quick_reply_turn_takes_card_expectations_and_a_position():
    turns = [GOOD_TURN, {"quick_reply": 1, "expect": {"min_cards": 1, "quick_replies": {"max": 0}}}]
    assert parse_script({"shopper": "guest", "description": "d", "turns": turns}, "x.yaml").steps[1].value == 1
    assert "quick_reply takes a position" in _error(
        {"shopper": "guest", "description": "d", "turns": [{"quick_reply": 0}]}
    )


def test_quick_replies_takes_min_and_max_only():
    turns = [{"say": "anything", "expect": {"quick_replies": {"least": 3}}}]
    assert "takes {min: N, max: M}" in _error({"shopper": "guest", "description": "d", "turns": turns})
