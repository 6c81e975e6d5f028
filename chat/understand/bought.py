"""Whether a message asks for what the shopper bought before: "the same again", "buy it again", "what did I buy",
"my purchases", "reorder". Items a shopper bought are otherwise hidden (chat/recommender.py): showing a purchase
again unasked wastes a card on something they own. Pure: text in, yes or no out.
"""

from __future__ import annotations

import re

_ASKS_FOR_BOUGHT = re.compile(
    r"(?<![\w'])(?:"
    r"(?:the )?same (?:one |ones |thing |things )?again|(?:buy|order|get) (?:it|them|that|those|one) again"
    r"|what (?:did|have) i (?:buy|bought|order|ordered|purchase|purchased)|(?:i|i've|i have) (?:bought|ordered)"
    r"|my (?:purchases|orders|past orders)|(?:bought|ordered|purchased) (?:before|last time|already)"
    r"|re-?order|re-?buy|buy again"
    r")(?![\w'])"
)


def asks_for_bought(text: str) -> bool:
    """Whether a message asks to see items the shopper bought."""
    return bool(_ASKS_FOR_BOUGHT.search(text.lower()))


def without_bought_words(text: str) -> str:
    """The message without its words asking for purchases ("summer dress, the same again" -> "summer dress, "):
    they say which items to show, not what the items are, so they are not searched for nor echoed back."""
    return _ASKS_FOR_BOUGHT.sub(" ", text.lower()) if asks_for_bought(text) else text
