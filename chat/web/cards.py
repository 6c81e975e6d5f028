"""How a card is shown: gallery entries, escaped HTML and JSON. Pure functions; no Gradio import.

Every catalogue or shopper string that reaches HTML goes through `html.escape`, so markup in a title or a
message is shown as text and never executed. A picture that is missing or unreadable becomes a placeholder.
"""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import quote

from chat.request import item_summary
from chat.turn import Card
from chat.web.pictures import Pictures
from store.item import is_url


def card_image(card: Card, pictures: Pictures) -> str:
    """The picture to show: the item's own (its thumbnail) when it may be served and can be read, else the
    placeholder."""
    return pictures.served(card.item.image) or pictures.placeholder


def picture_url(card: Card, pictures: Pictures) -> str:
    """Where a client fetches the card's picture: Gradio's file route for a local file, else the URL itself."""
    image = card_image(card, pictures)
    return image if is_url(image) else "/gradio_api/file=" + quote(image)


def price_text(price: float) -> str:
    return f"${price:,.2f}" if price else "price on request"


def caption(card: Card) -> str:
    """Plain text on three lines under the card's picture (the gallery shows it as text, so markup stays text):
    position and title; price and brand; why. The price has a line of its own, so a long title never hides it."""
    brand = f" · {card.item.brand}" if card.item.brand else ""
    return f"{card.position}. {card.item.title}\n{price_text(card.item.price)}{brand}\nWhy: {card.why}"


def gallery_entries(cards: list[Card], pictures: Pictures) -> list[tuple[str, str]]:
    return [(card_image(card, pictures), caption(card)) for card in cards]


def cards_html(cards: list[Card]) -> str:
    """The cards' details (title, brand, price, colour, material, sizes, why) as an escaped ordered list."""
    if not cards:
        return ""
    rows = []
    for card in cards:
        item = card.item
        sizes = "sizes " + ", ".join(item.sizes) if item.sizes else ""
        details = " · ".join(html.escape(part) for part in (item.brand, item.colour, item.material, sizes) if part)
        rows.append(
            f'<li class="wl-card" data-item-id="{html.escape(item.id, quote=True)}">'
            f"<strong>{html.escape(item.title)}</strong> <span>{html.escape(price_text(item.price))}</span>"
            f"<br><small>{details}</small><br><em>Why: {html.escape(card.why)}</em></li>"
        )
    return '<ol class="wl-cards">' + "".join(rows) + "</ol>"


def card_json(card: Card) -> dict[str, Any]:
    """A card as the web API answers it: the item's summary without `image`, the picture's path on the server,
    which a client has no use for (it fetches the card's thumbnail URL) and an attacker learns the layout from."""
    summary = item_summary(card.item, card.why, card.score)
    del summary["image"]
    return {"position": card.position, **summary}
