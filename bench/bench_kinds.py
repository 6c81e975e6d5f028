"""Kinds named within a category (run by hand): does "a shirt" show shirts, not the t-shirts the encoder finds as near?

    .venv/bin/python bench/bench_kinds.py --data-dir /tmp/kinds-kaggle \
        --catalog-path /work/shared/data/fashion-product-images

The app is built from settings as `python app.py` builds it on the Kaggle photos (the photos only, its own model).
Each request ("a cotton shirt for men": a kind, who it is for, and none or one of a material, colour or
occasion) goes through the real `Recommender`, built as a conversation builds it, twice in the same run: with the
kind it names in force (items whose title names it rank first, `Request.kinds`) and without (the same request
with `kinds` emptied, the order before the change). A card is *of the kind asked for* when the catalogue's own
article type is the kind's. Writes bench/results/kinds.{json,md}.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import time
from dataclasses import replace
from pathlib import Path

from machine import machine, machine_markdown

from chat.request import TOP_K, Request
from chat.serve.build import build_app
from chat.serve.settings import AppSettings
from chat.understand.constraints import parse_message

RESULTS = Path(__file__).resolve().parents[1] / "bench" / "results"
# the kind a shopper names -> the Kaggle article type that is that kind
KINDS = {
    "shirt": "Shirts",
    "t-shirt": "Tshirts",
    "jeans": "Jeans",
    "kurta": "Kurtas",
    "watch": "Watches",
    "handbag": "Handbags",
    "sneakers": "Casual Shoes",
    "heels": "Heels",
    "sunglasses": "Sunglasses",
    "wallet": "Wallets",
    "belt": "Belts",
    "trousers": "Trousers",
    "shorts": "Shorts",
    "top": "Tops",
    "flip flops": "Flip Flops",
    "socks": "Socks",
    "backpack": "Backpacks",
    "sports shoes": "Sports Shoes",
    "formal shoes": "Formal Shoes",
    "sweatshirt": "Sweatshirts",
    "dress": "Dresses",
    "perfume": "Perfume and body mist",
}
WHO = ("for men", "for women")
EXTRA = ("", "cotton ", "black ", "casual ")


def of_kind(cards: list, article: str) -> float:
    return sum(card.item.extra.get("articleType") == article for card in cards) / len(cards)


def measure(app) -> list[dict]:
    rows = []
    for (kind, article), who, extra in itertools.product(KINDS.items(), WHO, EXTRA):
        text = f"a {extra}{kind} {who}"
        parsed = parse_message(text)
        request = Request.from_constraints(parsed.semantic_text, parsed.constraints, k=TOP_K)
        named = app.recommender.recommend(request)
        unnamed = app.recommender.recommend(replace(request, kinds=frozenset()))
        if named and unnamed:
            rows.append(
                {
                    "request": text,
                    "kinds": sorted(request.kinds),
                    "before": of_kind(unnamed, article),
                    "after": of_kind(named, article),
                }
            )
    return rows


def markdown(rows: list[dict], details: dict, seconds: float) -> str:
    before = statistics.mean(row["before"] for row in rows)
    after = statistics.mean(row["after"] for row in rows)
    worse = [row for row in rows if row["after"] < row["before"]]
    moved = sorted(rows, key=lambda row: row["before"] - row["after"])
    lines = [
        "# Kinds named within a category: “a shirt” on the Kaggle photos",
        "",
        "Command: `.venv/bin/python bench/bench_kinds.py --data-dir DIR --catalog-path "
        "../shared/data/fashion-product-images` (see the module docstring).",
        "",
        machine_markdown(details),
        f"Build and measurement took {seconds:.0f} s.",
        "",
        f"{len(rows)} requests, top {TOP_K} cards each, share of cards of the kind asked for (the catalogue's "
        "article type), the same run:",
        "",
        "| order | mean share of the kind asked for |",
        "| --- | --- |",
        f"| before: the ranker's order alone | {before:.3f} |",
        f"| after: items whose title names the kind first | {after:.3f} |",
        "",
        f"Requests that lost: {len(worse)}"
        + (" (" + ", ".join(f"“{row['request']}” {row['before']:.2f} → {row['after']:.2f}" for row in worse) + ")")
        * bool(worse)
        + ".",
        "",
        "The ten that moved most:",
        "",
        "| request | kinds in force | before | after |",
        "| --- | --- | --- | --- |",
        *(
            f"| {row['request']} | {', '.join(row['kinds']) or '(category word)'} | {row['before']:.2f} | "
            f"{row['after']:.2f} |"
            for row in moved[:10]
        ),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--catalog-path", type=Path, required=True)
    args = parser.parse_args()
    details = machine()
    started = time.perf_counter()
    env = {
        "WHISPERLITE_CATALOG": "kaggle",
        "WHISPERLITE_CATALOG_PATH": str(args.catalog_path),
        "WHISPERLITE_CATALOG_IMAGES_ONLY": "1",
        "WHISPERLITE_DATA_DIR": str(args.data_dir),
    }
    app = build_app(AppSettings.from_env(env), progress=False)
    rows = measure(app)
    seconds = time.perf_counter() - started
    (RESULTS / "kinds.json").write_text(json.dumps({"machine": details, "rows": rows}, indent=1) + "\n")
    (RESULTS / "kinds.md").write_text(markdown(rows, details, seconds))
    print((RESULTS / "kinds.md").read_text())


if __name__ == "__main__":
    main()
