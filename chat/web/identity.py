"""Who a turn is for, decided from the session and never from a request parameter alone.

A visitor is one of three shoppers:
- a **guest**: no history, nothing stored;
- a public **demo persona** (Maya, Leo, ...): anyone may shop as one; its seeded history is read, but a
  visitor's likes on it last for that conversation only, so no visitor changes what the next one sees;
- **their own account**, only when signed in (Hugging Face OAuth on a Space): the account comes from the
  session's profile, and is the only shopper whose likes and transcripts are stored.

A request names its shopper by a choice (`guest`, `me`, or a persona id). `me` resolves to the session's own
account; no choice can name another account, so one signed-in visitor can never read or write another's history.
Pure logic: no Gradio, no SQLite.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from store.users import User

GUEST = "guest"
ME = "me"


@dataclass(frozen=True)
class Shopper:
    """`user_id` None is a guest; `remembered` is True for the signed-in account only."""

    user_id: str | None
    name: str
    remembered: bool = False


class NotAllowed(ValueError):
    """The request named a shopper this session may not be."""


def account_for(username: str, name: str = "") -> User:
    """The account of a signed-in Hugging Face user: id "hf:<username>"."""
    return User(f"hf:{username}", name or username, "signed in with Hugging Face")


def resolve_shopper(choice: str | None, account: User | None, personas: Sequence[User]) -> Shopper:
    """The shopper a request's choice stands for. Without a choice: the account when signed in, else a guest."""
    choice = (choice or "").strip() or (ME if account else GUEST)
    if choice == GUEST:
        return Shopper(None, "Guest")
    if choice == ME:
        if account is None:
            raise NotAllowed("Sign in with Hugging Face to shop as yourself, or choose a demo persona or guest.")
        return Shopper(account.id, account.name, remembered=True)
    persona = next((user for user in personas if user.id == choice and user.persona), None)
    if persona is None:
        options = ", ".join([GUEST, *(user.id for user in personas), *([ME] if account else [])])
        raise NotAllowed(f"Unknown shopper {choice!r}: choose one of {options}.")
    return Shopper(persona.id, persona.name)
