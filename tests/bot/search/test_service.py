"""The search service: built once, saved, rebuilt on change, swapped without breaking searches."""

from __future__ import annotations

import threading

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
