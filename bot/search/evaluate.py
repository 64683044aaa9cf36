"""Measuring search on a labelled question set, and calibrating its thresholds.

A question set is JSON lines: `{"text": ..., "lang": "uk", "expected": "card.fees"}`, with
`"expected": null` for questions the knowledge base must not answer. `"nearmiss": true` marks a
question outside the office's remit that shares its vocabulary: it is handled well when search
says no_match, or answers it with the redirect entry named as `expected`.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from bot.kb.model import LANGUAGES
from bot.search.config import SearchConfig, Thresholds, Weights
from bot.search.searcher import DECISIONS, Decision, Searcher, decide_arrays, top_two


@dataclass(frozen=True)
class Question:
    text: str
    lang: str
    expected: str | None
    nearmiss: bool = False


def read_questions(path: Path) -> list[Question]:
    """Read a JSON-lines question set."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            out.append(
                Question(row["text"], row["lang"], row.get("expected"), bool(row.get("nearmiss")))
            )
        except (ValueError, KeyError) as exc:
            raise ValueError(f"{path}:{number}: not a question line ({exc})") from exc
    return out


VARIANTS: dict[str, Weights] = {
    "lexical": Weights(classifier=0.0, dense=0.0, char=1.0, word=1.0),
    "dense": Weights(classifier=0.0, dense=1.0, char=0.0, word=0.0),
}
"""Baselines next to the configured hybrid: nearest phrasing by lexical or by dense signals."""


@dataclass(frozen=True)
class Metrics:
    """Quality figures for one language (or all) and one configuration."""

    n_in: int
    n_out: int
    top1: float
    top3: float
    mrr: float
    no_match_precision: float
    no_match_recall: float
    false_refusals: float
    """Share of in-scope questions wrongly answered with no_match."""
    confidently_wrong: float = 0.0
    """Share of in-scope questions answered outright (no choice offered) with a wrong entry."""
    n_near: int = 0
    nearmiss_handled: float = 0.0
    """Share of near-miss questions answered no_match or with their redirect entry."""

    def row(self) -> list[str]:
        return [
            str(self.n_in),
            f"{self.top1:.3f}",
            f"{self.top3:.3f}",
            f"{self.mrr:.3f}",
            str(self.n_out),
            f"{self.no_match_precision:.3f}",
            f"{self.no_match_recall:.3f}",
            f"{self.false_refusals:.3f}",
        ]


