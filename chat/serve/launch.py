"""Serving the app: settings from the environment -> the built parts -> the Gradio page, launched.

`python app.py` and `whisperlite serve` both end here, so the installed package serves without the checkout.
"""

from __future__ import annotations

import logging
import threading
import time

import gradio as gr
import torch

from chat.serve.build import USER_FIXABLE_ERRORS, App, build_app, serve_first_model
from chat.serve.settings import AppSettings
from chat.web.page import CSS, build_demo
from ranker.deferred_encoder import start_loading

APP_PACKAGES = ("chat", "ranker", "store")


def create(settings: AppSettings, train_in_background: bool = False) -> tuple[gr.Blocks, App]:
    """The page (not launched) and the parts it serves (`build_app`)."""
    app = build_app(settings, train_in_background=train_in_background)
    gr.set_static_paths(app.pictures.static_paths)  # the thumbnails are served in place, never copied per turn
    return build_demo(app), app


def main() -> None:
    # the app's own progress at INFO; libraries only warn (httpx's requests to the page's
    # own start-up check and the like are not the shop's business)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for package in APP_PACKAGES:
        logging.getLogger(package).setLevel(logging.INFO)
    try:
        settings = AppSettings.from_env()
        # a first start's demo model trains once the page is up, while zero-shot serves (`serve_first_model`)
        demo, app = create(settings, train_in_background=True)
    except USER_FIXABLE_ERRORS as error:
        raise SystemExit(f"error: {error}") from None
    torch.set_num_threads(1)  # process-wide, so set here once: a turn's small matrices run fastest on one thread
    # The JSON API runs outside the queue, with its own limit of as many turns at once (`page.py`).
    demo.queue(default_concurrency_limit=settings.turns_at_once).launch(
        server_name=settings.host,
        server_port=settings.port,
        allowed_paths=app.pictures.allowed_paths,  # product pictures only: never the stores or the source
        blocked_paths=app.pictures.blocked_paths,
        max_file_size=settings.max_upload,
        css=CSS,
        prevent_thread_lock=True,
    )
    start_loading(app.encoder)  # a warm start's encoder model: the first turn waits for it if it comes sooner
    threading.Thread(target=serve_first_model, args=(app,), name="first-model", daemon=True).start()
    threading.Thread(target=warm_thumbnails, args=(app,), name="thumbnails", daemon=True).start()
    demo.block_thread()


def warm_thumbnails(app: App) -> None:
    """Every product picture's thumbnail, made once the page is up: on a first start of a photo catalogue this is
    a minute of work that would otherwise land on the first shoppers' turns (bench/results/live.md)."""
    started = time.perf_counter()
    served = app.pictures.warm(item.image for item in app.catalog.items)
    logging.getLogger(__name__).info("thumbnails of %d pictures ready in %.1f s", served, time.perf_counter() - started)
