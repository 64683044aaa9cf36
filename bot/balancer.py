"""The nginx configuration that puts N copies of each process behind the public ports.

`REPLICAS=N make run` (tools/devstack.py) writes it and runs nginx with it; a production
machine can use the same text (`python -m bot.balancer`) as the start of its own site file.
Every hop goes through the balancer, so a dead copy of any process is skipped:

- Rasa (channels and HTTP API) round-robin: conversations need no stickiness because every Rasa
  server shares the tracker store and Rasa's Redis lock store serialises each conversation's
  messages across servers;
- socket.io pinned by client address: its HTTP long-polling requests belong to one server's
  in-memory session (a websocket is one connection and would not need it);
- action servers and web apps round-robin: they keep no per-conversation state in memory.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

LISTEN_HOST = "127.0.0.1"


@dataclass(frozen=True)
class Backend:
    """The ports of one copy of the three processes."""

    rasa_port: int
    actions_port: int
    web_port: int
    host: str = "127.0.0.1"


def _upstream(name: str, addresses: list[str], policy: str = "", keepalive: bool = True) -> str:
    # One failed connection takes a copy out for 5 s: a killed process stops receiving
    # requests at once instead of failing one request in N.
    servers = "".join(
        f"    server {address} max_fails=1 fail_timeout=5s;\n" for address in addresses
    )
    return (
        f"  upstream {name} {{\n"
        + (f"    {policy};\n" if policy else "")
        + servers
        + ("    keepalive 32;\n" if keepalive else "")
        + "  }\n"
    )


def nginx_conf(
    backends: list[Backend],
    rasa_port: int,
    actions_port: int,
    web_port: int,
    state_dir: Path,
    log_dir: Path,
    listen_host: str = LISTEN_HOST,
    user: str = "",
) -> str:
    """nginx.conf for `nginx -p state_dir -c <file> -e <log>`.

    `user` runs the workers as that user when nginx is started by root (whose workers would
    otherwise be `nobody`, unable to write request bodies into a private `state_dir`).
    """
    temp = "".join(
        f"  {kind}_temp_path {state_dir / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    proxied = (
        "      proxy_pass http://{upstream};\n"
        "      proxy_http_version 1.1;\n"
        '      proxy_set_header Connection "";\n'
    )
    return (
        (f"user {user};\n" if user else "") + "worker_processes 1;\n"
        f"pid {state_dir / 'nginx.pid'};\n"
        f"error_log {log_dir / 'nginx-error.log'} warn;\n"
        "events { worker_connections 4096; }\n"
        "http {\n"
        f"  access_log {log_dir / 'nginx-access.log'};\n"
        + temp
        + "  map $http_upgrade $connection_upgrade { default upgrade; '' close; }\n"
        "  proxy_set_header Host $host;\n"
        "  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
        "  proxy_set_header X-Forwarded-Proto $scheme;\n"
        # A request is retried on the next copy only if the dead one never received it
        # (`error` = connection refused or reset before sending): a message Rasa may already
        # have taken is never sent twice.
        "  proxy_next_upstream error timeout;\n"
        "  proxy_connect_timeout 2s;\n"
        "  proxy_read_timeout 300s;\n"
        "  client_max_body_size 20m;\n"
        + _upstream("rasa", [f"{b.host}:{b.rasa_port}" for b in backends])
        + _upstream(
            "rasa_socketio",
            [f"{b.host}:{b.rasa_port}" for b in backends],
            "hash $remote_addr consistent",
            keepalive=False,
        )
        + _upstream("actions", [f"{b.host}:{b.actions_port}" for b in backends])
        + _upstream("webapp", [f"{b.host}:{b.web_port}" for b in backends])
        + f"  server {{\n    listen {listen_host}:{rasa_port};\n"
        "    location /socket.io/ {\n"
        "      proxy_pass http://rasa_socketio;\n"
        "      proxy_http_version 1.1;\n"
        "      proxy_set_header Upgrade $http_upgrade;\n"
        "      proxy_set_header Connection $connection_upgrade;\n"
        "      proxy_buffering off;\n"
        "      proxy_read_timeout 3600s;\n"
        "    }\n"
        "    location / {\n" + proxied.format(upstream="rasa") + "    }\n  }\n"
        f"  server {{\n    listen {listen_host}:{actions_port};\n"
        "    location / {\n" + proxied.format(upstream="actions") + "    }\n  }\n"
        f"  server {{\n    listen {listen_host}:{web_port};\n"
        "    location / {\n" + proxied.format(upstream="webapp") + "    }\n  }\n"
        "}\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.balancer", description=__doc__)
    parser.add_argument(
        "--backend",
        action="append",
        required=True,
        metavar="HOST:RASA:ACTIONS:WEB",
        help="the address and ports of one copy of the processes (repeat per copy)",
    )
    parser.add_argument("--state-dir", type=Path, default=Path("/var/lib/nginx"))
    parser.add_argument("--log-dir", type=Path, default=Path("/var/log/nginx"))
    parser.add_argument("--listen", default="0.0.0.0")
    args = parser.parse_args(argv)
    backends = []
    for spec in args.backend:
        host, rasa, actions, web = spec.split(":")
        backends.append(Backend(int(rasa), int(actions), int(web), host))
    sys.stdout.write(
        nginx_conf(backends, 5005, 5055, 8000, args.state_dir, args.log_dir, args.listen)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
