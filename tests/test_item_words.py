"""How a request's words meet an item's text (chat/item_words.py): plain functions, hand-worked cases."""

from chat.item_words import look, matched_words, names_any, names_the_item, words
from store.item import Item


def test_words_leave_out_stop_words_and_short_words():
    assert words("Show me something in a red silk top") == {"red", "silk", "top"}


def test_matched_words_meet_singular_and_plural():
    assert matched_words("a shirt", "Check Blue Shirts") == ("shirt",)


def test_matched_words_are_only_the_requests_words_the_item_has():
    assert matched_words("a blue linen shirt", "Blue Cotton Shirt") == ("blue", "shirt")


def test_a_colour_alone_does_not_name_the_item():
    assert not names_the_item("like this but in black", "Jockey Men Black Briefs")


def test_whom_an_item_is_for_does_not_name_it():
    assert not names_the_item("an outfit for women", "Beyouty Women Zena White Bra")
    assert not names_the_item("something sporty for men", "Jockey Men Sports Briefs")


def test_a_word_beyond_colour_and_material_names_the_item():
    assert names_the_item("black briefs", "Jockey Men Black Briefs")


def test_names_any_reads_singular_and_plural_in_the_whole_text():
    item = Item(id="1", title="Court Sneaker", description="white leather")
    assert names_any(item, frozenset({"sneakers"}))
    assert names_any(item, frozenset({"leather"}))
    assert not names_any(item, frozenset({"polyester"}))


def test_a_refused_word_names_the_item_in_another_number():
    assert names_any(Item(id="1", title="Floral Summer Dress"), frozenset({"dresses"}))
    assert names_any(Item(id="1", title="Steel Watches Set"), frozenset({"watch"}))


def test_a_refused_word_of_two_names_the_item_however_it_is_spelled():
    refused = frozenset({"t shirts"})  # how the parser keeps "no t-shirts"
    for title in ("Nike Men Black T-shirt", "Puma Men Grey Tshirts", "Basic White Tee"):
        assert names_any(Item(id="1", title=title), refused), title
    assert not names_any(Item(id="1", title="Arrow Men White Shirt"), refused)


def test_a_refused_phrase_names_the_item():
    assert names_any(Item(id="1", title="Fila Men Blue Flip Flops"), frozenset({"flip flops"}))
    assert not names_any(Item(id="1", title="Fila Men Blue Sandals"), frozenset({"flip flops"}))


def test_a_refused_garment_names_its_other_names():
    assert names_any(Item(id="1", title="W Women Solid Sea Green Kurti"), frozenset({"kurtas"}))
    assert names_any(Item(id="1", title="Adidas Running Trainers"), frozenset({"sneakers"}))


def test_a_refused_kind_of_several_words_names_an_item_with_each_of_them():
    assert names_any(Item(id="1", title="Nike Men Running Shoes"), frozenset({"nike shoes"}))
    assert not names_any(Item(id="1", title="Nike Men Black Tshirt"), frozenset({"nike shoes"}))
    assert names_any(Item(id="1", title="Catwalk Women Black Heels"), frozenset({"high heels"}))


def test_one_product_under_two_ids_looks_the_same():
    first = Item(id="1", title="Guess Men  Chase Steel Watch", colour="steel")
    second = Item(id="2", title="guess men chase steel watch", colour="steel")
    other_colour = Item(id="3", title="Guess Men Chase Steel Watch", colour="black")
    assert look(first) == look(second)
    assert look(first) != look(other_colour)
