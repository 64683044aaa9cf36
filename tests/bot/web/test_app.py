"""Starting the web app: an unusable database stops it with one clear line."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot.settings import ROOT

START_TIMEOUT = 120


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("postgresql://faq:s3cret-pw@127.0.0.1:1/faq", "Connection refused"),
        ("postgresql://127.0.0.1:5432/faq_no_such_database", "does not exist"),
    ],
    ids=["unreachable", "missing"],
)
def test_an_unusable_database_stops_the_start_with_one_line(url, reason, tmp_path):
    command = [
        sys.executable, "-m", "uvicorn", "bot.web.app:create_app", "--factory", "--port", "0",
    ]  # fmt: skip
    env = {**os.environ, "DATABASE_URL": url, "FAQ_VAR_DIR": str(tmp_path)}
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=START_TIMEOUT
    )
    assert done.returncode != 0
    lines = (done.stdout + done.stderr).strip().splitlines()
    assert len(lines) == 1, lines
    assert "cannot use the database" in lines[0] and reason in lines[0]
    assert "s3cret-pw" not in lines[0]
