"""Every action of the web face as plain methods: one `Handlers` object answers the UI (`chat/web/page.py`) and
the JSON API alike (`/turn`, `/feedback`, `/start_over`, `/my_data`, `/forget_me`).

Who the shopper is comes from the session: the OAuth profile Gradio injects from the signed session cookie
(see `chat/web/identity.py`); a request's shopper choice can only be a guest, a demo persona, or `me`. Each
browser session holds its own `Conversation` in `gr.State`, so two sessions never see each other's turns. A
replica that holds no state for a signed-in shopper's page (another replica answered it, or this one restarted)
rebuilds the conversation from its stored transcript (`chat/replay.py`) before it answers or takes a like.
Turns and feedback are rate-limited per session and per client address (`chat/web/rate_limit.py`).
"""

from __future__ import annotations

import base64
import html
import json
import logging
from dataclasses import dataclass, fields
from typing import Any

import gradio as gr

from chat.clarify import MAX_CHOICES
from chat.conversation import Conversation
from chat.replay import conversation_id, replay
from chat.serve.build import App
from chat.turn import Card
from chat.web.cards import card_json, cards_html, gallery_entries, picture_url
from chat.web.identity import GUEST, ME, NotAllowed, Shopper, account_for, resolve_shopper
from chat.web.photos import read_photo
from chat.web.pictures import Pictures
from chat.web.rate_limit import RateLimiter
from store.ratings import RatingStore
from store.users import KINDS, User, UserStoreError

log = logging.getLogger(__name__)


@dataclass
class TurnView:
    """What the UI shows after a turn, by name; `outputs` lists the components in this field order, the
    quick replies last, as `MAX_CHOICES` buttons (the unused ones hidden)."""

    message: str  # what stays in the message box: emptied after a turn, kept when it was refused
    photo: str | None  # the attached photo: taken by the turn (the conversation keeps its vector), kept if refused
    chat: list[dict[str, str]]
    gallery: list[tuple[str, str]]
    details: str
    conversation: Conversation | None
    quick_replies: tuple[str, ...] = ()

    def values(self) -> tuple:
        shown = tuple(getattr(self, field.name) for field in fields(self) if field.name != "quick_replies")
        return (*shown, *quick_reply_buttons(self.quick_replies))


def quick_reply_buttons(choices: tuple[str, ...] = ()) -> list[gr.Button]:
    """Updates for the `MAX_CHOICES` quick-reply buttons: one per choice, the rest hidden."""
    padded = [*choices, *[""] * (MAX_CHOICES - len(choices))][:MAX_CHOICES]
    return [gr.Button(value=choice or " ", visible=bool(choice)) for choice in padded]


def message_text(message: Any) -> str:
    """Gradio 6 may hand over a message as a list of {"type": "text", "text": ...} parts."""
    if isinstance(message, list):
        return " ".join(part.get("text", "") for part in message if isinstance(part, dict))
    return "" if message is None else str(message)


def chat_messages(conversation: Conversation | None, notice: str = "") -> list[dict[str, str]]:
    """The transcript for gr.Chatbot, escaped: markup typed by a shopper is shown, never rendered."""
    roles = {"human": "user", "ai": "assistant"}
    messages = conversation.messages if conversation else []
    shown = [{"role": roles[m.type], "content": str(m.content)} for m in messages]
    if notice:
        shown.append({"role": "assistant", "content": notice})
    return [{**message, "content": html.escape(message["content"])} for message in shown]


def client_address(request: gr.Request | None, behind_proxy: bool) -> str:
    """The client's address; behind a proxy (a Space's, or one named by WHISPERLITE_BEHIND_PROXY), the address
    the proxy saw, which it appends to X-Forwarded-For."""
    if request is None:
        return "local"
    forwarded = request.headers.get("x-forwarded-for", "") if behind_proxy else ""
    if forwarded:  # the last entry is the one the proxy added; earlier ones the client may forge
        return forwarded.split(",")[-1].strip()
    return request.client.host if request.client else "unknown"


