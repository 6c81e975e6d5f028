"""The optional chat-model rewriter, driven by langchain-core's fake chat models, and its rule-based fallback."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_core.outputs import ChatResult

from chat.understand.constraints import Constraints, is_valid_where
from chat.understand.rewriter import (
    HISTORY_MESSAGES,
    ChatModelSpecError,
    Rewrite,
    adopt_rewrite,
    load_chat_model,
    rewrite,
)

EARLIER = [
    HumanMessage("a summer dress for a wedding"),
    AIMessage("Here are 8 picks for “summer dress wedding”.", additional_kwargs={"cards": ["demo0-0001"]}),
]
NEW = "in navy please, under $80, and nothing in polyester"
GOOD = {
    "request": "summer dress for a wedding",
    "price_min": None,
    "price_max": 80,
    "colours": ["navy"],
    "exclude_colours": [],
    "categories": ["dress"],
    "exclude_categories": [],
    "materials": [],
    "exclude_materials": ["polyester"],
}
GOOD_CONSTRAINTS = Constraints(price_max=80, colours={"navy"}, categories={"dress"}, exclude_materials={"polyester"})


class Recorder(BaseCallbackHandler):
    """Keeps the messages each chat model call received."""

    def __init__(self) -> None:
        self.calls: list[list[BaseMessage]] = []

    def on_chat_model_start(self, serialized: dict[str, Any], messages: list[list[BaseMessage]], **kwargs: Any):
        self.calls.extend(messages)


class UnreachableChatModel(BaseChatModel):
    """A chat model whose server is down."""

    @property
    def _llm_type(self) -> str:
        return "unreachable"

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        raise ConnectionError("connection refused")


def make_fake_chat_model() -> FakeListChatModel:
    """A factory for the loader's spec "test_rewriter:make_fake_chat_model"."""
    return FakeListChatModel(responses=[json.dumps(GOOD)])


def not_a_chat_model() -> str:
    return "a string"


NOT_CALLABLE = 42


def answering(*answers: str, **kwargs: Any) -> FakeListChatModel:
    return FakeListChatModel(responses=list(answers), **kwargs)


# ---------------------------------------------------------------------------------------------- model answers
def test_a_good_json_answer_becomes_the_request_and_filters():
    result = rewrite(answering(json.dumps(GOOD)), EARLIER, NEW)
    assert result == Rewrite("summer dress for a wedding", GOOD_CONSTRAINTS)
    assert is_valid_where(result.constraints.to_where())


def test_json_in_a_code_fence_with_prose_around_it_is_read():
    answer = f"Sure! Here is the request:\n```json\n{json.dumps(GOOD, indent=2)}\n```\nHope that helps."
    result = rewrite(answering(answer), EARLIER, NEW)
    assert (result.request_text, result.constraints) == (GOOD["request"], GOOD_CONSTRAINTS)


def test_json_inside_prose_without_a_fence_is_read():
    result = rewrite(answering(f"The shopper wants {json.dumps(GOOD)} as far as I can tell."), EARLIER, NEW)
    assert result.constraints == GOOD_CONSTRAINTS


def test_an_answer_given_as_content_blocks_is_read():
    blocks = [{"type": "text", "text": json.dumps(GOOD)}]
    model = GenericFakeChatModel(messages=iter([AIMessage(content=blocks)]))
    assert rewrite(model, EARLIER, NEW).constraints == GOOD_CONSTRAINTS


def test_prose_without_json_gives_no_rewrite_and_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="chat.understand.rewriter"):
        assert rewrite(answering("I think the shopper would love a navy dress!"), EARLIER, NEW) is None
    assert "rule-based" in caplog.text


def test_a_failing_model_gives_no_rewrite(caplog):
    with caplog.at_level(logging.WARNING, logger="chat.understand.rewriter"):
        assert rewrite(UnreachableChatModel(), EARLIER, NEW) is None
    assert "connection refused" in caplog.text


@pytest.mark.parametrize(
    "change",
    [
        {"request": None},
        {"request": ["dress"]},
        {"price_max": "cheap"},
        {"price_max": -5},
        {"price_min": True},
        {"price_max": 1e12},
        {"colours": 3},
        {"categories": [["dress"]]},
    ],
    ids=[
        "no-request",
        "list-request",
        "word-price",
        "negative-price",
        "bool-price",
        "huge-price",
        "number-list",
        "nested",
    ],
)
def test_an_invalid_value_gives_no_rewrite(change):
    assert rewrite(answering(json.dumps(GOOD | change)), EARLIER, NEW) is None


def test_non_finite_prices_give_no_rewrite():
    answer = json.dumps(GOOD | {"price_max": float("nan")})  # Python's json writes and reads NaN
    assert rewrite(answering(answer), EARLIER, NEW) is None


