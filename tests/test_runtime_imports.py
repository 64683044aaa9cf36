"""What runs in production (bot/, actions/, connectors/) imports none of the dev tooling."""

from __future__ import annotations

import ast
from pathlib import Path

from bot.settings import ROOT

RUNTIME = ("bot", "actions", "connectors")
TOOLING = {"tools", "tests", "pytest", "playwright", "aiosmtpd", "matplotlib", "ruff", "mypy"}
"""Our tooling packages and the dev-only packages of requirements/app.in."""


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every module `path` imports, wherever the import is written."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_scan_sees_imports_inside_functions(tmp_path):
    source = tmp_path / "module.py"
    source.write_text(
        "import os\nfrom bot.settings import ROOT\ndef f():\n    from tools.devstack import Stack\n"
    )
    assert imported_modules(source) == {"os", "bot", "tools"}


def test_runtime_code_imports_no_tooling():
    offenders = [
        f"{path.relative_to(ROOT)}: {', '.join(sorted(bad))}"
        for package in RUNTIME
        for path in sorted((ROOT / package).rglob("*.py"))
        if (bad := imported_modules(path) & TOOLING)
    ]
    assert offenders == []
