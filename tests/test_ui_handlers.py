"""The Gradio handlers as plain methods: escaping, identity from the session, own data, limits, feedback."""

from __future__ import annotations

import gradio as gr
import pytest

from chat.web import handlers as ui
from chat.web.identity import GUEST, ME
from chat.web.rate_limit import RateLimiter, RateLimits

pytestmark = pytest.mark.slow


def profile(username: str, name: str = "") -> gr.OAuthProfile:
    return gr.OAuthProfile(
        {"name": name or username.title(), "preferred_username": username, "profile": "", "picture": ""}
    )


@pytest.fixture(scope="module")
def handlers(demo_app) -> ui.Handlers:
    return ui.Handlers(demo_app)


def test_a_message_with_markup_is_shown_escaped_in_the_chat(handlers):
    message = "<img src=x onerror=alert(1)> a dress"
    result, conversation = handlers.turn(message, GUEST, None)
    view = ui.turn_view(handlers, result, conversation, message)
    assert view.chat[0]["content"].startswith("&lt;img src=x onerror=alert(1)&gt;")
    assert view.gallery and "<img" not in view.details.replace('<li class="wl-card"', "")


def test_catalogue_markup_is_escaped_in_the_card_details():
    from chat.turn import Card
    from chat.web.cards import cards_html
    from store.item import Item

    html = cards_html([Card(1, Item(id="x", title='<script>alert("t")</script>', brand="<b>B</b>"), "why", 0.0)])
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;B&lt;/b&gt;" in html


def test_an_unknown_shopper_gets_a_clear_message_and_no_cards(handlers):
    result, _ = handlers.turn("a dress", "nobody", None)
    assert "Unknown shopper 'nobody'" in result["error"] and result["cards"] == []


def test_the_turn_api_returns_cards_as_data(handlers):
    result, conversation = handlers.turn("a blue skirt", GUEST, None)
    cards = ui.turn_json(result, handlers.app.pictures)["cards"]
    assert cards and {"position", "id", "title", "price", "picture", "why"} <= set(cards[0])
    assert all(card["picture"].startswith("/gradio_api/file=") for card in cards)
    assert all(card["colour"] == "blue" for card in cards)
    assert handlers.feedback(1, "like", conversation)["reply"].startswith("Noted")


def test_feedback_before_any_message_says_what_to_do(handlers):
    assert "Send a message first" in handlers.feedback(1, "like", None)["error"]


def test_a_signed_in_visitor_shops_as_their_own_account_and_their_like_is_stored(handlers, demo_app):
    ada = profile("ada", "Ada L")
    result, conversation = handlers.turn("a scarf", ME, None, ada)
    assert conversation.user_id == "hf:ada" and demo_app.users.user("hf:ada").name == "Ada L"
    handlers.feedback(1, "like", conversation, ada)
    assert [i.item_id for i in demo_app.users.history("hf:ada")] == [result["cards"][0].item.id]
    assert demo_app.users.transcript(conversation.session_id)[0]["data"]["content"] == "a scarf"


def test_a_purchase_said_in_words_is_stored_once_even_when_another_replica_replays_it(handlers, demo_app):
    bea = profile("bea")
    result, conversation = handlers.turn("a scarf", ME, None, bea, session="page-bea")
    answer, _ = handlers.turn("I'll take the second one", ME, conversation, bea, session="page-bea")
    assert answer["reply"].startswith("Bought: “")
    bought = [(i.kind, i.item_id) for i in demo_app.users.history("hf:bea")]
    assert bought == [("purchase", result["cards"][1].item.id)]
    handlers.resume(None, None, bea, "page-bea")
    assert [(i.kind, i.item_id) for i in demo_app.users.history("hf:bea")] == bought


def test_one_signed_in_visitor_cannot_shop_as_another(handlers, demo_app):
    handlers.turn("a scarf", ME, None, profile("victim"))
    before = demo_app.users.export("hf:victim")
    result, conversation = handlers.turn("a dress", "hf:victim", None, profile("mallory"))
    assert "Unknown shopper 'hf:victim'" in result["error"] and conversation is None
    assert demo_app.users.export("hf:victim") == before


def test_a_conversation_of_one_account_cannot_be_rated_by_another_session(handlers, demo_app):
    _, victims = handlers.turn("a scarf", ME, None, profile("victim2"))
    answer = handlers.feedback(1, "like", victims, profile("mallory"))
    assert "no longer signed in" in answer["error"] and demo_app.users.history("hf:victim2") == []
    assert "no longer signed in" in handlers.feedback(1, "like", victims, None)["error"]


def test_signed_in_visitors_never_appear_in_anyones_picker(handlers):
    handlers.turn("a scarf", ME, None, profile("carol", "Carol C"))
    for account in (None, handlers.account(profile("dave"))):
        listed = handlers.choices(account)
        assert not any("carol" in value or "Carol" in label for label, value in listed)
    assert [value for _, value in handlers.choices(handlers.account(profile("dave")))][:2] == [ME, GUEST]


def test_a_visitors_likes_on_a_persona_leave_its_history_unchanged(handlers, demo_app):
    before = demo_app.users.export("leo")
    _, conversation = handlers.turn("sneakers", "leo", None)
    handlers.feedback(1, "like", conversation)
    handlers.feedback(2, "dislike", conversation)
    assert conversation.liked and demo_app.users.export("leo") == before


def test_a_guest_or_persona_conversation_leaves_no_transcript(handlers, demo_app):
    for choice in (GUEST, "maya"):
        _, conversation = handlers.turn("a bag", choice, None)
        assert demo_app.users.transcript(conversation.session_id) == []


