"""Synthetic knowledge bases of any size, made from the real one by paraphrase and combination.

Each synthetic entry combines two real entries A and B (A ≠ B): in each of its documents, one
per language, a phrasing of A is joined to a phrasing of B in the same language ("Ile kosztuje
karta pobytu? — gdzie złożyć odwołanie"). The real phrasings of an entry are its paraphrases;
picking different ones for each synthetic entry makes thousands of distinct entries from a few
thousand real texts. No two synthetic entries share their (A, B, phrasings) choice.

Embedding hundreds of thousands of new texts would take longer on 2 cores than the whole
benchmark may, so a document's dense vector is composed from the embeddings of its two real
parts (their normalised sum) — only the real texts go through the encoder. The lexical text
of each document is the real joined string.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.kb.model import LANGUAGES, KnowledgeBase

SEPARATOR = " — "


@dataclass(frozen=True)
class Pool:
    """The real texts synthetic documents are made of."""

    texts: list[str]
    entry: np.ndarray
    """Index of each text's real entry."""
    lang: np.ndarray
    """Index into LANGUAGES of each text's language."""

    @classmethod
    def from_kb(cls, kb: KnowledgeBase) -> Pool:
        texts, entry, lang = [], [], []
        for i, e in enumerate(kb.entries):
            for code, local in e.texts.items():
                for text in (local.title, *local.phrasings):
                    texts.append(text)
                    entry.append(i)
                    lang.append(LANGUAGES.index(code))
        return cls(texts, np.asarray(entry), np.asarray(lang))


@dataclass(frozen=True)
class SyntheticKB:
    """`n_entries` entries, documents grouped by entry (contiguous, ascending)."""

    n_entries: int
    doc_entry: np.ndarray
    parts: np.ndarray
    """(documents, 2): the pool indexes of each document's two real texts."""

    def texts(self, pool: Pool) -> list[str]:
        """The documents' joined strings."""
        return [pool.texts[a] + SEPARATOR + pool.texts[b] for a, b in self.parts]

    def vectors(self, pool_vectors: np.ndarray) -> np.ndarray:
        """Documents' unit vectors composed from their parts' embeddings."""
        v = pool_vectors[self.parts[:, 0]] + pool_vectors[self.parts[:, 1]]
        return (v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)).astype(np.float32)


def synthesize(pool: Pool, n_entries: int, seed: int = 0) -> SyntheticKB:
    """A knowledge base of `n_entries` entries with one document per language each.

    Raises:
        ValueError: if the pool cannot make that many distinct entries.
    """
    rng = np.random.default_rng(seed)
    n_real = int(pool.entry.max()) + 1
    # Pool indexes of each (real entry, language), to pick phrasings from.
    choices = {
        (e, lang): np.flatnonzero((pool.entry == e) & (pool.lang == lang))
        for e in range(n_real)
        for lang in range(len(LANGUAGES))
    }
    langs = [
        lang for lang in range(len(LANGUAGES)) if all(len(choices[e, lang]) for e in range(n_real))
    ]
    seen: set[tuple[int, ...]] = set()
    parts: list[list[int]] = []
    attempts = 0
    while len(seen) < n_entries:
        attempts += 1
        if attempts > 20 * n_entries + 1000:
            raise ValueError(f"cannot make {n_entries} distinct entries from this pool")
        a = len(seen) % n_real  # every real entry is the main topic equally often
        b = int(rng.integers(n_real - 1))
        b += b >= a
        docs = [
            [int(rng.choice(choices[a, lang])), int(rng.choice(choices[b, lang]))] for lang in langs
        ]
        key = tuple(i for doc in docs for i in doc)
        if key in seen:
            continue
        seen.add(key)
        parts.extend(docs)
    return SyntheticKB(
        n_entries=n_entries,
        doc_entry=np.repeat(np.arange(n_entries), len(langs)),
        parts=np.asarray(parts, dtype=np.int64).reshape(-1, 2),
    )
