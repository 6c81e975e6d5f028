"""The app's settings: one typed object, read once at the edge (CLI, app.py) from environment variables.

Every variable is optional; the defaults give the built-in demo (generated catalogue, offline text encoder,
embedded Chroma and SQLite under ./data). On a Hugging Face Space the defaults change to what a Space can do:
CLIP from the hub (a Space has network) and persistent files under /data when that storage is attached.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from chat.recommender import TEXT_WEIGHT
from chat.request import TOP_K
from chat.web.rate_limit import RateLimits
from ranker.encoders import EncoderConfig
from store.catalogs import CatalogConfig
from store.items import ItemStoreConfig

# variable -> what it sets; the README's settings table is written from this.
ENVIRONMENT = {
    "WHISPERLITE_CATALOG": "catalogue source: demo (default), jsonl (a .jsonl or .csv file), kaggle, hf",
    "WHISPERLITE_CATALOG_PATH": "file, folder or Hugging Face dataset id of the catalogue",
    "WHISPERLITE_CATALOG_LIMIT": "read at most this many catalogue items",
    "WHISPERLITE_CATALOG_IMAGES_ONLY": "1: keep only items whose picture exists",
    "WHISPERLITE_DEMO_ITEMS": "size of the generated demo catalogue (default 480)",
    "WHISPERLITE_ENCODER": "auto, clip or sentence (default: sentence locally, clip on a Space)",
    "WHISPERLITE_ENCODER_RUNTIME": "runtime of the sentence encoder: onnx (default), torch, onnx-int8 or onnx-int8-pc "
    "(onnxruntime; exported once into the data folder's cache)",
    "WHISPERLITE_CLIP_ID": "CLIP hub id or local folder (default openai/clip-vit-base-patch32)",
    "WHISPERLITE_TEXT_TEMPLATE": "template applied to every text before encoding, e.g. 'a photo of {}'",
    "WHISPERLITE_DATA_DIR": "where Chroma, SQLite, checkpoints and generated images live (default ./data)",
    "WHISPERLITE_CHROMA_URL": "a Chroma server (http://host:port) instead of the embedded folder",
    "WHISPERLITE_USERS_URL": "the user database: a PostgreSQL server (postgresql://user:password@host:5432/db) "
    "shared by replicas, or a SQLite URL; unset: the SQLite file users.sqlite in the data folder",
    "WHISPERLITE_INDEX_POLL_SECONDS": "how often each replica checks whether an ingest changed the item store, and "
    "reloads its in-memory index if so (default 2; 0: never, the index is loaded once at start)",
    "WHISPERLITE_TURNS_AT_ONCE": "turns the app computes at once, in the page's queue and in the JSON API each "
    "(default: the cores this process may use; set it to a container's CPU limit, which the count does not see)",
    "WHISPERLITE_TOP_K": "cards per answer (default 8)",
    "WHISPERLITE_CANDIDATES": "items fetched from Chroma per turn for the ranker to score (default 200)",
    "WHISPERLITE_TEXT_WEIGHT": "weight of the frozen text similarity added to WhisperLite's (default 1; 0: model)",
    "WHISPERLITE_CHAT_MODEL": "optional LangChain chat model factory 'package.module:factory', called with no "
    "arguments, that rewrites each conversation into a request and filters; unset: the rule-based parser",
    "WHISPERLITE_TRAIN_EPOCHS": "most epochs of the demo model trained on first start (default 20; early stopping)",
    "WHISPERLITE_RETRAIN_EVERY": "retrain from the chat's feedback, through the gate, in the background after this "
    "many new feedback events (default 0: never)",
    "WHISPERLITE_BEHIND_PROXY": "1: a reverse proxy of yours is in front, so a client's address (for the rate "
    "limits) is the last X-Forwarded-For entry, the one the proxy added (always so on a Space)",
    "WHISPERLITE_HOST": "address the app listens on (default 127.0.0.1; 0.0.0.0 on a Space)",
    "WHISPERLITE_PORT": "port the app listens on (default 7860, or GRADIO_SERVER_PORT)",
    "WHISPERLITE_RATE_TURNS_PER_SESSION": "messages one conversation may send a minute (default 30)",
    "WHISPERLITE_RATE_TURNS_PER_CLIENT": "messages one client address may send a minute (default 240)",
    "WHISPERLITE_RATE_FEEDBACK_PER_SESSION": "likes and dislikes one conversation may send a minute (default 60)",
    "WHISPERLITE_RATE_FEEDBACK_PER_CLIENT": "likes and dislikes one client address may send a minute (default 480)",
    "WHISPERLITE_STUDY_REQUESTS": "requests of the relevance study (/study): a YAML list or JSONL lines "
    '{"request": ...}; unset: worded from the catalogue',
}


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity), which a turn's CPU work is sized to."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def on_spaces(env: Mapping[str, str]) -> bool:
    return env.get("SYSTEM") == "spaces" or bool(env.get("SPACE_ID"))


# A memory limit, not a speed choice: the exact copy beat Chroma's filtered HNSW at every size measured (1M items:
# p50 27 ms vs 2,286 ms, HNSW recall@200 0.81) and held 1.3 GB of RSS at 1M (bench/results/million-1000000.md).
MEMORY_INDEX_MAX_ITEMS = 1_000_000


@dataclass(frozen=True)
class AppSettings:
    catalog: CatalogConfig = field(default_factory=CatalogConfig)
    encoder: EncoderConfig = field(default_factory=lambda: EncoderConfig(kind="sentence"))
    data_dir: Path = Path("data")
    chroma_url: str = ""
    users_url: str = ""  # WHISPERLITE_USERS_URL; "": the SQLite file in data_dir
    index_poll_seconds: float = 2.0  # how often a replica checks the item store for an ingest; 0: never
    # A turn is CPU work: more at once would only interleave them (each slower), fewer would leave a core idle.
    turns_at_once: int = field(default_factory=usable_cores)
    top_k: int = TOP_K
    candidates: int = 200
    # above this many stored items turns query Chroma's HNSW index, not the in-memory copy (bench/bench_million.py)
    memory_index_max_items: int = MEMORY_INDEX_MAX_ITEMS
    train_epochs: int = 20
    retrain_every: int = 0  # feedback events between background retrainings; 0: off
    # each feedback request trains this many times beside one copy of each catalogue request: chosen on the
    # gate's validation requests (bench/results/loop-levers.md), 2 beat 1 by more than the noise
    feedback_weight: int = 2
    text_weight: float = TEXT_WEIGHT
    chat_model: str = ""
    spaces: bool = False
    behind_proxy: bool = False  # a client's address is the last X-Forwarded-For entry (a Space's proxy, or yours)
    host: str = "127.0.0.1"
    port: int = 7860
    rate_limits: RateLimits = field(default_factory=RateLimits)
    study_requests: str = ""  # the relevance study's requests file; "": generated from the catalogue
    max_upload: str = "1mb"  # a shopper's photo is the only upload; Gradio's upload route caps each file at this

    @property
    def max_upload_bytes(self) -> int:
        """`max_upload` in bytes, read as Gradio reads it (binary units: "1mb" is 1,048,576 bytes)."""
        number, unit = re.fullmatch(r"(\d+)([kmg]?)b?", self.max_upload.replace(" ", "").lower()).groups()
        return int(number) * 1024 ** " kmg".index(unit or " ")

    @property
    def item_store(self) -> ItemStoreConfig:
        return ItemStoreConfig(path=self.data_dir / "chroma", url=self.chroma_url)

    @property
    def users_path(self) -> Path:
        """The default user database: a SQLite file in the data folder."""
        return self.data_dir / "users.sqlite"

    @property
    def users_database(self) -> str:
        """Where the user store, the feedback log and the study's ratings live: a URL or the SQLite file."""
        return self.users_url or str(self.users_path)

    @property
    def checkpoint_dir(self) -> Path:
        return self.data_dir / "checkpoints"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

    @property
    def encoder_cards(self) -> Path:
        """The identity of the encoder last loaded for each encoder setting: a warm start loads its model after
        the page is up (ranker/deferred_encoder.py)."""
        return self.cache_dir / "encoder-cards.json"

    @property
    def onnx_dir(self) -> Path:
        """The sentence model's ONNX exports (WHISPERLITE_ENCODER_RUNTIME=onnx, onnx-int8 or onnx-int8-pc)."""
        return self.cache_dir / "onnx"

    @property
    def pictures_dir(self) -> Path:
        """Pictures the app makes itself (the placeholder, thumbnails): the only folder opened to the web."""
        return self.data_dir / "pictures"

    @property
    def private_paths(self) -> list[Path]:
        """What the web must never serve: the stores (with SQLite's side files) and the checkpoints."""
        users = self.users_path
        sidecars = [users.with_name(users.name + suffix) for suffix in ("-wal", "-shm", "-journal")]
        return [self.item_store.path, users, *sidecars, self.checkpoint_dir]

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, persistent_storage: Path = Path("/data")) -> AppSettings:
        """`persistent_storage` is where a Space mounts its persistent disk (only it survives a restart)."""
        env = os.environ if env is None else env
        spaces = on_spaces(env)
        default_data = persistent_storage / "whisperlite" if spaces and persistent_storage.is_dir() else Path("data")
        limit = env.get("WHISPERLITE_CATALOG_LIMIT")
        catalog = CatalogConfig(
            source=env.get("WHISPERLITE_CATALOG", "demo"),
            path=env.get("WHISPERLITE_CATALOG_PATH", ""),
            limit=int(limit) if limit else None,
            demo_items=int(env.get("WHISPERLITE_DEMO_ITEMS", "480")),
            with_images_only=env.get("WHISPERLITE_CATALOG_IMAGES_ONLY", "") in ("1", "true", "yes"),
        )
        encoder = EncoderConfig(
            kind=env.get("WHISPERLITE_ENCODER", "clip" if spaces else "sentence"),  # type: ignore[arg-type]
            clip_id=env.get("WHISPERLITE_CLIP_ID", EncoderConfig.clip_id),
            text_template=env.get("WHISPERLITE_TEXT_TEMPLATE", ""),
            # onnx by default: torch's vectors and scores (bench/results/encoder-runtime.md) at 1.46x the speed
            runtime=env.get("WHISPERLITE_ENCODER_RUNTIME", "onnx"),  # type: ignore[arg-type]
        )
        if encoder.kind not in ("auto", "clip", "sentence"):
            raise ValueError(f"WHISPERLITE_ENCODER must be auto, clip or sentence, not {encoder.kind!r}")
        if encoder.runtime not in ("torch", "onnx", "onnx-int8", "onnx-int8-pc"):
            raise ValueError(
                f"WHISPERLITE_ENCODER_RUNTIME must be torch, onnx, onnx-int8 or onnx-int8-pc, not {encoder.runtime!r}"
            )
        return cls(
            catalog=catalog,
            encoder=encoder,
            data_dir=Path(env.get("WHISPERLITE_DATA_DIR", str(default_data))),
            chroma_url=env.get("WHISPERLITE_CHROMA_URL", ""),
            users_url=env.get("WHISPERLITE_USERS_URL", ""),
            index_poll_seconds=float(env.get("WHISPERLITE_INDEX_POLL_SECONDS", "2")),
            turns_at_once=int(env.get("WHISPERLITE_TURNS_AT_ONCE", usable_cores())),
            top_k=int(env.get("WHISPERLITE_TOP_K", TOP_K)),
            candidates=int(env.get("WHISPERLITE_CANDIDATES", "200")),
            memory_index_max_items=int(env.get("WHISPERLITE_MEMORY_INDEX_MAX_ITEMS", MEMORY_INDEX_MAX_ITEMS)),
            train_epochs=int(env.get("WHISPERLITE_TRAIN_EPOCHS", "20")),
            retrain_every=int(env.get("WHISPERLITE_RETRAIN_EVERY", "0")),
            feedback_weight=int(env.get("WHISPERLITE_FEEDBACK_WEIGHT", "2")),
            text_weight=float(env.get("WHISPERLITE_TEXT_WEIGHT", TEXT_WEIGHT)),
            chat_model=env.get("WHISPERLITE_CHAT_MODEL", ""),
            spaces=spaces,
            behind_proxy=spaces or env.get("WHISPERLITE_BEHIND_PROXY", "") in ("1", "true", "yes"),
            host=env.get("WHISPERLITE_HOST", "0.0.0.0" if spaces else "127.0.0.1"),
            port=int(env.get("WHISPERLITE_PORT", env.get("GRADIO_SERVER_PORT", "7860"))),
            study_requests=env.get("WHISPERLITE_STUDY_REQUESTS", ""),
            rate_limits=RateLimits(
                **{
                    limit.name: int(env.get(f"WHISPERLITE_RATE_{limit.name.upper()}", limit.default))
                    for limit in fields(RateLimits)
                }
            ),
        )

    def with_data_dir(self, data_dir: Path) -> AppSettings:
        return replace(self, data_dir=data_dir)