def test_colours_outside_the_vocabulary_are_dropped():
    result = rewrite(answering(json.dumps(GOOD | {"colours": ["chartreuse", "navy"]})), EARLIER, NEW)
    assert result.constraints.colours == {"navy"}


def test_vocabulary_synonyms_become_canonical_values():
    answer = GOOD | {"colours": ["Navy Blue", "gray"], "categories": "jeans", "exclude_materials": ["poly"]}
    result = rewrite(answering(json.dumps(answer)), EARLIER, NEW)
    assert (result.constraints.colours, result.constraints.categories) == ({"navy", "grey"}, {"trousers"})
    assert result.constraints.exclude_materials == {"polyester"}


def test_prices_written_as_money_strings_are_read():
    result = rewrite(answering(json.dumps(GOOD | {"price_min": "$20", "price_max": "1,200"})), EARLIER, NEW)
    assert (result.constraints.price_min, result.constraints.price_max) == (20.0, 1200.0)


def test_an_answer_with_only_a_request_has_no_filters():
    result = rewrite(answering('{"request": "something for the beach"}'), EARLIER, NEW)
    assert result == Rewrite("something for the beach", Constraints())
    assert result.constraints.to_where() is None


# ---------------------------------------------------------------------------------------------- the prompt
def test_the_prompt_holds_the_vocabulary_the_earlier_turns_and_the_new_message_in_order():
    recorder = Recorder()
    rewrite(answering(json.dumps(GOOD), callbacks=[recorder]), EARLIER, NEW)
    (sent,) = recorder.calls
    assert [type(m) for m in sent] == [SystemMessage, HumanMessage, AIMessage, HumanMessage]
    assert "navy" in sent[0].text and "polyester" in sent[0].text and "accessory" in sent[0].text
    assert [m.text for m in sent[1:]] == [EARLIER[0].text, EARLIER[1].text, NEW]
    assert sent[2].additional_kwargs == {}  # the transcript's card ids stay out of the prompt


def test_the_prompt_keeps_only_the_latest_turns():
    recorder = Recorder()
    long_history = [HumanMessage(f"message {n}") for n in range(HISTORY_MESSAGES + 5)]
    rewrite(answering(json.dumps(GOOD), callbacks=[recorder]), long_history, NEW)
    (sent,) = recorder.calls
    assert [m.text for m in sent[1:-1]] == [m.text for m in long_history[-HISTORY_MESSAGES:]]


def test_braces_in_a_message_reach_the_model_verbatim():
    recorder = Recorder()
    rewrite(answering(json.dumps(GOOD), callbacks=[recorder]), [], "a {red} dress")
    assert recorder.calls[0][-1].text == "a {red} dress"


# ---------------------------------------------------------------------------------------------- adopting
def test_adopting_a_rewrite_keeps_sizes_and_hidden_cards():
    current = Constraints(colours={"red"}, sizes={"m"}, exclude_ids={"demo0-0001"}, price_max=30)
    adopted = adopt_rewrite(current, Rewrite("dress", GOOD_CONSTRAINTS))
    assert adopted == Constraints(
        price_max=80,
        colours={"navy"},
        categories={"dress"},
        exclude_materials={"polyester"},
        sizes={"m"},
        exclude_ids={"demo0-0001"},
    )


def test_adopting_a_rewrite_keeps_who_and_when():
    current = Constraints(genders={"men"}, usages={"formal"}, seasons={"winter"})
    adopted = adopt_rewrite(current, Rewrite("dress", GOOD_CONSTRAINTS))
    assert (adopted.genders, adopted.usages, adopted.seasons) == ({"men"}, {"formal"}, {"winter"})


def test_adopting_a_rewrite_on_a_cheaper_turn_keeps_the_conversations_price():
    current = Constraints(price_max=30)
    adopted = adopt_rewrite(current, Rewrite("dress", GOOD_CONSTRAINTS), relative_price=True)
    assert (adopted.price_min, adopted.price_max, adopted.colours) == (None, 30.0, {"navy"})


# ---------------------------------------------------------------------------------------------- the loader
def test_the_loader_calls_the_factory_a_spec_names():
    model = load_chat_model("test_rewriter:make_fake_chat_model")
    assert isinstance(model, FakeListChatModel)
    assert rewrite(model, EARLIER, NEW).constraints == GOOD_CONSTRAINTS


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("test_rewriter", "must look like"),
        ("test_rewriter:", "must look like"),
        ("no_such_module_xyz:make", "cannot import 'no_such_module_xyz'"),
        ("test_rewriter:no_such_factory", "has no attribute 'no_such_factory'"),
        ("test_rewriter:NOT_CALLABLE", "is not callable"),
        ("test_rewriter:not_a_chat_model", "returned a str, not a LangChain chat model"),
    ],
)
def test_the_loader_explains_a_bad_spec(spec, message):
    with pytest.raises(ChatModelSpecError, match=message):
        load_chat_model(spec)
