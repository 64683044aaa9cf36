"""`faq backup` / `faq restore`: the web app's database, the knowledge base and trained models.

A backup is one `.tar.gz` holding `manifest.json`, the database (`database.sqlite` made with
SQLite's online backup API, or `database.pgdump` from `pg_dump --format=custom`), the
knowledge-base folder (`kb/`), the calibrated search configuration (`search.yml`) and the
trained models (`models/rasa/`, `models/index/`). Downloaded embedding models are not included:
`faq models fetch` gets them again.

Restoring needs an empty database unless `force` is given; afterwards the schema is upgraded,
so a backup of an older version restores into a newer one.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from bot.db import Database
from bot.db.migrate import current
from bot.settings import Settings

FORMAT = 1
MODEL_FOLDERS = ("rasa", "index")
"""Folders of `models/` worth keeping: trained Rasa models and built search indexes."""


class BackupError(RuntimeError):
    """A backup or restore that cannot be done (missing tool, non-empty target, bad archive)."""


def _postgres_env(url: str) -> dict[str, str]:
    """libpq variables for `url`, so no password appears on a command line."""
    parsed = make_url(url)
    values = {
        "PGHOST": parsed.host,
        "PGPORT": str(parsed.port) if parsed.port else None,
        "PGUSER": parsed.username,
        "PGPASSWORD": parsed.password,
        "PGDATABASE": parsed.database,
    }
    return {**os.environ, **{k: v for k, v in values.items() if v}}


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (apt-get install postgresql-client)")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _sqlite_path(database: Database) -> Path:
    return Path(str(database.engine.url.database))


def _dump_database(database: Database, folder: Path) -> str:
    if database.engine.dialect.name == "sqlite":
        source = sqlite3.connect(_sqlite_path(database))
        target = sqlite3.connect(folder / "database.sqlite")
        with source, target:
            source.backup(target)  # consistent even while the web app writes
        source.close()
        target.close()
        return "database.sqlite"
    url = database.engine.url.render_as_string(hide_password=False)
    dump = folder / "database.pgdump"
    _run(
        ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(dump)],
        _postgres_env(url),
    )
    return dump.name


def _copy_tree(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target, ignore=shutil.ignore_patterns(".tmp-*", ".old-*"))


def backup(settings: Settings, archive: Path) -> Path:
    """Write a backup of this installation to `archive` (a .tar.gz)."""
    database = Database(settings.db_url)
    try:
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            models = [name for name in MODEL_FOLDERS if (settings.models_dir / name).is_dir()]
            manifest = {
                "format": FORMAT,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "database": _dump_database(database, folder),
                "revision": current(database.engine),
                "models": models,
            }
            _copy_tree(settings.kb_dir, folder / "kb")
            if settings.search_config.exists():
                shutil.copy2(settings.search_config, folder / "search.yml")
            for name in models:
                _copy_tree(settings.models_dir / name, folder / "models" / name)
            (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), "utf-8")
            archive.parent.mkdir(parents=True, exist_ok=True)
            partial = archive.with_name(f".{archive.name}.partial")
            # Fast compression: Rasa models are compressed already, and backups run often.
            with tarfile.open(partial, "w:gz", compresslevel=1) as tar:
                for item in sorted(folder.iterdir()):
                    tar.add(item, arcname=item.name)
            partial.replace(archive)
    finally:
        database.dispose()
    return archive


def _has_tables(database: Database) -> bool:
    return bool(inspect(database.engine).get_table_names())


def _restore_database(database: Database, folder: Path, name: str, force: bool) -> None:
    if _has_tables(database) and not force:
        raise BackupError("the database is not empty; use --force to replace its contents")
    source = folder / name
    if database.engine.dialect.name == "sqlite":
        if name != "database.sqlite":
            raise BackupError("this backup holds a PostgreSQL dump; restore it into PostgreSQL")
        database.engine.dispose()
        reader = sqlite3.connect(source)
        writer = sqlite3.connect(_sqlite_path(database))
        with reader, writer:
            reader.backup(writer)
        reader.close()
        writer.close()
        return
    if name != "database.pgdump":
        raise BackupError("this backup holds a SQLite file; restore it into SQLite")
    url = database.engine.url.render_as_string(hide_password=False)
    command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
    if force:
        command += ["--clean", "--if-exists"]
    _run([*command, "--dbname", make_url(url).database or "", str(source)], _postgres_env(url))


def _replace_tree(source: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source, target)


def restore(settings: Settings, archive: Path, force: bool = False) -> dict[str, object]:
    """Restore a backup into this installation; returns the backup's manifest."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        try:
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(folder, filter="data")
            manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
        except (OSError, tarfile.TarError, ValueError) as exc:
            raise BackupError(f"{archive} is not a readable backup: {exc}") from exc
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{archive} has backup format {manifest.get('format')}")
        database = Database(settings.db_url)
        try:
            _restore_database(database, folder, str(manifest["database"]), force)
            database.upgrade()
        finally:
            database.dispose()
        _replace_tree(folder / "kb", settings.kb_dir)
        if (folder / "search.yml").exists():
            shutil.copy2(folder / "search.yml", settings.search_config)
        for name in manifest.get("models", []):
            _replace_tree(folder / "models" / name, settings.models_dir / name)
    return manifest
