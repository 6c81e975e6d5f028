"""The request as a reply repeats it back: the shopper's meaningful words only.

A reply that says "Here are 8 picks for “um so i guess maybe a red dress”" or "for “alert 1 red dress”" shows
the shopper that filler and pasted markup were read as the request. `echo` keeps the words that describe what
is sought, and caps the result, so a pasted page is not repeated back. Pure: text in, text out.
"""

from __future__ import annotations

import re

ECHO_CHARS = 60  # longer echoes are cut on a word boundary and end with an ellipsis

_FILLER_PHRASES = (
    "i guess",
    "i think",
    "i suppose",
    "i mean",
    "you know",
    "kind of",
    "sort of",
    "i want",
    "i need",
    "i would like",
    "i'd like",
    "i'm looking for",
    "im looking for",
    "looking for",
    "show me",
    "can you",
    "could you",
    "would you",
    "not sure",
    "no idea",
    "i don't know",
    "i dont know",
)
_FILLER_WORDS = frozenset(
    "um umm uh uhh er erm hmm hm ah oh so well maybe perhaps just basically actually literally honestly anyway "
    "okay ok please thanks thank hey hi hello yeah dunno something anything".split()
)
# words that only a pasted script or tag leaves behind; a number right after one ("alert 1") goes with it
_MARKUP_WORDS = frozenset(
    "script alert onerror onload onclick onmouseover onfocus javascript vbscript iframe img src href svg eval "
    "document cookie".split()
)
_EDGE_WORDS = frozenset("a an the and or but with in of for to also then i me".split())
_FILLER_RE = re.compile(r"(?<![\w'])(?:" + "|".join(re.escape(p) for p in _FILLER_PHRASES) + r")(?![\w'])")


def echo(request_text: str, limit: int = ECHO_CHARS) -> str:
    """The request's meaningful words, at most `limit` characters (cut on a word boundary, "…" added); "" when
    nothing meaningful is left."""
    words: list[str] = []
    after_markup = False
    for word in _FILLER_RE.sub(" ", request_text.lower()).split():
        if word in _MARKUP_WORDS or (after_markup and word.isdigit()):
            after_markup = True
            continue
        after_markup = False
        if word not in _FILLER_WORDS:
            words.append(word)
    while words and words[0] in _EDGE_WORDS:
        words.pop(0)
    while words and words[-1] in _EDGE_WORDS:
        words.pop()
    text = " ".join(words)
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[: limit + 1] else text[:limit]
    return cut.rstrip(" ,;:-") + "…"
