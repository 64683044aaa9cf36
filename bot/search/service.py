"""The search service: one current index, rebuilt when the knowledge base changes.

A change to the knowledge-base files is noticed by a cheap hash of their bytes; the new index
is built beside the old one and swapped in with a single assignment, so searches in flight
finish on the index they started with. An invalid change is refused and the old index stays.
When only texts changed (the same entries), the new texts are served at once with the old
index until the new one is ready, so an edited answer reaches the bot within a second.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from bot.kb.files import files_digest
from bot.kb.loader import KnowledgeBaseError, load_kb
from bot.kb.model import KnowledgeBase
from bot.lemmas import shared_lemmatizer
from bot.search.config import SearchConfig
from bot.search.encoders import Encoder, make_encoder
from bot.search.index import SearchIndex, index_dir_for
from bot.search.searcher import Searcher
from bot.settings import Settings

log = logging.getLogger(__name__)


class CachingEncoder:
    """Remembers the vector of every text it encoded, so a rebuild encodes only new texts.

    A curator's edit changes a handful of phrasings; re-encoding the thousands that did not
    change would make the edit reach the bot in tens of seconds instead of a few.
    """

    def __init__(self, inner: Encoder, max_items: int = 200_000):
        self.inner = inner
        self.name = inner.name
        self.max_items = max_items
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        self.inner.warm_up()

    def encode(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            fresh = self.inner.encode(missing)
            with self._lock:
                if len(self._vectors) + len(missing) > self.max_items:
                    self._vectors.clear()  # crude bound; a full rebuild is rare
                self._vectors.update(zip(missing, fresh, strict=True))
                vectors = [self._vectors.get(t) for t in texts]
            if any(v is None for v in vectors):  # cleared meanwhile: encode the rest
                return self.inner.encode(texts)
            return np.stack(vectors).astype(np.float32)  # type: ignore[arg-type]
        with self._lock:
            return np.stack([self._vectors[t] for t in texts]).astype(np.float32)


@dataclass(frozen=True)
class Snapshot:
    """A knowledge base and the searcher built from it, always swapped together."""

    kb: KnowledgeBase
    searcher: Searcher
    files_digest: str
    generation: int = 0
    """Order in which knowledge bases were read; a later one is never replaced by an earlier."""


class SearchService:
    """Owns the knowledge base and its index for one process."""

    def __init__(
        self,
        settings: Settings,
        config: SearchConfig | None = None,
        encoder: Encoder | None = None,
    ):
        self.settings = settings
        self.config = config or SearchConfig.load(settings.search_config)
        self.encoder: Encoder = CachingEncoder(
            encoder or make_encoder(settings.encoder or self.config.encoder, settings.models_dir)
        )
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()
        self._swap = threading.Lock()
        self._generation = 0
        self.announce: Callable[[str], None] | None = None
        """Told the files' digest when this process changed them (`refresh_soon`): how the
        other processes serving the same files learn of it before their next poll."""

    @property
    def snapshot(self) -> Snapshot:
        if self._snapshot is None:
            raise RuntimeError("SearchService.warm_up() has not been called")
        return self._snapshot

    @property
    def kb(self) -> KnowledgeBase:
        return self.snapshot.kb

    @property
    def searcher(self) -> Searcher:
        return self.snapshot.searcher

    def warm_up(self) -> SearchIndex:
        """Load the knowledge base and its index, building the index if needed.

        Raises:
            KnowledgeBaseError: if the knowledge base is invalid.
            ModelMissingError: if the configured embedding model is not on this machine.
        """
        self.encoder.warm_up()
        if self.config.lemmas:
            shared_lemmatizer().warm_up()
        with self._lock:
            digest = files_digest(self.settings.kb_dir)
            kb = load_kb(self.settings.kb_dir)
            index = self.load_or_build(kb)
            self._snapshot = Snapshot(kb, Searcher(index, self.encoder, self.config), digest)
            return index

    def index_path(self, kb: KnowledgeBase) -> Path:
        return index_dir_for(
            self.settings.index_dir,
            kb.content_hash(),
            f"{self.encoder.name}-c{self.config.classifier_c}"
            + ("-lemmas" if self.config.lemmas else ""),
        )

    def load_or_build(self, kb: KnowledgeBase) -> SearchIndex:
        """The saved index for this knowledge base, or a freshly built (and saved) one."""
        path = self.index_path(kb)
        try:
            index = SearchIndex.load(path)
        except Exception:  # a corrupt or foreign file is rebuilt, not fatal
            log.warning("index at %s is unreadable; rebuilding", path, exc_info=True)
            index = None
        if index is None:
            index = SearchIndex.build(kb, self.encoder, self.config)
            index.save(path)
            log.info("built search index %s in %.1fs", path.name, index.build_seconds)
        return index

    def refresh(self) -> bool:
        """Rebuild and swap the index if the knowledge-base files changed.

        Two locks: `_swap` is held only to replace the snapshot, `_lock` for a whole index
        build. So a second edit made while the first one's index builds is still served at
        once (same entries, new texts), and a build that finishes after a newer knowledge base
        went live never puts the older texts back.

        Returns:
            True if a new knowledge base is now live.
        """
        digest = files_digest(self.settings.kb_dir)
        if digest == self.snapshot.files_digest:
            return False
        try:
            kb = load_kb(self.settings.kb_dir)
        except KnowledgeBaseError as exc:  # the curators' mistake, not ours: no traceback
            log.error("knowledge base changed but is invalid; keeping the previous one:\n%s", exc)
            with self._swap:
                self._snapshot = replace(self.snapshot, files_digest=digest)
            return False
        except Exception:
            log.exception("knowledge base changed but is invalid; keeping the previous one")
            with self._swap:
                self._snapshot = replace(self.snapshot, files_digest=digest)
            return False
        with self._swap:
            self._generation += 1
            generation = self._generation
            current = self.snapshot
            if kb.content_hash() == current.searcher.index.kb_hash:
                self._snapshot = Snapshot(kb, current.searcher, digest, generation)
                return True
            if kb.ids == current.searcher.index.entry_ids:
                # Same entries, new texts (a curator's edit): serve them now with the current
                # index, which still ranks these entries, until the new index is built.
                # The files' digest goes live too: a revert that restores the previous bytes
                # during this build must be noticed as a change, not as "nothing new".
                self._snapshot = Snapshot(kb, current.searcher, digest, generation)
        with self._lock:
            index = self.load_or_build(kb)
        searcher = Searcher(index, self.encoder, self.config)
        with self._swap:
            current = self.snapshot
            if current.generation <= generation:
                self._snapshot = Snapshot(kb, searcher, digest, generation)
            elif current.kb.ids == index.entry_ids:
                # A newer edit is already served: keep its texts, take the fresher index.
                self._snapshot = replace(current, searcher=searcher)
        log.info("knowledge base reloaded: %d entries", len(kb.entries))
        return True

    def refresh_soon(self) -> None:
        """Start a refresh in the background now (after a console save), not at the next poll."""
        threading.Thread(target=self._refresh_logged, name="kb-refresh", daemon=True).start()

    def _refresh_logged(self) -> None:
        try:
            if self.announce is not None:
                self.announce(files_digest(self.settings.kb_dir))
            self.refresh()
        except Exception:  # a background thread has nobody to raise to
            log.exception("knowledge-base refresh failed; keeping the current index")
