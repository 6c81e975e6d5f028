"""The Gradio face: a chat, a row of image cards, like/dislike, start over, and a shopper picker or HF login.

Handlers are plain functions of (inputs, conversation) -> (outputs, conversation); each browser session holds
its own `Conversation` in `gr.State`, so two sessions never see each other's turns. Two named API endpoints,
`/turn` and `/feedback`, return cards as JSON for scripted clients (`gradio_client`).
"""

from __future__ import annotations

import html
from functools import partial
from typing import Any

import gradio as gr

from chat.bootstrap import App
from chat.cards import card_json, cards_html, gallery_entries, placeholder_image
from chat.conversation import Conversation, Turn
from store.users import UnknownUser, User

GUEST = "guest"
EXAMPLES = [
    "a light summer dress for a beach wedding",
    "sporty sneakers under $120",
    "a tailored navy blazer for the office",
    "an evening bag, no leather",
]
CSS = ".wl-cards{columns:2;font-size:.9em}.wl-card{margin-bottom:.6em;break-inside:avoid}"


def shopper_choices(app: App) -> list[tuple[str, str]]:
    return [("Guest (no history)", GUEST)] + [(f"{u.name}: {u.about}", u.id) for u in app.users.users()]


def new_conversation(app: App, user_id: str | None) -> Conversation:
    return Conversation(user_id=None if user_id in (None, "", GUEST) else user_id, k=app.settings.top_k)


def signed_in_shopper(app: App, profile: gr.OAuthProfile | None) -> str:
    """A Hugging Face visitor becomes shopper "hf:<username>" (created on first sign-in); signed out: guest."""
    if profile is None:
        return GUEST
    user_id = f"hf:{profile.username}"
    app.users.add_user(User(user_id, profile.name or profile.username, "signed in with Hugging Face"))
    return user_id


def check_user(app: App, user_id: str | None) -> str | None:
    """The error to show for an unknown shopper id, else None."""
    if user_id in (None, "", GUEST):
        return None
    try:
        app.users.user(user_id)
    except UnknownUser:
        return f"Unknown shopper {user_id!r}: choose one of {', '.join(u.id for u in app.users.users())} or guest."
    return None


def _conversation(app: App, conversation: Conversation | None, user_id: str | None) -> Conversation:
    wanted = None if user_id in (None, "", GUEST) else user_id
    if conversation is None or conversation.user_id != wanted:
        return new_conversation(app, user_id)
    return conversation


def _chat_messages(conversation: Conversation) -> list[dict[str, str]]:
    """The transcript for gr.Chatbot, escaped: markup typed by a shopper is shown, never rendered."""
    roles = {"human": "user", "ai": "assistant"}
    return [{"role": roles[m.type], "content": html.escape(str(m.content))} for m in conversation.messages]


def _message_text(message: Any) -> str:
    """Gradio 6 may hand over a message as a list of {"type": "text", "text": ...} parts."""
    if isinstance(message, list):
        return " ".join(part.get("text", "") for part in message if isinstance(part, dict))
    return "" if message is None else str(message)


def _view(app: App, conversation: Conversation, turn_cards) -> tuple:
    placeholder = placeholder_image(app.settings.cache_dir)
    return (_chat_messages(conversation), gallery_entries(turn_cards, placeholder), cards_html(turn_cards))


def on_message(app: App, message: Any, user_id: str, conversation: Conversation | None):
    conversation = _conversation(app, conversation, user_id)
    error = check_user(app, user_id)
    if error:
        return "", [{"role": "assistant", "content": html.escape(error)}], [], "", conversation
    turn = conversation.respond(_message_text(message), app.recommender, app.chat_model)
    app.users.save_transcript(conversation.session_id, conversation.user_id or GUEST, conversation.transcript())
    return ("", *_view(app, conversation, turn.cards), conversation)


def on_feedback(app: App, kind: str, selected: int | None, conversation: Conversation | None):
    if conversation is None or selected is None:
        return gr.Info("Select a card first, then press 👍 or 👎.") or conversation
    gr.Info(conversation.feedback(selected, kind, app.recommender))
    return conversation


def on_select(event: gr.SelectData) -> int:
    return int(event.index) + 1


def on_start_over(app: App, user_id: str, conversation: Conversation | None):
    conversation = _conversation(app, conversation, user_id)
    conversation.start_over()
    return ([], [], "", None, conversation)


