"""An optional chat model that rewrites a conversation into one standalone request and its filters.

Any LangChain chat model serves; none is configured by default, and then (or whenever the model fails, answers
something that is not the asked-for JSON, or gives an invalid value) the rule-based parser's reading of each
message stands (the conversation has already applied it). The
model's answer is trusted only after checking: colours, categories and materials are mapped onto the shared
vocabulary (`store.vocabulary`; an unknown value is dropped), prices must be finite non-negative numbers, and
the filter it yields must pass `is_valid_where`.

A user configures a model with a factory: `load_chat_model("my_models:make_chat_model")` imports `my_models`
and calls `make_chat_model()`, which returns the chat model (with its keys, endpoint and options).
"""

from __future__ import annotations

import importlib
import json
import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langchain_core.prompts import ChatPromptTemplate, MessagesPlaceholder

if TYPE_CHECKING:  # langchain's chat-model module pulls in its tracers (0.4 s of a start): typing only
    from langchain_core.language_models import BaseChatModel

from chat.understand.constraints import MAX_MESSAGE_CHARS, Constraints, is_valid_where
from chat.understand.prices import MAX_PRICE
from store.vocabulary import CATEGORIES, CATEGORY_OF_WORD, COLOUR_OF_WORD, COLOURS, MATERIAL_OF_WORD, MATERIALS

log = logging.getLogger(__name__)

HISTORY_MESSAGES = 20  # the model sees the last this-many transcript messages
MAX_ANSWER_CHARS = 20_000  # a longer answer is cut before looking for JSON in it (keeps the search cheap)

# answer key -> the vocabulary's word -> canonical value map
_TERM_FIELDS = {
    "colours": COLOUR_OF_WORD,
    "exclude_colours": COLOUR_OF_WORD,
    "categories": CATEGORY_OF_WORD,
    "exclude_categories": CATEGORY_OF_WORD,
    "materials": MATERIAL_OF_WORD,
    "exclude_materials": MATERIAL_OF_WORD,
}

_SYSTEM = """You help a fashion shop's search engine. Read the conversation between a shopper and the shop's \
assistant, then the shopper's new message, and write what the shopper wants now as ONE standalone request.

Answer with a single JSON object and nothing else:
{{"request": "<what to search for, in a few words, e.g. 'light summer dress for the beach'>",
 "price_min": <number or null>, "price_max": <number or null>,
 "colours": [...], "exclude_colours": [...],
 "categories": [...], "exclude_categories": [...],
 "materials": [...], "exclude_materials": [...]}}

Rules:
- Keep what earlier messages asked for unless the shopper changed it or started a new topic.
- "request" describes the item (style, occasion, cut); leave prices and excluded things out of it.
- The shopper may write in another language: write "request" in English, and the lists in these words.
- Lists hold only these words (use [] when nothing applies):
  colours: {colours}
  categories: {categories}
  materials: {materials}
- Prices are plain numbers in the shop's currency."""


@dataclass(frozen=True)
class Rewrite:
    """A chat model's standalone request: `request_text` for the encoder, `constraints` for the filters."""

    request_text: str
    constraints: Constraints


class RewriteError(ValueError):
    """The model's answer is not a usable rewrite."""


class ChatModelSpecError(ValueError):
    """A chat model spec that does not name a factory of a LangChain chat model."""


def build_prompt() -> ChatPromptTemplate:
    """The rewrite prompt; its inputs are `history` (messages) and `message` (the new message)."""
    system = _SYSTEM.format(
        colours=", ".join(COLOURS), categories=", ".join(CATEGORIES), materials=", ".join(MATERIALS)
    )
    return ChatPromptTemplate.from_messages(
        [
            ("system", system.replace("{", "{{").replace("}", "}}")),
            MessagesPlaceholder("history"),
            ("human", "{message}"),
        ]
    )


def rewrite(model: BaseChatModel, messages: Sequence[BaseMessage], new_message: str) -> Rewrite | None:
    """The conversation so far (`messages`, without the new message) and `new_message` as one request.

    None when the model fails (an exception, a malformed or invalid answer): that is logged as a warning, and the
    conversation keeps the rule-based parser's reading of the message, so the shopper still gets an answer.
    """
    prompt = build_prompt()
    try:
        answer = (prompt | model).invoke({"history": _history(messages), "message": new_message[:MAX_MESSAGE_CHARS]})
        return parse_answer(_answer_text(answer))
    except Exception as error:  # a remote model can fail in many ways; the conversation must go on without it
        log.warning(
            "the chat model's rewrite was not usable (%s: %s); using the rule-based parser", type(error).__name__, error
        )
        return None


