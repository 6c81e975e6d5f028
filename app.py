"""WhisperLite Chat: read settings, build the stores and the model, launch the Gradio app.

`python app.py` serves the built-in demo at http://127.0.0.1:7860 (on a Space, on 0.0.0.0:7860).
"""

from __future__ import annotations

import logging
import os

import gradio as gr

from chat.bootstrap import USER_FIXABLE_ERRORS, build_app
from chat.settings import AppSettings
from chat.ui import CSS, build_demo


def allowed_paths(settings: AppSettings, image_paths: list[str]) -> list[str]:
    """Folders the app may serve files from: its data folder and the folders holding catalogue pictures."""
    folders = {os.path.dirname(os.path.abspath(path)) for path in image_paths if path and "://" not in path}
    return sorted({str(settings.data_dir.resolve()), *folders})


def create(settings: AppSettings) -> tuple[gr.Blocks, list[str]]:
    """The demo (not launched) and the folders it needs to serve."""
    app = build_app(settings)
    return build_demo(app), allowed_paths(settings, [item.image for item in app.catalog.items])


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = AppSettings.from_env()
        demo, paths = create(settings)
    except USER_FIXABLE_ERRORS as error:
        raise SystemExit(f"error: {error}") from None
    host = "0.0.0.0" if settings.spaces else os.environ.get("WHISPERLITE_HOST", "127.0.0.1")
    port = int(os.environ.get("WHISPERLITE_PORT", os.environ.get("GRADIO_SERVER_PORT", "7860")))
    demo.queue(default_concurrency_limit=4).launch(server_name=host, server_port=port, allowed_paths=paths, css=CSS)


if __name__ == "__main__":
    main()
