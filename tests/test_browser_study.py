"""The relevance study in a real Chromium (Playwright, the system browser): a scripted rater opens /study on the
demo, grades every card of three tasks by the rule of `study_rater.py` with the page's 1-5 radios, and submits.

Checked on the page and in what the browser received: the request is shown, a task shows at least k cards,
a submit with a card ungraded is refused and keeps the grades given, the ratings are stored, and neither the page
nor any response of the app's API names a system. A screenshot of a task is saved under test-output/browser/.
"""

from __future__ import annotations

import re

import pytest
from study_rater import grade_by_rule, report_rows, study_report, study_server
from test_browser import CHROMIUM, CHROMIUM_ARGS, OUTPUT

from store.ratings import RatingStore

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TASKS = 3
# "whisperlite" alone is the product's name, on every page; the systems' own names must not reach the browser
BLIND_NAMES = ("whisperlite+history", "zero-shot", "paper-faithful", "random", "credits")

# Every byte the page's own fetches of the app's API receive, as it arrives, one text per response. Answers come
# on the session's event stream, which Playwright can read only once it ends, and events queued back to back keep
# one stream open past the last answer shown (CI once read none of three thank-yous); a clone of each response is
# read as it streams, into its own text, so a name is never spliced from the chunks of two streams.
RECORD_API_TEXT = """
window.apiText = [];
const pageFetch = window.fetch;
window.fetch = async (...args) => {
  const response = await pageFetch(...args);
  const url = String(args[0] instanceof Request ? args[0].url : args[0]);
  if (url.includes("/gradio_api/") && !url.includes("/file=") && response.body) {
    const reader = response.clone().body.getReader();
    const decoder = new TextDecoder();
    const index = window.apiText.push("") - 1;
    (async () => {
      for (let part = await reader.read(); !part.done; part = await reader.read()) {
        window.apiText[index] += decoder.decode(part.value, {stream: true});
      }
    })();
  }
  return response;
};
"""


@pytest.fixture(scope="module")
def server(demo_data_dir, tmp_path_factory):
    yield from study_server(demo_data_dir, tmp_path_factory, "study-browser")


@pytest.fixture(scope="module")
def page(server):
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is absent: the browser test drives the system Chromium, it downloads none")
    sync_api = pytest.importorskip("playwright.sync_api")
    url, _ = server
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 1600})
        context.add_init_script(RECORD_API_TEXT)
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(url + "/study")
        page.get_by_role("button", name="Next request").wait_for()
        yield page
        browser.close()


def _task(page) -> tuple[str, list[tuple[int, str]]]:
    """The request on screen and the (card number, colour) of each visible card, once the first card's grades are
    drawn: the task is drawn by its own event after the request's, and under load the request comes first."""
    page.locator("#study-grade-1").wait_for(state="visible")
    request = page.locator("#study-request strong").inner_text()
    cards = []
    for number in range(1, 29):
        grade = page.locator(f"#study-grade-{number}")
        if not grade.is_visible():
            break
        card = page.locator(".study-card", has=grade)
        colour = card.locator("span.colour")
        cards.append((number, colour.inner_text() if colour.count() else ""))
    return request, cards


def _grade(page, number: int, grade: int) -> None:
    page.locator(f"#study-grade-{number}").get_by_label(str(grade), exact=True).check()


def test_a_rater_grades_every_card_in_the_browser_and_the_ratings_are_stored_blind(page, server, tmp_path):
    _, data_dir = server
    before = len(RatingStore(data_dir / "users.sqlite").ratings())
    page.get_by_role("button", name="Next request").click()
    page.locator("#study-request strong").wait_for()
    graded = 0
    for task in range(TASKS):
        request, cards = _task(page)
        drawn = page.locator("#study-request").element_handle()
        assert request and 3 <= len(cards) <= 28
        images = page.eval_on_selector_all(".study-card img", "imgs => imgs.filter(i => i.offsetParent).length")
        assert images == len(cards), "a visible card has no picture"
        for number, colour in cards[:-1]:
            _grade(page, number, grade_by_rule(request, colour))
        if task == 0:  # the last card is left ungraded: refused, and the grades given stay
            page.get_by_role("button", name="Submit ratings").click()
            page.get_by_text(re.compile(rf"card {len(cards)} has no grade yet")).wait_for()
            assert page.locator("#study-grade-1 input:checked").count() == 1
        number, colour = cards[-1]
        _grade(page, number, grade_by_rule(request, colour))
        page.get_by_role("button", name="Submit ratings").click()
        graded += len(cards)
        page.get_by_text(re.compile(rf"^Thank you: {len(cards)} ratings stored \({task + 1} requests")).wait_for()
        if task == 0:
            OUTPUT.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(OUTPUT / "study-task.png"), full_page=True)
        drawn.wait_for_element_state("hidden")  # the next task is drawn anew, not this one's cleared radios

    stored = RatingStore(data_dir / "users.sqlite").ratings()[before:]
    assert len(stored) == graded and len({r.task_id for r in stored}) == TASKS
    assert all(r.account_id is None for r in stored), "a visitor who did not sign in is stored by name"

    html = page.content().lower()
    assert not [name for name in BLIND_NAMES if name in html]
    texts = [text.lower() for text in page.evaluate("window.apiText")]
    assert sum(text.count("thank you: ") for text in texts) == TASKS, "the ratings' answers were not all read"
    assert not [name for name in BLIND_NAMES if any(name in text for text in texts)]

    result = study_report(data_dir, tmp_path)
    assert result.returncode == 0, result.stderr
    assert sum(count for (system, _), (count, _) in report_rows(result.stdout).items() if system == "random") == sum(
        r.k for r in {r.task_id: r for r in RatingStore(data_dir / "users.sqlite").ratings()}.values()
    ), "the report does not count k cards per task for random"
