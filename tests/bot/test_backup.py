"""`faq backup` then `faq restore` into an empty installation: same data, same answers."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from bot import cli
from bot.auth import create_user
from bot.backup import BackupError
from bot.db import Database, QuestionLog, User
from bot.search.service import SearchService
from bot.settings import ROOT, Settings
from tests.fakes import FakeEncoder
from tests.pg import database_url

QUESTIONS = [
    "zgubiłem kartę pobytu",
    "скільки коштує карта побиту?",
    "how long is a work permit valid",
    "Jaka jutro pogoda w Krakowie?",
]


def installation(folder, url: str, kb_dir) -> Settings:
    return Settings(
        kb_dir=kb_dir,
        models_dir=folder / "models",
        var_dir=folder / "var",
        search_config=folder / "search.yml",
        database_url=url,
    )


def answers(settings: Settings) -> list[tuple[str, list[str]]]:
    service = SearchService(settings, encoder=FakeEncoder())
    service.warm_up()
    return search_all(service)


def search_all(service: SearchService) -> list[tuple[str, list[str]]]:
    results = [service.searcher.search(q) for q in QUESTIONS]
    return [(r.decision.value, [c.id for c in r.candidates]) for r in results]


def use(monkeypatch, settings: Settings) -> None:
    """Point the `faq` command at this installation, as its environment would."""
    monkeypatch.setattr(cli, "get_settings", lambda: settings)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_restore_into_an_empty_installation_gives_the_same_data_and_answers(
    kind, tmp_path, kb_copy, models_dir, monkeypatch
):
    with (
        database_url(kind, tmp_path / "a") as source_url,
        database_url(kind, tmp_path / "b") as target_url,
    ):
        (tmp_path / "a").mkdir(exist_ok=True)
        (tmp_path / "b").mkdir(exist_ok=True)
        source = installation(tmp_path / "a", source_url, kb_copy)
        (tmp_path / "a" / "search.yml").write_bytes((ROOT / "data" / "search.yml").read_bytes())
        database = Database(source.db_url)
        database.upgrade()
        with database.session() as db:
            create_user(db, "ola", "correct horse battery", "consultant", "uk,ru")
            db.add(QuestionLog(sender_id="s", channel="rest", lang="uk", text="q", decision="x"))
        database.dispose()
        rasa_model = source.models_dir / "rasa" / "abc123.tar.gz"
        rasa_model.parent.mkdir(parents=True)
        rasa_model.write_bytes(b"trained model")
        # The session's index of this knowledge base, copied in: building one takes seconds.
        shared = SearchService(
            source.model_copy(update={"models_dir": models_dir}), encoder=FakeEncoder()
        )
        shared.warm_up()
        built = shared.index_path(shared.kb)
        shutil.copytree(built, source.index_dir / built.name)
        expected = answers(source)
        archive = tmp_path / "backup.tar.gz"
        use(monkeypatch, source)
        assert cli.main(["backup", "--out", str(archive)]) == 0

        target = installation(tmp_path / "b", target_url, tmp_path / "b" / "kb")
        use(monkeypatch, target)
        assert cli.main(["restore", str(archive)]) == 0

        restored = Database(target.db_url)
        with restored.session() as db:
            assert [u.username for u in db.scalars(select(User))] == ["ola"]
            assert [q.text for q in db.scalars(select(QuestionLog))] == ["q"]
        restored.dispose()
        for path in sorted(kb_copy.rglob("*")):
            twin = target.kb_dir / path.relative_to(kb_copy)
            assert path.is_dir() or twin.read_bytes() == path.read_bytes(), twin
        assert (target.models_dir / "rasa" / "abc123.tar.gz").read_bytes() == b"trained model"
        assert target.search_config.read_bytes() == source.search_config.read_bytes()
        assert (target.index_dir / built.name / "meta.json").exists()  # served, not rebuilt
        assert answers(target) == expected

        # A second restore would overwrite live data: it needs --force.
        assert cli.main(["restore", str(archive)]) == 1
        assert cli.main(["restore", "--force", str(archive)]) == 0


def test_a_file_that_is_not_a_backup_is_refused(tmp_path, settings):
    from bot.backup import restore

    (tmp_path / "junk.tar.gz").write_bytes(b"not an archive")
    with pytest.raises(BackupError, match="not a readable backup"):
        restore(settings, tmp_path / "junk.tar.gz")