def on_user_change(app: App, user_id: str):
    return ([], [], "", None, new_conversation(app, user_id))


def api_turn(app: App, message: str, user_id: str, conversation: Conversation | None):
    """JSON for scripted clients: {"reply", "cards": [...], "user"}."""
    error = check_user(app, user_id)
    if error:
        return {"error": error, "reply": error, "cards": []}, conversation
    conversation = _conversation(app, conversation, user_id)
    turn: Turn = conversation.respond(_message_text(message), app.recommender, app.chat_model)
    app.users.save_transcript(conversation.session_id, conversation.user_id or GUEST, conversation.transcript())
    return {"reply": turn.reply, "cards": [card_json(c) for c in turn.cards], "user": user_id or GUEST}, conversation


def api_feedback(app: App, position: int, kind: str, conversation: Conversation | None):
    if conversation is None:
        return {"error": "no conversation yet: send a message first", "reply": ""}, conversation
    try:
        reply = conversation.feedback(int(position), kind, app.recommender)
    except ValueError as error:
        return {"error": str(error), "reply": str(error)}, conversation
    return {"reply": reply}, conversation


def api_start_over(conversation: Conversation | None):
    if conversation is not None:
        conversation.start_over()
    return {"reply": "Starting over."}, conversation


def build_demo(app: App) -> gr.Blocks:
    encoder_note = (
        f"Encoder: {app.encoder.name} ({'text and images' if app.encoder.supports_images else 'text only'}) · "
        f"{app.items.count()} items · model {'WhisperLite + history' if app.scorer else 'zero-shot'}"
    )
    with gr.Blocks(title="WhisperLite Chat") as demo:
        conversation = gr.State(None)
        selected = gr.State(None)
        gr.Markdown(
            f"## WhisperLite Chat\nAsk for clothes in your own words, then refine.  \n<small>{encoder_note}</small>"
        )
        with gr.Row():
            if app.settings.spaces:
                gr.LoginButton()
            user = gr.Dropdown(shopper_choices(app), value=GUEST, label="Shopper", scale=3)
            start_over = gr.Button("Start over", scale=1)
        chatbot = gr.Chatbot(label="Conversation", height=320)
        with gr.Row():
            message = gr.Textbox(placeholder="a light summer dress for a beach wedding", show_label=False, scale=5)
            send = gr.Button("Send", variant="primary", scale=1)
        gr.Examples(EXAMPLES, inputs=message)
        gallery = gr.Gallery(
            label="Picks", columns=4, height=520, object_fit="contain", allow_preview=False, elem_id="cards"
        )
        with gr.Row():
            like = gr.Button("👍 Like selected card")
            dislike = gr.Button("👎 Dislike selected card")
        details = gr.HTML(elem_id="card-details")

        turn_outputs = [message, chatbot, gallery, details, conversation]
        for trigger in (send.click, message.submit):
            trigger(partial(on_message, app), [message, user, conversation], turn_outputs, api_visibility="private")
        gallery.select(on_select, None, selected, api_visibility="private")
        like.click(partial(on_feedback, app, "like"), [selected, conversation], conversation, api_visibility="private")
        dislike.click(
            partial(on_feedback, app, "dislike"), [selected, conversation], conversation, api_visibility="private"
        )
        reset_outputs = [chatbot, gallery, details, selected, conversation]
        start_over.click(partial(on_start_over, app), [user, conversation], reset_outputs, api_visibility="private")
        user.change(partial(on_user_change, app), user, reset_outputs, api_visibility="private")

        if app.settings.spaces:

            def on_login(profile: gr.OAuthProfile | None):
                return gr.Dropdown(choices=shopper_choices(app), value=signed_in_shopper(app, profile))

            demo.load(on_login, None, user, api_visibility="private")

        api_out = gr.JSON(visible=False)
        api_message, api_user = gr.Textbox(visible=False), gr.Textbox(visible=False)
        api_position, api_kind = gr.Number(visible=False, precision=0), gr.Textbox(visible=False)
        gr.Button(visible=False).click(
            partial(api_turn, app), [api_message, api_user, conversation], [api_out, conversation], api_name="turn"
        )
        gr.Button(visible=False).click(
            partial(api_feedback, app),
            [api_position, api_kind, conversation],
            [api_out, conversation],
            api_name="feedback",
        )
        gr.Button(visible=False).click(api_start_over, conversation, [api_out, conversation], api_name="start_over")
    return demo
