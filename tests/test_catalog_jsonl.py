"""The project's own catalogue format: JSON lines and CSV, read back exactly, broken records named by line."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from store.catalogs.jsonl import read_items_file, write_items_csv, write_items_jsonl
from store.item import Item

MARKUP_TITLE = '<b>Statement</b> "Party" clutch & co'


def _items(folder: Path) -> list[Item]:
    (folder / "images").mkdir()
    for name in ("a.png", "b.png"):
        (folder / "images" / name).write_bytes(b"\x89PNG fake")
    return [
        Item(
            id="a1",
            title="Blue linen midi dress",
            description="Light, for summer; with a slit",
            brand="Solenne",
            category="dress",
            colour="blue",
            material="linen",
            price=89.5,
            image=str(folder / "images" / "a.png"),
            extra={"season": "summer", "size": "M"},
        ),
        Item(id="b2", title=MARKUP_TITLE, category="bag", colour="red", price=35.0, image=str(folder / "images/b.png")),
        Item(id="c3", title="Grey wool scarf", category="accessory", colour="grey", material="wool", price=19.99),
    ]


def test_jsonl_round_trip_gives_back_equal_items(tmp_path):
    items = [*_items(tmp_path)]
    items[0] = Item(**{**items[0].__dict__, "extra": {"season": "summer", "year": 2021, "rating": 4.5, "new": True}})

    read = read_items_file(write_items_jsonl(items, tmp_path / "catalog.jsonl"))

    assert read.items == items
    assert (read.problems, read.duplicate_ids, read.missing_images) == ([], [], [])


def test_csv_round_trip_gives_back_equal_items(tmp_path):
    items = _items(tmp_path)

    read = read_items_file(write_items_csv(items, tmp_path / "catalog.csv"))

    assert read.items == items
    assert read.problems == []


@pytest.mark.parametrize("writer, name", [(write_items_jsonl, "c.jsonl"), (write_items_csv, "c.csv")])
def test_title_with_markup_survives_verbatim(tmp_path, writer, name):
    read = read_items_file(writer(_items(tmp_path), tmp_path / name))

    assert read.items[1].title == MARKUP_TITLE


def test_images_inside_the_folder_are_written_relative_to_it(tmp_path):
    write_items_jsonl(_items(tmp_path), tmp_path / "catalog.jsonl")

    first = json.loads((tmp_path / "catalog.jsonl").read_text().splitlines()[0])

    assert first["image"] == "images/a.png"


def test_relative_image_resolves_against_catalogue_folder_not_cwd(tmp_path, monkeypatch):
    shop = tmp_path / "shop"
    (shop / "pics").mkdir(parents=True)
    (shop / "pics" / "x.jpg").write_bytes(b"jpeg")
    (shop / "catalog.jsonl").write_text(json.dumps({"id": "x", "title": "Red tote", "image": "pics/x.jpg"}) + "\n")
    monkeypatch.chdir(tmp_path)

    read = read_items_file(shop / "catalog.jsonl")

    assert read.items[0].image == str((shop / "pics" / "x.jpg").resolve())


def test_malformed_json_line_is_skipped_and_named_by_file_and_line(tmp_path):
    lines = [
        json.dumps({"id": "1", "title": "Black belt"}),
        "",
        '{"id": "2", "title": "broken',
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "3", "title": "White sneakers"}),
    ]
    (tmp_path / "catalog.jsonl").write_text("\n".join(lines) + "\n")

    read = read_items_file(tmp_path / "catalog.jsonl")

    assert [item.id for item in read.items] == ["1", "3"]
    assert len(read.problems) == 2
    assert read.problems[0].startswith("catalog.jsonl:3: invalid JSON")
    assert read.problems[1] == "catalog.jsonl:4: expected a JSON object, got list (skipped)"


def test_csv_row_with_wrong_field_count_names_its_starting_line(tmp_path):
    text = (
        "id,title,description,price\n"
        '1,Blue dress,"two-line\ndescription",50\n'  # lines 2-3
        "2,Too,many,fields,here\n"  # line 4
        "3,Green skirt,,30\n"
    )
    (tmp_path / "shop.csv").write_text(text)

    read = read_items_file(tmp_path / "shop.csv")

    assert [item.id for item in read.items] == ["1", "3"]
    assert read.items[0].description == "two-line\ndescription"
    assert read.problems == ["shop.csv:4: 5 fields, expected 4 (skipped)"]


def test_record_without_title_or_with_bad_price_is_reported(tmp_path):
    records = [{"id": "1", "title": ""}, {"id": "2", "title": "Cap", "price": "cheap"}, {"id": "3", "title": "Hat"}]
    (tmp_path / "c.jsonl").write_text("".join(json.dumps(record) + "\n" for record in records))

    read = read_items_file(tmp_path / "c.jsonl")

    assert [item.id for item in read.items] == ["3"]
    assert read.problems == [
        "c.jsonl:1: item 1: no title (skipped)",
        "c.jsonl:2: price 'cheap' is not a number (skipped)",
    ]


def test_duplicate_ids_keep_the_first_record_and_are_reported(tmp_path):
    records = [{"id": "7", "title": "First"}, {"id": "8", "title": "Other"}, {"id": "7", "title": "Second"}]
    (tmp_path / "c.jsonl").write_text("".join(json.dumps(record) + "\n" for record in records))

    read = read_items_file(tmp_path / "c.jsonl")

    assert [(item.id, item.title) for item in read.items] == [("7", "First"), ("8", "Other")]
    assert read.duplicate_ids == ["7"]


def test_missing_images_keep_the_item_and_log_one_warning(tmp_path, caplog):
    records = [{"id": str(i), "title": f"Item {i}", "image": f"gone/{i}.jpg"} for i in range(3)]
    records.append({"id": "url", "title": "Remote", "image": "https://example.com/p.jpg"})
    (tmp_path / "c.jsonl").write_text("".join(json.dumps(record) + "\n" for record in records))

    with caplog.at_level(logging.WARNING, logger="store.catalogs"):
        read = read_items_file(tmp_path / "c.jsonl")

    assert [item.image for item in read.items] == ["", "", "", "https://example.com/p.jpg"]
    assert read.missing_images == ["0", "1", "2"]
    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "3 of 4 items have no image file" in warnings[0].getMessage()


def test_raw_attribute_values_map_to_canonical_and_are_kept_in_extra(tmp_path):
    record = {"id": "1", "title": "Shirt", "category": "Tshirts", "colour": "Navy Blue", "material": "Cotton"}
    (tmp_path / "c.jsonl").write_text(json.dumps(record) + "\n")

    item = read_items_file(tmp_path / "c.jsonl").items[0]

    assert (item.category, item.colour, item.material) == ("top", "navy", "cotton")
    assert item.extra == {"raw_category": "Tshirts", "raw_colour": "Navy Blue", "raw_material": "Cotton"}


def test_unknown_keys_go_to_extra_and_prices_parse_from_text(tmp_path):
    record = {"id": 12, "title": "Loafers", "price": "$1,299.00", "gender": "Women", "tags": ["a", "b"]}
    (tmp_path / "c.jsonl").write_text(json.dumps(record) + "\n")

    item = read_items_file(tmp_path / "c.jsonl").items[0]

    assert (item.id, item.price) == ("12", 1299.0)
    assert item.extra == {"gender": "Women", "tags": '["a", "b"]'}
