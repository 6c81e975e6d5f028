"""What every new session of the page copies: Gradio gives each session its own copy of the app's components, so
a component that only raters use should not be among them (bench/results/live.md)."""

from __future__ import annotations

import gradio as gr
import pytest


@pytest.mark.slow
def test_the_study_cards_are_drawn_for_a_rater_and_not_copied_into_every_shoppers_session(in_process_app):
    from chat.web.page import build_demo

    demo = build_demo(in_process_app)
    study_cards = [
        block
        for block in demo.blocks.values()
        if isinstance(block, gr.Radio | gr.Image) or "study-card" in (getattr(block, "elem_classes", None) or [])
    ]
    assert study_cards == []
    assert any(getattr(block, "elem_id", None) == "study-start" for block in demo.blocks.values())
