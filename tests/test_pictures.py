"""Which files the web may be handed: thumbnails the app makes of product pictures, never the stores, the
source, a catalogue folder or a symlink out."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from chat.web.pictures import THUMBNAIL_SIDE, Pictures


@pytest.fixture
def place(tmp_path) -> dict[str, Path]:
    data = tmp_path / "data"
    (data / "chroma").mkdir(parents=True)
    (data / "users.sqlite").write_bytes(b"SQLite format 3\x00secret")
    pictures = tmp_path / "catalogue" / "images"
    pictures.mkdir(parents=True)
    Image.new("RGB", (1200, 1600), (200, 30, 40)).save(pictures / "1.jpg")
    (pictures / "broken.jpg").write_bytes(b"not a jpeg at all")
    Image.new("RGB", (80, 60), (10, 200, 40)).save(data / "loose.png")
    return {"data": data, "pictures": pictures, "users": data / "users.sqlite"}


def _pictures(place) -> Pictures:
    return Pictures(place["data"] / "pictures", [place["data"] / "chroma", place["users"]])


def test_a_catalogue_picture_is_served_as_a_small_thumbnail_in_the_apps_own_folder(place):
    pictures = _pictures(place)
    served = Path(pictures.served(str(place["pictures"] / "1.jpg")))
    assert served.parent == (place["data"] / "pictures" / "thumbnails").resolve()
    with Image.open(served) as thumbnail:
        assert thumbnail.format == "WEBP" and max(thumbnail.size) == THUMBNAIL_SIDE
        assert thumbnail.size == (270, THUMBNAIL_SIDE)  # the 3:4 photo keeps its shape
        assert thumbnail.getpixel((100, 100))[0] > 150  # still the red photo


def test_only_the_apps_own_folder_is_opened_to_the_web_never_a_catalogue_folder(place):
    pictures = _pictures(place)
    pictures.served(str(place["pictures"] / "1.jpg"))
    assert pictures.allowed_paths == [str((place["data"] / "pictures").resolve())]
    assert pictures.static_paths == pictures.allowed_paths


def test_a_picture_beside_private_files_is_served_as_a_thumbnail_too(place):
    served = Path(_pictures(place).served(str(place["data"] / "loose.png")))
    assert served.parent.name == "thumbnails" and Image.open(served).size == (80, 60)  # never enlarged


def test_a_thumbnail_is_made_once_and_reused_by_the_next_start(place):
    source = str(place["pictures"] / "1.jpg")
    first = Path(_pictures(place).served(source))
    made = first.stat().st_mtime_ns
    again = Path(_pictures(place).served(source))
    assert again == first and again.stat().st_mtime_ns == made
    assert list(first.parent.glob("*.tmp")) == []


def test_a_changed_picture_gets_a_new_thumbnail(place):
    source = place["pictures"] / "1.jpg"
    before = _pictures(place).served(str(source))
    Image.new("RGB", (300, 300), (0, 0, 255)).save(source)
    os.utime(source, ns=(source.stat().st_atime_ns, source.stat().st_mtime_ns + 10**9))
    after = _pictures(place).served(str(source))
    assert after != before and Image.open(after).getpixel((10, 10))[2] > 200


def test_an_unreadable_picture_is_none_so_the_card_shows_the_placeholder(place):
    assert _pictures(place).served(str(place["pictures"] / "broken.jpg")) is None


def test_a_store_or_a_file_that_is_not_a_picture_is_never_handed_out(place):
    pictures = _pictures(place)
    assert pictures.served(str(place["users"])) is None
    assert pictures.served(str(place["pictures"] / ".." / ".." / "data" / "users.sqlite")) is None


def test_a_symlink_named_like_a_picture_that_points_at_a_store_is_refused(place):
    link = place["pictures"] / "evil.png"
    os.symlink(place["users"], link)
    os.symlink(place["data"], place["pictures"] / "evil-folder.png")
    pictures = _pictures(place)
    assert pictures.served(str(link)) is None
    assert pictures.served(str(place["pictures"] / "evil-folder.png" / "users.sqlite")) is None


def test_the_stores_are_blocked(place):
    assert str(place["users"].resolve()) in _pictures(place).blocked_paths


def test_a_url_picture_is_passed_through_and_a_missing_one_is_none(place):
    pictures = _pictures(place)
    assert pictures.served("https://example.org/a.jpg") == "https://example.org/a.jpg"
    assert pictures.served("") is None and pictures.served(str(place["pictures"] / "missing.jpg")) is None


def test_warming_makes_every_readable_pictures_thumbnail_ahead_of_the_first_turn(place):
    pictures = _pictures(place)
    images = [str(place["pictures"] / "1.jpg"), str(place["pictures"] / "broken.jpg"), "https://x.test/a.jpg", ""]
    assert pictures.warm(images) == 1
    assert len(list((place["data"] / "pictures" / "thumbnails").glob("*.webp"))) == 1
    made = Path(pictures.served(images[0])).stat().st_mtime_ns
    assert _pictures(place).warm(images) == 1  # the next start finds it made
    assert Path(pictures.served(images[0])).stat().st_mtime_ns == made
