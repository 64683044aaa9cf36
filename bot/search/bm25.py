"""Okapi BM25 over an entry's titles and phrasings: the classic lexical retrieval baseline.

Used by the benchmarks (`make bench`) as the "lexical only" method that an office would get from
any search engine, and as the cheap lexical signal of very large synthetic knowledge bases. Words
are the same folded prefix stems the hybrid search uses (`bot.text.stems`), so the comparison is
about the scoring, not the tokenisation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

from bot.text import stems


def _identity(tokens: list[str]) -> list[str]:
    return tokens


class BM25:
    """BM25 scores of queries against documents, reduced to the best document of each group.

    Args:
        documents: the texts to search.
        groups: for each document, the index of its group (an entry); documents of one group
            must be contiguous. Scores are reported per group as its best document's.
        k1: term-frequency saturation.
        b: document-length normalisation.
        analyse: text to terms.
    """

    def __init__(
        self,
        documents: Sequence[str],
        groups: Sequence[int],
        k1: float = 1.2,
        b: float = 0.75,
        analyse: Callable[[str], list[str]] = stems,
    ):
        if len(documents) != len(groups) or not documents:
            raise ValueError("need one group per document, and at least one document")
        group_arr = np.asarray(groups)
        if np.any(np.diff(group_arr) < 0):
            raise ValueError("documents of one group must be contiguous, groups ascending")
        self._analyse = analyse
        self._vectorizer = CountVectorizer(analyzer=_identity, lowercase=False)
        tf = self._vectorizer.fit_transform([analyse(d) for d in documents]).tocsr()
        tf = tf.astype(np.float32)
        n_docs = tf.shape[0]
        df = np.bincount(tf.indices, minlength=tf.shape[1])
        # The "plus one" form of idf keeps weights positive for terms in most documents.
        idf = np.log(1.0 + (n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
        lengths = np.asarray(tf.sum(axis=1)).ravel()
        norm = k1 * (1 - b + b * lengths / max(float(lengths.mean()), 1e-9))
        # Precomputing each (document, term) weight turns scoring into one sparse product.
        rows = np.repeat(np.arange(n_docs), np.diff(tf.indptr))
        tf.data = tf.data * (k1 + 1) / (tf.data + norm[rows]) * idf[tf.indices]
        self._weights = tf
        self._starts = np.flatnonzero(np.r_[True, np.diff(group_arr) != 0])

    @property
    def n_groups(self) -> int:
        return len(self._starts)

    def scores(self, queries: Sequence[str]) -> np.ndarray:
        """Per-group BM25 scores, shape (len(queries), number of groups)."""
        q = self._vectorizer.transform([self._analyse(t) for t in queries])
        q.data[:] = 1.0  # a repeated query word counts once, as in classic BM25
        docs = (self._weights @ sparse.csr_matrix(q, dtype=np.float32).T).toarray().T
        return np.maximum.reduceat(docs, self._starts, axis=1)
