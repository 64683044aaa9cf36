"""The tree the web app serves: reloaded when `data/finder.yml` changes on disk."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from bot.finder.tree import FinderError, FinderTree, load_tree

log = logging.getLogger(__name__)


class FinderService:
    """Holds the current tree; a file that fails validation keeps the previous one."""

    def __init__(self, path: Path, kb_ids: Callable[[], Iterable[str]]):
        self.path = path
        self._kb_ids = kb_ids
        self._lock = threading.Lock()
        self._tree: FinderTree | None = None
        self._mtime = 0.0

    @property
    def tree(self) -> FinderTree:
        """The tree as the file is now (checked at every call: a stat is cheap).

        Raises:
            FinderError: when no valid tree has ever been loaded.
        """
        mtime = self.path.stat().st_mtime
        with self._lock:
            if self._tree is None or mtime != self._mtime:
                try:
                    self._tree = load_tree(self.path, self._kb_ids())
                except FinderError:
                    if self._tree is None:
                        raise
                    log.exception("%s is invalid; keeping the previous tree", self.path)
                self._mtime = mtime
            return self._tree
