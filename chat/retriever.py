"""The recommender as a LangChain retriever: a query in, the shopper's ranked items out as `Document`s.

One instance serves every session: the shopper and the filters travel with each call, either as keyword
arguments (`retriever.invoke("linen dress", user_id="maya", k=4)`) or in the run config
(`retriever.invoke("linen dress", config={"configurable": {"user_id": "maya", "where": {...}}})`); keyword
arguments win over the config. The instance holds only the shared recommender and the default `k`.

Options: `user_id`, `constraints` (a `Constraints`) or `where` (a Chroma filter, checked by `is_valid_where`),
`k`, `exclude_ids`, `liked_ids`, `disliked_ids`, `anchor_ids`. A `Constraints` reaches the recommender whole
(through `Request.from_constraints`: sizes, refused kinds and hidden ids included); its `exclude_ids` join the
call's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForRetrieverRun, CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import RunnableConfig
from langchain_core.runnables.config import run_in_executor
from pydantic import ConfigDict

from chat.recommender import Recommender
from chat.request import TOP_K, Recommendation, Request, item_summary
from chat.understand.constraints import Constraints, is_valid_where

OPTIONS = ("user_id", "constraints", "where", "k", "exclude_ids", "liked_ids", "disliked_ids", "anchor_ids")
# keyword arguments `BaseRetriever.invoke` itself reads; they are not retrieval options
_RUN_KWARGS = frozenset(("verbose", "run_id"))


def call_options(config: RunnableConfig | None, kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """The retrieval options of one call: the config's `configurable` entries that are options (a config is
    shared with other runnables, so other keys are theirs), then the keyword arguments, which must all be
    options."""
    unknown = set(kwargs) - set(OPTIONS) - _RUN_KWARGS
    if unknown:
        raise TypeError(f"unknown retrieval options {sorted(unknown)}; expected some of {list(OPTIONS)}")
    configurable = (config or {}).get("configurable") or {}
    options = {key: value for key, value in configurable.items() if key in OPTIONS}
    options.update({key: value for key, value in kwargs.items() if key in OPTIONS})
    return options


def build_request(query: str, options: Mapping[str, Any], default_k: int) -> Request:
    """The recommender's `Request` for a query and one call's options; a bad option raises `ValueError`."""
    constraints, where = options.get("constraints"), options.get("where")
    if constraints is not None and where is not None:
        raise ValueError("pass either constraints or where, not both")
    if constraints is not None and not isinstance(constraints, Constraints):
        raise ValueError(f"constraints must be a Constraints, not {type(constraints).__name__}")
    if where is not None and not is_valid_where(where):
        raise ValueError(f"not a valid Chroma where filter: {where!r}")
    k = options.get("k", default_k)
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a positive integer, not {k!r}")
    request = Request.from_constraints(
        query,
        constraints or Constraints(),
        exclude_ids=frozenset(options.get("exclude_ids") or ()),
        user_id=options.get("user_id"),
        liked_ids=options.get("liked_ids") or (),
        disliked_ids=options.get("disliked_ids") or (),
        anchor_ids=options.get("anchor_ids") or (),
        k=k,
    )
    return request if constraints is not None else replace(request, where=where)


def to_document(recommendation: Recommendation) -> Document:
    item = recommendation.item
    metadata = item_summary(item, recommendation.why, recommendation.score)
    return Document(page_content=item.text(), metadata=metadata, id=item.id)


class WhisperLiteRetriever(BaseRetriever):
    """Ranked catalogue items for a query, personalised by the call's `user_id` and filtered by its options."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    recommender: Recommender
    k: int = TOP_K

    def invoke(self, input: str, config: RunnableConfig | None = None, **kwargs: Any) -> list[Document]:
        # `BaseRetriever.invoke` does not hand the config to `_get_relevant_documents`: lift the options out here
        return super().invoke(input, config, **_run_kwargs(kwargs), **call_options(config, kwargs))

    async def ainvoke(self, input: str, config: RunnableConfig | None = None, **kwargs: Any) -> list[Document]:
        return await super().ainvoke(input, config, **_run_kwargs(kwargs), **call_options(config, kwargs))

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, **kwargs: Any
    ) -> list[Document]:
        request = build_request(query, {key: value for key, value in kwargs.items() if key in OPTIONS}, self.k)
        return [to_document(recommendation) for recommendation in self.recommender.recommend(request)]

    async def _aget_relevant_documents(
        self, query: str, *, run_manager: AsyncCallbackManagerForRetrieverRun, **kwargs: Any
    ) -> list[Document]:
        # the base class's default drops the keyword arguments, and with them the shopper and the filters
        return await run_in_executor(
            None, self._get_relevant_documents, query, run_manager=run_manager.get_sync(), **kwargs
        )


def _run_kwargs(kwargs: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in kwargs.items() if key in _RUN_KWARGS}
