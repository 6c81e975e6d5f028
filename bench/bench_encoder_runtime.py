"""Encoder runtime benchmark (run by hand): the float MiniLM against torch dynamic int8, in the same run.

    .venv/bin/python bench/bench_encoder_runtime.py [--texts 1024] [--threads 1]

Embeds the first `--texts` item texts of the real Kaggle catalogue (../shared/data) with the offline MiniLM
(`ranker.encoders.SentenceEncoder`), then with the same model's Linear layers quantised to int8 by
`torch.ao.quantization.quantize_dynamic`, and reports texts/s for each and the cosine between the two runtimes'
vectors of each text. Writes bench/results/encoder-runtime.{json,md}. The issue's quality gate (#13 item 4) is
NDCG@10 within 1% relative; a cosine far below 0.99 already rules a runtime out before that evaluation.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch
from machine import machine, machine_markdown

from ranker.encoders import SentenceEncoder
from store.catalogs.kaggle import read_fashion_product_images

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
KAGGLE = REPO.parent / "shared" / "data" / "fashion-product-images"
MIN_COSINE = 0.99


def texts_per_second(encoder: SentenceEncoder, texts: list[str]) -> tuple[float, np.ndarray]:
    encoder.encode_text(texts[:64])  # warm-up
    started = time.perf_counter()
    vectors = encoder.encode_text(texts)
    return len(texts) / (time.perf_counter() - started), vectors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=1024)
    parser.add_argument("--threads", type=int, default=1, help="torch threads")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    details = machine(args.threads)
    texts = [item.text() for item in read_fashion_product_images(KAGGLE, with_images_only=True).items[: args.texts]]
    encoder = SentenceEncoder()
    float_speed, float_vectors = texts_per_second(encoder, texts)
    encoder._model = torch.ao.quantization.quantize_dynamic(encoder._model, {torch.nn.Linear}, dtype=torch.qint8)
    int8_speed, int8_vectors = texts_per_second(encoder, texts)
    cosines = (float_vectors * int8_vectors).sum(axis=1)
    report = {
        "texts": len(texts),
        "machine": details,
        "float_texts_per_second": round(float_speed, 1),
        "torch_int8_texts_per_second": round(int8_speed, 1),
        "speed_ratio": round(int8_speed / float_speed, 2),
        "cosine_min": round(float(cosines.min()), 4),
        "cosine_mean": round(float(cosines.mean()), 4),
    }
    verdict = "passes" if report["cosine_min"] > MIN_COSINE else "fails"
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "encoder-runtime.json").write_text(json.dumps(report, indent=2) + "\n")
    markdown = "\n".join(
        [
            "# Encoder runtime: float MiniLM against torch dynamic int8 (same run)",
            "",
            machine_markdown(details),
            "",
            f"{len(texts):,} Kaggle item texts, batches of 64.",
            "",
            "| runtime | texts/s | cosine to float: min / mean |",
            "| --- | --- | --- |",
            f"| torch float32 | {report['float_texts_per_second']} | 1 / 1 |",
            f"| torch dynamic int8 | {report['torch_int8_texts_per_second']} | "
            f"{report['cosine_min']} / {report['cosine_mean']} |",
            "",
            f"int8 / float speed: {report['speed_ratio']}x. Verdict: torch dynamic int8 {verdict} the check "
            f"that every text's cosine is > {MIN_COSINE}, so it is "
            + ("a candidate for the NDCG@10 quality check." if verdict == "passes" else "not adopted as a runtime.")
            + " The ONNX runtimes of issue #13 item 4 are not measured here yet.",
        ]
    )
    (RESULTS / "encoder-runtime.md").write_text(markdown + "\n")
    print(markdown)


if __name__ == "__main__":
    main()
