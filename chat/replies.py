"""How a reply words a search's answer: what the cards are for, what the shopper's history did, what a price band
means here. Pure: the request as it stands and the catalogue's facts in, sentences out."""

from __future__ import annotations

import math
from collections.abc import Sequence

from chat.answers import escape_markdown
from chat.request import Recommendation
from chat.understand.constraints import MAX_MESSAGE_CHARS, Constraints, ParsedMessage
from chat.understand.echo import echo
from chat.understand.kinds import plural
from chat.understand.prices import PriceBand
from chat.understand.schema import WHO_WHEN_FIELDS
from store.facts import CatalogueFacts

INVITE = "Tell me what to change, or rate a card."
_BAND_WORDS = {"low": "Cheap", "mid": "Mid-range", "high": "Expensive"}


def history_note(first: Recommendation, for_someone_else: bool = False) -> str:
    """What the shopper's history did to these cards, in a sentence ("" when nothing); `for_someone_else`: a
    shopper with a history asked for a gift, which their history did not steer."""
    if for_someone_else:
        return "For someone else, so your own purchases and likes do not steer these picks. "
    if first.leaned_to:
        return f"Showing {first.leaned_to} items first, as you usually buy. "
    return ""


def summary(
    count: int,
    request_text: str,
    constraints: Constraints,
    relation_wordings: Sequence[str],
    facts: CatalogueFacts,
    photo: bool = False,
    invite: str = INVITE,
) -> str:
    """ "Here are 8 picks for “summer dress” (blue, under $40)." Filters this catalogue cannot apply (it does not
    say who an item is for, or lists no sizes) are said to filter nothing rather than listed as applied."""
    # no words left: "what goes with card 1" says what it pairs with; "more like #2" alone, whose cards they are
    wanted = echo(request_text) or ("" if photo or relation_wordings else "items like the ones you picked")
    if photo:
        wanted = f"your photo, {wanted}" if wanted else "your photo"
    described = constraints.describe()
    unknown = {f.name: f.unknown for f in WHO_WHEN_FIELDS if f.key not in facts.who_when}
    filters_nothing = {name for name, _ in described if name in unknown}
    filters_nothing |= {name for name, _ in described if name == "sizes" and not facts.lists_sizes}
    applied = [wording for name, wording in described if name not in filters_nothing]
    applied += relation_wordings
    detail = f" ({', '.join(applied)})" if applied else ""
    picks = "one pick" if count == 1 else f"{count} picks"
    verb = "is" if count == 1 else "are"
    notes = "".join(
        f" This catalogue {'lists no sizes' if name == 'sizes' else 'does not say ' + unknown[name]}, "
        f"so “{wording}” filters nothing."
        for name, wording in described
        if name in filters_nothing
    )
    subject = f" for “{wanted}”" if wanted else ""
    return f"Here {verb} {picks}{subject}{detail}.{notes} {invite}"


def like_note(named: Sequence[tuple[int, str]]) -> str:
    """What "more like #2" searches near (`named`: each card's position and title), said first ("More like card 2,
    “Guess Men Chase Steel Watch”. "): the summary after it names the words and filters only, so the reply never
    said the card was heard."""
    cards = [f"card {position}, “{escape_markdown(title)}”" for position, title in named]
    return f"More like {' and '.join(cards)}. " if cards else ""


TAKE_WIDENING = "Yes, drop it"  # the quick reply that takes the widening offer


def widening_offer(wording: str, count: int) -> str:
    """The invitation after fewer cards than a page: what dropping one constraint would show (a yes or the
    offer's button takes it; chat/conversation.py)."""
    return f"That is all that matches everything; without “{wording}” I can show {count}. Shall I drop it?"


def bought_summary(count: int, request_text: str, invite: str = INVITE) -> str:
    """The shopper's purchases, shown because they asked: all of them (the request's filters do not narrow what
    they own), nearest to the request's words first when it has any."""
    picks = "one pick" if count == 1 else f"{count} picks"
    wanted = echo(request_text)
    order = f", nearest to “{wanted}” first" if wanted else ""
    return f"From what you bought before{order}: {picks}. {invite}"


def band_note(band: PriceBand, price: str, categories: Sequence[str]) -> str:
    """What "cheap" means for the categories in force here: "Cheap: under $34 for dresses here. "."""
    kinds = " and ".join(plural(c) for c in sorted(categories)) or "all items"
    return f"{_BAND_WORDS[band]}: {price} for {kinds} here. "


def round_price(price: float | None) -> float | None:
    """A band's bound as a reply states it: whole dollars, cents only under $10."""
    if price is None:
        return None
    return float(round(price)) if price >= 10 else round(price, 2)


def beyond(median: float, cheaper: bool) -> float:
    """The bound "cheaper" (or "pricier") sets from the median price on screen, as a shopper would say it: the
    nearest whole dollar below (above) it, "under $50" for a median of $50.94, not "under $50.89"; cents only
    under $10."""
    if median < 10:
        return round(median * (0.999 if cheaper else 1.001), 2)
    return float(math.ceil(median) - 1 if cheaper else math.floor(median) + 1)


# the filter a dropped kind of constraint ("any colour") names, in a reply
_FILTER_NOUNS = {
    "colours": "colour",
    "price": "price",
    "materials": "material",
    "sizes": "size",
    "seasons": "season",
    "usages": "occasion",
}


def drop_note(dropped: list[str], idle: list[str], absent: list[str]) -> str:
    """What a reply says first after the shopper took part of the request back: the wordings or values dropped,
    the kinds of filter named that were not in force ("any colour" with no colour filter), and the values named
    that were not part of the request, with how to refuse one instead."""
    note = f"Dropped {', '.join(f'“{wording}”' for wording in dropped)}. " if dropped else ""
    if idle:
        note += f"(There was no {' or '.join(_FILTER_NOUNS[name] for name in idle)} filter to drop.) "
    if absent:
        named = ", ".join(f"“{value}”" for value in absent)
        note += f"({named} was not part of your request: to leave it out, say “not {' or '.join(absent)}”.) "
    return note


def reading_note(parsed: ParsedMessage, text: str, photo_problem: str = "") -> str:
    """What the reply says first about how the message was read: cut at its first MAX_MESSAGE_CHARS characters,
    a photo that could not be used, typos taken for words ("I read “dres” as “dress”": a wrong guess is seen at
    once), an amount read in dollars."""
    note = (
        f"(That was a long message: I read its first {MAX_MESSAGE_CHARS:,} characters.) "
        if len(text) > MAX_MESSAGE_CHARS
        else ""
    )
    note += f"{photo_problem} " if photo_problem else ""
    if parsed.typos:
        note += "(I read " + ", ".join(f"“{typed}” as “{word}”" for typed, word in parsed.typos) + ".) "
    if parsed.currency:
        note += f"(Prices here are in dollars: I read the amount in {parsed.currency} as dollars.) "
    return note
