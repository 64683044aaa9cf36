"""The store on SQLite and PostgreSQL: files change only when valid; history, flags, revert."""

from __future__ import annotations

import copy
import uuid

import pytest

from bot.curation.store import EditConflict, InvalidEdit, KbStore, fingerprint, flags_of
from bot.db import Database, KbRevision
from bot.kb.loader import load_kb
from tests.bot.web.test_api import POSTGRES_URL, _postgres_available


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    if request.param == "postgresql" and not _postgres_available():
        pytest.fail("PostgreSQL is not reachable at 127.0.0.1:5432")
    url = f"sqlite:///{tmp_path / 'c.db'}" if request.param == "sqlite" else POSTGRES_URL
    db = Database(url)
    db.upgrade()  # never drops: the PostgreSQL database is shared, so ids below are unique
    yield db
    db.dispose()


def _new_entry(store: KbStore, entry_id: str) -> dict:
    raw = copy.deepcopy(store.get("card.fees"))
    raw["id"] = entry_id
    raw["related"] = []
    for lang in ("pl", "en", "uk", "ru"):
        raw[lang]["phrasings"] = [f"{entry_id} {lang} pytanie {i}" for i in range(6)]
    return raw


def test_edits_are_recorded_flag_translations_and_revert(database, kb_copy):
    store = KbStore(kb_copy)
    entry_id = f"card.t{uuid.uuid4().hex[:10]}"
    with database.session() as db:
        created = store.save(db, "alice", _new_entry(store, entry_id), expected="")
        assert created.action == "create"
    assert load_kb(kb_copy).get(entry_id) is not None  # what `faq validate` reads

    with database.session() as db:
        raw = store.get(entry_id)
        edited = copy.deepcopy(raw)
        edited["pl"]["answer"] = "Nowa odpowiedź. " + raw["pl"]["answer"]
        edited["uk"]["answer"] = "Нова відповідь. " + raw["uk"]["answer"]
        revision = store.save(db, "bob", edited, expected=fingerprint(raw))
        # uk changed together with pl: only en and ru wait for review
        assert flags_of(db, entry_id) == ["en", "ru"]
        revision_id = revision.id

    with database.session() as db:
        store.revert(db, "carol", db.get(KbRevision, revision_id))
        assert store.get(entry_id)["pl"]["answer"] == raw["pl"]["answer"]
        actions = [r.action for r in db.query(KbRevision).filter_by(entry_id=entry_id)]
        assert actions == ["create", "edit", "revert"]

    with database.session() as db:
        store.retire(db, "dave", entry_id)
        assert flags_of(db, entry_id) == []
    assert store.get(entry_id) is None


def test_invalid_and_stale_edits_change_nothing(database, kb_copy):
    store = KbStore(kb_copy)
    before = (kb_copy / "card.yml").read_bytes()
    raw = store.get("card.fees")
    bad = copy.deepcopy(raw)
    bad["related"] = ["no.such_entry"]
    bad["en"]["answer"] = "x" * 901
    with database.session() as db:
        with pytest.raises(InvalidEdit) as caught:
            store.save(db, "alice", bad, expected=fingerprint(raw))
        fields = {p.field for p in caught.value.problems}
        assert fields == {"related", "en.answer"}
        with pytest.raises(EditConflict):
            store.save(db, "alice", raw, expected="stale")
    assert (kb_copy / "card.yml").read_bytes() == before


def test_an_unchanged_save_rewrites_the_file_identically(kb_copy, tmp_path):
    store = KbStore(kb_copy)
    database = Database(f"sqlite:///{tmp_path / 'x.db'}")
    database.upgrade()
    before = (kb_copy / "card.yml").read_bytes()
    raw = store.get("card.fees")
    with database.session() as db:
        store.save(db, "alice", copy.deepcopy(raw), expected=fingerprint(raw))
    assert (kb_copy / "card.yml").read_bytes() == before
    database.dispose()
