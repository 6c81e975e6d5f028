"""Photo plus words, offline: the tiny CLIP embeds the shopper's photo, the real `Recommender` searches a real
in-memory index of the items' pictures; the page's handler reads a real uploaded file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from chat.conversation import Conversation
from chat.recommender import Recommender
from chat.web.photos import NEEDS_IMAGE_ENCODER, NOT_AN_IMAGE, read_photo
from ranker.encoders import ClipEncoder
from store.catalogs.demo_images import draw_product
from store.facts import CatalogueFacts
from store.index import ItemIndex
from store.item import Item
from store.users import UserStore

MB = 1024 * 1024
LOOKS = [  # (id, category, shape, colour, pattern)
    ("blue-maxi", "dress", "dress_maxi", "blue", "plain"),
    ("red-maxi", "dress", "dress_maxi", "red", "stripes"),
    ("red-mini", "dress", "dress_mini", "red", "plain"),
    ("green-tee", "top", "tee", "green", "plain"),
    ("yellow-boot", "shoes", "boot", "yellow", "dots"),
    ("black-tote", "bag", "tote", "black", "plain"),
    ("red-sneaker", "shoes", "sneaker", "red", "plain"),
    ("navy-coat", "jacket", "coat", "navy", "plain"),
]


@pytest.fixture(scope="module")
def encoder(tiny_clip_dir) -> ClipEncoder:
    return ClipEncoder(str(tiny_clip_dir))


@pytest.fixture(scope="module")
def pictures(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("looks")
    paths = {}
    for item_id, _, shape, colour, pattern in LOOKS:
        paths[item_id] = folder / f"{item_id}.png"
        paths[item_id].write_bytes(draw_product(shape, colour, pattern, "white", seed=len(paths)))
    return paths


@pytest.fixture(scope="module")
def recommender(encoder, pictures, tmp_path_factory) -> Recommender:
    items = [
        Item(item_id, f"{colour} {category}", category=category, colour=colour, image=str(pictures[item_id]))
        for item_id, category, _, colour, _ in LOOKS
    ]
    # indexed by their pictures alone: the tiny random CLIP's text vectors would drown its near-alike images
    vectors = encoder.encode_images([Image.open(pictures[item.id]).convert("RGB") for item in items])
    users = UserStore(tmp_path_factory.mktemp("users") / "users.sqlite")
    return Recommender(encoder, ItemIndex(items, vectors), users, scorer=None, facts=CatalogueFacts.of(items))


@pytest.mark.parametrize("item_id", ["blue-maxi", "yellow-boot", "navy-coat"])
def test_the_photo_of_an_item_ranks_that_item_first(recommender, encoder, pictures, item_id):
    turn = Conversation().respond("", recommender, photo=read_photo(pictures[item_id], encoder, MB))
    assert turn.cards[0].item.id == item_id
    assert "your photo" in turn.reply


def test_like_this_but_in_red_filters_the_photo_search_to_red(recommender, encoder, pictures):
    photo = read_photo(pictures["blue-maxi"], encoder, MB)
    turn = Conversation().respond("like this but in red", recommender, photo=photo)
    assert sorted(card.item.id for card in turn.cards) == ["red-maxi", "red-mini", "red-sneaker"]
    assert "your photo" in turn.reply and "red" in turn.reply


def test_like_this_with_a_photo_means_the_photo_not_the_first_card(recommender, encoder, pictures):
    conversation = Conversation()
    conversation.respond("", recommender, photo=read_photo(pictures["navy-coat"], encoder, MB))  # card 1: the coat
    turn = conversation.respond("like this", recommender, photo=read_photo(pictures["yellow-boot"], encoder, MB))
    assert conversation.anchors == [] and turn.cards[0].item.id == "yellow-boot"


def test_the_photo_stays_the_reference_of_the_next_turns(recommender, encoder, pictures):
    conversation = Conversation()
    conversation.respond("", recommender, photo=read_photo(pictures["navy-coat"], encoder, MB))
    assert conversation.respond("in navy", recommender).cards[0].item.id == "navy-coat"


def test_start_over_forgets_the_photo(recommender, encoder, pictures):
    conversation = Conversation()
    conversation.respond("", recommender, photo=read_photo(pictures["navy-coat"], encoder, MB))
    conversation.start_over()
    assert conversation.photo == ()


def test_a_file_that_is_not_an_image_is_refused_with_a_clear_message(encoder, tmp_path):
    broken = tmp_path / "photo.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n this is no picture")
    assert read_photo(broken, encoder, MB).problem == NOT_AN_IMAGE


def test_a_photo_over_the_upload_cap_is_refused(encoder, pictures):
    problem = read_photo(pictures["blue-maxi"], encoder, max_bytes=100).problem
    assert "larger than" in problem


def test_a_text_only_encoder_says_photo_search_needs_an_image_encoder(sentence_encoder, pictures):
    assert read_photo(pictures["blue-maxi"], sentence_encoder, MB).problem == NEEDS_IMAGE_ENCODER


@pytest.mark.slow
def test_an_uploaded_photo_on_the_text_only_app_is_declined_and_the_words_still_search(demo_app, pictures):
    from chat.web.handlers import Handlers

    result, _ = Handlers(demo_app).turn("a red dress", "guest", None, photo=str(pictures["red-maxi"]))
    assert "needs an image encoder" in result["reply"]
    assert result["cards"] and {card.item.category for card in result["cards"]} == {"dress"}