def adopt_rewrite(current: Constraints, rewritten: Rewrite, relative_price: bool = False) -> Constraints:
    """A conversation's constraints after a model's rewrite: the model's filters replace the rule-based ones,
    except what the model never saw: sizes, hidden card ids, who and when (genders, usages, seasons), and, on a
    "cheaper" / "pricier" turn, the price bounds the conversation worked out from the shown cards' prices."""
    adopted = replace(
        rewritten.constraints,
        sizes=current.sizes,
        exclude_ids=current.exclude_ids,
        genders=current.genders,
        usages=current.usages,
        seasons=current.seasons,
    )
    if relative_price:
        adopted = replace(adopted, price_min=current.price_min, price_max=current.price_max)
    return adopted


def parse_answer(text: str) -> Rewrite:
    """A model's answer (JSON, possibly inside prose or a code fence) as a `Rewrite`; `RewriteError` when it
    holds no JSON object with a "request", or a value of the wrong type."""
    answer = extract_json(text)
    request = answer.get("request")
    if not isinstance(request, str):
        raise RewriteError(f'"request" must be a string, not {request!r}')
    terms = {name: _terms(answer.get(name), table, name) for name, table in _TERM_FIELDS.items()}
    constraints = Constraints(
        price_min=_price(answer.get("price_min")), price_max=_price(answer.get("price_max")), **terms
    )
    where = constraints.to_where()
    if where is not None and not is_valid_where(where):
        raise RewriteError(f"the filters make an invalid where: {where!r}")
    return Rewrite(" ".join(request.split())[:MAX_MESSAGE_CHARS], constraints)


_FENCE = re.compile(r"```[a-zA-Z]*\s*(.*?)```", re.DOTALL)


def extract_json(text: str) -> dict[str, Any]:
    """The first JSON object with a "request" key in `text`: inside code fences first, then anywhere."""
    text = text[:MAX_ANSWER_CHARS]
    decoder = json.JSONDecoder()
    for candidate in [*(match.group(1) for match in _FENCE.finditer(text)), text]:
        for start in (match.start() for match in re.finditer(r"\{", candidate)):
            try:
                value, _ = decoder.raw_decode(candidate, start)
            except json.JSONDecodeError:
                continue
            if isinstance(value, dict) and "request" in value:
                return value
    raise RewriteError("no JSON object with a request in the answer")


def load_chat_model(spec: str) -> BaseChatModel:
    """The chat model made by the factory that `spec` names: "package.module:factory" (the factory may be an
    attribute path, "module:Class.create"), called without arguments."""
    module_name, colon, attribute = spec.strip().partition(":")
    if not colon or not module_name or not attribute:
        raise ChatModelSpecError(f"chat model spec {spec!r} must look like 'package.module:factory'")
    try:
        target: Any = importlib.import_module(module_name)
    except ImportError as error:
        raise ChatModelSpecError(f"chat model spec {spec!r}: cannot import {module_name!r}: {error}") from error
    for name in attribute.split("."):
        if not hasattr(target, name):
            raise ChatModelSpecError(f"chat model spec {spec!r}: {module_name!r} has no attribute {attribute!r}")
        target = getattr(target, name)
    if not callable(target):
        raise ChatModelSpecError(f"chat model spec {spec!r}: {attribute!r} is not callable")
    from langchain_core.language_models import BaseChatModel

    model = target()
    if not isinstance(model, BaseChatModel):
        raise ChatModelSpecError(
            f"chat model spec {spec!r}: {attribute}() returned a {type(model).__name__}, not a LangChain chat model"
        )
    return model


def _history(messages: Sequence[BaseMessage]) -> list[BaseMessage]:
    """The last turns as plain messages: the transcript's extra fields (card ids) mean nothing to a model."""
    kept = [m for m in messages if isinstance(m, HumanMessage | AIMessage)][-HISTORY_MESSAGES:]
    return [type(m)(content=m.text[:MAX_MESSAGE_CHARS]) for m in kept]


def _answer_text(answer: Any) -> str:
    return answer.text if isinstance(answer, BaseMessage) else str(answer)


def _price(raw: Any) -> float | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        cleaned = re.sub(r"[\s,$€£₹¥]", "", raw)
        try:
            raw = float(cleaned)
        except ValueError:
            raise RewriteError(f"a price must be a number, not {raw!r}") from None
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        raise RewriteError(f"a price must be a finite number, not {raw!r}")
    if not 0 <= raw <= MAX_PRICE:
        raise RewriteError(f"a price must be between 0 and {MAX_PRICE:,.0f}, not {raw!r}")
    return float(raw)


def _terms(raw: Any, table: dict[str, str], name: str) -> frozenset[str]:
    """Vocabulary values of one list; a word outside the vocabulary is dropped (and logged)."""
    if raw is None:
        return frozenset()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(word, str) for word in raw):
        raise RewriteError(f"{name} must be a list of words, not {raw!r}")
    canonical = {word: table.get(" ".join(word.lower().split())) for word in raw}
    unknown = sorted(word for word, value in canonical.items() if value is None)
    if unknown:
        log.info("dropped %s outside the vocabulary: %s", name, unknown)
    return frozenset(value for value in canonical.values() if value is not None)
