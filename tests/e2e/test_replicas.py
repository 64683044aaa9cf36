"""`REPLICAS=2` on PostgreSQL and Redis behind nginx: two of each process, one killed of two.

One stack, three phases (both web apps alive for the first two):
1. a curator's edit reaches both web apps within seconds, and a model retrained from the
   console is loaded into both Rasa servers;
2. a consultant's replies, written through either web app, reach the user once and in order;
3. 20 concurrent conversations (REST and socket.io) while one Rasa server and one web app
   are killed with SIGKILL: every message is in its tracker once, in order, with a reply.
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import socketio
from sqlalchemy import select

from bot.curation.retrain import rasa_loader
from bot.db import Database, HandoffMessage
from bot.responses import fill, load_domain, variation_for
from bot.search.evaluate import read_questions
from bot.settings import ROOT, Settings
from tests.e2e.browser import staff_login
from tests.e2e.conftest import create_staff
from tests.e2e.consultant import Consultant
from tools.devstack import Stack, StackConfig

pytestmark = pytest.mark.e2e

POSTGRES = "postgresql://127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/11"
CONVERSATIONS = 20
SOCKETIO_CONVERSATIONS = 6
TURNS = 5
LIVE_SECONDS = 5.0
REPLY_TIMEOUT = 60.0
"""A message waiting behind a killed server's conversation lock waits its lifetime (below)."""
QUIET_SECONDS = 3.0
SETTLE_SECONDS = 20.0
TURN_DEADLINE = 150.0
LOCK_LIFETIME = "15"
"""Seconds a dead Rasa server's conversation lock lasts (Rasa's default is 60)."""


def _until(check: Callable[[], bool], timeout: float, what: str) -> float:
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < timeout, f"not within {timeout:.0f}s: {what}"
        time.sleep(0.2)
    return time.monotonic() - started


@pytest.fixture(scope="module")
def database_url() -> Iterator[str]:
    name = f"faq_replicas_{uuid.uuid4().hex[:8]}"
    subprocess.run(["createdb", "-h", "127.0.0.1", name], check=True)
    yield f"{POSTGRES}/{name}"
    subprocess.run(["dropdb", "-h", "127.0.0.1", "--force", name], check=False)


@pytest.fixture(scope="module")
def replicas(rasa_model: Path, database_url: str, tmp_path_factory) -> Iterator[Stack]:
    kb_dir = tmp_path_factory.mktemp("kb")
    subprocess.run(["cp", "-r", f"{ROOT / 'data' / 'kb'}/.", str(kb_dir)], check=True)
    config = StackConfig.ephemeral(
        tmp_path_factory.mktemp("replicas"),
        database_url=database_url,
        redis_url=REDIS_URL,
        redis_prefix=f"replicas{uuid.uuid4().hex[:8]}",
        replicas=2,
        extra_env={
            "FAQ_KB_DIR": str(kb_dir),
            "FAQ_HANDOFF_HOURS": "always",
            "TICKET_LOCK_LIFETIME": LOCK_LIFETIME,
        },
    )
    # Tables and accounts first: start-up migration is not what this test is about.
    create_staff(database_url)
    with Stack(config, rasa_model).running() as stack:
        yield stack


def _tracker(stack: Stack, sender: str) -> list[dict[str, Any]]:
    response = httpx.get(
        f"{stack.config.rasa_url}/conversations/{sender}/tracker",
        params={"token": stack.config.rasa_token},
        timeout=30,
    )
    response.raise_for_status()
    return list(response.json()["events"])


def _user_texts(events: list[dict[str, Any]]) -> list[str]:
    return [e["text"] for e in events if e["event"] == "user"]


def test_a_curators_edit_reaches_both_web_apps(replicas, browser):
    web = replicas.config.web_url
    page = browser.new_context().new_page()
    staff_login(page, web, "curator")
    page.goto(f"{web}/staff/entries/card.fees")
    answer = page.locator("#f-uk-answer")
    source = answer.input_value().strip().splitlines()[-1].split()[-1]
    marker = f"Перевірка реплік {time.time_ns()}"
    answer.fill(f"{marker}: 100 злотих за картку.\n\n{source}")
    page.click("#save")
    page.wait_for_selector(".notice")
    saved = time.monotonic()
    headers = {"X-Internal-Token": replicas.config.internal_token}
    for backend in replicas.config.backends:  # each web app directly, not through nginx
        url = f"http://127.0.0.1:{backend.web_port}/api/entries/card.fees"

        def served(url: str = url) -> bool:
            entry = httpx.get(url, params={"lang": "uk"}, headers=headers, timeout=10)
            return marker in entry.json()["answer"]

        _until(served, LIVE_SECONDS - (time.monotonic() - saved), f"edit on {url}")


