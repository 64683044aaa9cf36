"""The `faq` command: validate, index, search, evaluate and calibrate the knowledge base."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.finder import validate_tree
from bot.kb.freshness import Expiry, expiry, next_review
from bot.kb.loader import KnowledgeBaseError, validate
from bot.search.encoders import ModelMissingError, fetch_st_model
from bot.settings import ROOT, get_settings

if TYPE_CHECKING:
    from bot.search.service import SearchService

DEV_SET = ROOT / "tests" / "eval" / "dev.jsonl"
REALISTIC_SET = ROOT / "tests" / "eval" / "realistic.jsonl"
"""Messages as real users write them (context, typos, transliteration, near-misses)."""
TUNING_SETS = (DEV_SET, REALISTIC_SET)
"""What thresholds are calibrated on; the held-out sets are never among them."""
EVAL_SETS = (
    *TUNING_SETS,
    ROOT / "tests" / "eval" / "holdout.jsonl",
    ROOT / "tests" / "eval" / "realistic_holdout.jsonl",
    ROOT / "tests" / "eval" / "realistic_holdout2.jsonl",
)


def _service() -> SearchService:
    from bot.search.service import SearchService

    service = SearchService(get_settings())
    service.warm_up()
    return service


def cmd_validate(args: argparse.Namespace) -> int:
    settings = get_settings()
    kb_dir = Path(args.kb) if args.kb else settings.kb_dir
    kb, kb_problems = validate(kb_dir)
    finder_file = Path(args.finder) if args.finder else settings.finder_file
    tree, finder_problems = validate_tree(finder_file, kb.ids)
    problems = [str(p) for p in [*kb_problems, *finder_problems]]
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    today = date.today()
    for entry in kb.entries:
        state = expiry(entry.valid_until, entry.reviewed, today)
        if state is Expiry.EXPIRED:
            print(
                f"warning: {entry.id}: valid_until {entry.valid_until} has passed", file=sys.stderr
            )
        elif state is Expiry.BEFORE_REVIEW:
            print(
                f"warning: {entry.id}: valid_until {entry.valid_until} comes before the next "
                f"review ({next_review(entry.reviewed)})",
                file=sys.stderr,
            )
    print(
        f"ok: {len(kb.entries)} entries, {sum(len(v) for v in kb.negatives.values())} negatives,"
        f" {len(tree.questions)} finder questions"
    )
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    service = _service()
    index = service.searcher.index
    path = service.index_path(service.kb)
    print(f"index {path} ({len(index.entry_ids)} entries, encoder {index.encoder_name})")
    return 0


def _read_batch(source: str) -> Iterator[dict[str, object]]:
    stream: TextIO = sys.stdin if source == "-" else open(source, encoding="utf-8")  # noqa: SIM115
    try:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                raise SystemExit(f"{source}:{number}: not JSON: {exc}") from exc
            if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                raise SystemExit(f'{source}:{number}: expected {{"text": ..., "lang": ...}}')
            yield row
    finally:
        if stream is not sys.stdin:
            stream.close()


def cmd_search(args: argparse.Namespace) -> int:
    from bot.lang import LanguageDetector

    service = _service()
    detector = LanguageDetector()
    if args.batch:
        for row in _read_batch(args.batch):
            text = str(row["text"])
            started = time.perf_counter()
            result = service.searcher.search(text)
            lang = row.get("lang") or detector.detect(text) or "pl"
            ms = (time.perf_counter() - started) * 1000
            out = {
                "text": text,
                "lang": lang,
                "decision": result.decision.value,
                "results": [{"id": c.id, "score": c.score} for c in result.candidates],
                "ms": round(ms, 2),
            }
            print(json.dumps(out, ensure_ascii=False), flush=True)
        return 0
    if not args.text:
        print("give a question, or --batch FILE", file=sys.stderr)
        return 2
    result = service.searcher.search(args.text)
    lang = args.lang or detector.detect(args.text) or "pl"
    if args.json:
        print(
            json.dumps(
                {
                    "text": args.text,
                    "lang": lang,
                    "decision": result.decision.value,
                    "out_of_scope": result.out_of_scope,
                    "results": [
                        {"id": c.id, "score": c.score, "signals": c.signals}
                        for c in result.candidates
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    print(
        f"decision: {result.decision.value} (language {lang}, out-of-scope {result.out_of_scope})"
    )
    entries = {e.id: e for e in service.kb.entries}
    for c in result.candidates:
        print(f"  {c.score:.3f}  {c.id:28s} {entries[c.id].text(lang).title}")
    if result.decision.value == "answer" and result.best is not None:
        print()
        print(entries[result.best.id].text(lang).answer)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from bot.search.evaluate import BARS, Evaluation, baseline_configs, misses, read_questions

    if args.lemmas:
        return _lemma_ablation(args.sets or [str(p) for p in EVAL_SETS])
    service = _service()
    missed_bars = False
    for path in args.sets or [str(DEV_SET)]:
        evaluation = Evaluation(service.searcher, read_questions(Path(path)))
        print(f"\n## {path} (encoder {service.encoder.name})")
        if args.misses:
            print("\n".join(misses(evaluation, service.config)))
            continue
        print(evaluation.report(baseline_configs(service.config, evaluation)))
        t = service.config.thresholds
        print(
            f"\nthresholds: answer {t.answer:.3f}, clarify {t.clarify:.3f}, "
            f"margin {t.margin:.3f}, out-of-scope {t.none:.2f}"
        )
        bars = BARS.get(Path(path).name)
        if bars is not None:
            shortfalls = bars.shortfalls(evaluation, service.config)
            missed_bars |= bool(shortfalls)
            print("\nbars: " + ("; ".join(shortfalls) if shortfalls else "all met"))
    return 1 if missed_bars else 0


def _lemma_ablation(paths: list[str]) -> int:
    """Search without and with the lemma view, on each set (see `ablation_report`)."""
    from dataclasses import replace

    from bot.search.config import SearchConfig
    from bot.search.evaluate import ablation_report, read_questions
    from bot.search.service import SearchService

    settings = get_settings()
    base = SearchConfig.load(settings.search_config)
    variants = {}
    for name, lemmas in (("without lemmas", False), ("with lemmas", True)):
        service = SearchService(settings, replace(base, lemmas=lemmas))
        index = service.warm_up()
        variants[name] = (service.searcher, index.build_seconds)
    sets = {Path(path).stem: read_questions(Path(path)) for path in paths}
    print(ablation_report(variants, sets))
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    from bot.search.evaluate import Evaluation, calibrate_thresholds, read_questions

    settings = get_settings()
    service = _service()
    questions = [q for path in args.set or TUNING_SETS for q in read_questions(Path(path))]
    evaluation = Evaluation(service.searcher, questions)
    best = calibrate_thresholds(evaluation, service.config)
    target = Path(args.out) if args.out else settings.search_config
    target.write_text(
        '# Written by `faq calibrate` on the dev sets; see README, "Search quality".\n'
        + best.to_yaml(),
        encoding="utf-8",
    )
    print(best.to_yaml())
    print(evaluation.report({"calibrated": best}))
    return 0


def cmd_rasa_data(args: argparse.Namespace) -> int:
    from bot.kb.loader import load_kb
    from bot.rasa_data import write_question_examples

    settings = get_settings()
    print(f"wrote {write_question_examples(load_kb(settings.kb_dir), settings.nlu_dir)}")
    return 0


def cmd_models_fetch(args: argparse.Namespace) -> int:
    target = fetch_st_model(args.model, get_settings().models_dir)
    print(f"saved {args.model} to {target}; configure it with FAQ_ENCODER=st:{args.model}")
    return 0


def _read_password(args: argparse.Namespace) -> str:
    import getpass

    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Repeat: "):
        raise SystemExit("error: the passwords differ")
    return first


def cmd_users_create(args: argparse.Namespace) -> int:
    from bot.auth import AccountError, create_user
    from bot.db import Database

    role = getattr(args, "role", "admin")
    database = Database(get_settings().db_url)
    database.upgrade()
    try:
        with database.session() as db:
            user = create_user(db, args.username, _read_password(args), role, args.languages)
            print(f"created {user.role} '{user.username}'")
    except AccountError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        database.dispose()
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    from bot.db import Database
    from bot.db.migrate import MigrationError, current, differences, head, new_revision

    if args.db_command == "revision":
        print(f"wrote {new_revision(args.message)}; review it, then `faq db upgrade`")
        return 0
    database = Database(get_settings().db_url)
    try:
        if args.db_command == "upgrade":
            before = current(database.engine)
            try:
                database.upgrade()
            except MigrationError as exc:
                return _operations_error(exc)
            print(f"database at revision {current(database.engine)} (was {before or 'none'})")
            return 0
        if args.db_command == "check":
            changes = differences(database.engine)
            for change in changes:
                print(change)
            at, newest = current(database.engine), head()
            if at != newest:
                print(f"database at {at or 'none'}, migrations at {newest}: run `faq db upgrade`")
            return 1 if changes or at != newest else 0
        print(current(database.engine) or "none")
        return 0
    finally:
        database.dispose()


def _operations_error(exc: Exception) -> int:
    print(f"error: {exc}", file=sys.stderr)
    return 1


def cmd_backup(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from bot.backup import BackupError, backup

    settings = get_settings()
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = Path(args.out) if args.out else settings.var_dir / "backups" / f"faq-{stamp}.tar.gz"
    try:
        print(f"wrote {backup(settings, target)}")
    except BackupError as exc:
        return _operations_error(exc)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from bot.backup import BackupError, restore
    from bot.db.migrate import MigrationError

    try:
        manifest = restore(get_settings(), Path(args.archive), force=args.force)
    except (BackupError, MigrationError) as exc:
        return _operations_error(exc)
    print(
        f"restored the backup of {manifest['created_at']}; database upgraded to the current schema"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="faq", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check the knowledge-base files and the permit finder")
    p.add_argument("--kb", help="knowledge-base folder (default data/kb)")
    p.add_argument("--finder", help="the permit finder's tree (default data/finder.yml)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("index", help="build (or load) the search index")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("search", help="search the knowledge base")
    p.add_argument("text", nargs="?")
    p.add_argument("--lang", choices=["pl", "en", "uk", "ru"])
    p.add_argument("--json", action="store_true")
    p.add_argument("--batch", metavar="FILE", help="JSON lines in, JSON lines out ('-' = stdin)")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("eval", help="quality per language on question sets")
    p.add_argument("sets", nargs="*", help=f"JSON-lines question sets (default {DEV_SET})")
    p.add_argument(
        "--lemmas",
        action="store_true",
        help="ablation: search without and with lemmas (default: the dev and held-out sets)",
    )
    p.add_argument(
        "--misses",
        action="store_true",
        help="list the questions search gets wrong: lang, decision, best entry (expected), text",
    )
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("calibrate", help="tune decision thresholds on the dev sets")
    p.add_argument(
        "--set", action="append", help="a question set; repeatable (default: the dev sets)"
    )
    p.add_argument("--out", help="where to write the configuration (default data/search.yml)")
    p.set_defaults(func=cmd_calibrate)

    p = sub.add_parser(
        "rasa-data", help="write Rasa NLU examples generated from the knowledge base"
    )
    p.set_defaults(func=cmd_rasa_data)

    p = sub.add_parser("models", help="embedding models")
    models = p.add_subparsers(dest="models_command", required=True)
    f = models.add_parser("fetch", help="download a sentence-transformers model (needs a network)")
    f.add_argument("model")
    f.set_defaults(func=cmd_models_fetch)

    p = sub.add_parser("db", help="the web app's database (DATABASE_URL): schema migrations")
    db = p.add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="apply the pending migrations").set_defaults(func=cmd_db)
    db.add_parser("current", help="print the revision the database is at").set_defaults(func=cmd_db)
    c = db.add_parser("check", help="fail unless the database is at head and matches the models")
    c.set_defaults(func=cmd_db)
    r = db.add_parser("revision", help="write a new migration from the models' changes")
    r.add_argument("-m", "--message", required=True, help="what the migration changes")
    r.set_defaults(func=cmd_db)

    p = sub.add_parser("backup", help="back up the database, knowledge base and trained models")
    p.add_argument("--out", help="archive to write (default var/backups/faq-<time>.tar.gz)")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="restore a backup into this installation")
    p.add_argument("archive")
    p.add_argument("--force", action="store_true", help="replace a non-empty database")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("users", help="staff accounts")
    users = p.add_subparsers(dest="users_command", required=True)
    for name, help_text in (
        ("create-admin", "create an admin account (the first one; no default password exists)"),
        ("create", "create an account with a role"),
    ):
        u = users.add_parser(name, help=help_text)
        u.add_argument("--username", required=True)
        if name == "create":
            u.add_argument("--role", required=True, choices=["admin", "curator", "consultant"])
        u.add_argument("--languages", default="pl,en,uk,ru", help="a consultant's languages")
        u.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
        u.set_defaults(func=cmd_users_create)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (KnowledgeBaseError, ModelMissingError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
