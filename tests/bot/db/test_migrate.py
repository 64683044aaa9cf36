"""Migrations on SQLite and PostgreSQL: they match the models, keep data, and run once."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine, text

from bot.db import Database
from bot.db.migrate import FIRST_REVISION, MigrationError, current, differences, head, upgrade
from tests.pg import database_url


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path):
    with database_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def database(empty_url):
    db = Database(empty_url)
    yield db
    db.dispose()


def test_models_and_migrations_agree(database):
    # A model change without a migration fails here: run `faq db revision -m "..."`.
    database.upgrade()
    assert current(database.engine) == head()
    assert differences(database.engine) == []


def _old_data(engine: Engine) -> None:
    """Rows written with the first revision's columns, as an installation of that time did."""
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO staff_user (id, username, password_hash, role, languages, active,"
                " created_at) VALUES (1, 'ola', 'hash', 'consultant', 'uk,ru', true, :at)"
            ),
            {"at": "2025-01-02 03:04:05"},
        )
        c.execute(
            text(
                "INSERT INTO question_log (id, created_at, sender_id, channel, lang, text,"
                " decision, kb_id, score) VALUES (1, :at, 's1', 'rest', 'uk', 'карта побиту',"
                " 'answer', 'card.fees', 0.9)"
            ),
            {"at": "2025-01-02 03:04:05"},
        )
        c.execute(
            text(
                "INSERT INTO handoff (id, sender_id, channel, lang, question, state, reason,"
                " consultant_id, resolution, created_at, synced_until) VALUES (1, 's1', 'rest',"
                " 'uk', 'q', 'active', '', 1, '', :at, 0)"
            ),
            {"at": "2025-01-02 03:04:05"},
        )
        c.execute(
            text(
                "INSERT INTO handoff_message (id, handoff_id, author, text, created_at, delivered)"
                " VALUES (1, 1, 'consultant', 'Добрий день', :at, false)"
            ),
            {"at": "2025-01-02 03:04:05"},
        )


def _assert_old_data_kept(engine: Engine) -> None:
    with engine.connect() as c:
        assert c.execute(text("SELECT username, languages FROM staff_user")).all() == [
            ("ola", "uk,ru")
        ]
        assert c.execute(text("SELECT text, kb_id FROM question_log")).all() == [
            ("карта побиту", "card.fees")
        ]
        assert c.execute(text("SELECT state, consultant_id FROM handoff")).all() == [("active", 1)]
        assert c.execute(text("SELECT text, delivered FROM handoff_message")).all() == [
            ("Добрий день", False)
        ]


def test_upgrade_from_the_first_revision_keeps_the_data(database):
    upgrade(database.engine, FIRST_REVISION)
    _old_data(database.engine)
    database.upgrade()
    assert current(database.engine) == head()
    _assert_old_data_kept(database.engine)


def test_a_database_made_before_migrations_is_adopted_with_its_data(database):
    upgrade(database.engine, FIRST_REVISION)
    _old_data(database.engine)
    with database.engine.begin() as c:  # what create_all() left: the tables, no version
        c.execute(text("DROP TABLE alembic_version"))
    assert current(database.engine) is None
    database.upgrade()
    assert current(database.engine) == head()
    _assert_old_data_kept(database.engine)


def test_a_partial_unversioned_schema_is_refused(database):
    with database.engine.begin() as c:
        c.execute(text("CREATE TABLE staff_user (id INTEGER PRIMARY KEY)"))
    with pytest.raises(MigrationError, match="lacks tables"):
        database.upgrade()


def test_concurrent_start_ups_migrate_once(empty_url):
    databases = [Database(empty_url) for _ in range(4)]
    errors: list[BaseException] = []

    def start(db: Database) -> None:
        try:
            db.upgrade()
        except BaseException as exc:  # collected: a thread's exception would be lost
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(db,)) for db in databases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert current(databases[0].engine) == head()
    for db in databases:
        db.dispose()


def test_faq_db_upgrade_then_check(tmp_path, monkeypatch, capsys):
    from bot import cli
    from bot.settings import Settings

    settings = Settings(var_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setattr(cli, "get_settings", lambda: settings)
    assert cli.main(["db", "check"]) == 1  # never migrated
    assert cli.main(["db", "upgrade"]) == 0
    assert f"database at revision {head()} (was none)" in capsys.readouterr().out
    assert cli.main(["db", "check"]) == 0
    assert cli.main(["db", "current"]) == 0
    assert capsys.readouterr().out.strip().endswith(head())