def test_a_signed_in_page_this_replica_holds_no_state_for_goes_on_from_its_stored_transcript(handlers):
    ivy, kept = profile("ivy"), None
    for message in ("a summer dress", "in blue"):
        _, kept = handlers.turn(message, ME, kept, ivy, session="page-ivy")
    result, resumed = handlers.turn("under 80", ME, None, ivy, session="page-ivy")
    assert resumed is not kept and resumed.session_id == kept.session_id
    assert result["cards"] and all(c.item.colour == "blue" and c.item.price <= 80 for c in result["cards"])
    assert all(card.item.category == "dress" for card in result["cards"])


def test_another_account_on_the_same_session_hash_starts_its_own_conversation(handlers):
    handlers.turn("a summer dress in blue", ME, None, profile("jay"), session="shared-page")
    _, other = handlers.turn("under 80", ME, None, profile("kim"), session="shared-page")
    assert other.constraints.colours == frozenset() and other.constraints.categories == frozenset()


def test_a_replica_whose_state_is_behind_the_stored_conversation_goes_on_from_the_stored_one(handlers):
    una = profile("una")
    _, on_a = handlers.turn("a summer dress", ME, None, una, session="page-una")
    handlers.turn("in blue", ME, None, una, session="page-una")  # another replica, holding no state for the page
    result, back_on_a = handlers.turn("under 80", ME, on_a, una, session="page-una")
    assert back_on_a is not on_a and back_on_a.constraints.colours == frozenset({"blue"})
    assert [m.content for m in back_on_a.messages][::2] == ["a summer dress", "in blue", "under 80"]


def test_a_start_over_is_in_force_on_a_replica_that_replays_the_conversation(handlers):
    lia = profile("lia")
    _, conversation = handlers.turn("a summer dress in blue", ME, None, lia, session="page-lia")
    handlers.start_over(conversation)
    _, resumed = handlers.turn("under 80", ME, None, lia, session="page-lia")
    assert resumed.constraints.colours == frozenset() and resumed.constraints.categories == frozenset()


def test_a_like_on_a_page_this_replica_holds_no_state_for_is_stored_for_the_card_shown(handlers, demo_app):
    max_ = profile("max")
    result, _ = handlers.turn("a summer dress", ME, None, max_, session="page-max")
    resumed = handlers.resume(None, None, max_, "page-max")
    assert handlers.feedback(3, "like", resumed, max_)["reply"].startswith("Noted")
    assert [i.item_id for i in demo_app.users.history("hf:max")] == [result["cards"][2].item.id]


def test_a_page_with_no_stored_conversation_resumes_nothing(handlers):
    assert handlers.resume(None, None, profile("nell"), "page-nell") is None


def test_my_data_holds_my_likes_and_conversations_and_nothing_of_anyone_else(handlers):
    erin = profile("erin")
    _, conversation = handlers.turn("a red coat", ME, None, erin)
    handlers.feedback(1, "like", conversation, erin)
    handlers.turn("something private of frank's", ME, None, profile("frank"))
    data = handlers.my_data(erin)
    assert data["user"]["id"] == "hf:erin" and len(data["interactions"]) == 1
    assert [m["data"]["content"] for m in data["conversations"][0]["messages"] if m["type"] == "human"] == [
        "a red coat"
    ]
    assert "frank" not in str(data)
    assert "Save my data (1 likes and purchases, 1 conversations)" in ui.download_link(data)


def test_my_data_and_forget_me_refuse_a_visitor_who_is_not_signed_in(handlers):
    assert "Sign in" in handlers.my_data(None)["error"] and "Sign in" in handlers.forget_me(None)["error"]


def test_forget_me_leaves_no_row_for_that_shopper(handlers, demo_app):
    gina = profile("gina")
    _, conversation = handlers.turn("a hat", ME, None, gina)
    handlers.feedback(1, "like", conversation, gina)
    assert handlers.forget_me(gina)["deleted"] == {
        "interactions": 1,
        "feedback_events": 1,
        "sessions": 1,
        "users": 1,
        "study_ratings": 0,
    }
    assert (
        demo_app.users.count_interactions("hf:gina") == 0 and demo_app.users.transcript(conversation.session_id) == []
    )
    assert all(user.id != "hf:gina" for user in demo_app.users.users())


def test_a_refused_turn_keeps_the_message_and_the_cards_on_screen(demo_app):
    limited = ui.Handlers(demo_app, RateLimiter(RateLimits(turns_per_session=1)))
    first, conversation = limited.turn("a scarf", GUEST, None, session="s", client="c")
    refused, same = limited.turn("in red", GUEST, conversation, session="s", client="c")
    assert "at most 1 a minute" in refused["error"] and same is conversation
    view = ui.turn_view(limited, refused, same, "in red")
    assert view.message == "in red" and len(view.gallery) == len(first["cards"])
    assert view.chat[-1]["content"] == refused["error"]


def test_a_missing_picture_becomes_the_placeholder(demo_app, tmp_path):
    from chat.turn import Card
    from chat.web.cards import card_image
    from store.item import Item

    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG not really")
    for image in (str(broken), str(tmp_path / "missing.png"), ""):
        card = Card(1, Item(id="i", title="t", image=image), "", 0.0)
        assert card_image(card, demo_app.pictures) == demo_app.pictures.placeholder


def test_the_card_details_list_the_sizes_an_item_comes_in():
    from chat.turn import Card
    from chat.web.cards import cards_html
    from store.item import Item

    html = cards_html([Card(1, Item(id="x", title="Dress", sizes=("s", "m", "<l>")), "why", 0.0)])
    assert "sizes s, m, &lt;l&gt;" in html
