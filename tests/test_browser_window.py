"""The shop window in a real Chromium (Playwright): the cards of an answer, measured by element geometry.

On a laptop screen (1280x800) every card of an answer fits in the window at once, with no scrolling inside the
gallery; on a phone (390x844) no card is clipped off the side. Each card shows its title, its price and why it
was picked under its picture, none of it cut off; a single result keeps the size of a card; while a turn runs
the gallery shows that it is busy, and a turn whose replica died reads the shop's message and leaves Send ready
again. Both catalogues are shown: the generated demo (square pictures) and real
Kaggle photos (portrait and landscape). The screenshots are saved in the test's tmp folder and their paths
printed.
"""

from __future__ import annotations

import json
import re

import pytest
from app_server import app_env, copy_data_dir, kaggle_photos_env, start_server
from nginx_server import SHIPPED, replica_gone_answer
from test_browser import CHROMIUM, CHROMIUM_ARGS, MESSAGE_BOX

pytestmark = [pytest.mark.browser, pytest.mark.slow]
pytest_plugins = ["conftest_app"]

SCREENS = {"laptop": (1280, 800), "phone": (390, 844)}
TOP_K = 8
REQUESTS = {"demo": "a light summer dress for a beach wedding", "kaggle": "a casual shirt for men"}
SERVERS = {"demo": "demo_window_server", "kaggle": "kaggle_server"}
PRICE = re.compile(r"\$[\d,]+\.\d\d|price on request")


@pytest.fixture(scope="module")
def demo_window_server(demo_data_dir, tmp_path_factory):
    """A live demo app on its own copy of the built demo; given 15 minutes to start, since the shared demo
    server's 4 minutes ran out on two cores at a load average of 16."""
    data_dir = copy_data_dir(demo_data_dir, tmp_path_factory, "window-demo")
    yield from start_server(app_env(WHISPERLITE_DATA_DIR=str(data_dir)), data_dir.parent / "server.log", timeout=900)


@pytest.fixture(scope="module")
def kaggle_server(shared_data, tmp_path_factory):
    """A live app on the first 300 photographed items of the Kaggle Fashion Product Images copy."""
    root = tmp_path_factory.mktemp("window-kaggle")
    env = kaggle_photos_env(shared_data, root, 300)
    yield from start_server(env, root / "server.log", timeout=900)  # a first start: embeds and trains first


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is absent: the browser test drives the system Chromium, it downloads none")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _open(browser, url: str, screen: str):
    width, height = SCREENS[screen]
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    page.get_by_placeholder(MESSAGE_BOX).wait_for()
    return page


def _ask(page, text: str) -> None:
    """Sends a message and waits until the answer's cards and their pictures are on the page."""
    before = page.locator('[data-testid="bot"]').count()
    page.get_by_placeholder(MESSAGE_BOX).fill(text)
    page.get_by_role("button", name="Send", exact=True).click()
    page.wait_for_function(f"document.querySelectorAll('[data-testid=\"bot\"]').length > {before}")
    page.locator("#cards").evaluate("cards => cards.scrollIntoView({block: 'start'})")  # the pictures load lazily
    page.wait_for_function(
        "() => { const imgs = [...document.querySelectorAll('#cards img')];"
        " return imgs.length > 0 && imgs.every(img => img.complete && img.naturalWidth > 0); }"
    )


GEOMETRY = """() => {
  const box = e => { const r = e.getBoundingClientRect(); return {x: r.x, y: r.y, right: r.right, bottom: r.bottom,
                                                               width: r.width, height: r.height}; };
  const wrap = document.querySelector('#cards .grid-wrap');
  return {
    gallery: {...box(wrap), scrollHeight: wrap.scrollHeight, clientHeight: wrap.clientHeight,
              scrollWidth: wrap.scrollWidth, clientWidth: wrap.clientWidth},
    cards: [...document.querySelectorAll('#cards .thumbnail-item')].map(card => {
      const caption = card.querySelector('.caption-label');
      return {card: box(card), picture: box(card.querySelector('img')), caption: box(caption),
              text: caption.innerText, fontSize: parseFloat(getComputedStyle(caption).fontSize),
              captionOverflows: caption.scrollHeight > caption.clientHeight + 1
                                || caption.scrollWidth > caption.clientWidth + 1};
    }),
    details: [...document.querySelectorAll('#card-details li span')].map(span => span.innerText),
  };
}"""


def _inside(inner: dict, outer: dict, slack: float = 1.0) -> bool:
    return (
        inner["x"] >= outer["x"] - slack
        and inner["y"] >= outer["y"] - slack
        and inner["right"] <= outer["right"] + slack
        and inner["bottom"] <= outer["bottom"] + slack
    )


def _window_of(screen: str) -> dict:
    width, height = SCREENS[screen]
    return {"x": 0, "y": 0, "right": width, "bottom": height}


