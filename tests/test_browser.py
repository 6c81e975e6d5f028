"""End to end in a real Chromium (Playwright, no browser download): the app on 300 real product photos.

The app runs as on a Space with sign-in. Three visits: an anonymous visitor chooses the demo persona Maya, asks
twice, likes a card and types markup; a signed-in visitor shops as themself, sees no other account in the
picker, downloads their data and has it forgotten; a vague request gets quick-reply buttons, on a laptop screen
and a phone's, and a click on one narrows the cards. Every step is checked on the page; a screenshot of each end
state is saved under test-output/browser/ (gitignored) and its path printed.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from app_server import REPO, kaggle_photos_env, signed_in_cookie, start_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHOTOS = 300
OUTPUT = REPO / "test-output" / "browser"
MESSAGE_BOX = "a light summer dress for a beach wedding"  # the message box's placeholder
USER, BOT = '[data-testid="user"]', '[data-testid="bot"]'  # gr.Chatbot's messages


@pytest.fixture(scope="module")
def photo_server(shared_data, tmp_path_factory):
    """A live app on the first 300 photographed items of the Kaggle Fashion Product Images copy."""
    root = tmp_path_factory.mktemp("photo-app")
    env = kaggle_photos_env(shared_data, root, PHOTOS)
    yield from start_server(env, root / "server.log")


@pytest.fixture(scope="module")
def browser(photo_server):
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is absent: the browser test drives the system Chromium, it downloads none")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _open(browser, url: str, cookie: str = "", width: int = 1200, height: int = 1500):
    """A page in a browser context of its own; `cookie` signs it in."""
    context = browser.new_context(viewport={"width": width, "height": height})
    if cookie:
        name, value = cookie.split("=", 1)
        context.add_cookies([{"name": name, "value": value, "url": url}])
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    page.get_by_placeholder(MESSAGE_BOX).wait_for()
    return page


@pytest.fixture(scope="module")
def page(browser, photo_server):
    page = _open(browser, photo_server)
    yield page
    page.context.close()


def _send(page, text: str) -> None:
    """Sends a message and waits for the app's answer to appear in the chat."""
    answers = page.locator(BOT).count()
    page.get_by_placeholder(MESSAGE_BOX).fill(text)
    page.get_by_role("button", name="Send", exact=True).click()
    page.wait_for_function(f"document.querySelectorAll('{BOT}').length > {answers}")


def _card_images(page) -> list[str]:
    page.locator("#cards").evaluate("cards => cards.scrollIntoView({block: 'start'})")  # the pictures load lazily
    page.wait_for_function(
        "() => { const imgs = [...document.querySelectorAll('#cards img')];"
        " return imgs.length > 0 && imgs.every(img => img.complete); }"
    )
    return page.eval_on_selector_all("#cards img", "imgs => imgs.map(img => [img.currentSrc, img.naturalWidth])")


def test_a_shopper_visit_in_the_browser(page):
    sync_api = pytest.importorskip("playwright.sync_api")
    page.get_by_label("Shopper").click()
    page.get_by_role("option", name=re.compile(r"^Demo persona Maya")).click()
    sync_api.expect(page.get_by_label("Shopper")).to_have_value(re.compile(r"^Demo persona Maya"))
    page.wait_for_timeout(500)  # the shopper change resets the conversation; let that event finish first

    _send(page, "a casual shirt for men")
    first = _card_images(page)
    assert len(first) >= 4
    assert all(width > 0 for _, width in first), f"cards without a rendered picture: {first}"
    photos = [src for src, _ in first if "/thumbnails/" in src and src.endswith(".webp")]
    assert len(photos) == len(first), f"cards should show thumbnails of the catalogue photos: {first}"

    _send(page, "in black")
    second = _card_images(page)
    assert all(width > 0 for _, width in second)
    assert [src for src, _ in second] != [src for src, _ in first], "the cards did not change between turns"
    details = page.locator("#card-details li")
    assert details.count() == len(second)
    assert "black" in details.first.inner_text().lower()

    page.locator("#cards button.thumbnail-item").first.click()
    page.get_by_role("button", name=re.compile("Like selected card")).click()
    page.get_by_text(re.compile(r"^Noted: you like")).first.wait_for()

    _send(page, "<b>x</b> jeans")
    assert page.locator(USER).last.inner_text().strip() == "<b>x</b> jeans", "the typed markup is not shown as text"
    assert page.locator(f"{USER} b, {BOT} b").count() == 0, "markup typed by the shopper was rendered"
    assert page.locator("#card-details b, #card-details script").count() == 0

    OUTPUT.mkdir(parents=True, exist_ok=True)
    shot = OUTPUT / "shopper-visit.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")


