"""The nginx configuration for N copies of the processes."""

from __future__ import annotations

from pathlib import Path

from bot.balancer import Backend, main, nginx_conf


def _upstream(text: str, name: str) -> str:
    return text.split(f"upstream {name} {{")[1].split("}")[0]


def test_socketio_is_pinned_and_everything_else_round_robin():
    backends = [Backend(1001, 2001, 3001), Backend(1002, 2002, 3002, "10.0.0.2")]
    text = nginx_conf(backends, 5005, 5055, 8000, Path("/s"), Path("/l"))
    assert "hash $remote_addr consistent" in _upstream(text, "rasa_socketio")
    for name in ("rasa", "actions", "webapp"):
        assert "hash" not in _upstream(text, name)
    assert "10.0.0.2:3002" in _upstream(text, "webapp")
    assert "127.0.0.1:2001" in _upstream(text, "actions")
    # A request is resent only when the dead copy never got it: no message is handled twice.
    assert "proxy_next_upstream error timeout;" in text
    assert "non_idempotent" not in text
    assert "proxy_set_header Upgrade $http_upgrade" in text


def test_the_command_prints_a_production_configuration(capsys):
    assert (
        main(["--backend", "10.0.0.1:5005:5055:8000", "--backend", "10.0.0.2:5005:5055:8000"]) == 0
    )
    text = capsys.readouterr().out
    assert "listen 0.0.0.0:5005" in text and "server 10.0.0.2:8000" in text
