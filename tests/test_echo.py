"""echo: the reply repeats the shopper's meaningful words only, and never a pasted page."""

from __future__ import annotations

from chat.understand.echo import ECHO_CHARS, echo


def test_filler_words_and_phrases_are_left_out():
    assert echo("um so i guess maybe a red dress") == "red dress"


def test_hedges_inside_the_request_are_left_out_too():
    assert echo("a dress you know kind of blue") == "dress blue"


def test_markup_remnants_and_their_numbers_are_left_out():
    assert echo("alert 1 red dress") == "red dress"
    assert echo("javascript alert 1 shoes onerror") == "shoes"


def test_a_number_that_follows_a_word_of_the_request_stays():
    assert echo("2 pack socks") == "2 pack socks"


def test_a_long_request_is_cut_on_a_word_boundary_with_an_ellipsis():
    echoed = echo("blue linen summer dress " * 100)
    assert len(echoed) <= ECHO_CHARS + 1 and echoed.endswith("…")
    assert echoed[:-1].split()[-1] in ("blue", "linen", "summer", "dress")


def test_a_request_within_the_cap_is_unchanged():
    assert echo("light linen summer dress for a beach wedding") == "light linen summer dress for a beach wedding"


def test_nothing_meaningful_gives_an_empty_echo():
    assert echo("um well okay") == ""


def test_an_undecided_shopper_s_hedges_are_left_out():
    assert echo("sports shoes for men not sure something") == "sports shoes for men"
    assert echo("i don't know anything warm") == "warm"