class Handlers:
    """Every action of the UI and the API, as plain methods: identity, limits, the turn, feedback, own data."""

    def __init__(self, app: App, limiter: RateLimiter | None = None):
        self.app = app
        self.limiter = limiter or RateLimiter(app.settings.rate_limits)

    def account(self, profile: gr.OAuthProfile | None) -> User | None:
        """The signed-in visitor's own account, created on first use; None when signed out."""
        if profile is None:
            return None
        account = account_for(profile.username, profile.name)
        self.app.users.add_user(account)
        return account

    def shopper(self, choice: str | None, profile: gr.OAuthProfile | None) -> Shopper:
        return resolve_shopper(choice, self.account(profile), self.app.users.personas())

    def choices(self, account: User | None) -> list[tuple[str, str]]:
        mine = [(f"Me: {account.name} (signed in)", ME)] if account else []
        personas = [(f"Demo persona {u.name}: {u.about}", u.id) for u in self.app.users.personas()]
        return [*mine, ("Guest (no history)", GUEST), *personas]

    def conversation_for(self, shopper: Shopper, conversation: Conversation | None, session: str = "") -> Conversation:
        """The session's conversation when it is this shopper's and no other replica went on with it since, else
        the shopper's conversation of this page (`_conversation_of_page`)."""
        if conversation is None or (conversation.user_id, conversation.remembered) != (
            shopper.user_id,
            shopper.remembered,
        ):
            return self._conversation_of_page(shopper, session)
        if session and self._moved_on(conversation):
            return self._conversation_of_page(shopper, session)
        return conversation

    def resume(
        self, choice: str | None, conversation: Conversation | None, profile: gr.OAuthProfile | None, session: str = ""
    ) -> Conversation | None:
        """The session's conversation as it stands in the user store for a signed-in shopper (a like pressed on
        cards another replica showed): this replica's own when it is up to date, else the stored one, else None."""
        if profile is None or not session:
            return conversation
        try:
            if conversation is not None and not self._moved_on(conversation):
                return conversation
            shopper = self.shopper(choice, profile)
            stored = self._conversation_of_page(shopper, session) if shopper.remembered else None
        except (NotAllowed, UserStoreError) as error:
            log.error("conversation not resumed: %s", error)
            return conversation
        return stored if stored is not None and stored.messages else conversation

    def _moved_on(self, conversation: Conversation) -> bool:
        """Whether another replica saved a signed-in shopper's conversation since this one last did (the browser
        went there and came back); one small read per turn."""
        if not (conversation.remembered and conversation.user_id):
            return False
        return self.app.users.transcript_updated(conversation.session_id, conversation.user_id) != conversation.saved_at

    def _conversation_of_page(self, shopper: Shopper, session: str) -> Conversation:
        """A new conversation; a signed-in shopper's has the same id on every replica for one page (its Gradio
        session hash) and, when a transcript is stored under that id, goes on from it: one page, one conversation
        of the account, whichever replica answers (a switch to a persona and back resumes it too)."""
        conversation = Conversation(user_id=shopper.user_id, remembered=shopper.remembered, k=self.app.settings.top_k)
        if not (shopper.remembered and shopper.user_id and session):
            return conversation
        conversation.session_id = conversation_id(shopper.user_id, session)
        conversation.saved_at = self.app.users.transcript_updated(conversation.session_id, shopper.user_id)
        stored = self.app.users.transcript(conversation.session_id, shopper.user_id) if conversation.saved_at else []
        if stored:  # read after its time: a save in between makes the next turn replay again, never miss it
            done = self.app.users.history(shopper.user_id, kinds=KINDS, session_id=conversation.session_id)
            feedback = [(interaction.kind, interaction.item_id) for interaction in done]
            recommender = self.app.recommender
            replay(stored, conversation, recommender, recommender.items.get, feedback, self.app.chat_model)
            log.info("conversation %s replayed from its %d stored messages", conversation.session_id, len(stored))
        return conversation

    def turn(
        self,
        message: Any,
        choice: str | None,
        conversation: Conversation | None,
        profile: gr.OAuthProfile | None = None,
        session: str = "",
        client: str = "local",
        photo: str | None = None,
    ) -> tuple[dict, Conversation | None]:
        """One message, with the path of an attached photo or none: {"reply", "cards": [Card], "quick_replies",
        "user"} or {"error", "reply", "cards": [], "quick_replies": []}."""
        refused = self.limiter.admit("turn", session, client)
        if refused:
            return {**_refusal(refused), "cards": [], "quick_replies": []}, conversation
        try:
            shopper = self.shopper(choice, profile)
            conversation = self.conversation_for(shopper, conversation, session)
            attached = read_photo(photo, self.app.encoder, self.app.settings.max_upload_bytes)
            answer = conversation.respond(
                message_text(message), self.app.recommender, self.app.chat_model, attached, self.app.users
            )
        except NotAllowed as error:
            return {**_refusal(str(error)), "cards": [], "quick_replies": []}, conversation
        except UserStoreError as error:
            log.error("turn not answered: %s", error)
            down = "The shop's database is not answering right now, so I could not answer. Please send it again soon."
            return {**_refusal(down), "cards": [], "quick_replies": []}, conversation
        self._save(conversation)
        result = {"reply": answer.reply, "cards": answer.cards, "quick_replies": list(answer.quick_replies)}
        return {**result, "user": choice or GUEST}, conversation

    def start_over(self, conversation: Conversation | None) -> Conversation | None:
        """A new search, said in the transcript as the message "start over" would (its own reply, no search), so
        that a replica replaying the conversation starts over there too."""
        if conversation is not None:
            conversation.respond("start over", self.app.recommender)
            self._save(conversation)
        return conversation

    def _save(self, conversation: Conversation) -> None:
        """The conversation's new events and a signed-in shopper's transcript into the user store; what cannot be
        saved now is saved with the next message (the events wait in the conversation, the transcript is whole)."""
        try:
            self._store_events(conversation)
            if conversation.remembered and conversation.user_id:
                transcript = conversation.transcript()
                conversation.saved_at = self.app.users.save_transcript(
                    conversation.session_id, conversation.user_id, transcript
                )
        except UserStoreError as error:
            log.error("turn answered but not saved yet: %s", error)

    def feedback(
        self,
        position: int | None,
        kind: str,
        conversation: Conversation | None,
        profile: gr.OAuthProfile | None = None,
        session: str = "",
        client: str = "local",
    ) -> dict:
        """A like, dislike or purchase on a shown card: {"reply"} or {"error", "reply"}."""
        if conversation is None or position is None:
            return _refusal("Send a message first, then select a card and press 👍 or 👎.")
        refused = self.limiter.admit("feedback", session, client)
        if refused:
            return _refusal(refused)
        try:
            account = self.account(profile)
            if conversation.remembered and (account is None or account.id != conversation.user_id):
                return _refusal(
                    "You are no longer signed in as the shopper of this conversation: sign in again to rate cards."
                )
            reply = conversation.feedback(int(position), kind, self.app.users)
        except ValueError as error:
            return _refusal(str(error))
        except UserStoreError as error:
            log.error("%s not saved: %s", kind, error)
            return _refusal(f"Your {kind} was not saved: the shop's database is not answering. Press it again soon.")
        try:
            self._store_events(conversation)
        except UserStoreError as error:
            log.error("%s noted but not logged yet: %s", kind, error)
            return _refusal(f"{reply} (The shop's database is not answering: this is kept and saved later.)")
        return {"reply": reply}

    def _store_events(self, conversation: Conversation) -> None:
        """The conversation's new feedback events into the log; the background retrainer counts them. Events
        the log could not take go back to the conversation, for the next call."""
        events = conversation.take_events()
        try:
            self.app.feedback.record(events)
        except UserStoreError:
            conversation.put_back(events)
            raise
        if self.app.retrainer is not None and events:
            self.app.retrainer.noticed(len(events))

    def my_data(self, profile: gr.OAuthProfile | None) -> dict:
        """Everything stored about the signed-in shopper; nothing for anyone else."""
        account = self.account(profile)
        if account is None:
            return {"error": "Sign in with Hugging Face to download your data: nothing is stored for visitors."}
        ratings = RatingStore(self.app.settings.users_database).ratings()
        mine = [
            {"request": r.request, "item_id": r.item_id, "grade": r.grade, "time": r.time}
            for r in ratings
            if r.account_id == account.id
        ]
        return {**self.app.users.export(account.id), "study_ratings": mine}

    def forget_me(self, profile: gr.OAuthProfile | None) -> dict:
        """Delete the signed-in shopper's history, conversations and account."""
        if profile is None:
            return {"error": "Sign in with Hugging Face first: only your own data can be deleted."}
        account_id = account_for(profile.username).id
        deleted = {
            **self.app.users.forget(account_id),
            "study_ratings": RatingStore(self.app.settings.users_database).forget(account_id),
        }
        return {
            "reply": f"Forgotten: {deleted['interactions']} likes and purchases, {deleted['sessions']} conversations, "
            f"{deleted['study_ratings']} study ratings and your account are deleted. Sign out to stop being "
            "recognised; signing in again starts afresh.",
            "deleted": deleted,
        }