def _shoot(page, tmp_path, name: str) -> None:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path))
    print(f"screenshot: {path}")


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("catalogue", REQUESTS)
def test_every_card_of_an_answer_is_whole_on_screen_with_its_title_price_and_why(
    browser, request, tmp_path, catalogue, screen
):
    page = _open(browser, request.getfixturevalue(SERVERS[catalogue]), screen)
    _ask(page, REQUESTS[catalogue])
    shown = page.evaluate(GEOMETRY)
    _shoot(page, tmp_path, f"window-{catalogue}-{screen}")
    page.context.close()

    cards, gallery = shown["cards"], shown["gallery"]
    assert len(cards) == TOP_K, f"{len(cards)} cards for {REQUESTS[catalogue]!r}"
    assert gallery["scrollHeight"] <= gallery["clientHeight"] + 1, f"the gallery scrolls inside: {gallery}"
    assert gallery["scrollWidth"] <= gallery["clientWidth"] + 1, f"the gallery scrolls sideways: {gallery}"
    window = _window_of(screen)
    for n, card in enumerate(cards, start=1):
        if screen == "laptop":
            assert _inside(card["card"], window), f"card {n} is not in the 1280x800 window: {card['card']}"
        assert card["card"]["x"] >= 0 and card["card"]["right"] <= window["right"], f"card {n} is clipped: {card}"
        assert _inside(card["card"], gallery), f"card {n} is cut by the gallery: {card['card']} in {gallery}"
        assert _inside(card["caption"], card["card"]) and not card["captionOverflows"], f"card {n}'s text is cut"
        assert card["picture"]["height"] >= 100, f"card {n}'s picture is a sliver: {card['picture']}"
        assert card["fontSize"] >= 12, f"card {n}'s text is too small to read: {card['fontSize']} px"
        lines = card["text"].splitlines()
        assert lines[0].startswith(f"{n}. ") and PRICE.search(card["text"]), f"card {n} shows {card['text']!r}"
        assert shown["details"][n - 1] in card["text"], f"card {n} does not show its price {shown['details'][n - 1]}"
        assert "Why: " in card["text"], f"card {n} does not say why it was picked: {card['text']!r}"


def test_a_single_result_keeps_the_size_of_a_card(browser, demo_window_server, tmp_path):
    page = _open(browser, demo_window_server, "laptop")
    _ask(page, REQUESTS["demo"])
    full_width = page.locator("#cards .thumbnail-item").first.bounding_box()["width"]
    _ask(page, "a blue silk maxi dress under $70")
    cards = page.locator("#cards .thumbnail-item")
    assert cards.count() == 1, "the request should have one match in the demo catalogue"
    single = cards.first.bounding_box()
    _shoot(page, tmp_path, "window-single-result")
    page.context.close()
    assert abs(single["width"] - full_width) <= 2, f"one card is {single['width']} px wide, a card of 8 {full_width}"


def test_while_a_turn_runs_the_send_button_and_the_gallery_say_it_is_busy(browser, demo_window_server, tmp_path):
    page = _open(browser, demo_window_server, "laptop")
    held = []  # the turn's request waits here until released
    page.route("**/gradio_api/queue/join*", lambda route: held.append(route))
    page.get_by_placeholder(MESSAGE_BOX).fill(REQUESTS["demo"])
    page.get_by_role("button", name="Send", exact=True).click()
    page.wait_for_function("() => !document.querySelector('#cards [data-testid=status-tracker]').matches('.hide')")
    busy_label = "() => getComputedStyle(document.querySelector('#send'), '::after').content"
    assert "Finding picks" in page.evaluate(busy_label)
    assert "Finding your picks" in page.evaluate(
        "() => getComputedStyle(document.querySelector('#cards [data-testid=status-tracker]'), '::after').content"
    )
    _shoot(page, tmp_path, "window-busy")
    for route in held:
        route.continue_()
    page.unroute("**/gradio_api/queue/join*")
    page.wait_for_function("() => document.querySelectorAll('#cards img').length > 0")
    page.wait_for_function("() => document.querySelector('#cards [data-testid=status-tracker]').matches('.hide')")
    assert "Finding" not in page.evaluate(busy_label), "the Send button still says it is busy after the answer"
    page.context.close()


def test_a_turn_whose_replica_died_shows_the_shops_message_and_leaves_send_ready(browser, demo_window_server, tmp_path):
    """The page's queue request answered as deploy/nginx.conf answers one whose replica died with it in flight
    (its status and body read from the shipped file; tests/test_replicas.py has nginx itself answer it)."""
    status, body = replica_gone_answer(SHIPPED.read_text())
    page = _open(browser, demo_window_server, "laptop")
    page.route(
        "**/gradio_api/queue/join*",
        lambda route: route.fulfill(status=status, content_type="application/json", body=body),
    )
    page.get_by_placeholder(MESSAGE_BOX).fill(REQUESTS["demo"])
    page.get_by_role("button", name="Send", exact=True).click()
    toast = page.locator('[data-testid="toast-body"]')
    toast.wait_for()
    page.wait_for_function("() => document.querySelector('#cards [data-testid=status-tracker] .error')")
    _shoot(page, tmp_path, "window-replica-gone")
    shown, busy = (
        toast.inner_text(),
        page.evaluate("() => getComputedStyle(document.querySelector('#send'), '::after').content"),
    )
    page.context.close()
    assert json.loads(body)["detail"] in shown
    assert "Finding" not in busy, "the Send button says it is busy after the turn failed"
