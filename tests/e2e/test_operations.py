"""The running stack, operated: JSON logs joined by conversation, free of PESELs and tokens;
metrics of the web app and the action server; readiness with Rasa up."""

from __future__ import annotations

import json
from collections import defaultdict

import httpx
import pytest

from bot.logs import conversation_id
from tests.e2e.chat import Chat, customs
from tools.devstack import Stack, StackConfig, free_port

pytestmark = pytest.mark.e2e

PESEL = "85010112345"


def test_logs_metrics_and_health_of_a_running_stack(rasa_model, tmp_path):
    actions_metrics = free_port()
    config = StackConfig.ephemeral(
        tmp_path,
        # DEBUG: the level at which Rasa writes users' messages, so the masking is tested.
        extra_env={"LOG_LEVEL": "DEBUG", "FAQ_ACTIONS_METRICS_PORT": str(actions_metrics)},
    )
    with Stack(config, rasa_model).running() as stack:
        chat = Chat(stack.config.rasa_url)
        chat.say(f"mój PESEL to {PESEL}")
        assert {"kb_id": "card.loss"} in customs(chat.say("zgubiłem kartę pobytu"))
        tracker = httpx.get(
            f"{stack.config.rasa_url}/conversations/{chat.sender}/tracker",
            params={"token": config.rasa_token},
            timeout=30,
        )
        assert tracker.status_code == 200

        health = httpx.get(f"{stack.config.web_url}/health/ready", timeout=10)
        assert health.status_code == 200 and health.json()["checks"]["rasa"] == "ok"
        web = httpx.get(
            f"{stack.config.web_url}/metrics",
            headers={"Authorization": f"Bearer {config.internal_token}"},
            timeout=10,
        ).text
        assert 'faq_questions_total{channel="rest",decision="answer",lang="pl"}' in web
        actions = httpx.get(f"http://127.0.0.1:{actions_metrics}/metrics", timeout=10).text
        assert 'faq_action_seconds_count{action="action_answer_question"}' in actions

    logs = {
        name: (tmp_path / "log" / f"{name}.log").read_text()
        for name in ("webapp", "actions", "rasa")
    }
    for name, text in logs.items():
        for secret in (PESEL, config.rasa_token, config.internal_token):
            assert secret not in text, f"{secret} in {name}.log"
    records: dict[str, list[dict]] = defaultdict(list)
    for name, text in logs.items():
        for line in text.splitlines():
            if line.startswith("{"):  # libraries' own prints (TensorFlow's) are not log records
                record = json.loads(line)
                assert record["service"] == name
                records[name].append(record)
    assert all(records[name] for name in logs), {n: len(r) for n, r in records.items()}

    # One message's trail: the action server's request ids reach the web app's log lines.
    conversation = conversation_id(chat.sender)
    in_actions = {
        r["request_id"] for r in records["actions"] if r["conversation_id"] == conversation
    }
    in_webapp = {r["request_id"] for r in records["webapp"] if r["conversation_id"] == conversation}
    assert in_webapp and in_webapp <= in_actions
