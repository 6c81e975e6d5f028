"""The Gradio page: a chat with quick-reply buttons and a photo to attach, a row of image cards, like/dislike/buy,
start over, a shopper picker and, on a Space, Hugging Face sign-in with "download my data" and "forget me"; plus
the named JSON endpoints.

Thin by design: each event is a small function that reads who is asking from Gradio (`gr.OAuthProfile`,
`gr.Request`), calls one `Handlers` method and lays its result out in the components. Gradio injects the
profile and the request by the parameters' type hints, which is why these are plain functions, not partials.
"""

from __future__ import annotations

import html
import threading

import gradio as gr

from chat.clarify import MAX_CHOICES
from chat.serve.build import App
from chat.web.handlers import Handlers, client_address, download_link, quick_reply_buttons, turn_json, turn_view
from chat.web.identity import GUEST, ME
from chat.web.study_page import build_study_page

EXAMPLES = [
    "a light summer dress for a beach wedding",
    "sporty sneakers under $120",
    "a tailored navy blazer for the office",
    "an evening bag, no leather",
]
# The gallery's status tracker while a turn runs; a failed turn leaves it showing "Error" (`.error`), not busy.
# The page is busy when it shows one (two :has side by side on body: CSS does not allow one :has inside another).
TRACKER = "#cards [data-testid=status-tracker]"
BUSY = f"{TRACKER}:not(.hide):not(:has(.error))"
BUSY_PAGE = f"body:has({TRACKER}:not(.hide)):not(:has({TRACKER} .error))"
CSS = (
    ".wl-cards{columns:2;font-size:.9em}.wl-card{margin-bottom:.6em;break-inside:avoid}"
    "#quick-replies{flex-wrap:wrap;gap:.4em}#quick-replies button{flex:0 1 auto;min-width:0;white-space:normal}"
    # The shop window: Gradio's gallery is a fixed-height scroller of square tiles with a one-line caption laid
    # over the picture. Here every card is whole: four to a row on a laptop (two rows hold the top 8 in an
    # 800 px window), two on a phone; a picture of fixed height above a caption of title, price and why, which
    # wraps instead of being cut. A single result keeps a card's width.
    "#cards,#cards .grid-wrap{height:auto!important;max-height:none!important;min-height:0!important;overflow:visible}"
    "#cards .grid-container{grid-template-columns:repeat(4,minmax(0,1fr))!important;grid-template-rows:none!important;"
    "grid-auto-rows:auto!important;height:auto!important}"
    "#cards .thumbnail-item{aspect-ratio:auto!important;height:auto!important;display:flex;flex-direction:column}"
    "#cards .thumbnail-item img{height:170px!important;width:100%;object-fit:contain;flex:none;background:#fff}"
    "#cards .caption-label{position:static!important;max-width:none!important;white-space:pre-line!important;"
    "overflow:visible!important;text-overflow:clip!important;border:0!important;border-radius:0!important;"
    "opacity:1!important;font-size:13px!important;line-height:1.3;padding:.3em .5em!important}"
    "@media (max-width:640px){#cards .grid-container{grid-template-columns:repeat(2,minmax(0,1fr))!important}"
    "#cards .thumbnail-item img{height:140px!important}}"
    # Busy while a turn runs: Gradio shows its status tracker on the gallery until the answer is in; while it
    # shows, the gallery says so and the Send button reads "Finding picks…" (CSS only: no extra round trip).
    f"{BUSY}::after{{content:'Finding your picks…';position:absolute;"
    "top:2.2em;left:50%;transform:translateX(-50%);padding:.3em 1em;border-radius:1em;"
    "background:var(--color-accent);color:#fff;font-weight:600;white-space:nowrap}"
    f"{BUSY_PAGE} #send{{font-size:0;cursor:progress;opacity:.75}}"
    f"{BUSY_PAGE} #send::after{{content:'Finding picks…';"
    "font-size:var(--button-large-text-size)}"
)
# The card a press of Like, Dislike or Buy is about, read in the browser from the gallery's selected thumbnail
# (its accessible name is "Thumbnail N of M") and sent with the press: a selection sent as its own server event
# could arrive after a quick press, which then found no card.
SELECTED_CARD = """(selected, ...others) => {
  const card = document.querySelector('#cards button.thumbnail-lg.selected');
  const number = card && /^Thumbnail (\\d+) of/.exec(card.getAttribute('aria-label') || '');
  return [number ? Number(number[1]) : null, ...others];
}"""
LOCAL_NOTE = (
    "**Local demo**: no sign-in here. Shop as a guest or as a demo persona to see personalisation; "
    "likes last for this conversation. Ratings of cards are kept anonymously (the request and the item, under "
    "a random session id, no name) to train the model."
)
SPACE_NOTE = (
    "Sign in with Hugging Face to keep your likes and history: they are yours alone, to download or delete "
    "below. Demo personas show personalisation; likes on them last for this visit (kept anonymously, with the "
    "request, to train the model)."
)


