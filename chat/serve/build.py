"""Builds the app's parts from settings: catalogue -> encoder -> Chroma (ingested) -> users -> model -> recommender.

Every step is idempotent, so a first start does the slow work (generate the demo catalogue, embed it, train the
demo model) and every later start finds it done. Progress goes to the log and to tqdm bars.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # langchain's chat-model module pulls in its tracers (0.4 s of a start): typing only
    from langchain_core.language_models import BaseChatModel

from chat.recommender import Recommender
from chat.serve.feedback_training import gated_scorer
from chat.serve.models import ModelContext, registered_scorer, train_first_model, training_info
from chat.serve.registry import RegistryError
from chat.serve.retrainer import Retrainer
from chat.serve.settings import AppSettings
from chat.understand.rewriter import load_chat_model
from chat.web.pictures import Pictures
from ranker.checkpoint import CheckpointError
from ranker.deferred_encoder import open_encoder
from ranker.encoders import Encoder, EncoderUnavailable, load_encoder
from ranker.model import Scorer
from ranker.shop_taste import ShopTaste
from store.catalogs import CatalogRead, catalog_name, load_catalog
from store.demo_shoppers import seed_demo_shoppers
from store.facts import CatalogueFacts
from store.feedback import FeedbackLog
from store.index import ItemIndex
from store.ingest import IngestReport, ingest
from store.item import Item
from store.items import ItemStore, StoreError
from store.live_index import LiveIndex
from store.source import ItemSource
from store.users import UserStore, UserStoreError

log = logging.getLogger(__name__)

# What a user can cause and fix (a damaged or absent store, a foreign checkpoint, an unloadable encoder, a bad
# setting): the edge prints the message, which names the path and the fix, instead of a traceback.
USER_FIXABLE_ERRORS = (StoreError, UserStoreError, CheckpointError, RegistryError, EncoderUnavailable, ValueError)


@dataclass
class App:
    """Everything a chat session needs, shared by all sessions (none of it holds per-session state)."""

    settings: AppSettings
    catalog: CatalogRead
    encoder: Encoder
    items: ItemStore
    users: UserStore
    scorer: Scorer | None
    recommender: Recommender
    model_info: dict
    pictures: Pictures
    feedback: FeedbackLog  # every like, rejection, relaxation and purchase, with its request (same file as users)
    chat_model: BaseChatModel | None = None  # rewrites conversations when the user configured one
    retrainer: Retrainer | None = None  # retrains from the feedback in the background (WHISPERLITE_RETRAIN_EVERY)
    # a first start's demo model, still to train (`build_app(train_in_background=True)`): zero-shot serves until
    # `serve_first_model` has run it
    first_model: Callable[[], tuple[Scorer | None, dict]] | None = None


def serve_first_model(app: App) -> None:
    """Train and gate the first start's demo model (the app serves zero-shot meanwhile) and serve it if the gate
    lets it: the recommender's scorer is swapped in one assignment, as the retrainer does, so a turn in flight
    finishes with the scorer it started with. The page's header says what serves from its next load."""
    if app.first_model is None:
        return
    scorer, model_info = app.first_model()
    app.recommender.scorer = app.scorer = scorer
    app.model_info, app.first_model = model_info, None
    log.info("first model trained in the background; in use: %s", model_info["in_use"])


def read_catalog(settings: AppSettings) -> CatalogRead:
    read = load_catalog(settings.catalog, settings.cache_dir)
    for problem in read.problems[:20]:
        log.warning("catalogue: %s", problem)
    if len(read.problems) > 20:
        log.warning("catalogue: %d more problems not shown", len(read.problems) - 20)
    if read.duplicate_ids:
        log.warning("catalogue: %d duplicate ids kept once: %s", len(read.duplicate_ids), read.duplicate_ids[:5])
    if not read.items:
        raise ValueError(f"the catalogue {catalog_name(settings.catalog)} has no readable items")
    return read


def open_item_store(settings: AppSettings, encoder: Encoder) -> ItemStore:
    return ItemStore(settings.item_store, catalog_name(settings.catalog), encoder.name, encoder.dim)


