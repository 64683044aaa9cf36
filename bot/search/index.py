"""The search index: every signal search needs, computed once from the knowledge base.

Documents are an entry's titles and phrasings in all four languages, plus its answers. The
index holds three views of them — character n-grams and word stems of the folded text, and
dense sentence embeddings — optionally a fourth, the words' lemmas (`bot.lemmas`, switched on
by `lemmas: true` in the search configuration), and a linear classifier trained on the
phrasings (with the out-of-scope examples as an extra class), which generalises better than
nearest-neighbour matching alone.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from bot.kb.model import KnowledgeBase
from bot.lemmas import shared_lemmatizer
from bot.search.config import SearchConfig
from bot.search.encoders import Encoder
from bot.text import fold, stems

NONE_LABEL = -1
"""Classifier label of the out-of-scope examples."""

KIND_QUESTION = 0
KIND_ANSWER = 1
FORMAT_VERSION = 2


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def char_vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=1)


def word_vectorizer() -> TfidfVectorizer:
    # Stems are computed up front so the vectorizer stays picklable and language-agnostic.
    return TfidfVectorizer(
        analyzer=_identity, ngram_range=(1, 1), sublinear_tf=True, min_df=1, lowercase=False
    )


@dataclass
class Features:
    """The lexical and dense views of a batch of texts (`lemma` only in indexes with lemmas)."""

    char: sparse.csr_matrix
    word: sparse.csr_matrix
    dense: np.ndarray
    lemma: sparse.csr_matrix | None = None

    def stacked(self, dense_weight: float = 1.0) -> sparse.csr_matrix:
        parts = [self.char, self.word, sparse.csr_matrix(self.dense * dense_weight)]
        if self.lemma is not None:
            parts.append(self.lemma)
        return sparse.hstack(parts, format="csr")


@dataclass
class SearchIndex:
    """Everything needed to score a query against the knowledge base."""

    kb_hash: str
    encoder_name: str
    entry_ids: list[str]
    doc_entry: np.ndarray
    doc_kind: np.ndarray
    char_vec: TfidfVectorizer
    word_vec: TfidfVectorizer
    doc_features: Features
    classifier: LinearSVC
    build_seconds: float = 0.0
    lemma_vec: TfidfVectorizer | None = None

    def features(self, texts: list[str], encoder: Encoder) -> Features:
        folded = [fold(t) for t in texts]
        lemma = None
        if self.lemma_vec is not None:
            lemmatizer = shared_lemmatizer()
            lemma = self.lemma_vec.transform([lemmatizer.lemmas(t) for t in texts])
        return Features(
            char=self.char_vec.transform(folded),
            word=self.word_vec.transform([stems(t) for t in texts]),
            dense=encoder.encode(texts),
            lemma=lemma,
        )

    @classmethod
    def build(cls, kb: KnowledgeBase, encoder: Encoder, config: SearchConfig) -> SearchIndex:
        """Compute every signal from the knowledge base (seconds for hundreds of entries)."""
        started = time.perf_counter()
        entry_ids = [e.id for e in kb.entries]
        texts: list[str] = []
        doc_entry: list[int] = []
        doc_kind: list[int] = []
        for i, entry in enumerate(kb.entries):
            for local in entry.texts.values():
                for text in (local.title, *local.phrasings):
                    texts.append(text)
                    doc_entry.append(i)
                    doc_kind.append(KIND_QUESTION)
                texts.append(local.answer)
                doc_entry.append(i)
                doc_kind.append(KIND_ANSWER)
        negatives = [q for items in kb.negatives.values() for q in items]

        char_vec = char_vectorizer().fit([fold(t) for t in texts + negatives])
        word_vec = word_vectorizer().fit([stems(t) for t in texts + negatives])
        lemma_vec = None
        if config.lemmas:
            lemmatizer = shared_lemmatizer()
            lemma_vec = word_vectorizer().fit([lemmatizer.lemmas(t) for t in texts + negatives])
        index = cls(
            kb_hash=kb.content_hash(),
            encoder_name=encoder.name,
            entry_ids=entry_ids,
            doc_entry=np.asarray(doc_entry, dtype=np.int32),
            doc_kind=np.asarray(doc_kind, dtype=np.int8),
            char_vec=char_vec,
            word_vec=word_vec,
            doc_features=Features(
                sparse.csr_matrix((0, 0)), sparse.csr_matrix((0, 0)), np.zeros(0)
            ),
            classifier=LinearSVC(C=config.classifier_c),
            lemma_vec=lemma_vec,
        )
        index.doc_features = index.features(texts, encoder)

        questions = index.doc_kind == KIND_QUESTION
        train_x = index.doc_features.stacked()[questions]
        train_y = index.doc_entry[questions]
        if negatives:
            neg = index.features(negatives, encoder).stacked()
            train_x = sparse.vstack([train_x, neg], format="csr")
            train_y = np.concatenate([train_y, np.full(len(negatives), NONE_LABEL)])
        index.classifier.fit(train_x, train_y)
        index.build_seconds = time.perf_counter() - started
        return index

    def save(self, directory: Path) -> Path:
        """Write the index atomically into `directory` (replacing an older copy)."""
        directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=directory.parent))
        joblib.dump(self, tmp / "index.joblib")
        meta = {
            "format": FORMAT_VERSION,
            "kb_hash": self.kb_hash,
            "encoder": self.encoder_name,
            "lemmas": self.lemma_vec is not None,
            "entries": len(self.entry_ids),
            "documents": len(self.doc_entry),
            "build_seconds": round(self.build_seconds, 2),
        }
        (tmp / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
        if directory.exists():
            old = directory.with_name(f".old-{directory.name}-{os.getpid()}")
            os.replace(directory, old)
            os.replace(tmp, directory)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, directory)
        return directory

    @classmethod
    def load(cls, directory: Path) -> SearchIndex | None:
        """Read a saved index, or None if there is none or it is of an older format."""
        meta_path = directory / "meta.json"
        if not meta_path.exists():
            return None
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT_VERSION:
            return None
        index = joblib.load(directory / "index.joblib")
        return index if isinstance(index, cls) else None


def index_dir_for(base: Path, kb_hash: str, encoder_name: str) -> Path:
    """The folder of the index built from this knowledge base with this encoder."""
    slug = "".join(c if c.isalnum() else "-" for c in encoder_name)
    return base / f"{kb_hash}-{slug}"