def build_demo(app: App) -> gr.Blocks:
    handlers = Handlers(app)
    # The lean endpoint runs outside the queue, in AnyIO's 40 worker threads: as many turns at once as the queue
    # runs, the rest waiting in line, rather than 20 turns interleaved on the GIL (bench/results/throughput.md).
    turns_at_once = threading.BoundedSemaphore(app.settings.turns_at_once)
    spaces = app.settings.spaces
    behind_proxy = app.settings.behind_proxy
    encoder_note = (
        f"Encoder: {app.encoder.name} ({'text and images' if app.encoder.supports_images else 'text only'}) · "
        f"{app.items.count()} items · model: "
    )

    def header() -> str:
        """The title, the notes and what serves; on a first start read at every page load, so that the model
        trained in the background is named once it serves."""
        note = encoder_note + html.escape(app.model_info["in_use"])
        if app.recommender.shop_taste.reactions:  # learned from the chat's feedback (whisperlite train --from-feedback)
            note += " · " + html.escape(app.recommender.shop_taste.describe())
        return (
            "## WhisperLite Chat\nAsk for clothes in your own words, then refine.  \n"
            f"{SPACE_NOTE if spaces else LOCAL_NOTE}  \n<small>{note}</small>"
        )

    def where(request: gr.Request | None) -> dict[str, str]:
        return {"session": getattr(request, "session_hash", "") or "", "client": client_address(request, behind_proxy)}

    def on_message(message, photo, choice, conversation, profile: gr.OAuthProfile | None, request: gr.Request):
        result, conversation = handlers.turn(message, choice, conversation, profile, **where(request), photo=photo)
        return turn_view(handlers, result, conversation, message, photo).values()

    def on_quick_reply(choice_text, choice, conversation, profile: gr.OAuthProfile | None, request: gr.Request):
        """A quick reply is the shopper's next message, as if typed; a photo waiting in its box stays there."""
        result, conversation = handlers.turn(choice_text, choice, conversation, profile, **where(request))
        return (gr.skip(), gr.skip(), *turn_view(handlers, result, conversation, choice_text).values()[2:])

    def on_feedback(kind, selected, choice, conversation, profile: gr.OAuthProfile | None, request: gr.Request):
        if not selected:
            gr.Info("Select a card first, then press 👍 or 👎.")
            return conversation
        session = where(request)
        conversation = handlers.resume(choice, conversation, profile, session["session"])
        result = handlers.feedback(selected, kind, conversation, profile, **session)
        (gr.Warning if "error" in result else gr.Info)(result["reply"])
        return conversation

    def on_like(selected, choice, conversation, profile: gr.OAuthProfile | None, request: gr.Request):
        return on_feedback("like", selected, choice, conversation, profile, request)

    def on_dislike(selected, choice, conversation, profile: gr.OAuthProfile | None, request: gr.Request):
        return on_feedback("dislike", selected, choice, conversation, profile, request)

    def on_buy(selected, choice, conversation, profile: gr.OAuthProfile | None, request: gr.Request):
        return on_feedback("purchase", selected, choice, conversation, profile, request)

    def on_start_over(choice, conversation, profile: gr.OAuthProfile | None, request: gr.Request):
        conversation = handlers.start_over(handlers.resume(choice, conversation, profile, where(request)["session"]))
        return [], [], "", conversation, *quick_reply_buttons()

    def on_shopper_change(choice):
        return [], [], "", None, *quick_reply_buttons()  # the next turn starts this shopper's own conversation

    def on_load(profile: gr.OAuthProfile | None):
        account = handlers.account(profile)
        return gr.Dropdown(choices=handlers.choices(account), value=ME if account else GUEST)

    def on_my_data(profile: gr.OAuthProfile | None):
        return download_link(handlers.my_data(profile))

    def on_forget_me(profile: gr.OAuthProfile | None):
        result = handlers.forget_me(profile)
        if "error" in result:
            return html.escape(result["error"]), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        return html.escape(result["reply"]), [], [], "", None  # the conversation on screen is gone too

    def api_turn(message, shopper, photo, conversation, profile: gr.OAuthProfile | None, request: gr.Request):
        """JSON for scripted clients: {"reply", "cards": [...], "quick_replies": [...], "user"} or {"error", ...};
        `photo` is an uploaded file (gradio_client's `handle_file`) or None."""
        with turns_at_once:
            result, conversation = handlers.turn(message, shopper, conversation, profile, **where(request), photo=photo)
        return turn_json(result, app.pictures), conversation

    def api_feedback(position, kind, conversation, profile: gr.OAuthProfile | None, request: gr.Request):
        session = where(request)
        conversation = handlers.resume(None, conversation, profile, session["session"])
        return handlers.feedback(position, kind, conversation, profile, **session), conversation

    def api_start_over(conversation, profile: gr.OAuthProfile | None, request: gr.Request):
        conversation = handlers.start_over(handlers.resume(None, conversation, profile, where(request)["session"]))
        return {"reply": "Starting over."}, conversation

    def api_my_data(profile: gr.OAuthProfile | None):
        return handlers.my_data(profile)

    def api_forget_me(profile: gr.OAuthProfile | None):
        return handlers.forget_me(profile), None

    with gr.Blocks(title="WhisperLite Chat", analytics_enabled=False) as demo:  # no usage data leaves
        conversation = gr.State(None)
        # A callable value is re-read at every page load, the blind study page's too (whose answers must not name a
        # system): only a first start, whose model trains after the page is up, needs the header read again.
        gr.Markdown(header if app.first_model is not None else header(), elem_id="header")
        with gr.Row():
            if spaces:
                gr.LoginButton()
            user = gr.Dropdown(handlers.choices(None), value=GUEST, label="Shopper", scale=3, elem_id="shopper")
            start_over = gr.Button("Start over", scale=1)
        chatbot = gr.Chatbot(label="Conversation", height=320)
        with gr.Row(elem_id="quick-replies"):
            quick_replies = [gr.Button(" ", visible=False, size="md") for _ in range(MAX_CHOICES)]
        with gr.Row(equal_height=True):
            message = gr.Textbox(placeholder="a light summer dress for a beach wedding", show_label=False, scale=5)
            photo = gr.File(
                label="Photo (optional)", file_types=["image"], type="filepath", height=120, scale=2, elem_id="photo"
            )
            send = gr.Button("Send", variant="primary", scale=1, elem_id="send")
        gr.Examples(EXAMPLES, inputs=message)
        gallery = gr.Gallery(label="Picks", columns=4, object_fit="contain", allow_preview=False, elem_id="cards")
        with gr.Row():
            like = gr.Button("👍 Like selected card")
            dislike = gr.Button("👎 Dislike selected card")
            buy = gr.Button("🛒 Buy selected card (demo)")
        selected = gr.Number(visible=False, precision=0)  # filled in the browser from the gallery (SELECTED_CARD)
        details = gr.HTML(elem_id="card-details")
        with gr.Row(visible=spaces):
            my_data = gr.Button("Download my data", size="sm")
            forget_me = gr.Button("Forget me", size="sm", variant="stop")
        own_data = gr.HTML(elem_id="own-data")

        private = {"api_visibility": "private"}
        turn_outputs = [message, photo, chatbot, gallery, details, conversation, *quick_replies]  # TurnView's order
        busy = {"show_progress_on": [chatbot, gallery]}  # the message box stays readable while its turn runs
        for trigger in (send.click, message.submit):
            trigger(on_message, [message, photo, user, conversation], turn_outputs, **private, **busy)
        for button in quick_replies:
            button.click(on_quick_reply, [button, user, conversation], turn_outputs, **private, **busy)
        card_of_press = {"js": SELECTED_CARD, **private}
        like.click(on_like, [selected, user, conversation], conversation, **card_of_press)
        dislike.click(on_dislike, [selected, user, conversation], conversation, **card_of_press)
        buy.click(on_buy, [selected, user, conversation], conversation, **card_of_press)
        reset_outputs = [chatbot, gallery, details, conversation, *quick_replies]
        start_over.click(on_start_over, [user, conversation], reset_outputs, **private)
        user.change(on_shopper_change, user, reset_outputs, **private)
        if spaces:
            demo.load(on_load, None, user, **private)
            my_data.click(on_my_data, None, own_data, **private)
            forget_me.click(on_forget_me, None, [own_data, chatbot, gallery, details, conversation], **private)

        api_out = gr.JSON(visible=False)
        api_message, api_shopper = gr.Textbox(visible=False), gr.Textbox(visible=False)
        api_photo = gr.File(visible=False, type="filepath")
        api_position, api_kind = gr.Number(visible=False, precision=0), gr.Textbox(visible=False)
        hidden = gr.Button(visible=False)
        # Outside the queue: a client's one POST to /gradio_api/run/<name> is answered with the JSON, with no
        # queue round trips or event stream (a few ms, against tens through the queue; bench/results/live.md).
        # The app's own rate limits still apply (`Handlers`), and the state is the session's, as in the queue.
        lean = {"queue": False}
        hidden.click(
            api_turn,
            [api_message, api_shopper, api_photo, conversation],
            [api_out, conversation],
            api_name="turn",
            **lean,
        )
        hidden.click(
            api_feedback, [api_position, api_kind, conversation], [api_out, conversation], api_name="feedback", **lean
        )
        hidden.click(api_start_over, conversation, [api_out, conversation], api_name="start_over", **lean)
        hidden.click(api_my_data, None, api_out, api_name="my_data", **lean)
        hidden.click(api_forget_me, None, [api_out, conversation], api_name="forget_me", **lean)
    with demo.route("Relevance study", "/study"):
        build_study_page(app)
    return demo
