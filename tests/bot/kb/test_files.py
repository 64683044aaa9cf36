"""The knowledge-base folder's files: listing, fingerprint, reading."""

from __future__ import annotations

import pytest
import yaml

from bot.kb.files import area_files, files_digest, kb_files, read_yaml


@pytest.fixture
def kb_dir(tmp_path):
    (tmp_path / "work.yml").write_text("area: work\nentries: []\n", "utf-8")
    (tmp_path / "card.yml").write_text("area: card\nentries: []\n", "utf-8")
    (tmp_path / "negatives.yml").write_text("pl: []\n", "utf-8")
    (tmp_path / "glossary.yml").write_text("terms: []\n", "utf-8")
    (tmp_path / "README.md").write_text("not a knowledge-base file", "utf-8")
    (tmp_path / "old.yml").mkdir()  # a folder named like a file is not one
    return tmp_path


def test_the_folder_lists_its_yaml_files_in_name_order(kb_dir):
    names = [p.name for p in kb_files(kb_dir)]
    assert names == ["card.yml", "glossary.yml", "negatives.yml", "work.yml"]


def test_areas_are_the_files_other_than_negatives_and_glossary(kb_dir):
    assert [p.stem for p in area_files(kb_dir)] == ["card", "work"]


def test_the_digest_changes_with_a_files_bytes_or_name_only(kb_dir):
    before = files_digest(kb_dir)
    (kb_dir / "README.md").write_text("edited", "utf-8")
    assert files_digest(kb_dir) == before
    (kb_dir / "work.yml").write_text("area: work\nentries: [ ]\n", "utf-8")
    edited = files_digest(kb_dir)
    assert edited != before
    (kb_dir / "work.yml").rename(kb_dir / "jobs.yml")
    assert files_digest(kb_dir) != edited


def test_reading_has_the_safe_loaders_limits(tmp_path):
    bomb = tmp_path / "bomb.yml"
    bomb.write_text("a: " + "[" * 100 + "]" * 100 + "\n", "utf-8")
    with pytest.raises(yaml.YAMLError):
        read_yaml(bomb)
    good = tmp_path / "good.yml"
    good.write_text("area: card\nreviewed: 2026-01-05\n", "utf-8")
    assert read_yaml(good)["area"] == "card"