def test_a_model_retrained_from_the_console_reaches_both_rasa_servers(replicas, tmp_path):
    model = tmp_path / f"console-{uuid.uuid4().hex[:8]}.tar.gz"
    shutil.copy(replicas.model, model)
    env = replicas.config.env()
    settings = Settings(
        rasa_url=env["FAQ_RASA_URL"],
        rasa_servers=env["FAQ_RASA_SERVERS"],
        RASA_AUTH_TOKEN=replicas.config.rasa_token,
    )
    rasa_loader(settings)(model)
    for backend in replicas.config.backends:  # each Rasa server directly, not through nginx
        status = httpx.get(
            f"http://127.0.0.1:{backend.rasa_port}/status",
            params={"token": replicas.config.rasa_token},
            timeout=30,
        )
        assert status.json()["model_file"].endswith(model.name), backend


def test_a_consultants_replies_arrive_once_and_in_order(replicas):
    rasa, web = replicas.config.rasa_url, replicas.config.web_url
    sender = f"replicas-handoff-{uuid.uuid4().hex[:8]}"
    question = "Chcę porozmawiać z konsultantem"
    consultant = Consultant(web, "consultant")
    reply = httpx.post(
        f"{rasa}/webhooks/rest/webhook", json={"sender": sender, "message": question}, timeout=60
    ).json()
    assert {"handoff": "queued"} in [m.get("custom") for m in reply]
    handoff = consultant.wait_for("queue", question)
    assert consultant.post(f"conversations/{handoff['id']}/claim").is_success
    lines = [f"Odpowiedź konsultanta nr {i}" for i in range(8)]
    # Round-robin through nginx: the lines are written through both web apps, whose pumps
    # both wake at once.
    for text in lines:
        sent = consultant.post(f"conversations/{handoff['id']}/messages", {"text": text})
        assert sent.status_code == 201

    domain = load_domain(ROOT / "domain.yml")
    says = str(variation_for(domain, "utter_consultant_says", "pl")["text"])
    unnamed = str(variation_for(domain, "utter_consultant_unnamed", "pl")["text"])
    # As the REST user sees them: signed with the service's name (no display name).
    signed = {fill(says, {"name": unnamed, "message": text}): text for text in lines}

    def delivered() -> list[str]:
        return [signed[e["text"]] for e in _tracker(replicas, sender) if e.get("text") in signed]

    _until(lambda: len(delivered()) >= len(lines), 30, "consultant lines in the tracker")
    database = Database(replicas.config.db_url)

    def all_marked() -> bool:
        with database.session() as db:
            return all(db.scalars(select(HandoffMessage.delivered)))

    _until(all_marked, 10, "lines marked delivered")
    database.dispose()
    assert delivered() == lines  # marked, so no later round sends them again


class Conversation:
    """One user's conversation: messages sent, and whether each got a reply."""

    def __init__(self, number: int, questions: list[str]):
        self.sender = f"replicas-{number}-{uuid.uuid4().hex[:8]}"
        """Its tracker id; over socket.io set from the session id the server issues."""
        self.session_id: str | None = None
        self.questions = questions
        self.replied: list[bool] = []
        self.retries = 0


def _recorded(stack: Stack, conversation: Conversation, turn: int) -> bool:
    """Whether message number `turn` is in the tracker, so that a retry never sends it twice.

    A server still working on it (waiting for a dead server's conversation lock, say) may
    store it a little later: asked until `SETTLE_SECONDS` passed.
    """
    deadline = time.monotonic() + SETTLE_SECONDS
    while time.monotonic() < deadline:
        try:
            if len(_user_texts(_tracker(stack, conversation.sender))) > turn:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    return False


def _rest_conversation(stack: Stack, conversation: Conversation, progress: Callable[[], None]):
    url = f"{stack.config.rasa_url}/webhooks/rest/webhook"
    with httpx.Client(timeout=REPLY_TIMEOUT) as http:
        for turn, text in enumerate(conversation.questions):
            deadline = time.monotonic() + TURN_DEADLINE
            while True:
                try:
                    response = http.post(url, json={"sender": conversation.sender, "message": text})
                    if response.status_code == 200:
                        conversation.replied.append(bool(response.json()))
                        break
                except httpx.HTTPError:
                    pass
                # The server that had it died: resend only if the message was never stored.
                conversation.retries += 1
                if _recorded(stack, conversation, turn):
                    conversation.replied.append(True)  # checked in the tracker at the end
                    break
                assert time.monotonic() < deadline, f"{conversation.sender}: no reply to {text}"
                time.sleep(0.5)
            progress()


