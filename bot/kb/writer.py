"""Writing knowledge-base entries back to `data/kb/<area>.yml` in the files' own style.

The console saves curators' edits into the same YAML files developers review in version
control, so the output must look hand-written: keys in a fixed order, multi-line answers as
`|` blocks, Unicode unescaped. Dumping the files as loaded reproduces them byte for byte.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from bot.kb.model import LANGUAGES

ENTRY_KEYS = (
    "id", "area", "audience", "related", "sources", "reviewed", "valid_until", *LANGUAGES
)  # fmt: skip
TEXT_KEYS = ("title", "phrasings", "answer")


class _Dumper(yaml.SafeDumper):
    """Block style; multi-line strings as literal blocks (answers stay readable in diffs)."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


def ordered_entry(raw: dict[str, Any]) -> dict[str, Any]:
    """The entry with its keys in the files' order; empty optional lists are left out."""
    out: dict[str, Any] = {}
    for key in ENTRY_KEYS:
        if key not in raw:
            continue
        value = raw[key]
        if key in {"audience", "related"} and not value:
            continue
        if key in LANGUAGES and isinstance(value, dict):
            value = {k: value[k] for k in TEXT_KEYS if k in value}
        out[key] = value
    return out


def dump_area(area: str, entries: list[dict[str, Any]]) -> str:
    """The text of `<area>.yml` holding `entries` (plain dicts as `yaml.safe_load` gives)."""
    doc = {"area": area, "entries": [ordered_entry(e) for e in entries]}
    return yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=float("inf"))


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` in one rename, so the watcher never reads a half-written file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
