"""foreign_language: a message in another language is recognised, and English never is misread as foreign."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from chat.understand.language import foreign_language

CONVERSATIONS = Path(__file__).parent / "conversations"
FOREIGN_SCRIPT = "other_language.yaml"  # its first turns are foreign on purpose


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("une robe rouge pas chère", "French"),
        ("je cherche une jupe bleue", "French"),
        ("ein rotes Kleid", "German"),
        ("ich suche eine schwarze Jacke", "German"),
        ("un vestido rojo barato", "Spanish"),
        ("quiero una falda", "Spanish"),
        ("un vestito rosso", "Italian"),
        ("vorrei una borsa nera", "Italian"),
    ],
)
def test_a_request_in_another_language_is_recognised(text, language):
    assert foreign_language(text) == language


@pytest.mark.parametrize(
    "text",
    [
        "a chic robe",
        "lingerie",
        "a kimono and a bolero",
        "espadrilles",
        "culottes in navy",
        "an a-line dress",
        "a petite gilet",
        "a noir dress with rouge lips",
        "a dress for my son",
        "une",
    ],
)
def test_english_with_fashion_loanwords_stays_english(text):
    assert foreign_language(text) is None


def test_no_english_scripted_message_is_read_as_foreign():
    says = [
        turn["say"]
        for path in sorted(CONVERSATIONS.glob("*.yaml"))
        if path.name != FOREIGN_SCRIPT
        for turn in yaml.safe_load(path.read_text(encoding="utf-8"))["turns"]
        if isinstance(turn.get("say"), str)
    ]
    foreign = [say for say in says if say.strip() and foreign_language(say)]
    assert says and foreign == []


def test_no_fashion_iq_caption_is_read_as_foreign(shared_data):
    folder = shared_data / "fashion-iq" / "captions"
    if not folder.is_dir():
        pytest.skip(f"no Fashion IQ captions in {folder}")
    captions = [
        caption
        for path in sorted(folder.glob("cap.*.train.json"))
        for row in json.loads(path.read_text(encoding="utf-8"))
        for caption in row["captions"]
    ]
    assert len(captions) > 30_000
    assert [caption for caption in captions if foreign_language(caption)] == []
