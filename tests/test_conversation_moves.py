"""What a conversation asks the fake_recommender and stores, against fakes (tests/fake_shop.py): one behaviour each, in
milliseconds. The real app is the point of `tests/test_conversation.py`; here the point is the dialogue state;
tests/test_conversation_offers.py holds the offers to drop a constraint.
"""

from __future__ import annotations

from fake_shop import ITEMS, FakeFeedbackStore, FakeRecommender

from chat.conversation import Conversation
from chat.web.handlers import chat_messages
from store.item import Item


def test_a_refinement_keeps_the_category_and_adds_the_colour(fake_recommender):
    conversation = Conversation()
    conversation.respond("a dress", fake_recommender)
    turn, request = fake_recommender.search_of(conversation, "in blue")
    assert [card.item.id for card in turn.cards] == ["d2", "d3"]
    assert request.where == {"$and": [{"category": {"$in": ["dress"]}}, {"colour": {"$in": ["", "blue"]}}]}


def test_a_size_reaches_the_recommender_and_the_reply(fake_recommender):
    turn, request = fake_recommender.search_of(Conversation(), "a dress in size m")
    assert request.sizes == {"m"}
    assert [card.item.id for card in turn.cards] == ["d1", "d2"] and "size m" in turn.reply


def test_on_a_catalogue_without_sizes_the_reply_says_a_size_filters_nothing():
    turn = Conversation().respond("shoes in size 38", FakeRecommender(lists_sizes=False))
    assert "This catalogue lists no sizes, so “size 38” filters nothing." in turn.reply
    assert "(category shoes, size 38)" not in turn.reply


def test_a_refused_kind_reaches_the_recommender_and_keeps_the_category(fake_recommender):
    conversation = Conversation()
    conversation.respond("shoes", fake_recommender)
    turn, request = fake_recommender.search_of(conversation, "no sneakers")
    assert request.exclude_terms == {"sneakers"}
    assert [card.item.id for card in turn.cards] == ["s2", "s3"]


def test_not_that_one_hides_the_card_from_every_later_request(fake_recommender):
    conversation = Conversation()
    conversation.respond("a dress", fake_recommender)
    conversation.respond("not the first one", fake_recommender)
    conversation.respond("in red or blue", fake_recommender)
    assert all("d1" in request.exclude_ids for request in fake_recommender.requests[1:])


def test_cheaper_bounds_the_price_below_the_median_of_the_cards_on_screen(fake_recommender):
    conversation = Conversation()
    conversation.respond("a dress", fake_recommender)  # 40, 60, 120, 80: median 70
    turn, request = fake_recommender.search_of(conversation, "cheaper")
    assert {"price": {"$lte": 69.0}} in request.where["$and"]
    assert [card.item.price for card in turn.cards] == [40.0, 60.0]


def test_a_like_is_stored_for_a_remembered_shopper():
    store, conversation = FakeFeedbackStore(), Conversation(user_id="hf:ada", remembered=True)
    conversation.respond("a bag", FakeRecommender())
    conversation.feedback(1, "like", store)
    assert store.recorded == [("hf:ada", "b1", "like")]


def test_a_like_on_a_persona_steers_the_next_request_but_is_never_stored():
    store, fake_recommender, conversation = FakeFeedbackStore(), FakeRecommender(), Conversation(user_id="maya")
    conversation.respond("a bag", fake_recommender)
    conversation.feedback(1, "like", store)
    _, request = fake_recommender.search_of(conversation, "something for the beach")
    assert store.recorded == [] and request.liked_ids == ("b1",)


def test_a_second_like_of_the_same_card_is_stored_once_and_a_dislike_replaces_it():
    store, conversation = FakeFeedbackStore(), Conversation(user_id="hf:ada", remembered=True)
    conversation.respond("a dress", FakeRecommender())
    conversation.feedback(2, "like", store)
    conversation.feedback(2, "like", store)
    conversation.feedback(2, "dislike", store)
    assert store.recorded == [("hf:ada", "d2", "like"), ("hf:ada", "d2", "dislike")]
    assert (conversation.liked, conversation.disliked) == ([], ["d2"])


