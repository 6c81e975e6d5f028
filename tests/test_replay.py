"""A conversation replayed from its stored transcript has the state the live conversation had: every scripted
conversation of tests/conversations/ is run live, then replayed from its transcript (and its likes) on a fresh
`Conversation`, and the two must agree on everything the next turn reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from chat.conversation import Conversation
from chat.replay import conversation_id, replay
from chat.scripted.format import Script, load_script

pytestmark = pytest.mark.slow  # the demo app, built once per session

CONVERSATIONS = Path(__file__).parent / "conversations"
# A photo's vector is not stored, so a conversation that attached one does not replay to the same state.
SCRIPTS = [path for path in sorted(CONVERSATIONS.glob("*.yaml")) if "photo:" not in path.read_text()]


def shopper_of(script: Script) -> str | None:
    return None if script.shopper == "guest" else script.shopper


def run_live(script: Script, app) -> tuple[Conversation, list[tuple[str, str]]]:
    """The script's turns through a conversation, as the handlers drive it (a start over is said, as the page's
    button does); -> the conversation and its likes and dislikes, (kind, item id) oldest first."""
    conversation = Conversation(user_id=shopper_of(script), k=app.settings.top_k)
    feedback: list[tuple[str, str]] = []
    quick_replies: tuple[str, ...] = ()
    for step in script.steps:
        if step.action == "quick_reply" and not 0 < step.value <= len(quick_replies):
            continue
        if step.action in ("say", "quick_reply"):
            message = quick_replies[step.value - 1] if step.action == "quick_reply" else step.value
            quick_replies = conversation.respond(message, app.recommender).quick_replies
        elif step.action == "start_over":
            conversation.respond("start over", app.recommender)
        elif 0 < step.value <= len(conversation.cards):
            feedback.append((step.action, conversation.cards[step.value - 1].item.id))
            conversation.feedback(step.value, step.action)
    return conversation, feedback


def replayed(live: Conversation, feedback: list[tuple[str, str]], app, messages: list[dict] | None = None):
    fresh = Conversation(user_id=live.user_id, k=live.k)
    stored = live.transcript() if messages is None else messages
    return replay(stored, fresh, app.recommender, app.recommender.items.get, feedback)


def state(conversation: Conversation) -> dict:
    """What the next turn reads of a conversation (all but its id, its photo and its unlogged events)."""
    return {
        "request": conversation.request_parts,
        "constraints": conversation.constraints,
        "relations": conversation.relations,
        "price_band": conversation.price_band,
        "set_at": conversation.set_at,
        "rejected": conversation.rejected,
        "anchors": conversation.anchors,
        "cards": [card.item.id for card in conversation.cards],
        "shown": conversation.shown,
        "named_last": conversation.named_last,
        "offered": (conversation.offered_relax, conversation.offered_category),
        "asked": conversation.asked,
        "bought_again": conversation.bought_again,
        "liked": conversation.liked,
        "disliked": conversation.disliked,
        "history": [
            (s.request_parts, s.constraints, [c.item.id for c in s.cards], s.shown) for s in conversation.history
        ],
        "transcript": conversation.transcript(),
    }


@pytest.mark.parametrize("path", SCRIPTS, ids=[path.stem for path in SCRIPTS])
def test_a_replayed_transcript_gives_the_state_of_the_live_conversation(path, demo_app):
    live, feedback = run_live(load_script(path), demo_app)
    assert state(replayed(live, feedback, demo_app)) == state(live)


def test_filters_said_in_earlier_turns_are_in_force_after_a_replay(demo_app):
    live = Conversation(k=demo_app.settings.top_k)
    for message in ("a summer dress", "in blue", "under 50"):
        live.respond(message, demo_app.recommender)
    constraints = replayed(live, [], demo_app).constraints
    assert constraints.colours == frozenset({"blue"}) and constraints.price_max == 50
    assert constraints.categories == frozenset({"dress"})


def test_the_replayed_cards_are_the_ones_the_transcript_says_were_shown(demo_app):
    live = Conversation(k=demo_app.settings.top_k)
    live.respond("a summer dress", demo_app.recommender)
    stored = live.transcript()
    shown = stored[-1]["data"]["additional_kwargs"]["cards"]
    stored[-1]["data"]["additional_kwargs"]["cards"] = shown[::-1]  # as if a like had reordered the search since
    again = replayed(live, [], demo_app, stored)
    assert [card.item.id for card in again.cards] == shown[::-1]
    assert [card.position for card in again.cards] == list(range(1, len(shown) + 1))


def test_a_replay_logs_no_event_again(demo_app):
    live = Conversation(k=demo_app.settings.top_k)
    for message in ("a summer dress", "not the first one", "no yellow"):
        live.respond(message, demo_app.recommender)
    assert any(event.kind == "reject" for event in live.take_events())
    assert replayed(live, [], demo_app).take_events() == []


def test_a_like_then_a_dislike_of_one_item_replays_as_the_dislike(demo_app):
    live = Conversation(k=demo_app.settings.top_k)
    live.respond("a summer dress", demo_app.recommender)
    item = live.cards[0].item.id
    again = replayed(live, [("like", item), ("dislike", item)], demo_app)
    assert (again.liked, again.disliked) == ([], [item])


def test_a_conversation_id_is_the_same_for_one_account_and_page_and_another_for_another_account():
    assert conversation_id("hf:ada", "page1") == conversation_id("hf:ada", "page1")
    assert conversation_id("hf:ada", "page1") != conversation_id("hf:bob", "page1")
    assert conversation_id("hf:ada", "page1") != conversation_id("hf:ada", "page2")