def _refusal(message: str) -> dict:
    """A request that was not carried out: the message is both the error and the reply the shopper reads."""
    return {"error": message, "reply": message}


def turn_view(
    handlers: Handlers, result: dict, conversation: Conversation | None, message: Any, photo: str | None = None
) -> TurnView:
    """The UI after a turn; a refused message (and its photo) stays in the box and the cards on screen stay."""
    refused = "error" in result
    shown: list[Card] = result["cards"] if not refused else (conversation.cards if conversation else [])
    kept = message_text(message) if refused else ""
    chat = chat_messages(conversation, result.get("error", ""))
    gallery, details = gallery_entries(shown, handlers.app.pictures), cards_html(shown)
    choices = tuple(result.get("quick_replies") or ())
    return TurnView(kept, photo if refused else None, chat, gallery, details, conversation, choices)


def turn_json(result: dict, pictures: Pictures) -> dict:
    """A turn's result for the JSON API: cards as data, each with the URL its picture is served at."""
    return {
        **result,
        "cards": [{**card_json(card), "picture": picture_url(card, pictures)} for card in result["cards"]],
    }


def download_link(data: dict) -> str:
    """A link that saves the shopper's data as a JSON file, carried in the page itself (no file on the server)."""
    if "error" in data:
        return f"<p>{html.escape(data['error'])}</p>"
    payload = base64.b64encode(json.dumps(data, indent=2, ensure_ascii=False).encode()).decode()
    counts = f"{len(data['interactions'])} likes and purchases, {len(data['conversations'])} conversations"
    return (
        f'<a download="whisperlite-my-data.json" href="data:application/json;base64,{payload}" id="my-data-link">'
        f"Save my data ({html.escape(counts)})</a>"
    )
