"""The relevance study's page (`/study`, a page of the app in its navigation bar) and its JSON endpoints.

Thin, as `page.py`: each event calls one `StudyHandlers` method. The page has a fixed number of card slots (every
system's top 7, all different, at most), each a picture, an escaped caption and a 1-5 radio; unused ones hide.
"""

from __future__ import annotations

import html

import gradio as gr

from chat.serve.build import App
from chat.study.systems import SYSTEMS
from chat.study.tasks import STUDY_KS
from chat.web.handlers import client_address
from chat.web.study import QUESTION, StudyHandlers, StudyRound
from store.item import Item

SLOTS = len(SYSTEMS) * max(STUDY_KS)
PER_ROW = 4
GRADE_CHOICES = [str(grade) for grade in range(1, 6)]
INTRO = (
    "## Relevance study\nThe paper's question: *{question}* Rate every card from 1 (not at all) to 5 (exactly "
    "what was asked), then submit. The cards come from several systems, mixed and unnamed; your ratings are "
    "stored to compare them and to train the model (nothing else about you is kept unless you signed in)."
)


def _caption(position: int, item: Item) -> str:
    """Escaped: the card's number and title, then its brand, colour and category (each in a named span)."""
    parts = (("brand", item.brand), ("colour", item.colour), ("category", item.category))
    facts = " · ".join(f'<span class="{name}">{html.escape(value)}</span>' for name, value in parts if value)
    return f"<strong>{position}. {html.escape(item.title)}</strong><br><small>{facts}</small>"


def build_study_page(app: App, handlers: StudyHandlers | None = None) -> None:
    """The page's components and events, inside the caller's `demo.route(...)` context."""
    handlers = handlers or StudyHandlers(app)
    spaces = app.settings.spaces

    def where(request: gr.Request | None) -> dict[str, str]:
        return {"session": getattr(request, "session_hash", "") or "", "client": client_address(request, spaces)}

    def view(study: StudyRound, status: str) -> list:
        cards = handlers.cards(study)
        task = f"<p id='study-request'>Request: <strong>{html.escape(study.task.request)}</strong></p>"
        updates = [gr.Row(visible=start < len(cards)) for start in range(0, SLOTS, PER_ROW)]
        for slot in range(SLOTS):
            card = cards[slot] if slot < len(cards) else None
            shown = card is not None
            updates += [
                gr.Image(handlers.picture(card) if shown else None, visible=shown),
                gr.HTML(_caption(card.position, card.item) if shown else "", visible=shown),
                gr.Radio(value=None, visible=shown),
            ]
        return [study, task, html.escape(status), *updates]

    def on_next(study):
        return view(handlers.next_task(study), "")

    def on_submit(values: dict, profile: gr.OAuthProfile | None, request: gr.Request):
        """`values`: the radios' and the round's values by component (Gradio passes a set of inputs so)."""
        grades = [values[radio] for radio in radios]
        result, study = handlers.rate(grades, values[round_state], profile, **where(request))
        if "error" in result:
            return [study, gr.skip(), html.escape(result["error"]), *[gr.skip()] * (len(rows) + 3 * SLOTS)]
        return view(handlers.next_task(study), result["reply"])

    def api_task(study):
        """JSON for scripted raters: {"question", "request", "k", "cards": [...]} (blind)."""
        study = handlers.next_task(study)
        return handlers.task_json(study), study

    def api_rate(grades, study, profile: gr.OAuthProfile | None, request: gr.Request):
        """Grades 1-5 in card order, as a JSON list (anything else grades no card): {"reply", "stored"} or
        {"error", "reply"}."""
        result, study = handlers.rate(grades if isinstance(grades, list) else [], study, profile, **where(request))
        return result, study

    round_state = gr.State(None)
    gr.Markdown(INTRO.format(question=QUESTION), elem_id="study-intro")
    task = gr.HTML(elem_id="study-task")
    rows, slots, radios = [], [], []
    for row_start in range(0, SLOTS, PER_ROW):  # a row's unused slots stay as empty columns: the grid keeps its width
        with gr.Row(equal_height=True, visible=False) as row:
            for slot in range(row_start, row_start + PER_ROW):
                with gr.Column(min_width=160, elem_classes="study-card"):
                    picture = gr.Image(show_label=False, interactive=False, height=200, buttons=[], visible=False)
                    caption = gr.HTML(visible=False)
                    radio = gr.Radio(
                        GRADE_CHOICES, label=f"Card {slot + 1}", elem_id=f"study-grade-{slot + 1}", visible=False
                    )
                slots += [picture, caption, radio]
                radios.append(radio)
        rows.append(row)
    status = gr.HTML(elem_id="study-status")
    with gr.Row():
        next_task = gr.Button("Next request", elem_id="study-next")
        submit = gr.Button("Submit ratings", variant="primary", elem_id="study-submit")
    outputs = [round_state, task, status, *rows, *slots]
    private = {"api_visibility": "private"}
    next_task.click(on_next, round_state, outputs, **private)
    submit.click(on_submit, {*radios, round_state}, outputs, **private)

    api_out, api_grades = gr.JSON(visible=False), gr.JSON(visible=False)
    hidden = gr.Button(visible=False)
    hidden.click(api_task, round_state, [api_out, round_state], api_name="study_task")
    hidden.click(api_rate, [api_grades, round_state], [api_out, round_state], api_name="study_rate")
