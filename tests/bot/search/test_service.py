"""The search service: built once, saved, rebuilt on change, swapped without breaking searches."""

from __future__ import annotations

import threading
import time

import pytest
import yaml

from bot.kb import KnowledgeBaseError
from bot.search.service import SearchService
from tests.fakes import FakeEncoder


@pytest.fixture
def service(settings):
    service = SearchService(settings, encoder=FakeEncoder())
    service.warm_up()
    return service


@pytest.fixture
def slow_builds(service, monkeypatch) -> tuple[threading.Event, threading.Event]:
    """Index builds that signal `started` and wait for `release`: to act mid-build."""
    started, release = threading.Event(), threading.Event()
    real_build = service.load_or_build

    def slow_build(kb):
        started.set()
        release.wait(10)
        return real_build(kb)

    monkeypatch.setattr(service, "load_or_build", slow_build)
    return started, release


def _add_phrasing(kb_dir, entry_id, lang, phrasing):
    for path in kb_dir.glob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for entry in data.get("entries", []):
            if entry["id"] == entry_id:
                entry[lang]["phrasings"].append(phrasing)
                path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
                return
    raise KeyError(entry_id)


def test_the_index_is_saved_and_reused(settings, service):
    path = service.index_path(service.kb)
    assert (path / "meta.json").exists()
    encoder = FakeEncoder()
    again = SearchService(settings, encoder=encoder)
    again.warm_up()
    # Loading a saved index encodes nothing but the warm-up query
    assert encoder.calls == 0
    assert again.searcher.index.kb_hash == service.searcher.index.kb_hash


def test_a_change_to_the_files_goes_live_on_refresh(settings, service):
    old_hash = service.kb.content_hash()
    assert service.refresh() is False
    _add_phrasing(settings.kb_dir, "card.pickup", "en", "zorblax card thingy collection")
    assert service.refresh() is True
    assert service.kb.content_hash() != old_hash
    assert service.searcher.search("zorblax card thingy collection").best.id == "card.pickup"


def test_an_invalid_change_is_refused_and_the_old_index_stays(settings, service):
    before = service.snapshot
    (settings.kb_dir / "broken.yml").write_text("area: broken\nentries: [\n", encoding="utf-8")
    assert service.refresh() is False
    assert service.snapshot.searcher is before.searcher
    assert service.searcher.search("zgubiłem kartę pobytu").best.id == "card.loss"


def test_an_invalid_change_is_logged_with_its_reasons_and_no_traceback(settings, service, caplog):
    (settings.kb_dir / "broken.yml").write_text("area: broken\n", encoding="utf-8")
    assert service.refresh() is False
    [record] = [r for r in caplog.records if "invalid" in r.getMessage()]
    assert "broken.yml:1: -: `entries` must be a non-empty list" in record.getMessage()
    assert record.exc_info is None


def test_warm_up_refuses_an_invalid_knowledge_base(settings):
    (settings.kb_dir / "broken.yml").write_text("area: broken\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError):
        SearchService(settings, encoder=FakeEncoder()).warm_up()


def test_searches_in_flight_survive_a_swap(settings, service):
    errors: list[Exception] = []
    stop = threading.Event()

    def hammer():
        while not stop.is_set():
            try:
                assert service.searcher.search("zgubiłem kartę pobytu").best is not None
            except Exception as exc:
                errors.append(exc)

    threads = [threading.Thread(target=hammer) for _ in range(2)]
    for t in threads:
        t.start()
    _add_phrasing(settings.kb_dir, "card.loss", "pl", "gdzie zgłosić kradzież karty w tramwaju")
    assert service.refresh() is True
    stop.set()
    for t in threads:
        t.join()
    assert errors == []


def _set_answer(kb_dir, entry_id, lang, answer):
    for path in kb_dir.glob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for entry in data.get("entries", []):
            if entry["id"] == entry_id:
                entry[lang]["answer"] = answer
                path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
                return
    raise KeyError(entry_id)


def test_an_edited_answer_is_served_before_the_new_index_is_built(settings, service, slow_builds):
    url = service.kb.get("card.fees").sources[0]
    _set_answer(settings.kb_dir, "card.fees", "uk", f"Нова відповідь {url}")
    building, release = slow_builds
    worker = threading.Thread(target=service.refresh)
    worker.start()
    assert building.wait(10)
    assert service.kb.get("card.fees").text("uk").answer.startswith("Нова відповідь")
    old_index = service.searcher.index
    release.set()
    worker.join(10)
    assert service.searcher.index is not old_index
    assert service.searcher.index.kb_hash == service.kb.content_hash()


def test_a_rebuild_encodes_only_the_texts_it_has_not_seen(settings, service, monkeypatch):
    inner = service.encoder.inner
    encoded: list[str] = []
    real_encode = inner.encode

    def counting(texts):
        encoded.extend(texts)
        return real_encode(texts)

    monkeypatch.setattr(inner, "encode", counting)
    _add_phrasing(settings.kb_dir, "card.fees", "uk", "перше нове формулювання")
    assert service.refresh()
    encoded.clear()
    _add_phrasing(settings.kb_dir, "card.fees", "uk", "друге нове формулювання")
    assert service.refresh()
    assert encoded == ["друге нове формулювання"]


def test_a_second_edit_during_a_build_is_served_at_once_and_never_rolled_back(
    settings, service, slow_builds
):
    url = service.kb.get("card.fees").sources[0]
    started, release = slow_builds
    _set_answer(settings.kb_dir, "card.fees", "uk", f"Перша правка {url}")
    first = threading.Thread(target=service.refresh)
    first.start()
    assert started.wait(10)
    _set_answer(settings.kb_dir, "card.fees", "uk", f"Друга правка {url}")
    second = threading.Thread(target=service.refresh)
    second.start()
    deadline = time.monotonic() + 10
    while not service.kb.get("card.fees").text("uk").answer.startswith("Друга"):
        assert time.monotonic() < deadline, "the second edit waited for the first build"
        time.sleep(0.01)
    release.set()
    first.join(20)
    assert service.kb.get("card.fees").text("uk").answer.startswith("Друга")
    second.join(20)
    assert service.kb.get("card.fees").text("uk").answer.startswith("Друга")
    assert service.searcher.index.kb_hash == service.kb.content_hash()
    assert not service.refresh()


def test_restoring_the_previous_files_during_a_build_is_served_at_once(
    settings, service, slow_builds
):
    path = settings.kb_dir / "card.yml"
    original_bytes = path.read_bytes()
    original = service.kb.get("card.fees").text("uk").answer
    url = service.kb.get("card.fees").sources[0]
    started, release = slow_builds
    _set_answer(settings.kb_dir, "card.fees", "uk", f"Тимчасова правка {url}")
    first = threading.Thread(target=service.refresh)
    first.start()
    assert started.wait(10)
    path.write_bytes(original_bytes)  # a revert: exactly the bytes the index was built from
    second = threading.Thread(target=service.refresh)
    second.start()
    deadline = time.monotonic() + 10
    while service.kb.get("card.fees").text("uk").answer != original:
        assert time.monotonic() < deadline, "the revert waited for the build"
        time.sleep(0.01)
    release.set()
    first.join(20)
    second.join(20)
    assert service.kb.get("card.fees").text("uk").answer == original
