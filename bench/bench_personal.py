"""Personalisation benchmark (run by hand): do the demo shoppers see their own taste, and never what they bought?

    .venv/bin/python bench/bench_personal.py --catalog demo --data-dir /tmp/personal-demo
    .venv/bin/python bench/bench_personal.py --catalog kaggle --data-dir /tmp/personal-kaggle \
        --catalog-path /work/shared/data/fashion-product-images

The app is built as `python app.py` builds it (`chat/serve/build.py::build_app`, from settings: on Kaggle, the
photos only), so the demo shoppers are the ones derived from that catalogue (`store/demo_shoppers.py`) and the
model is the app's. Each shopper sends neutral requests (no who, no when, no kind) through the real `Recommender`,
the request built as a conversation builds it; for each request and each pair of shoppers, the share of the top-8
cards matching the shopper's own taste (`StatedTaste.matches`: who and what for) and the other's, and the number
of cards the shopper already bought. A guest row shows what the cards are without a history.

Targets (issue 12): for "something for the weekend", each of two shoppers with different tastes gets >= 70% of
their own taste and <= 40% of the other's; zero bought items shown unasked. Writes
bench/results/personal-<catalog>.{json,md}, and personal.md joins the catalogues' pages.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from pathlib import Path

import torch
from machine import machine, machine_markdown

from chat.request import TOP_K, Request
from chat.serve.build import build_app
from chat.serve.settings import AppSettings
from chat.understand.constraints import parse_message
from store.demo_shoppers import shoppers_for

RESULTS = Path(__file__).resolve().parents[1] / "bench" / "results"
TARGET_REQUEST = "something for the weekend"
REQUESTS = (TARGET_REQUEST, "a new outfit", "something nice", "an everyday look")
TARGET_OWN, TARGET_OTHER = 0.70, 0.40
PAIR = ("maya", "leo")  # the two shoppers the target names: different genders and occasions on every catalogue


def share(matches, cards: list) -> float:
    return sum(map(matches, cards)) / max(len(cards), 1)


def measure(app) -> dict:
    shoppers = {shopper.user.id: shopper for shopper in shoppers_for(app.catalog.items)}
    cards: dict[tuple[str | None, str], list] = {}
    for shopper, text in itertools.product([None, *shoppers], REQUESTS):
        request = Request.from_constraints(text, parse_message(text).constraints, user_id=shopper, k=TOP_K)
        cards[shopper, text] = [pick.item for pick in app.recommender.recommend(request)]
    rows = []
    for (a, b), text in itertools.product(itertools.permutations(shoppers, 2), REQUESTS):
        shown = cards[a, text]
        rows.append(
            {
                "shopper": a,
                "other": b,
                "request": text,
                "cards": len(shown),
                "own": share(shoppers[a].taste.matches, shown),
                "other_taste": share(shoppers[b].taste.matches, shown),
                "own_colours": share(lambda item, taste=shoppers[a].taste: item.colour in taste.colours, shown),
            }
        )
    guest = {text: {sid: share(s.taste.matches, cards[None, text]) for sid, s in shoppers.items()} for text in REQUESTS}
    bought = {
        sid: sum(item.id in set(app.recommender.bought_ids(sid)) for text in REQUESTS for item in cards[sid, text])
        for sid in shoppers
    }
    return {
        "tastes": {sid: s.user.about for sid, s in shoppers.items()},
        "rows": rows,
        "guest": guest,
        "bought_shown_unasked": bought,
        "examples": {sid: [item.title for item in cards[sid, TARGET_REQUEST]] for sid in [*shoppers]},
    }


def verdict(result: dict) -> dict:
    rows = result["rows"]
    target = [r for r in rows if r["request"] == TARGET_REQUEST and {r["shopper"], r["other"]} == set(PAIR)]
    met = all(row["own"] >= TARGET_OWN and row["other_taste"] <= TARGET_OTHER for row in target)
    return {"pair": list(PAIR), "met": met and sum(result["bought_shown_unasked"].values()) == 0, "rows": target}


def markdown(catalog: str, result: dict, details: dict, seconds: float) -> str:
    lines = [
        f"# Personalisation on the {catalog} catalogue",
        "",
        "Command: `.venv/bin/python bench/bench_personal.py --catalog "
        + catalog
        + "` (see the module docstring). The app built from settings as `python app.py` builds it; each request "
        "through the real `Recommender`, top 8 cards. A card *matches* a taste when it is for the taste's "
        "gender and occasion (`StatedTaste.matches`).",
        "",
        machine_markdown(details),
        f"Build and measurement took {seconds:.0f} s.",
        "",
        "## The demo shoppers of this catalogue",
        "",
        "| shopper | taste (the picker's words) |",
        "| --- | --- |",
        *(f"| {sid} | {about} |" for sid, about in result["tastes"].items()),
        "",
        "## Target",
        "",
        f"For “{TARGET_REQUEST}”, {PAIR[0]} and {PAIR[1]} each get >= {TARGET_OWN:.0%} of their own taste and "
        f"<= {TARGET_OTHER:.0%} of the other's; no bought item is shown unasked.",
        "",
        "| shopper | other | own taste | other's taste |",
        "| --- | --- | --- | --- |",
    ]
    check = verdict(result)
    lines += [f"| {r['shopper']} | {r['other']} | {r['own']:.0%} | {r['other_taste']:.0%} |" for r in check["rows"]]
    bought = sum(result["bought_shown_unasked"].values())
    lines += [
        "",
        f"Bought items shown unasked, all shoppers and requests: {bought}. Verdict: "
        + ("**met**" if check["met"] else "**missed**")
        + ".",
        "",
        "## Every pair and request",
        "",
        "*Own colours*: the share of the cards in the shopper's colours (the picker's; the history is drawn from "
        "them first), which a history mostly in two colours lifts a little where the request names none "
        "(chat/history_lean.py `history_colours`). Descriptive, no target.",
        "",
        "| shopper | other | request | own taste | other's taste | own colours |",
        "| --- | --- | --- | --- | --- | --- |",
        *(
            f"| {r['shopper']} | {r['other']} | {r['request']} | {r['own']:.0%} | {r['other_taste']:.0%} "
            f"| {r['own_colours']:.0%} |"
            for r in result["rows"]
        ),
        "",
        "## A guest (no history): share of the cards matching each taste",
        "",
        "| request | " + " | ".join(result["tastes"]) + " |",
        "| --- | " + " | ".join("---" for _ in result["tastes"]) + " |",
        *(
            f"| {text} | " + " | ".join(f"{share:.0%}" for share in shares.values()) + " |"
            for text, shares in result["guest"].items()
        ),
        "",
        f"## The cards for “{TARGET_REQUEST}”",
        "",
        *(f"- **{sid}**: " + "; ".join(titles) for sid, titles in result["examples"].items()),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", choices=("demo", "kaggle"), default="demo")
    parser.add_argument("--catalog-path", default="/work/shared/data/fashion-product-images")
    parser.add_argument("--data-dir", type=Path, required=True, help="reused across runs: the first build is slow")
    args = parser.parse_args()
    torch.set_num_threads(1)
    env = {"WHISPERLITE_DATA_DIR": str(args.data_dir), "WHISPERLITE_CATALOG": args.catalog}
    if args.catalog == "kaggle":
        env |= {"WHISPERLITE_CATALOG_PATH": args.catalog_path, "WHISPERLITE_CATALOG_IMAGES_ONLY": "1"}
    details = machine(torch_threads=1)
    started = time.perf_counter()
    app = build_app(AppSettings.from_env(env), progress=False)
    result = measure(app)
    seconds = time.perf_counter() - started
    result["verdict"] = verdict(result)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"personal-{args.catalog}.json").write_text(json.dumps({"machine": details, **result}, indent=2))
    (RESULTS / f"personal-{args.catalog}.md").write_text(markdown(args.catalog, result, details, seconds))
    parts = sorted(RESULTS.glob("personal-*.md"))
    (RESULTS / "personal.md").write_text("\n".join(part.read_text() for part in parts))
    print(markdown(args.catalog, result, details, seconds))


if __name__ == "__main__":
    main()