def ranks_from_scores(scores: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """1-based rank of each question's expected entry among its scores (`inf` for questions
    without one); ties count in the question's favour."""
    ranks = np.full(len(expected), np.inf)
    rows = np.flatnonzero(expected >= 0)
    own = scores[rows, expected[rows]]
    ranks[rows] = 1 + (scores[rows] > own[:, None]).sum(axis=1)
    return ranks


def score(
    ranks: np.ndarray,
    refused: np.ndarray,
    in_scope: np.ndarray,
    answered: np.ndarray | None = None,
    nearmiss: np.ndarray | None = None,
) -> Metrics:
    """Quality figures of any method from its per-question outcomes.

    Shared by the search's own evaluation and the benchmarks' baselines (BM25, Rasa's
    ResponseSelector), so every method is scored by the same code.

    Args:
        ranks: 1-based rank of the expected entry in the method's ranking (`inf` when it is
            not ranked at all); ignored for out-of-scope questions.
        refused: whether the method answered no_match.
        in_scope: whether the question has an expected entry.
        answered: whether the method answered outright (for confidently wrong answers).
        nearmiss: whether the question is a near-miss (see the module's docstring).
    """
    in_scope = np.asarray(in_scope, dtype=bool)
    all_ranks = np.asarray(ranks, dtype=float)
    r = all_ranks[in_scope]
    refused = np.asarray(refused, dtype=bool)
    answered = np.zeros(len(refused), bool) if answered is None else np.asarray(answered, bool)
    near = np.zeros(len(refused), bool) if nearmiss is None else np.asarray(nearmiss, bool)
    handled = refused | (answered & in_scope & (all_ranks == 1))
    out_scope = ~in_scope
    tp = int((refused & out_scope).sum())
    n_in, n_out = int(in_scope.sum()), int(out_scope.sum())
    return Metrics(
        n_in=n_in,
        n_out=n_out,
        top1=float((r == 1).mean()) if n_in else 0.0,
        top3=float((r <= 3).mean()) if n_in else 0.0,
        mrr=float((1.0 / r).mean()) if n_in else 0.0,
        no_match_precision=tp / max(int(refused.sum()), 1),
        no_match_recall=tp / max(n_out, 1),
        false_refusals=float((refused & in_scope).sum()) / max(n_in, 1),
        confidently_wrong=float((answered & in_scope & (all_ranks != 1)).sum()) / max(n_in, 1),
        n_near=int(near.sum()),
        nearmiss_handled=float((handled & near).sum()) / max(int(near.sum()), 1),
    )


HEADER = ["n", "top-1", "top-3", "MRR", "n oos", "no_match P", "no_match R", "false refusals"]
NEARMISS_HEADER = ["confidently wrong", "n near-miss", "near-miss handled"]
"""Extra columns of `faq eval`'s own tables (the benchmarks' baselines have no decisions)."""


class Evaluation:
    """Signals for a question set, computed once, scored under any weights and thresholds."""

    def __init__(self, searcher: Searcher, questions: list[Question]):
        self.searcher = searcher
        self.questions = questions
        self.signals = searcher.signals([q.text for q in questions])
        ids = searcher.index.entry_ids
        self.expected = np.array(
            [ids.index(q.expected) if q.expected in ids else -1 for q in questions]
        )
        unknown = [q.expected for q in questions if q.expected and q.expected not in ids]
        if unknown:
            raise ValueError(f"question set names unknown entries: {sorted(set(unknown))}")
        self.langs = np.array([q.lang for q in questions])
        self.nearmiss = np.array([q.nearmiss for q in questions], dtype=bool)

    def decisions(self, config: SearchConfig) -> tuple[np.ndarray, np.ndarray]:
        """Fused scores and decisions under `config`."""
        fused = Searcher(self.searcher.index, self.searcher.encoder, config).fuse(self.signals)
        top, second = top_two(fused)
        codes = decide_arrays(top, second, self.signals["none"], config.thresholds)
        return fused, np.array(DECISIONS, dtype=object)[codes]

    def metrics(self, config: SearchConfig, lang: str | None = None) -> Metrics:
        fused, decisions = self.decisions(config)
        mask = np.ones(len(self.questions), bool) if lang is None else self.langs == lang
        ranks = ranks_from_scores(fused, self.expected)
        return score(
            ranks[mask],
            (decisions == Decision.NO_MATCH)[mask],
            (self.expected >= 0)[mask],
            answered=(decisions == Decision.ANSWER)[mask],
            nearmiss=self.nearmiss[mask],
        )

    def report(self, configs: dict[str, SearchConfig]) -> str:
        """A Markdown table per configuration, one row per language and one for all."""
        lines = []
        for name, config in configs.items():
            lines.append(f"\n### {name}\n")
            header = HEADER + NEARMISS_HEADER
            lines.append("| lang | " + " | ".join(header) + " |")
            lines.append("|" + "---|" * (len(header) + 1))
            for lang in (*LANGUAGES, None):
                m = self.metrics(config, lang)
                extra = [f"{m.confidently_wrong:.3f}", str(m.n_near), f"{m.nearmiss_handled:.3f}"]
                lines.append(f"| {lang or 'all'} | " + " | ".join(m.row() + extra) + " |")
        return "\n".join(lines)


@dataclass(frozen=True)
class Bars:
    """The quality a question set must keep: `top1`, and where set, `no_match_recall` and
    `false_refusals`, in every language; `nearmiss_handled` and `confidently_wrong` over all
    languages (too few near-misses per language to judge each)."""

    top1: float
    no_match_recall: float | None = None
    false_refusals: float | None = None
    nearmiss_handled: float | None = None
    confidently_wrong: float | None = None

    def shortfalls(self, evaluation: Evaluation, config: SearchConfig) -> list[str]:
        """Every bar the evaluation misses under `config`, described; empty when all are met."""
        checks = []  # (where, figure, value, bar, whether the bar is a ceiling)
        for lang in LANGUAGES:
            m = evaluation.metrics(config, lang)
            checks += [
                (lang, "top-1", m.top1, self.top1, False),
                (lang, "no_match recall", m.no_match_recall, self.no_match_recall, False),
                (lang, "false refusals", m.false_refusals, self.false_refusals, True),
            ]
        m = evaluation.metrics(config)
        checks += [
            ("all", "near-miss handled", m.nearmiss_handled, self.nearmiss_handled, False),
            ("all", "confidently wrong", m.confidently_wrong, self.confidently_wrong, True),
        ]
        return [
            f"{where}: {figure} {value:.3f} {'>' if ceiling else '<'} {bar}"
            for where, figure, value, bar, ceiling in checks
            if bar is not None and (value > bar if ceiling else value < bar)
        ]


BARS: dict[str, Bars] = {
    "dev.jsonl": Bars(top1=0.90, no_match_recall=0.85, false_refusals=0.05),
    "holdout.jsonl": Bars(top1=0.90, no_match_recall=0.85, false_refusals=0.05),
    "realistic.jsonl": Bars(top1=0.95, nearmiss_handled=0.85, confidently_wrong=0.02),
    "realistic_holdout.jsonl": Bars(top1=0.93, nearmiss_handled=0.80, confidently_wrong=0.02),
    "realistic_holdout2.jsonl": Bars(top1=0.87, nearmiss_handled=0.90, confidently_wrong=0.04),
}
"""The bars of the sets in tests/eval, by file name: `faq eval` checks them and the quality
test enforces them. The realistic dev set's are the goal search is tuned to; the held-out
sets' are what search reached without being tuned on them (see README, "Search quality")."""


def misses(evaluation: Evaluation, config: SearchConfig) -> list[str]:
    """One line per question search gets wrong under `config`: an in-scope question whose
    expected entry is not first or which is refused, a near-miss not handled, another
    out-of-scope question not refused. Each line: language, decision, best entry (expected),
    text."""
    fused, decisions = evaluation.decisions(config)
    ids = evaluation.searcher.index.entry_ids
    best = fused.argmax(axis=1)
    lines = []
    for i, q in enumerate(evaluation.questions):
        decision, top = decisions[i], ids[best[i]]
        if q.nearmiss:
            handled = decision == Decision.NO_MATCH or (
                decision == Decision.ANSWER and top == q.expected
            )
        elif q.expected is None:
            handled = decision == Decision.NO_MATCH
        else:
            handled = top == q.expected and decision != Decision.NO_MATCH
        if not handled:
            lines.append(f"{q.lang} {decision:8s} {top} ({q.expected}) {q.text}")
    return lines


def baseline_configs(config: SearchConfig, evaluation: Evaluation) -> dict[str, SearchConfig]:
    """The configured hybrid plus each baseline, the baselines' thresholds calibrated too."""
    configs = {"default (hybrid)": config}
    for name, weights in VARIANTS.items():
        base = replace(config, weights=weights, thresholds=replace(config.thresholds, none=1.01))
        configs[f"{name} only"] = calibrate_thresholds(evaluation, base)
    return configs


def _objective(evaluation: Evaluation, config: SearchConfig) -> float:
    """Higher is better: answered-right rate per language, refusal quality, few confidently
    wrong answers, few clarifications."""
    fused, decisions = evaluation.decisions(config)
    score = 0.0
    for lang in LANGUAGES:
        mask = evaluation.langs == lang
        ins = mask & (evaluation.expected >= 0)
        outs = mask & (evaluation.expected < 0)
        best = fused.argmax(axis=1)
        right = ins & (best == evaluation.expected) & (decisions == Decision.ANSWER)
        clarified_ok = ins & (decisions == Decision.CLARIFY)
        refused_in = ins & (decisions == Decision.NO_MATCH)
        refused_out = outs & (decisions == Decision.NO_MATCH)
        n_in, n_out = max(int(ins.sum()), 1), max(int(outs.sum()), 1)
        wrong = ins & (best != evaluation.expected) & (decisions == Decision.ANSWER)
        recall = refused_out.sum() / n_out
        false_ref = refused_in.sum() / n_in
        score += right.sum() / n_in + 0.5 * clarified_ok.sum() / n_in
        score += 0.5 * min(recall, 0.9) - 2.0 * max(false_ref - 0.04, 0.0)
        # A wrong answer from a government bot is worse than a choice or none: above 1% of
        # the in-scope questions, each one costs more than a right answer earns.
        score -= 4.0 * max(wrong.sum() / n_in - 0.01, 0.0)
    return score / len(LANGUAGES)


def calibrate_thresholds(
    evaluation: Evaluation, config: SearchConfig, grid: Iterable[Thresholds] | None = None
) -> SearchConfig:
    """The thresholds maximising the objective on the evaluation's questions."""
    if grid is None:
        fused, _ = evaluation.decisions(config)
        top = np.sort(fused, axis=1)[:, -1]
        qs = np.quantile(top, np.linspace(0.02, 0.6, 25))
        grid = (
            Thresholds(answer=float(a), clarify=float(c), margin=m, none=n)
            for a, c, m, n in itertools.product(
                qs, qs, (0.0, 0.02, 0.04, 0.06, 0.1), (0.3, 0.4, 0.5, 0.6, 0.7, 1.01)
            )
            if c <= a
        )
    best, best_score = config, -np.inf
    for thresholds in grid:
        candidate = replace(config, thresholds=thresholds)
        score = _objective(evaluation, candidate)
        if score > best_score:
            best, best_score = candidate, score
    return best


ABLATION_HEADER = [
    "set", "variant", "lang", "top-1", "near-miss handled", "confidently wrong", "p95 ms",
    "index build s",
]  # fmt: skip


def latency_p95(searcher: Searcher, texts: list[str]) -> float:
    """95th percentile of one-question search time, in milliseconds (as the web app searches)."""
    import time

    searcher.search(texts[0])  # parts built on first use are not part of a search
    took = []
    for text in texts:
        started = time.perf_counter()
        searcher.search(text)
        took.append(time.perf_counter() - started)
    return float(np.percentile(took, 95)) * 1000


def ablation_report(
    variants: dict[str, tuple[Searcher, float]], sets: dict[str, list[Question]]
) -> str:
    """A Markdown table comparing search variants (e.g. without and with lemmas) per set and
    language; `variants` maps a name to its searcher and its index build time in seconds."""
    lines = ["| " + " | ".join(ABLATION_HEADER) + " |", "|" + "---|" * len(ABLATION_HEADER)]
    for set_name, questions in sets.items():
        for name, (searcher, build_seconds) in variants.items():
            evaluation = Evaluation(searcher, questions)
            for lang in (*LANGUAGES, None):
                m = evaluation.metrics(searcher.config, lang)
                mask = [lang is None or q.lang == lang for q in questions]
                texts = [q.text for q, keep in zip(questions, mask, strict=True) if keep]
                near = f"{m.nearmiss_handled:.3f}" if m.n_near else "–"
                cells = [
                    set_name, name, lang or "all", f"{m.top1:.3f}", near,
                    f"{m.confidently_wrong:.3f}", f"{latency_p95(searcher, texts):.1f}",
                    f"{build_seconds:.1f}",
                ]  # fmt: skip
                lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