def _socketio_conversation(stack: Stack, conversation: Conversation, progress: Callable[[], None]):
    inbox: queue.Queue[dict[str, Any]] = queue.Queue()
    sio = socketio.Client(reconnection=True, reconnection_delay=0.2, reconnection_delay_max=1)
    confirmed: queue.Queue[str] = queue.Queue()
    sio.on("bot_uttered", inbox.put)
    sio.on("session_confirm", confirmed.put)
    # After a reconnection (its server died) the socket asks for its session again; the
    # servers share the signing secret, so any of them confirms the id it was issued.
    sio.on("connect", lambda: sio.emit("session_request", {"session_id": conversation.session_id}))
    sio.connect(stack.config.rasa_url, socketio_path="/socket.io", wait_timeout=30)
    conversation.session_id = confirmed.get(timeout=30)
    conversation.sender = "webchat:" + conversation.session_id.partition(".")[0]
    try:
        for turn, text in enumerate(conversation.questions):
            deadline = time.monotonic() + TURN_DEADLINE
            message = {"message": text, "session_id": conversation.session_id, "metadata": {}}
            while True:
                assert time.monotonic() < deadline, f"{conversation.sender}: no reply to {text}"
                while not inbox.empty():  # nothing late from an earlier turn counts
                    inbox.get_nowait()
                try:
                    sio.emit("user_uttered", message)
                except socketio.exceptions.SocketIOError:
                    time.sleep(0.2)  # not sent: reconnecting to the other server
                    continue
                try:
                    reply = inbox.get(timeout=REPLY_TIMEOUT / 2)
                except queue.Empty:
                    conversation.retries += 1
                    if not _recorded(stack, conversation, turn):
                        continue  # lost with its server: send it again
                else:
                    # The turn ends at the buttons (answers, clarifications) or in silence.
                    with contextlib.suppress(queue.Empty):
                        while "quick_replies" not in reply:
                            reply = inbox.get(timeout=QUIET_SECONDS)
                conversation.replied.append(True)
                break
            progress()
    finally:
        sio.disconnect()


def _socketio_holder(stack: Stack) -> str:
    """The Rasa server nginx pins this machine's socket.io sessions to (the one to kill)."""
    path = "/socket.io/?EIO=4&transport=polling"
    opened = httpx.get(f"{stack.config.rasa_url}{path}", timeout=30).text
    sid = opened[opened.index("{") :].split('"sid":"')[1].split('"')[0]
    for number, backend in enumerate(stack.config.backends, start=1):
        probe = httpx.get(f"http://127.0.0.1:{backend.rasa_port}{path}&sid={sid}", timeout=30)
        if probe.status_code == 200:
            return f"rasa-{number}"
    raise AssertionError("no Rasa server knows the socket.io session nginx opened")


def test_twenty_conversations_survive_a_killed_rasa_server_and_web_app(replicas):
    questions = [q.text for q in read_questions(ROOT / "tests" / "eval" / "dev.jsonl")]
    questions = [q for q in dict.fromkeys(questions) if len(q) < 200]
    conversations = [
        Conversation(n, [questions[(n * TURNS + i) % len(questions)] for i in range(TURNS)])
        for n in range(CONVERSATIONS)
    ]
    done = threading.Semaphore(0)
    failures: list[BaseException] = []

    def run(target: Callable[..., None], conversation: Conversation) -> None:
        try:
            target(replicas, conversation, done.release)
        except BaseException as exc:  # reported below with the others
            failures.append(exc)

    threads = [
        threading.Thread(
            target=run,
            args=(
                _socketio_conversation if n < SOCKETIO_CONVERSATIONS else _rest_conversation,
                conversation,
            ),
        )
        for n, conversation in enumerate(conversations)
    ]
    for thread in threads:
        thread.start()
    socketio_server = _socketio_holder(replicas)
    # Mid-load: a fifth of the messages answered, most conversations in flight.
    for _ in range(CONVERSATIONS * TURNS // 5):
        assert done.acquire(timeout=REPLY_TIMEOUT), "no progress before the kill"
    for name in (socketio_server, "webapp-2"):
        process = next(p for p in replicas.processes if p.name == name)
        os.killpg(process.popen.pid, signal.SIGKILL)
    for thread in threads:
        thread.join(timeout=240)
    assert not failures, failures
    assert not any(thread.is_alive() for thread in threads)

    for conversation in conversations:
        events = _tracker(replicas, conversation.sender)
        assert _user_texts(events) == conversation.questions, conversation.sender
        # Each message is followed by a reply before the next one.
        turns = "".join(e["event"][0] for e in events if e["event"] in {"user", "bot"})
        assert turns.count("ub") == TURNS, (conversation.sender, turns)
        assert all(conversation.replied)
    retried = sum(c.retries for c in conversations)
    print(f"{retried} message(s) resent after the kill")
