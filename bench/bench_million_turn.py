"""A whole turn at 1M items (run by hand): the conversation's `respond` (parse, encode the words, retrieve from the
exact in-memory index with the parsed filters, rank, word the reply) over the same generated items and vectors as
bench_million.py, zero-shot ranking, a guest. Each message opens a new conversation; each is repeated with a
refinement so the second turn reads the first's filters.

    flock /tmp/bench.lock .venv/bin/python bench/bench_million_turn.py --items 1000000

Writes bench/results/million-turn-<N>.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from bench_million import MESSAGES, generated_vectors, load_average, rss_mb, summary
from machine import machine, machine_markdown

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from chat.conversation import Conversation  # noqa: E402
from chat.recommender import Recommender  # noqa: E402
from ranker.encoders import EncoderConfig, load_encoder  # noqa: E402
from store.catalogs.demo import _demo_item  # noqa: E402
from store.facts import CatalogueFacts  # noqa: E402
from store.index import ItemIndex  # noqa: E402
from store.ingest import measured  # noqa: E402
from store.users import UserStore  # noqa: E402

RESULTS = REPO / "bench" / "results"
REFINEMENT = "cheaper"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--pool", type=int, default=2000)
    parser.add_argument("--noise", type=float, default=0.5)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    details = machine(torch_threads=1)
    items = [measured(_demo_item(i, 0, None)[0], None) for i in range(args.items)]
    matrix, _ = generated_vectors(items, args.pool, args.noise)
    index = ItemIndex(items, matrix)
    with tempfile.TemporaryDirectory() as folder:
        users = UserStore(Path(folder) / "users.sqlite")
        recommender = Recommender(
            load_encoder(EncoderConfig(kind="sentence")), index, users, scorer=None, facts=CatalogueFacts.of(items)
        )
        first, second = [], []
        for _ in range(args.repeats):
            for message in MESSAGES:
                conversation = Conversation(user_id=None, k=8)
                for wanted, times in ((message, first), (REFINEMENT, second)):
                    started = time.perf_counter()
                    conversation.respond(wanted, recommender)
                    times.append((time.perf_counter() - started) * 1000)
    result = {
        "items": args.items,
        "first_turn": summary(first),
        "refinement": summary(second),
        "all_turns": summary(first + second),
        "turns": len(first) + len(second),
        "rss_mb": rss_mb(),
        "load_average_end": load_average(),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"million-turn-{args.items}.json").write_text(json.dumps({"machine": details, **result}, indent=2))
    lines = [
        f"# A whole turn at {args.items:,} items",
        "",
        machine_markdown(details) + f" Load average at the end: {result['load_average_end']}.",
        "",
        f"`Conversation.respond` on the exact in-memory index of bench_million.py's items and vectors, zero-shot,"
        f" a guest; {len(MESSAGES)} messages x {args.repeats}, each followed by “{REFINEMENT}”. The encoder caches"
        " repeated texts, so repeats after the first skip encoding.",
        "",
        "| turns | p50 ms | p95 ms |",
        "| --- | --- | --- |",
        *(
            f"| {name} | {result[key]['p50_ms']:.1f} | {result[key]['p95_ms']:.1f} |"
            for name, key in (("first turn", "first_turn"), ("refinement", "refinement"), ("all", "all_turns"))
        ),
        "",
        f"Peak RSS {result['rss_mb']:.0f} MB.",
        "",
    ]
    (RESULTS / f"million-turn-{args.items}.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
