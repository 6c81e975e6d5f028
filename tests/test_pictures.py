"""Which files the web may be handed: product pictures only, never the stores, the source or a symlink out."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from chat.web.pictures import Pictures


@pytest.fixture
def place(tmp_path) -> dict[str, Path]:
    data = tmp_path / "data"
    (data / "chroma").mkdir(parents=True)
    (data / "users.sqlite").write_bytes(b"SQLite format 3\x00secret")
    pictures = tmp_path / "catalogue" / "images"
    pictures.mkdir(parents=True)
    (pictures / "1.jpg").write_bytes(b"jpeg")
    (data / "loose.png").write_bytes(b"png beside the stores")
    return {"data": data, "pictures": pictures, "users": data / "users.sqlite"}


def _pictures(place, *images: Path) -> Pictures:
    return Pictures([str(i) for i in images], place["data"] / "pictures", [place["data"] / "chroma", place["users"]])


def test_a_catalogue_picture_folder_is_served_and_the_data_folder_is_not(place):
    pictures = _pictures(place, place["pictures"] / "1.jpg")
    assert str(place["pictures"].resolve()) in pictures.allowed_paths
    assert not any(Path(folder) == place["data"].resolve() for folder in pictures.allowed_paths)
    assert pictures.served(str(place["pictures"] / "1.jpg")) == str((place["pictures"] / "1.jpg").resolve())


def test_a_picture_beside_private_files_is_served_as_a_copy_in_the_apps_own_folder(place):
    pictures = _pictures(place, place["data"] / "loose.png")
    assert str(place["data"].resolve()) not in pictures.allowed_paths
    served = Path(pictures.served(str(place["data"] / "loose.png")))
    assert served.parent.parent == (place["data"] / "pictures").resolve() and served.read_bytes().startswith(b"png")


def test_a_store_or_a_file_that_is_not_a_picture_is_never_handed_out(place):
    pictures = _pictures(place, place["pictures"] / "1.jpg")
    assert pictures.served(str(place["users"])) is None
    assert pictures.served(str(place["pictures"] / ".." / ".." / "data" / "users.sqlite")) is None


def test_a_symlink_named_like_a_picture_that_points_at_a_store_is_refused(place):
    link = place["pictures"] / "evil.png"
    os.symlink(place["users"], link)
    os.symlink(place["data"], place["pictures"] / "evil-folder.png")
    pictures = _pictures(place, place["pictures"] / "1.jpg")
    assert pictures.served(str(link)) is None
    assert pictures.served(str(place["pictures"] / "evil-folder.png" / "users.sqlite")) is None


def test_the_working_folder_and_the_root_are_never_opened(place, monkeypatch):
    monkeypatch.chdir(place["pictures"].parent)
    pictures = Pictures([str(place["pictures"].parent / "x.png"), "/y.png"], place["data"] / "pictures", [])
    assert pictures.folders == ()


def test_the_stores_are_blocked_even_where_a_folder_is_allowed(place):
    pictures = _pictures(place, place["pictures"] / "1.jpg")
    assert str(place["users"].resolve()) in pictures.blocked_paths


def test_a_url_picture_is_passed_through_and_a_missing_one_is_none(place):
    pictures = _pictures(place)
    assert pictures.served("https://example.org/a.jpg") == "https://example.org/a.jpg"
    assert pictures.served("") is None and pictures.served(str(place["pictures"] / "missing.jpg")) is None
