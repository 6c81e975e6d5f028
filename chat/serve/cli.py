"""`whisperlite`: the command line. Settings come from WHISPERLITE_* variables (see the README); flags override.

whisperlite ingest            embed the configured catalogue into Chroma (safe to re-run)
whisperlite train             train WhisperLite on simulated shoppers (or --interactions FILE, a shop's log;
                              or --from-feedback, the chat's stored feedback); served only if it beats zero-shot
                              and the model in use (the quality gate)
whisperlite model             the model in use, what it was trained on, when, its score; and those refused
whisperlite serve             start the chat app (same as `python app.py`)
whisperlite converse FILE...  run scripted conversations (in-process, or --url against a live app)
whisperlite evaluate-refine   the refine protocol: "like this but darker" on the Kaggle photos
whisperlite study report      the relevance study's table and chart from the stored ratings
whisperlite simulate-loop     shoppers with hidden tastes chat, the model retrains on their feedback, per round
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from chat.serve.settings import AppSettings


def _settings(args: argparse.Namespace) -> AppSettings:
    settings = AppSettings.from_env()
    if args.data_dir:
        settings = settings.with_data_dir(Path(args.data_dir))
    return settings


def cmd_ingest(args: argparse.Namespace) -> int:
    from chat.serve.build import ingest_catalog

    report = ingest_catalog(_settings(args))
    print(
        f"ingested: {report.embedded} embedded, {report.unchanged} unchanged, {report.removed} removed; "
        f"{report.total} items in the store; {len(report.image_failures)} unreadable images (embedded from text)"
    )
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from chat.serve.build import model_context
    from chat.serve.models import train_demo_through_gate, train_through_gate

    settings = _settings(args)
    if args.epochs:
        settings = replace(settings, train_epochs=args.epochs)
    context = model_context(settings)
    if args.from_feedback:
        from chat.serve.feedback_training import retrain_from_feedback
        from store.feedback import FeedbackLog

        retrained = retrain_from_feedback(context, FeedbackLog(settings.users_database))
        print(retrained.taste.describe())
        decision = retrained.decision
    elif args.interactions:
        from ranker.datasets.shop_logs import read_shop_log

        shop_log = read_shop_log(args.interactions, args.format, [item.id for item in context.items])
        print(shop_log.report(context.catalogue))
        files = " ".join(Path(path).name for path in args.interactions)  # names only: folders may be private
        source = f"interactions {files} ({len(shop_log.events)} events)"
        decision = train_through_gate(context, shop_log.events, source)
    else:
        decision = train_demo_through_gate(context)
    print(f"served: {decision.reason}" if decision.serve else f"kept aside, not served: {decision.reason}")
    return 0


def cmd_model(args: argparse.Namespace) -> int:
    from chat.serve.build import read_catalog
    from chat.serve.models import checkpoint_path, model_in_use, taste_path
    from ranker.encoders import load_encoder
    from ranker.shop_taste import ShopTaste

    settings = _settings(args)
    items, encoder = read_catalog(settings).items, load_encoder(settings.encoder, settings.onnx_dir)
    entry = model_in_use(settings, items, encoder)
    if entry is None:
        print("no model trained yet for this catalogue and encoder: the app trains and gates one on first start")
        return 0
    print(f"in use: {entry.in_use()}")
    if entry.served is not None:
        print(f"history: {_history_use(settings, items, encoder, entry.served.checkpoint)}")
    for record in entry.refused:
        print(f"refused: {record.summary()}: {record.decision.reason} (kept in {record.checkpoint})")
    taste = ShopTaste.load(taste_path(checkpoint_path(settings, items, encoder)))
    print(taste.describe() if taste else "the shop's taste: none learned yet (whisperlite train --from-feedback)")
    return 0


def _history_use(settings: AppSettings, items, encoder, checkpoint: str) -> str:
    """How the served checkpoint reads a shopper's history, or why it cannot be read."""
    from chat.serve.models import load_model
    from ranker.checkpoint import CheckpointError

    try:
        model, _ = load_model(items, encoder, settings.checkpoint_dir / checkpoint)
    except CheckpointError as error:
        return f"unknown, the checkpoint cannot be read: {error}"
    return model.history_use()


