"""Messages through the running stack under concurrent users: REST and the web chat's socket.io.

Run: `.venv/bin/python -m tools.bench.load` (part of `make bench`). Starts its own stacks on free
ports — one copy of each process on SQLite (the zero-setup default), then `REPLICAS=2` behind
nginx on PostgreSQL (a database of its own) and Redis — or measures a running one with `--url`.
Each simulated user holds realistic conversations: `TURNS` of the dev set's in-scope questions
in a fresh conversation (a new sender), then another, each question as soon as the previous
one is answered (no think time: the worst case for the server). Reported per number of users:
latency p50/p95/p99 of one message (request to complete reply), throughput (answered messages
per second of wall time) and errors (non-200, empty replies, time-outs).

Over socket.io a reply arrives as several events; a turn is complete at the first message
carrying buttons (answers end with the feedback buttons) or, failing that, after `QUIET_S` without
a new message — its latency is then taken at the last message, not after the silence.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import queue
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bot.rasa_model import train_if_needed
from bot.search.evaluate import read_questions
from bot.settings import ROOT
from tools.bench.stats import machine, percentiles, write_json
from tools.devstack import Stack, StackConfig

QUIET_S = 2.0
TIMEOUT_S = 60.0
TURNS = 5
"""Questions per conversation: a user asks a few things, not hundreds."""
POSTGRES = "postgresql://127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/12"


@dataclass
class Tally:
    """Latencies and errors of one run."""

    ms: list[float] = field(default_factory=list)
    errors: int = 0
    wall_s: float = 0.0

    def summary(self, users: int, replicas: int) -> dict[str, object]:
        return {
            "replicas": replicas,
            "users": users,
            "messages": len(self.ms) + self.errors,
            "errors": self.errors,
            "wall_s": round(self.wall_s, 2),
            "throughput_per_s": round(len(self.ms) / self.wall_s, 2) if self.wall_s else 0.0,
            "ms": percentiles(self.ms) if self.ms else {},
        }


def user_questions(questions: list[str], user: int, count: int) -> list[str]:
    """The questions user number `user` asks: a different stretch of the set for each user."""
    start = (user * 7) % len(questions)
    return [questions[(start + i) % len(questions)] for i in range(count)]


def messages_per_user(total: int, users: int) -> int:
    """About `total / users`, in whole conversations."""
    return max(round(total / users / TURNS), 1) * TURNS


async def _rest_user(
    client: httpx.AsyncClient, endpoint: str, texts: list[str], tally: Tally
) -> None:
    sender = ""
    for turn, text in enumerate(texts):
        if turn % TURNS == 0:
            sender = f"bench-{uuid.uuid4().hex[:12]}"
        started = time.perf_counter()
        try:
            response = await client.post(endpoint, json={"sender": sender, "message": text})
            ok = response.status_code == 200 and bool(response.json())
        except (httpx.HTTPError, ValueError):
            ok = False
        if ok:
            tally.ms.append((time.perf_counter() - started) * 1000)
        else:
            tally.errors += 1


async def rest_run(url: str, questions: list[str], users: int, per_user: int) -> Tally:
    """`users` concurrent users over the REST channel, `per_user` messages each."""
    tally = Tally()
    limits = httpx.Limits(max_connections=users + 5)
    async with httpx.AsyncClient(timeout=TIMEOUT_S, limits=limits) as client:
        endpoint = f"{url}/webhooks/rest/webhook"
        started = time.perf_counter()
        await asyncio.gather(
            *(
                _rest_user(client, endpoint, user_questions(questions, u, per_user), tally)
                for u in range(users)
            )
        )
        tally.wall_s = time.perf_counter() - started
    return tally


def _socketio_user(url: str, texts: list[str], tally: Tally, lock: threading.Lock) -> None:
    import socketio

    inbox: queue.Queue[dict[str, Any]] = queue.Queue()
    confirmed: queue.Queue[str] = queue.Queue()
    sio = socketio.Client(reconnection=False)
    sio.on("bot_uttered", lambda m: inbox.put({**m, "_at": time.perf_counter()}))
    sio.on("session_confirm", confirmed.put)
    try:
        sio.connect(url, transports=["websocket"], socketio_path="/socket.io", wait_timeout=30)
    except Exception:  # a user who cannot connect is one error per message it would send
        with lock:
            tally.errors += len(texts)
        return
    try:
        session = ""
        for turn, text in enumerate(texts):
            started = time.perf_counter()
            try:
                if turn % TURNS == 0:  # a fresh conversation, as after a page reload
                    session = uuid.uuid4().hex
                    sio.emit("session_request", {"session_id": session})
                    confirmed.get(timeout=30)
                utterance = {"message": text, "session_id": session, "metadata": {}}
                sio.emit("user_uttered", utterance)
            except (queue.Empty, socketio.exceptions.SocketIOError):
                # The server dropped this user (say, pings unanswered under overload): every
                # message it had yet to send is an error.
                with lock:
                    tally.errors += len(texts) - turn
                return
            last = None
            try:
                message = inbox.get(timeout=TIMEOUT_S)
                while True:
                    last = message["_at"]
                    if "quick_replies" in message:
                        break
                    message = inbox.get(timeout=QUIET_S)
            except queue.Empty:
                pass
            with lock:
                if last is None:
                    tally.errors += 1
                else:
                    tally.ms.append((last - started) * 1000)
    finally:
        sio.disconnect()


def socketio_run(url: str, questions: list[str], users: int, per_user: int) -> Tally:
    """`users` concurrent web-chat users (one socket.io connection each, in threads)."""
    tally, lock = Tally(), threading.Lock()
    threads = [
        threading.Thread(
            target=_socketio_user, args=(url, user_questions(questions, u, per_user), tally, lock)
        )
        for u in range(users)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tally.wall_s = time.perf_counter() - started
    return tally


@contextlib.contextmanager
def _database(replicas: int) -> Iterator[str]:
    """A PostgreSQL database of its own for several replicas; SQLite (empty URL) for one."""
    if replicas == 1:
        yield ""
        return
    name = f"faq_bench_{uuid.uuid4().hex[:8]}"
    subprocess.run(["createdb", "-h", "127.0.0.1", name], check=True)
    try:
        yield f"{POSTGRES}/{name}"
    finally:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "--force", name], check=False)


@contextlib.contextmanager
def rasa_url(url: str | None, replicas: int = 1) -> Iterator[str]:
    """A running stack's Rasa URL: the given one, or a fresh stack on free ports."""
    if url:
        yield url
        return
    with tempfile.TemporaryDirectory() as tmp, _database(replicas) as database_url:
        config = StackConfig.ephemeral(
            Path(tmp),
            database_url=database_url,
            replicas=replicas,
            redis_url=os.environ.get("REDIS_URL", REDIS_URL) if replicas > 1 else "",
            redis_prefix=f"bench{uuid.uuid4().hex[:8]}",
        )
        if database_url:
            from bot.db import Database

            database = Database(database_url)  # the schema once, before N web apps start
            database.upgrade()
            database.dispose()
        stack = Stack(config, train_if_needed())
        with stack.running():
            yield stack.config.rasa_url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", help="Rasa server of a running stack (default: start one)")
    parser.add_argument("--replicas", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--users", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument(
        "--messages", type=int, default=200, help="per level, in conversations of 5, over users"
    )
    parser.add_argument("--socketio-users", type=int, default=50)
    parser.add_argument("--socketio-messages", type=int, default=250)
    parser.add_argument("--questions", default=str(ROOT / "tests" / "eval" / "dev.jsonl"))
    parser.add_argument("--out", default=str(ROOT / "var" / "bench" / "load.json"))
    args = parser.parse_args(argv)

    questions = [q.text for q in read_questions(Path(args.questions)) if q.expected]
    report: dict[str, Any] = {
        "machine": machine(),
        "turns": TURNS,
        "cores": os.cpu_count(),
        "load_before": os.getloadavg()[0],
        "rest": [],
        "socketio": [],
    }
    for replicas in [1] if args.url else args.replicas:
        with rasa_url(args.url, replicas) as url:
            asyncio.run(rest_run(url, questions, 5, 4))  # warm-up: models, connections
            for users in args.users:
                per_user = messages_per_user(args.messages, users)
                tally = asyncio.run(rest_run(url, questions, users, per_user))
                report["rest"].append(tally.summary(users, replicas))
                print("REST", json.dumps(report["rest"][-1]), flush=True)
            users = args.socketio_users
            per_user = messages_per_user(args.socketio_messages, users)
            tally = socketio_run(url, questions, users, per_user)
            report["socketio"].append(tally.summary(users, replicas))
            print("socket.io", json.dumps(report["socketio"][-1]), flush=True)
    report["load_after"] = os.getloadavg()[0]
    write_json(args.out, report)
    errors = sum(int(r["errors"]) for r in [*report["rest"], *report["socketio"]])
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