def test_start_over_forgets_the_request_and_keeps_the_likes(fake_recommender):
    conversation = Conversation()
    conversation.respond("a blue dress", fake_recommender)
    conversation.feedback(1, "like")
    conversation.respond("start over", fake_recommender)
    turn, request = fake_recommender.search_of(conversation, "shoes")
    assert request.where == {"category": {"$in": ["shoes"]}} and len(turn.cards) == 3
    assert conversation.liked == ["d2"]


def test_another_category_starts_a_new_topic(fake_recommender):
    conversation = Conversation()
    conversation.respond("a red dress", fake_recommender)
    _, request = fake_recommender.search_of(conversation, "some shoes")
    assert request.where == {"category": {"$in": ["shoes"]}}
    assert "dress" not in conversation.request_text


def ids(turn) -> list[str]:
    return [card.item.id for card in turn.cards]


def test_show_me_more_pages_past_the_cards_of_this_request(fake_recommender):
    conversation = Conversation(k=2)
    first = conversation.respond("a dress", fake_recommender)
    more, request = fake_recommender.search_of(conversation, "show me more")
    assert ids(first) == ["d1", "d2"] and ids(more) == ["d3", "d4"]
    assert request.exclude_ids == {"d1", "d2"}


def test_without_a_next_page_the_reply_says_so_and_the_cards_stay(fake_recommender):
    conversation = Conversation(k=2)
    conversation.respond("a dress", fake_recommender)
    conversation.respond("something else", fake_recommender)
    last = conversation.respond("more please", fake_recommender)
    assert ids(last) == ["d3", "d4"] and "That is everything for this request" in last.reply


def test_show_me_more_after_nothing_matched_says_there_is_no_next_page(fake_recommender):
    conversation = Conversation()
    preview = conversation.respond("a dress in wool", fake_recommender)
    last = conversation.respond("show me more", fake_recommender)
    assert last.cards == preview.cards and "no next page" in last.reply


def test_cards_paged_past_come_back_with_a_new_request(fake_recommender):
    conversation = Conversation(k=2)
    conversation.respond("a dress", fake_recommender)
    conversation.respond("next", fake_recommender)
    turn = conversation.respond("under $100", fake_recommender)
    assert ids(turn) == ["d1", "d2"] and not conversation.rejected


def test_go_back_restores_the_previous_request_and_its_cards(fake_recommender):
    conversation = Conversation()
    first = conversation.respond("a dress", fake_recommender)
    conversation.respond("in blue", fake_recommender)
    made = len(fake_recommender.requests)
    back = conversation.respond("go back", fake_recommender)
    assert ids(back) == ids(first) and not conversation.constraints.colours
    assert conversation.request_text == "dress" and "Back to “dress”" in back.reply
    assert len(fake_recommender.requests) == made  # restored, not searched again


def test_go_back_names_the_restored_request_without_the_shopper_s_hedges(fake_recommender):
    conversation = Conversation()
    conversation.respond("um not sure, maybe something, a dress", fake_recommender)
    conversation.respond("in blue", fake_recommender)
    back = conversation.respond("go back", fake_recommender)
    assert "Back to “dress”" in back.reply, back.reply


def test_go_back_after_start_over_restores_the_request_that_was_dropped(fake_recommender):
    conversation = Conversation()
    first = conversation.respond("a dress in red", fake_recommender)
    conversation.respond("start over", fake_recommender)
    assert ids(conversation.respond("undo", fake_recommender)) == ids(first)
    assert conversation.constraints.colours == {"red"}


def test_go_back_with_no_earlier_request_says_so(fake_recommender):
    conversation = Conversation()
    conversation.respond("a bag", fake_recommender)
    turn = conversation.respond("back", fake_recommender)
    assert turn.reply == "There is no earlier request to go back to." and ids(turn) == ["b1"]


