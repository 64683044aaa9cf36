"""Scoring a question against the index and deciding: answer, clarify or no match."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from bot.search.ann import VectorIndex
from bot.search.config import SearchConfig, Thresholds
from bot.search.encoders import Encoder
from bot.search.index import KIND_ANSWER, NONE_LABEL, SearchIndex

RESULTS_LIMIT = 5


class Decision(StrEnum):
    ANSWER = "answer"
    CLARIFY = "clarify"
    NO_MATCH = "no_match"


@dataclass(frozen=True)
class Candidate:
    """One entry with its fused score and the signals behind it."""

    id: str
    score: float
    signals: dict[str, float]


@dataclass(frozen=True)
class SearchResult:
    """What search decided for one question; `candidates` are best first."""

    decision: Decision
    candidates: list[Candidate]
    out_of_scope: float

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


def softmax(margins: np.ndarray, scale: float) -> np.ndarray:
    """Turn a linear SVM's one-vs-rest margins into a distribution over classes."""
    z = margins * scale
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


DECISIONS = (Decision.ANSWER, Decision.CLARIFY, Decision.NO_MATCH)
"""Decisions by the codes `decide_arrays` returns."""


def top_two(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Best and second-best score of every row."""
    if scores.shape[1] < 2:
        return scores.max(axis=1), np.zeros(scores.shape[0])
    part = np.partition(scores, -2, axis=1)
    return part[:, -1], part[:, -2]


def decide_arrays(
    top: np.ndarray, second: np.ndarray, none_prob: np.ndarray, t: Thresholds
) -> np.ndarray:
    """Decision codes (indexes into `DECISIONS`) for many queries at once."""
    no_match = (none_prob >= t.none) | (top < t.clarify)
    answer = ~no_match & (top >= t.answer) & (top - second >= t.margin)
    return np.where(no_match, 2, np.where(answer, 0, 1))


class Searcher:
    """Hybrid search over one index with one encoder and configuration."""

    def __init__(self, index: SearchIndex, encoder: Encoder, config: SearchConfig):
        self.index = index
        self.encoder = encoder
        self.config = config
        classes = list(index.classifier.classes_)
        self._none_col = classes.index(NONE_LABEL) if NONE_LABEL in classes else None
        self._entry_cols = np.array(
            [classes.index(e) if e in classes else -1 for e in range(len(index.entry_ids))]
        )
        # Documents are stored grouped by entry, so an entry's best document is a reduceat.
        self._entry_starts = np.flatnonzero(np.r_[True, np.diff(index.doc_entry) != 0])
        self._doc_weight = np.where(
            index.doc_kind == KIND_ANSWER, config.weights.answer, 1.0
        ).astype(np.float32)
        self._dense: VectorIndex | None = None

    @property
    def dense_index(self) -> VectorIndex:
        """Nearest phrasings by embedding; built on first use, since searchers made only to
        re-fuse precomputed signals (calibration) never need it."""
        if self._dense is None:
            self._dense = VectorIndex(self.index.doc_features.dense, self.config.ann)
        return self._dense

    def signals(self, texts: list[str]) -> dict[str, np.ndarray]:
        """Per-entry signal matrices (queries × entries) and out-of-scope probabilities."""
        index = self.index
        q = index.features(texts, self.encoder)
        docs = index.doc_features
        # (documents × queries) products keep the large document matrices in their CSR layout.
        lexical = {
            "char": (docs.char @ q.char.T).toarray().T,
            "word": (docs.word @ q.word.T).toarray().T,
            "dense": self.dense_index.similarities(q.dense),
        }
        if q.lemma is not None and docs.lemma is not None:
            lexical["lemma"] = (docs.lemma @ q.lemma.T).toarray().T
        out: dict[str, np.ndarray] = {
            name: np.maximum.reduceat(scores * self._doc_weight, self._entry_starts, axis=1)
            for name, scores in lexical.items()
        }
        probs = softmax(index.classifier.decision_function(q.stacked()), self.config.softmax_scale)
        out["classifier"] = np.where(
            self._entry_cols[None, :] >= 0, probs[:, np.maximum(self._entry_cols, 0)], 0.0
        )
        out["none"] = (
            probs[:, self._none_col] if self._none_col is not None else np.zeros(len(texts))
        )
        return out

    def fuse(self, signals: dict[str, np.ndarray]) -> np.ndarray:
        w = self.config.weights
        total = w.classifier + w.dense + w.char + w.word
        fused = (
            w.classifier * signals["classifier"]
            + w.dense * signals["dense"]
            + w.char * signals["char"]
            + w.word * signals["word"]
        )
        if "lemma" in signals:
            total += w.lemma
            fused = fused + w.lemma * signals["lemma"]
        return fused / total

    def decide(self, scores: np.ndarray, none_prob: float) -> Decision:
        """The decision for one query from its fused entry scores."""
        top, second = top_two(scores[None, :])
        codes = decide_arrays(top, second, np.array([none_prob]), self.config.thresholds)
        return DECISIONS[int(codes[0])]

    def search_many(self, texts: list[str]) -> list[SearchResult]:
        """Search a batch of questions (one encoder call for all of them)."""
        if not texts:
            return []
        signals = self.signals(texts)
        fused = self.fuse(signals)
        results = []
        for row in range(len(texts)):
            scores = fused[row]
            none_prob = float(signals["none"][row])
            decision = self.decide(scores, none_prob)
            order = np.argsort(-scores)[:RESULTS_LIMIT]
            candidates = [
                Candidate(
                    id=self.index.entry_ids[i],
                    score=round(float(scores[i]), 4),
                    signals={
                        k: round(float(v[row, i]), 4) for k, v in signals.items() if k != "none"
                    },
                )
                for i in order
            ]
            results.append(SearchResult(decision, candidates, round(none_prob, 4)))
        return results

    def search(self, text: str) -> SearchResult:
        return self.search_many([text])[0]


def clarify_choices(result: SearchResult, config: SearchConfig) -> list[Candidate]:
    """The candidates worth offering as choices for a `clarify` decision."""
    if not result.candidates:
        return []
    floor = result.candidates[0].score - config.thresholds.window
    return [c for c in result.candidates[: config.max_candidates] if c.score >= floor]
