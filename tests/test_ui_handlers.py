"""The Gradio handlers as plain functions: escaping, sign-in, unknown shoppers, feedback through the API face."""

from __future__ import annotations

import gradio as gr
import pytest

from chat import ui

pytestmark = pytest.mark.slow


def test_a_message_with_markup_is_shown_escaped_in_the_chat(demo_app):
    _, chat, gallery, details, conversation = ui.on_message(
        demo_app, "<img src=x onerror=alert(1)> a dress", "guest", None
    )
    assert chat[0]["content"].startswith("&lt;img src=x onerror=alert(1)&gt;")
    assert gallery and "<img" not in details.replace('<li class="wl-card"', "")


def test_catalogue_markup_is_escaped_in_the_card_details(demo_app):
    from chat.cards import cards_html
    from chat.conversation import Card
    from store.item import Item

    html = cards_html([Card(1, Item(id="x", title='<script>alert("t")</script>', brand="<b>B</b>"), "why", 0.0)])
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;B&lt;/b&gt;" in html


def test_an_unknown_shopper_gets_a_clear_message_and_no_cards(demo_app):
    result, _ = ui.api_turn(demo_app, "a dress", "nobody", None)
    assert "Unknown shopper 'nobody'" in result["error"] and result["cards"] == []


def test_the_turn_api_returns_cards_as_data(demo_app):
    result, conversation = ui.api_turn(demo_app, "a blue skirt", "guest", None)
    assert result["cards"] and {"position", "id", "title", "price", "image", "why"} <= set(result["cards"][0])
    assert all(card["colour"] == "blue" for card in result["cards"])
    assert ui.api_feedback(demo_app, 1, "like", conversation)[0]["reply"].startswith("Noted")


def test_feedback_before_any_message_says_what_to_do(demo_app):
    assert "send a message first" in ui.api_feedback(demo_app, 1, "like", None)[0]["error"]


def test_a_signed_in_hugging_face_visitor_becomes_a_shopper(demo_app):
    profile = gr.OAuthProfile({"name": "Ada L", "preferred_username": "ada", "profile": "", "picture": ""})
    assert ui.signed_in_shopper(demo_app, profile) == "hf:ada"
    assert demo_app.users.user("hf:ada").name == "Ada L"
    assert ui.signed_in_shopper(demo_app, None) == ui.GUEST


def test_a_missing_picture_becomes_the_placeholder(demo_app, tmp_path):
    from chat.cards import card_image
    from chat.conversation import Card
    from store.item import Item

    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG not really")
    placeholder = str(tmp_path / "placeholder.png")
    for image in (str(broken), str(tmp_path / "missing.png"), ""):
        assert card_image(Card(1, Item(id="i", title="t", image=image), "", 0.0), placeholder) == placeholder