def test_a_question_about_a_card_is_answered_from_its_item_and_the_cards_stay(fake_recommender):
    conversation = Conversation()
    shown = conversation.respond("a dress", fake_recommender)
    turn = conversation.respond("how much is #2?", fake_recommender)
    assert turn.reply == "Card 2, “Blue summer dress”, costs $60." and ids(turn) == ids(shown)
    assert len(fake_recommender.requests) == 1


def test_it_is_the_card_named_last(fake_recommender):
    conversation = Conversation()
    conversation.respond("a dress", fake_recommender)
    conversation.respond("what is the third one made of?", fake_recommender)
    assert conversation.respond("which sizes does it come in?", fake_recommender).reply == "Card 3 comes in XS."


def test_it_is_the_only_card_when_none_was_named(fake_recommender):
    conversation = Conversation()
    conversation.respond("a bag", fake_recommender)
    assert conversation.respond("what is it made of?", fake_recommender).reply == "Card 1 is made of straw."


def test_it_with_several_cards_and_none_named_asks_which(fake_recommender):
    conversation = Conversation()
    conversation.respond("a dress", fake_recommender)
    assert conversation.respond("how much is it?", fake_recommender).reply.startswith("Which card do you mean?")


def test_a_fact_the_catalogue_lacks_is_stated_as_unknown(fake_recommender):
    conversation = Conversation()
    conversation.respond("a dress", fake_recommender)
    assert (
        conversation.respond("is #4 for men?", fake_recommender).reply
        == "The catalogue does not say who card 4 is for."
    )


def test_compare_shows_the_cards_side_by_side_and_keeps_them(fake_recommender):
    conversation = Conversation()
    shown = conversation.respond("a dress", fake_recommender)
    turn = conversation.respond("compare 1 and 3", fake_recommender)
    assert turn.reply.startswith("Cards 1 and 3 side by side:") and ids(turn) == ids(shown)
    assert "| Price | $40 | $120 |" in turn.reply.splitlines()


def test_a_card_that_is_not_on_screen_is_named_and_nothing_changes(fake_recommender):
    conversation = Conversation()
    conversation.respond("a bag", fake_recommender)
    before = (conversation.constraints, list(conversation.anchors), len(fake_recommender.requests))
    turn = conversation.respond("more like the second one", fake_recommender)
    assert turn.reply == "There is no card 2: there is only one card on screen." and ids(turn) == ["b1"]
    assert (conversation.constraints, conversation.anchors, len(fake_recommender.requests)) == before


def test_comparing_a_card_that_is_not_on_screen_names_how_many_there_are(fake_recommender):
    conversation = Conversation()
    conversation.respond("a dress", fake_recommender)
    assert conversation.respond("compare 2 and 12", fake_recommender).reply == (
        "There is no card 12: there are 4 cards on screen."
    )


def test_the_second_one_but_in_red_anchors_on_that_card_and_filters_the_colour(fake_recommender):
    conversation = Conversation()
    conversation.respond("a dress", fake_recommender)
    _, request = fake_recommender.search_of(conversation, "the second one but in red")
    assert request.anchor_ids == ("d2",)
    assert {"colour": {"$in": ["", "red"]}} in request.where["$and"]


def test_a_kind_the_catalogue_lacks_is_said_first_and_no_cards_are_shown_for_it(fake_recommender):
    conversation = Conversation()
    conversation.respond("a dress", fake_recommender)
    turn = conversation.respond("a purple wool swimsuit under $5", fake_recommender)
    assert turn.cards == [] and turn.reply.startswith("There are no swimsuits in this catalogue")
    assert "shall I show dresses (under $5, colour purple, material wool) instead?" in turn.reply
    assert "swimsuit" not in conversation.request_text


def test_yes_to_the_nearest_category_searches_it_with_the_rest_of_the_request(fake_recommender):
    conversation = Conversation()
    conversation.respond("a linen swimsuit", fake_recommender)
    turn, request = fake_recommender.search_of(conversation, "yes")
    assert ids(turn) == ["d1", "d4"]
    assert request.where == {"$and": [{"category": {"$in": ["dress"]}}, {"material": {"$in": ["", "linen"]}}]}