def ingest_catalog(settings: AppSettings, progress: bool = True) -> IngestReport:
    """`whisperlite ingest`: embed the configured catalogue into its collection; safe to re-run."""
    encoder = load_encoder(settings.encoder, settings.onnx_dir)
    items = read_catalog(settings).items
    return ingest(items, encoder, open_item_store(settings, encoder), progress=progress, data_dir=settings.data_dir)


def model_context(settings: AppSettings, progress: bool = True) -> ModelContext:
    """`whisperlite train`: the configured catalogue, ingested, with its encoder and item store."""
    encoder = load_encoder(settings.encoder, settings.onnx_dir)
    items = read_catalog(settings).items
    store = open_item_store(settings, encoder)
    ingest(items, encoder, store, progress=progress, data_dir=settings.data_dir)
    return ModelContext(settings, items, encoder, store)


def item_source(
    store: ItemStore, held: Sequence[Item], memory_index_max_items: int, poll_seconds: float = 0
) -> ItemSource:
    """Where turns read items: the exact in-memory copy (one copy of the catalogue's strings) up to
    `memory_index_max_items` stored items, faster than Chroma's filtered HNSW query; above, Chroma itself, whose
    approximate index answers a turn without the copy's memory and load time. Chroma stays the store of record.
    With a poll delay the in-memory copy reloads after any replica's or the CLI's ingest (store/live_index.py)."""
    count = store.count()
    if count > memory_index_max_items:
        log.info("item source: Chroma's HNSW index (%d items > WHISPERLITE_MEMORY_INDEX_MAX_ITEMS)", count)
        return store
    if poll_seconds <= 0:
        return ItemIndex.from_store(store, held=held)
    return LiveIndex(store, poll_seconds, build=lambda source: ItemIndex.from_store(source, held=held)).start()


def build_app(settings: AppSettings, progress: bool = True, train_in_background: bool = False) -> App:
    """The app's parts. A first start trains the demo model here, unless `train_in_background`: then zero-shot
    serves and `App.first_model` is left for `serve_first_model` to run once the page is up (the server does so:
    training is a minute or more of a first start on a photo catalogue)."""
    chat_model = load_chat_model(settings.chat_model) if settings.chat_model else None  # a bad spec fails first
    catalog = read_catalog(settings)
    # a warm start opens the stores by the encoder's card and loads its model later (`start_loading`)
    encoder = open_encoder(settings.encoder, settings.onnx_dir, settings.encoder_cards)
    if not encoder.supports_images:
        log.info("encoder %s is text-only: items are embedded from their text, not their pictures", encoder.name)
    store = open_item_store(settings, encoder)
    report = ingest(catalog.items, encoder, store, progress=progress, data_dir=settings.data_dir)
    log.info("item store: %d items (%d embedded now)", report.total, report.embedded)
    users = UserStore(settings.users_database)
    seed_demo_shoppers(users, catalog.items)  # re-derives personas whose history is not of this catalogue
    context = ModelContext(settings, catalog.items, encoder, store)
    served, first_model = registered_scorer(context), None
    if served is None and train_in_background:
        served, first_model = (None, training_info(context)), lambda: train_first_model(context, progress=False)
    scorer, model_info = served if served is not None else train_first_model(context, progress)
    recommender = Recommender(
        encoder,
        item_source(store, catalog.items, settings.memory_index_max_items, settings.index_poll_seconds),
        users,
        scorer,
        candidates=settings.candidates,
        text_weight=settings.text_weight,
        facts=CatalogueFacts.of(catalog.items),
        shop_taste=ShopTaste.load(context.taste_path),
    )
    pictures = Pictures(settings.pictures_dir, settings.private_paths)
    feedback = FeedbackLog(settings.users_database)
    retrainer = None
    if settings.retrain_every:
        retrainer = Retrainer(recommender, lambda: gated_scorer(context, feedback, recommender), settings.retrain_every)
    return App(
        settings,
        catalog,
        encoder,
        store,
        users,
        scorer,
        recommender,
        model_info,
        pictures,
        feedback,
        chat_model,
        retrainer,
        first_model,
    )
