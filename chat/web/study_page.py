"""The relevance study's page (`/study`, a page of the app in its navigation bar) and its JSON endpoints.

Thin, as `page.py`: each event calls one `StudyHandlers` method. The task's cards (every system's top k, all
different: a picture, an escaped caption and a 1-5 radio each) are drawn with `gr.render` when a task is shown,
so only a rater's session holds them: Gradio copies every component of the app into each new session, and 28
fixed card slots here made every shopper's first turn in the chat cost about 40 ms instead of 7
(`bench/results/live.md`).
"""

from __future__ import annotations

import html
import uuid

import gradio as gr

from chat.serve.build import App
from chat.web.handlers import client_address
from chat.web.study import QUESTION, StudyHandlers, StudyRound
from store.item import Item

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
    behind_proxy = app.settings.behind_proxy

    def where(request: gr.Request | None) -> dict[str, str]:
        return {"session": getattr(request, "session_hash", "") or "", "client": client_address(request, behind_proxy)}

    def view(study: StudyRound, status: str) -> list:
        """The new task's status; a fresh token on `shown` draws its request and cards."""
        return [study, html.escape(status), uuid.uuid4().hex]

    def on_start(study):
        return [*view(handlers.next_task(study), ""), gr.Button(visible=False)]  # the task's own buttons take over

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
    shown = gr.Textbox(visible=False)  # a token per task shown: its change draws the task
    private = {"api_visibility": "private"}

    @gr.render(inputs=round_state, triggers=[shown.change])
    def draw_task(study: StudyRound | None) -> None:
        """The request, its cards and the task's buttons. Gradio keeps a radio's choice for a radio drawn in the
        same place, so both buttons also clear every grade on screen before the next task is drawn."""
        if study is None or study.task is None:
            return
        gr.HTML(f"<p id='study-request'>Request: <strong>{html.escape(study.task.request)}</strong></p>")
        cards, radios = handlers.cards(study), []
        for row_start in range(0, len(cards), PER_ROW):
            row = cards[row_start : row_start + PER_ROW]
            with gr.Row(equal_height=True):
                for card in row:
                    with gr.Column(min_width=160, elem_classes="study-card"):
                        gr.Image(handlers.picture(card), show_label=False, interactive=False, height=200, buttons=[])
                        gr.HTML(_caption(card.position, card.item))
                        label, elem_id = f"Card {card.position}", f"study-grade-{card.position}"
                        radios.append(gr.Radio(GRADE_CHOICES, label=label, elem_id=elem_id))
                for _ in range(PER_ROW - len(row)):
                    gr.Column(min_width=160)  # a row's unused places stay empty: the grid keeps its width
        with gr.Row():
            next_task = gr.Button("Next request", elem_id="study-next")
            submit = gr.Button("Submit ratings", variant="primary", elem_id="study-submit")
        cleared = [None] * len(radios)

        def on_next(study):
            return [*view(handlers.next_task(study), ""), *cleared]

        def on_submit(values: dict, profile: gr.OAuthProfile | None, request: gr.Request):
            """`values`: the radios' and the round's values by component (Gradio passes a set of inputs so)."""
            grades = [values[radio] for radio in radios]
            result, study = handlers.rate(grades, values[round_state], profile, **where(request))
            if "error" in result:  # nothing is redrawn: the grades given stay on screen
                return [study, html.escape(result["error"]), gr.skip(), *[gr.skip()] * len(radios)]
            return [*view(handlers.next_task(study), result["reply"]), *cleared]

        next_task.click(on_next, round_state, [*outputs, *radios], **private)
        submit.click(on_submit, {*radios, round_state}, [*outputs, *radios], **private)

    status = gr.HTML(elem_id="study-status")
    start = gr.Button("Next request", elem_id="study-start")
    outputs = [round_state, status, shown]
    start.click(on_start, round_state, [*outputs, start], **private)

    api_out, api_grades = gr.JSON(visible=False), gr.JSON(visible=False)
    hidden = gr.Button(visible=False)
    hidden.click(api_task, round_state, [api_out, round_state], api_name="study_task")
    hidden.click(api_rate, [api_grades, round_state], [api_out, round_state], api_name="study_rate")