def test_a_category_with_no_items_is_said_and_the_nearest_one_offered(fake_recommender):
    turn = Conversation().respond("a red skirt", fake_recommender)
    assert turn.reply.startswith("There are no skirts in this catalogue")
    assert "The nearest kind it has is dresses" in turn.reply and turn.cards == []


def test_a_kind_the_catalogue_names_under_no_category_is_searched_as_before():
    items = [*ITEMS, Item("w1", "Striped swimsuit", colour="blue", price=30.0)]
    turn = Conversation().respond("a swimsuit", FakeRecommender(items))
    assert turn.cards and "There are no swimsuits" not in turn.reply


def test_a_comparison_of_hostile_titles_reaches_the_chat_as_inert_text():
    hostile = [
        Item("h1", "<img src=x onerror=alert(1)> | [click](javascript:alert(1))", category="bag", price=5.0),
        Item("h2", "![pixel](http://evil.example/p.png) **bold** `code`", category="bag", price=6.0),
    ]
    conversation = Conversation()
    conversation.respond("a bag", FakeRecommender(hostile))
    conversation.respond("compare 1 and 2", FakeRecommender(hostile))
    shown = chat_messages(conversation)[-1]["content"]
    assert "<" not in shown and "[click](" not in shown and "![pixel](" not in shown and "**bold**" not in shown
    title_row = next(line for line in shown.splitlines() if line.startswith("| Title"))
    assert title_row.count(" | ") == 2  # the pipe in a title is escaped: the table keeps its two card columns


def test_more_like_a_card_says_which_card_it_searches_near(fake_recommender):
    conversation = Conversation()
    second = conversation.respond("a dress", fake_recommender).cards[1].item
    turn = conversation.respond("more like the second one", fake_recommender)
    assert turn.reply.startswith(f"More like card 2, “{second.title}”. Here are")


def test_not_that_one_after_an_answer_naming_a_card_turns_that_card_down(fake_recommender):
    conversation = Conversation()
    conversation.respond("a dress", fake_recommender)  # 40, 60, 120, 80
    dearest = conversation.respond("which is the most expensive?", fake_recommender)
    assert dearest.reply.startswith("The most expensive is card 3")
    turn = conversation.respond("not that one", fake_recommender)
    assert "d3" not in ids(turn) and "d1" in ids(turn)


def test_a_card_taken_in_words_is_bought_as_its_cart_button_buys_it(fake_recommender):
    store, conversation = FakeFeedbackStore(), Conversation(user_id="hf:ana", remembered=True)
    conversation.respond("a dress", fake_recommender)
    turn = conversation.respond("I'll take the second one", fake_recommender, store=store)
    assert turn.reply.startswith("Bought: “") and len(turn.cards) == 4
    assert store.recorded == [("hf:ana", "d2", "purchase")]
    assert [(e.kind, e.item_id) for e in conversation.take_events()] == [("purchase", "d2")]


def test_taking_it_buys_the_card_asked_about_last(fake_recommender):
    conversation = Conversation()
    conversation.respond("a dress", fake_recommender)
    conversation.respond("how much is #3?", fake_recommender)
    conversation.respond("I'll take it", fake_recommender)
    assert [(e.kind, e.item_id) for e in conversation.take_events()] == [("purchase", "d3")]


def test_taking_it_among_several_cards_asks_which_and_buys_nothing(fake_recommender):
    conversation = Conversation()
    conversation.respond("a dress", fake_recommender)
    assert "Which card" in conversation.respond("I'll take it", fake_recommender).reply
    assert conversation.take_events() == []


def test_taking_a_card_not_on_screen_says_how_many_there_are(fake_recommender):
    conversation = Conversation()
    conversation.respond("a dress", fake_recommender)
    assert conversation.respond("buy #7", fake_recommender).reply == "There is no card 7: there are 4 cards on screen."
