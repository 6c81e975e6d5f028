"""Int8 variants of the ONNX MiniLM (run by hand): which quantisation keeps the float encoder's vectors.

    .venv/bin/python bench/bench_int8_variants.py [--texts 1024] [--threads 1] [--variants a,b]

The default int8 (onnxruntime `quantize_dynamic`, all supported ops) is 3x faster than float but failed the
quality gate (bench/results/encoder-runtime.md). Each variant here quantises the same float export another way
(per-channel weights, 7-bit weights, MatMul only, some layers left in float, static QDQ with calibration on
catalogue texts) and is timed against ONNX float on the same Kaggle texts, in calls of 256 as ingest makes them,
the runs taken in turn; the cosine of each text's vector to float's says which variants deserve the (long)
NDCG gate. Results merge into bench/results/int8-variants.json and rewrite int8-variants.md.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnx
import onnxruntime
from machine import machine, machine_markdown
from onnxruntime.quantization import (
    CalibrationDataReader,
    CalibrationMethod,
    QuantFormat,
    QuantType,
    quantize_dynamic,
    quantize_static,
)

from ranker.encoders import OFFLINE_SENTENCE_MODEL
from ranker.encoders_onnx import FLOAT_FILE, OnnxSentenceEncoder, ensure_export
from store.catalogs.kaggle import read_fashion_product_images

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
KAGGLE = REPO.parent / "shared" / "data" / "fashion-product-images"
EXPORTS = REPO / "data" / "cache" / "onnx"
CALL = 256  # texts per encode_text call, as ingest hands them over
CALIBRATION_TEXTS = 512  # from the end of the catalogue: not the texts the cosines are measured on
LAYERS = 6
ROLES = {
    "qkv": ("attention/self/query", "attention/self/key", "attention/self/value"),
    "attention-out": ("attention/output/dense",),
    "ffn-in": ("intermediate/dense",),
    "ffn-out": ("output/dense",),
}


def weight_matmuls(model: onnx.ModelProto) -> list[str]:
    """The MatMuls with a constant weight (the Linear layers); the attention's activation x activation MatMuls
    and every other op stay float."""
    weights = {initializer.name for initializer in model.graph.initializer}
    return [node.name for node in model.graph.node if node.op_type == "MatMul" and node.input[1] in weights]


def matmuls_except(
    model: onnx.ModelProto, layers: frozenset[int] = frozenset(), roles: tuple[str, ...] = ()
) -> list[str]:
    """The weight MatMuls outside `layers` and outside the `roles` (keys of ROLES) of every layer. A node is named
    `/model/encoder/layer.<n>/<role path>/MatMul`."""
    skipped_paths = {path for role in roles for path in ROLES[role]}

    def kept(name: str) -> bool:
        layer, _, path = name.removeprefix("/model/encoder/layer.").partition("/")
        return int(layer) not in layers and path.removesuffix("/MatMul") not in skipped_paths

    return [name for name in weight_matmuls(model) if kept(name)]


class TextReader(CalibrationDataReader):
    """Calibration batches for static quantisation: catalogue texts tokenised by the encoder, padded alike."""

    def __init__(self, encoder: OnnxSentenceEncoder, texts: list[str], batch: int = 32):
        encodings = encoder._tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda row: len(encodings[row].ids))
        width = max(len(encoding.ids) for encoding in encodings)  # one shape: the histogram calibrators need it
        self._feeds = iter(
            [self._feed([encodings[row] for row in order[s : s + batch]], width) for s in range(0, len(order), batch)]
        )

    @staticmethod
    def _feed(encodings: list, width: int) -> dict[str, np.ndarray]:
        ids, mask, types = (np.zeros((len(encodings), width), dtype=np.int64) for _ in range(3))
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
            types[row, : len(encoding.ids)] = encoding.type_ids
        return {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}

    def get_next(self):
        return next(self._feeds, None)


def dynamic(**options) -> Callable:
    def build(source: Path, target: Path, model: onnx.ModelProto, reader) -> None:
        nodes = options.pop("nodes", None)
        quantize_dynamic(str(source), str(target), nodes_to_quantize=nodes(model) if nodes else None, **options)

    return build


def static(method: CalibrationMethod, per_channel: bool, nodes: Callable | None = None) -> Callable:
    def build(source: Path, target: Path, model: onnx.ModelProto, reader) -> None:
        quantize_static(
            str(source),
            str(target),
            reader(),
            quant_format=QuantFormat.QDQ,
            op_types_to_quantize=["MatMul"],
            nodes_to_quantize=nodes(model) if nodes else None,
            per_channel=per_channel,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            calibrate_method=method,
            extra_options={"MatMulConstBOnly": True},
        )

    return build


VARIANTS: dict[str, Callable] = {
    "dynamic default (the current int8)": dynamic(weight_type=QuantType.QInt8),
    "dynamic MatMul only": dynamic(op_types_to_quantize=["MatMul"]),
    "dynamic per-channel": dynamic(per_channel=True),
    "dynamic MatMul only, per-channel": dynamic(op_types_to_quantize=["MatMul"], per_channel=True),
    "dynamic MatMul only, per-channel, reduce_range": dynamic(
        op_types_to_quantize=["MatMul"], per_channel=True, reduce_range=True
    ),
    "dynamic MatMul only, reduce_range": dynamic(op_types_to_quantize=["MatMul"], reduce_range=True),
    "dynamic per-channel, ffn-out float": dynamic(
        op_types_to_quantize=["MatMul"], per_channel=True, nodes=lambda m: matmuls_except(m, roles=("ffn-out",))
    ),
    "dynamic per-channel, ffn-in float": dynamic(
        op_types_to_quantize=["MatMul"], per_channel=True, nodes=lambda m: matmuls_except(m, roles=("ffn-in",))
    ),
    "dynamic per-channel, qkv float": dynamic(
        op_types_to_quantize=["MatMul"], per_channel=True, nodes=lambda m: matmuls_except(m, roles=("qkv",))
    ),
    "dynamic per-channel, attention-out float": dynamic(
        op_types_to_quantize=["MatMul"], per_channel=True, nodes=lambda m: matmuls_except(m, roles=("attention-out",))
    ),
    "dynamic per-channel, layer 0 float": dynamic(
        op_types_to_quantize=["MatMul"], per_channel=True, nodes=lambda m: matmuls_except(m, layers=frozenset({0}))
    ),
    "dynamic per-channel, layer 5 float": dynamic(
        op_types_to_quantize=["MatMul"], per_channel=True, nodes=lambda m: matmuls_except(m, layers=frozenset({5}))
    ),
    "static QDQ MinMax, per-channel": static(CalibrationMethod.MinMax, True),
    "static QDQ Percentile, per-channel": static(CalibrationMethod.Percentile, True),
    "static QDQ Entropy, per-channel": static(CalibrationMethod.Entropy, True),
}


def variant_encoder(reference: OnnxSentenceEncoder, model_file: Path, threads: int) -> OnnxSentenceEncoder:
    """The reference encoder (tokenizer, pooling) running another model file."""
    encoder = copy.copy(reference)
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    encoder._session = onnxruntime.InferenceSession(str(model_file), options, providers=["CPUExecutionProvider"])
    return encoder


def in_calls(encoder: OnnxSentenceEncoder, texts: list[str]) -> np.ndarray:
    return np.concatenate([encoder.encode_text(texts[start : start + CALL]) for start in range(0, len(texts), CALL)])


def measure(args: argparse.Namespace) -> dict:
    items = read_fashion_product_images(KAGGLE, with_images_only=True).items
    texts = [item.text() for item in items[: args.texts]]
    calibration = [item.text() for item in items[-CALIBRATION_TEXTS:]]
    reference = OnnxSentenceEncoder(export_dir=EXPORTS, threads=args.threads)
    source = ensure_export(OFFLINE_SENTENCE_MODEL, EXPORTS) / FLOAT_FILE
    model = onnx.load(str(source))
    chosen = [name for name in VARIANTS if not args.variants or any(key in name for key in args.variants.split(","))]
    encoders = {"onnx float": reference}
    build_seconds = {}
    with tempfile.TemporaryDirectory() as folder:
        for index, label in enumerate(chosen):
            target = Path(folder) / f"variant-{index}.onnx"
            started = time.perf_counter()
            VARIANTS[label](source, target, model, lambda: TextReader(reference, calibration))
            build_seconds[label] = round(time.perf_counter() - started, 1)
            encoders[label] = variant_encoder(reference, target, args.threads)
        details = machine(args.threads)
        for encoder in encoders.values():
            encoder.encode_text(texts[:64])  # warm-up
        rates: dict[str, list[float]] = {label: [] for label in encoders}
        vectors = {}
        for _ in range(args.repeats):
            for label, encoder in encoders.items():
                started = time.perf_counter()
                vectors[label] = in_calls(encoder, texts)
                rates[label].append(len(texts) / (time.perf_counter() - started))
    base = statistics.median(rates["onnx float"])
    rows = {}
    for label, runs in rates.items():
        cosines = (vectors["onnx float"] * vectors[label]).sum(axis=1)
        rows[label] = {
            "texts_per_second": round(statistics.median(runs), 1),
            "runs": [round(rate, 1) for rate in runs],
            "speed_ratio": round(statistics.median(runs) / base, 2),
            "cosine_min": round(float(cosines.min()), 5),
            "cosine_p01": round(float(np.quantile(cosines, 0.01)), 5),
            "cosine_mean": round(float(cosines.mean()), 5),
            "build_seconds": build_seconds.get(label, "-"),
        }
    return {
        "texts": len(texts),
        "threads": args.threads,
        "repeats": args.repeats,
        "machine": details,
        "load_average_at_end": [round(value, 2) for value in os.getloadavg()],
        "variants": rows,
    }


def to_markdown(runs: list[dict]) -> str:
    lines = ["# Int8 variants of the ONNX MiniLM: speed and agreement with float", ""]
    for run in runs:
        lines += [
            machine_markdown(run["machine"])
            + f" Load average 1/5/15 min at the end: {', '.join(map(str, run['load_average_at_end']))}.",
            "",
            f"{run['texts']:,} Kaggle item texts in calls of {CALL}, {run['threads']} onnxruntime thread(s), "
            f"{run['repeats']} round(s) taking the runs in turn; cosine of each text's vector to ONNX float's "
            "(ONNX float = torch float, cosine > 0.9999).",
            "",
            "| variant | texts/s (median) | / onnx float | runs | cosine min | cosine 1st percentile | cosine mean "
            "| seconds to quantise |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for label, row in run["variants"].items():
            lines.append(
                f"| {label} | {row['texts_per_second']} | {row['speed_ratio']}x | {row['runs']} | {row['cosine_min']} "
                f"| {row['cosine_p01']} | {row['cosine_mean']} | {row['build_seconds']} |"
            )
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=1024)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--variants", default="", help="comma-separated parts of variant labels (default: all)")
    args = parser.parse_args()
    measured = measure(args)
    path = RESULTS / "int8-variants.json"
    runs = json.loads(path.read_text()) if path.exists() else []
    runs.append(measured)
    path.write_text(json.dumps(runs, indent=2) + "\n")
    (RESULTS / "int8-variants.md").write_text(to_markdown(runs))
    print(to_markdown([measured]))


if __name__ == "__main__":
    main()
