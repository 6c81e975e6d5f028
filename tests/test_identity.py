"""Who a request is for: a guest, a public demo persona, or the session's own account, never another's."""

from __future__ import annotations

import pytest

from chat.web.identity import GUEST, ME, NotAllowed, Shopper, account_for, resolve_shopper
from store.users import User

PERSONAS = [User("maya", "Maya", "boho", persona=True), User("leo", "Leo", "sporty", persona=True)]
ALICE = account_for("alice", "Alice A")


def test_a_signed_in_visitor_is_their_own_remembered_account():
    assert resolve_shopper(ME, ALICE, PERSONAS) == Shopper("hf:alice", "Alice A", remembered=True)


def test_without_a_choice_a_signed_in_visitor_is_themself_and_a_visitor_is_a_guest():
    assert resolve_shopper("", ALICE, PERSONAS).user_id == "hf:alice"
    assert resolve_shopper(None, None, PERSONAS) == Shopper(None, "Guest")


def test_a_demo_persona_reads_its_history_but_is_never_remembered():
    assert resolve_shopper("maya", ALICE, PERSONAS) == Shopper("maya", "Maya", remembered=False)


def test_no_choice_can_name_another_account():
    with pytest.raises(NotAllowed, match="Unknown shopper 'hf:bob'"):
        resolve_shopper("hf:bob", ALICE, PERSONAS)


def test_a_choice_naming_an_account_that_is_not_a_persona_is_refused_even_when_listed():
    with pytest.raises(NotAllowed):
        resolve_shopper("hf:bob", None, [*PERSONAS, User("hf:bob", "Bob")])


def test_me_without_signing_in_says_how_to_sign_in():
    with pytest.raises(NotAllowed, match="Sign in with Hugging Face"):
        resolve_shopper(ME, None, PERSONAS)


def test_the_refusal_lists_only_what_the_visitor_may_choose():
    with pytest.raises(NotAllowed) as refused:
        resolve_shopper("nobody", None, PERSONAS)
    assert str(refused.value).endswith(f"choose one of {GUEST}, maya, leo.")