def test_a_like_pressed_at_once_after_selecting_a_card_is_about_that_card(page):
    _send(page, "a watch for men")
    _card_images(page)
    titles = page.locator("#card-details li strong").all_inner_texts()
    assert len(titles) >= 3
    page.locator("#cards button.thumbnail-item").nth(2).click()
    page.get_by_role("button", name=re.compile("Like selected card")).click()  # no pause between the two
    page.get_by_text(f"Noted: you like “{titles[2]}”").wait_for()  # the earlier test's like may still show


def test_a_signed_in_visitor_shops_as_themself_and_takes_their_data_away(browser, photo_server):
    sync_api = pytest.importorskip("playwright.sync_api")
    other = _open(browser, photo_server, signed_in_cookie("olga", "Olga Other"))
    sync_api.expect(other.get_by_label("Shopper")).to_have_value(re.compile(r"^Me: Olga Other"))
    other.context.close()

    page = _open(browser, photo_server, signed_in_cookie("sam", "Sam Shopper"))
    sync_api.expect(page.get_by_label("Shopper")).to_have_value(re.compile(r"^Me: Sam Shopper"))
    page.get_by_label("Shopper").click()
    options = page.get_by_role("option").all_inner_texts()
    assert not any("Olga" in option for option in options), f"another account is listed: {options}"
    page.keyboard.press("Escape")

    _send(page, "a watch for men")
    assert len(_card_images(page)) >= 2
    page.locator("#cards button.thumbnail-item").first.click()
    page.get_by_role("button", name=re.compile("Like selected card")).click()
    page.get_by_text(re.compile(r"^Noted: you like")).first.wait_for()

    page.get_by_role("button", name="Download my data").click()
    link = page.locator("#my-data-link")
    sync_api.expect(link).to_have_text("Save my data (1 likes and purchases, 1 conversations)")
    data = json.loads(base64.b64decode(link.get_attribute("href").split(",", 1)[1]))
    assert data["user"]["id"] == "hf:sam" and "olga" not in json.dumps(data).lower()

    page.get_by_role("button", name="Forget me").click()
    page.get_by_text(re.compile(r"^Forgotten: 1 likes and purchases, 1 conversations")).wait_for()
    assert page.locator(USER).count() == 0 and page.locator("#card-details li").count() == 0
    OUTPUT.mkdir(parents=True, exist_ok=True)
    shot = OUTPUT / "signed-in-visit.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")
    page.context.close()


QUICK_REPLIES = "#quick-replies button:visible"


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)], ids=["laptop", "phone"])
def test_quick_replies_appear_are_clickable_and_narrow_the_cards(browser, photo_server, width, height):
    page = _open(browser, photo_server, width=width, height=height)
    _send(page, "something nice")
    page.wait_for_function(f"document.querySelectorAll('{QUICK_REPLIES.split(':')[0]}').length > 0")
    buttons = page.locator(QUICK_REPLIES)
    choices = buttons.all_inner_texts()
    assert 3 <= len(choices) <= 5, f"quick replies shown: {choices}"
    for n in range(len(choices)):
        box = buttons.nth(n).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"button {choices[n]!r} is cut off: {box}"
    before = [src for src, _ in _card_images(page)]
    OUTPUT.mkdir(parents=True, exist_ok=True)
    shot = OUTPUT / f"quick-replies-{width}.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")

    answers = page.locator(BOT).count()
    buttons.first.click()
    page.wait_for_function(f"document.querySelectorAll('{BOT}').length > {answers}")
    assert page.locator(USER).last.inner_text().strip() == choices[0], "the click was not sent as the message"
    assert choices[0].lower() in page.locator(BOT).last.inner_text().lower(), "the answer does not follow the choice"
    page.wait_for_function(
        f"() => document.querySelectorAll('{QUICK_REPLIES.split(':')[0]}').length === 0"
        " || [...document.querySelectorAll('#quick-replies button')].every(b => b.offsetParent === null)"
    )
    assert [src for src, _ in _card_images(page)] != before, "the cards did not change after the quick reply"
    page.screenshot(path=str(OUTPUT / f"quick-reply-clicked-{width}.png"), full_page=True)
    page.context.close()
