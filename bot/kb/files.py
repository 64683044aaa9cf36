"""The knowledge-base folder's files: which there are, their fingerprint, and their YAML.

Everything that walks `data/kb/*.yml` goes through here: validation and loading
(bot/kb/loader.py), the console's editing and export (bot/curation/), and the search service,
which rebuilds its index when the fingerprint changes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml

from bot.safe_yaml import SafeLoader

GLOSSARY_FILE = "glossary.yml"
NEGATIVES_FILE = "negatives.yml"
SPECIAL_FILES = frozenset({NEGATIVES_FILE, GLOSSARY_FILE})
"""The files that are not areas of entries."""


def kb_files(kb_dir: Path) -> list[Path]:
    """Every YAML file of the folder, areas and special files, in name order."""
    return sorted(p for p in kb_dir.glob("*.yml") if p.is_file())


def area_files(kb_dir: Path) -> list[Path]:
    """The files holding entries, one per area (`<area>.yml`), in name order."""
    return [p for p in kb_files(kb_dir) if p.name not in SPECIAL_FILES]


def files_digest(kb_dir: Path) -> str:
    """A hash of the files' names and bytes (cheap; no YAML parsing)."""
    digest = hashlib.sha256()
    for path in kb_files(kb_dir):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def read_yaml(path: Path, loader: type[SafeLoader] = SafeLoader) -> Any:
    """One file's document, read with the safe loader's limits (or a subclass of it).

    Raises:
        yaml.YAMLError: if the file is not valid YAML or exceeds the limits.
        UnicodeDecodeError: if it is not UTF-8 text.
    """
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