def cmd_evaluate(args: argparse.Namespace) -> int:
    from ranker.evaluate.cli_args import eval_config_from_args
    from ranker.evaluate.runner import run_evaluation

    report = run_evaluation(eval_config_from_args(args), args.out)
    print(f"{report.label} results for {len(report.protocols)} protocol(s) written to {args.out}")
    return 0


def cmd_evaluate_refine(args: argparse.Namespace) -> int:
    from chat.evaluate.refine import RefineConfig, run_refine
    from chat.evaluate.report import write

    config = RefineConfig(
        data=args.data, references=args.references, limit=args.limit, seed=args.seed, cache_dir=args.cache_dir
    )
    report = run_refine(config)
    write(report, args.out)
    print(f"refine protocol: {len(report.results)} relations on {report.items} items written to {args.out}")
    return 0


def cmd_simulate_loop(args: argparse.Namespace) -> int:
    import tempfile

    from chat.evaluate.closed_loop import LoopConfig, in_process_sessions, run_loop
    from chat.evaluate.loop_report import gain, write
    from chat.serve.build import build_app

    config = LoopConfig(rounds=args.rounds, shoppers=args.shoppers, requests=args.requests, seed=args.seed)
    with tempfile.TemporaryDirectory(prefix="whisperlite-loop-") as folder:
        settings = AppSettings.from_env().with_data_dir(Path(args.data_dir or folder))
        app = build_app(settings)
        if app.feedback.events():
            print(f"error: {app.users.database.name} already holds feedback: the loop needs a fresh data folder")
            return 1
        report = run_loop(app, in_process_sessions(app), config)
    report.notes["app"] = f"Catalogue {len(app.catalog.items)} items, encoder {app.encoder.name}."
    command = "whisperlite simulate-loop " + " ".join(
        f"--{name} {getattr(args, name)}" for name in ("rounds", "shoppers", "requests", "seed")
    )
    write(report, args.out, command)
    first, last = report.rounds[0], report.rounds[-1]
    print(
        f"closed loop: NDCG@10 model alone {first.model:.4f} -> {last.model:.4f} ({gain(report):+.1%}), as served "
        f"{first.served:.4f} -> {last.served:.4f} ({gain(report, 'served'):+.1%}); zero-shot {first.zero_shot:.4f}; "
        f"with each held-out shopper's earlier likes as history {first.with_history:.4f} -> {last.with_history:.4f} "
        f"({gain(report, 'with_history'):+.1%}); written to {args.out}"
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from chat.serve.launch import main

    main()
    return 0


def cmd_converse(args: argparse.Namespace) -> int:
    from chat.scripted.format import ScriptError, load_script
    from chat.scripted.runner import in_process, live, run_scripts

    try:
        scripts = [load_script(path) for path in args.files]
    except (ScriptError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.url:
        open_session = live(args.url)
    else:
        from chat.serve.build import build_app

        open_session = in_process(build_app(_settings(args)))
    checks = run_scripts(scripts, open_session)
    for check in checks:
        print(check.line())
    failed = sum(not check.passed for check in checks)
    print(f"{len(checks) - failed} passed, {failed} failed")
    return 1 if failed else 0


def cmd_study(args: argparse.Namespace) -> int:
    from chat.evaluate.study_report import CHART, cells_of, format_table, write_chart
    from store.ratings import RatingStore

    settings = _settings(args)
    store = RatingStore(settings.users_database)
    ratings = store.ratings()
    if not ratings:
        print(f"no study ratings in {store.database.name} yet: rate some requests at /study first", file=sys.stderr)
        return 1
    cells = cells_of(ratings)
    raters, tasks = len({r.rater_session for r in ratings}), len({r.task_id for r in ratings})
    print(format_table(cells, raters, tasks))
    chart = Path(args.out or settings.data_dir / "study") / CHART
    write_chart(cells, chart)
    print(f"chart: {chart}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="whisperlite", description="WhisperLite Chat: a conversational recommender")
    parser.add_argument("-v", "--verbose", action="store_true", help="log at INFO level")
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, handler: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    ingest = command("ingest", cmd_ingest, "embed the configured catalogue into the item store (idempotent)")
    ingest.add_argument("--data-dir", help="overrides WHISPERLITE_DATA_DIR")
    train = command(
        "train",
        cmd_train,
        "train WhisperLite (simulated shoppers or a shop's log); it is served if it passes the gate",
    )
    train.add_argument("--data-dir", help="overrides WHISPERLITE_DATA_DIR")
    train.add_argument("--epochs", type=int, help="overrides WHISPERLITE_TRAIN_EPOCHS")
    from ranker.datasets.shop_logs import LOG_FORMATS

    train.add_argument(
        "--interactions",
        nargs="+",
        metavar="PATH",
        help="a shop's log: " + "; ".join(f"{name}: {' '.join(paths)}" for name, paths in LOG_FORMATS.items()),
    )
    train.add_argument("--format", choices=sorted(LOG_FORMATS), default="jsonl", help="of --interactions")
    model = command("model", cmd_model, "show the model in use, what it was trained on, and the models refused")
    model.add_argument("--data-dir", help="overrides WHISPERLITE_DATA_DIR")
    train.add_argument(
        "--from-feedback", action="store_true", help="train on the chat's stored feedback, through the quality gate"
    )
    from ranker.evaluate.cli_args import add_evaluate_arguments

    add_evaluate_arguments(command("evaluate", cmd_evaluate, "the offline evaluation: protocols, baselines, metrics"))
    from chat.evaluate.refine import RefineConfig

    defaults = RefineConfig()
    refine = command(
        "evaluate-refine", cmd_evaluate_refine, "the refine protocol: relative refinement on the Kaggle photos"
    )
    refine.add_argument("--data", type=Path, default=defaults.data, help="fashion-product-images folder")
    refine.add_argument("--references", type=int, default=defaults.references, help="per relation")
    refine.add_argument("--limit", type=int, default=None, help="items read (default: every product with a photo)")
    refine.add_argument("--seed", type=int, default=defaults.seed)
    refine.add_argument("--cache-dir", type=Path, default=defaults.cache_dir, help="Chroma folder")
    refine.add_argument("--out", type=Path, default=Path("docs/results/refine"))
    study = command("study", cmd_study, "the relevance study: `report` prints its table and writes its chart")
    study.add_argument("action", choices=["report"])
    study.add_argument("--data-dir", help="overrides WHISPERLITE_DATA_DIR (the ratings are in its users.sqlite)")
    study.add_argument("--out", help="folder of the chart (default: <data dir>/study)")
    from chat.evaluate.closed_loop import LoopConfig

    loop_defaults = LoopConfig()
    loop = command(
        "simulate-loop", cmd_simulate_loop, "the closed loop: simulated shoppers chat, the model learns from it"
    )
    loop.add_argument("--rounds", type=int, default=loop_defaults.rounds)
    loop.add_argument("--shoppers", type=int, default=loop_defaults.shoppers, help="shoppers chatting per round")
    loop.add_argument("--requests", type=int, default=loop_defaults.requests, help="requests per shopper and round")
    loop.add_argument("--seed", type=int, default=loop_defaults.seed)
    loop.add_argument("--data-dir", help="a fresh data folder to build the app in (default: a temporary one)")
    loop.add_argument("--out", type=Path, default=Path("docs/results/closed-loop"))
    command("serve", cmd_serve, "start the chat app (as `python app.py`)")
    converse = command("converse", cmd_converse, "run scripted conversations and check every expectation")
    converse.add_argument("files", nargs="+", help="conversation scripts (YAML, see docs/conversation-scripts.md)")
    converse.add_argument("--url", help="a running app, e.g. http://127.0.0.1:7860 (default: in-process)")
    converse.add_argument("--data-dir", help="overrides WHISPERLITE_DATA_DIR (in-process only)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    import torch

    torch.set_num_threads(1)  # process-wide, so set here once: small matrices run several times faster on one thread
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    from chat.serve.build import USER_FIXABLE_ERRORS

    try:
        return args.handler(args)
    except USER_FIXABLE_ERRORS as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
