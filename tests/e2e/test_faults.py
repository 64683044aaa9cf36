"""Faults of the processes behind Rasa, mid-conversation (issue #19, items 2, 3 and 10).

Every user gets an answer or the technical-problem message in their language, the apology is
stored in the conversation, and the conversation carries on once the process is back.
"""

from __future__ import annotations

import os
import signal
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.chat import Chat, customs, response_text, texts
from tools.devstack import Stack, StackConfig, StackError, free_port

pytestmark = pytest.mark.e2e

QUESTION = "скільки коштує карта побиту?"  # Ukrainian: the apology must be in Ukrainian too
USERS = 4


def ask_all(chats: list[Chat], text: str) -> list[list[dict[str, Any]]]:
    """Every user asks at the same time."""
    with ThreadPoolExecutor(len(chats)) as pool:
        return list(pool.map(lambda chat: chat.say(text), chats))


def assert_answered(replies: list[list[dict[str, Any]]]) -> None:
    for messages in replies:
        assert {"kb_id": "card.fees"} in customs(messages), messages


def assert_apologised(replies: list[list[dict[str, Any]]], apology: str) -> None:
    for messages in replies:
        assert texts(messages) == apology, messages


def stored_bot_texts(stack: Stack, sender: str) -> list[str]:
    url = f"{stack.config.rasa_url}/conversations/{sender}/tracker"
    events = httpx.get(url, params={"token": stack.config.rasa_token}, timeout=30).json()["events"]
    return [e.get("text") or "" for e in events if e.get("event") == "bot"]


def wait_until_dead(stack: Stack, name: str, timeout: float = 10) -> None:
    """The stack notices the process is gone (as `make run` would, and then stop)."""
    deadline = time.monotonic() + timeout
    while (dead := stack.dead()) is None or dead.name != name:
        assert time.monotonic() < deadline, f"{name} still counts as running"
        time.sleep(0.1)


def port_is_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def kill(stack: Stack, name: str) -> None:
    os.kill(next(p for p in stack.processes if p.name == name).popen.pid, signal.SIGKILL)


@pytest.fixture
def apology(domain: dict[str, Any]) -> str:
    return response_text(domain, "utter_technical_problem", "uk")


@pytest.fixture
def chats(stack: Stack) -> list[Chat]:
    users = [Chat(stack.config.rasa_url) for _ in range(USERS)]
    assert_answered(ask_all(users, QUESTION))
    return users


def test_killed_action_server_gets_an_apology_frees_its_port_and_comes_back(
    stack: Stack, chats: list[Chat], apology: str
):
    kill(stack, "actions")
    wait_until_dead(stack, "actions")
    # One process: nothing is left holding the port, so it can start again at once.
    deadline = time.monotonic() + 10
    while not port_is_free(stack.config.actions_port):
        assert time.monotonic() < deadline, "something still listens on the action server's port"
        time.sleep(0.1)

    assert_apologised(ask_all(chats, QUESTION), apology)
    assert apology in stored_bot_texts(stack, chats[0].sender)

    stack.restart("actions")
    assert_answered(ask_all(chats, QUESTION))


def test_hung_action_server_gets_an_apology_within_the_action_timeout(
    stack: Stack, chats: list[Chat], apology: str
):
    actions = next(p for p in stack.processes if p.name == "actions")
    os.kill(actions.popen.pid, signal.SIGSTOP)  # the port accepts connections, nothing answers
    try:
        started = time.monotonic()
        assert_apologised(ask_all(chats, QUESTION), apology)
        assert time.monotonic() - started < 30  # FAQ_ACTION_TIMEOUT (15 s), not minutes
    finally:
        os.kill(actions.popen.pid, signal.SIGCONT)
    assert_answered(ask_all(chats, QUESTION))


def test_killed_web_app_gets_an_apology_and_the_conversation_continues(
    stack: Stack, chats: list[Chat], apology: str
):
    kill(stack, "webapp")
    wait_until_dead(stack, "webapp")
    assert_apologised(ask_all(chats, QUESTION), apology)
    stack.restart("webapp")
    assert_answered(ask_all(chats, QUESTION))


def test_rasa_refuses_to_start_without_its_tracker_store(rasa_model: Path, tmp_path: Path):
    unreachable = f"postgresql://127.0.0.1:{free_port()}/tracker"
    stack = Stack(StackConfig.ephemeral(tmp_path, tracker_url=unreachable), rasa_model)
    try:
        with pytest.raises(StackError, match="tracker store: cannot reach"):
            stack.start_one("rasa", timeout=240)
    finally:
        stack.stop()
