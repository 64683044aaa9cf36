"""Answer quality on a labelled question set, per language, for our search and the alternatives.

Run: `.venv/bin/python -m tools.bench.quality` (part of `make bench`). Methods:

- the default configuration (`data/search.yml`: hybrid, USE encoder);
- each offline-available encoder alone (nearest phrasing by embedding), and the hybrid with
  the other encoder;
- the hybrid's own lexical signals alone (character n-grams and stems, tf-idf);
- BM25 over titles and phrasings (the lexical search any search engine gives);
- Rasa's ResponseSelector trained from the same knowledge base (`tools.bench.response_selector`).

Every method is scored by the same code (`bot.search.evaluate.score`). Methods with their own
no_match rule get one threshold calibrated on the same set by the same objective, as our
thresholds were, so no method is handicapped by an arbitrary cut-off.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from bot.kb.model import LANGUAGES, KnowledgeBase
from bot.search.bm25 import BM25
from bot.search.evaluate import (
    Evaluation,
    Question,
    baseline_configs,
    ranks_from_scores,
    read_questions,
    score,
)
from bot.search.searcher import Decision
from bot.search.service import SearchService
from bot.settings import ROOT, get_settings
from tools.bench.response_selector import OUT_OF_SCOPE, predict, train, write_training_data
from tools.bench.stats import machine, percentiles, write_json
from tools.bench.synthetic import Pool

ALT_ENCODER = "st:sentence-transformers/all-MiniLM-L6-v2"


@dataclass(frozen=True)
class Outcome:
    """A method's result on each question of the set, in order."""

    ranks: np.ndarray
    """1-based rank of the expected entry (`inf` if unranked or out of scope)."""
    refused: np.ndarray
    """Whether the method said no_match."""


def ranks_from_rankings(rankings: list[list[str]], expected: list[str | None]) -> np.ndarray:
    """1-based position of each expected entry in a method's ranked entry ids (`inf` if absent)."""
    out = np.full(len(expected), np.inf)
    for i, (ranking, want) in enumerate(zip(rankings, expected, strict=True)):
        if want is not None and want in ranking:
            out[i] = ranking.index(want) + 1
    return out


def calibrate_cutoff(
    best: np.ndarray, ranks: np.ndarray, forced: np.ndarray, in_scope: np.ndarray, langs: np.ndarray
) -> float:
    """The score below which a method should say no_match, chosen on the question set.

    Maximises, averaged over languages, the share of in-scope questions answered right plus half
    the no_match recall (capped at 0.9), minus twice the false refusals above 4% — the
    objective `faq calibrate` uses, without its term for clarifying, which these methods lack.

    Args:
        best: each question's best score.
        ranks: rank of the expected entry (1 = the method's answer is right).
        forced: questions the method refuses whatever the threshold (e.g. out-of-scope intent).
        in_scope: questions with an expected entry.
        langs: each question's language.
    """
    candidates = np.unique(np.r_[-np.inf, np.quantile(best, np.linspace(0, 0.7, 141))])
    best_cut, best_value = -np.inf, -np.inf
    for cut in candidates:
        refused = forced | (best < cut)
        value = 0.0
        for lang in np.unique(langs):
            ins, outs = (langs == lang) & in_scope, (langs == lang) & ~in_scope
            n_in, n_out = max(int(ins.sum()), 1), max(int(outs.sum()), 1)
            right = (ins & ~refused & (ranks == 1)).sum() / n_in
            recall = (outs & refused).sum() / n_out
            false_ref = (ins & refused).sum() / n_in
            value += right + 0.5 * min(recall, 0.9) - 2.0 * max(false_ref - 0.04, 0.0)
        if value > best_value:
            best_cut, best_value = float(cut), value
    return best_cut


def per_language(outcome: Outcome, questions: list[Question]) -> dict[str, dict[str, float]]:
    """Metrics per language and over all questions."""
    langs = np.array([q.lang for q in questions])
    in_scope = np.array([q.expected is not None for q in questions])
    out = {}
    for lang in (*LANGUAGES, "all"):
        mask = np.ones(len(questions), bool) if lang == "all" else langs == lang
        m = score(outcome.ranks[mask], outcome.refused[mask], in_scope[mask])
        out[lang] = asdict(m)
    return out


def _hybrid_outcomes(
    service: SearchService, questions: list[Question], label: str, with_baselines: bool
) -> dict[str, tuple[Outcome, str]]:
    evaluation = Evaluation(service.searcher, questions)
    configs = baseline_configs(service.config, evaluation) if with_baselines else {}
    names = {
        "default (hybrid)": (
            "default: hybrid, USE" if label == "USE" else f"hybrid, {label}",
            "configured thresholds (data/search.yml)",
        ),
        "dense only": (
            f"{label} alone",
            "nearest phrasing by embedding; thresholds calibrated on this set",
        ),
        "lexical only": (
            "tf-idf lexical only (char n-grams + stems)",
            "our lexical signals alone; thresholds calibrated on this set",
        ),
    }
    out = {}
    for key, config in {"default (hybrid)": service.config, **configs}.items():
        if key == "lexical only" and label != "USE":
            continue  # the lexical signals do not depend on the encoder
        fused, decisions = evaluation.decisions(config)
        outcome = Outcome(
            ranks_from_scores(fused, evaluation.expected), decisions == Decision.NO_MATCH
        )
        out[names[key][0]] = (outcome, names[key][1])
    return out


def bm25_outcome(kb: KnowledgeBase, questions: list[Question]) -> Outcome:
    """BM25 over every title and phrasing, plus the out-of-scope examples as one more group.

    no_match: the best-matching text is an out-of-scope example, or the best entry's score is
    below a threshold calibrated on the set.
    """
    pool = Pool.from_kb(kb)
    docs, groups = list(pool.texts), pool.entry.tolist()
    negatives = [q for items in kb.negatives.values() for q in items]
    docs += negatives
    groups += [len(kb.entries)] * len(negatives)
    bm25 = BM25(docs, groups)
    scores = bm25.scores([q.text for q in questions])
    entries, oos = scores[:, : len(kb.entries)], scores[:, len(kb.entries)]
    ids = kb.ids
    expected = np.array([ids.index(q.expected) if q.expected else -1 for q in questions])
    ranks = ranks_from_scores(entries, expected)
    best = entries.max(axis=1)
    forced = oos > best
    return _with_cutoff(ranks, best, forced, questions)


def _with_cutoff(
    ranks: np.ndarray, best: np.ndarray, forced: np.ndarray, questions: list[Question]
) -> Outcome:
    langs = np.array([q.lang for q in questions])
    in_scope = np.array([q.expected is not None for q in questions])
    cut = calibrate_cutoff(best, ranks, forced, in_scope, langs)
    return Outcome(ranks, forced | (best < cut))


def response_selector_outcome(
    kb: KnowledgeBase, questions: list[Question], epochs: tuple[int, int]
) -> tuple[Outcome, dict[str, object]]:
    """Train Rasa's ResponseSelector on the knowledge base and score its answers.

    no_match: DIET predicts the intent `out_of_scope`, or the selected response's confidence is
    below a threshold calibrated on the set.
    """
    with tempfile.TemporaryDirectory(prefix="bench-rs-") as tmp:
        folder = Path(tmp)
        write_training_data(kb, folder, epochs)
        model, train_s = train(folder)
        predictions = predict(model, [q.text for q in questions], folder)
    rankings = [[k for k, _ in p.ranking] for p in predictions]
    ranks = ranks_from_rankings(rankings, [q.expected for q in questions])
    best = np.array([p.ranking[0][1] if p.ranking else 0.0 for p in predictions])
    forced = np.array([p.intent == OUT_OF_SCOPE for p in predictions])
    info = {
        "train_seconds": round(train_s, 1),
        "epochs": {"intent": epochs[0], "selector": epochs[1]},
        "parse_ms": percentiles([p.ms for p in predictions]),
    }
    return _with_cutoff(ranks, best, forced, questions), info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", default=str(ROOT / "tests" / "eval" / "dev.jsonl"))
    parser.add_argument("--epochs", type=int, nargs=2, default=(30, 40), metavar=("DIET", "RS"))
    parser.add_argument("--skip-rasa", action="store_true", help="no ResponseSelector baseline")
    parser.add_argument("--skip-alt-encoder", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "var" / "bench" / "quality.json"))
    args = parser.parse_args(argv)

    questions = read_questions(Path(args.questions))
    settings = get_settings()
    service = SearchService(settings)
    service.warm_up()
    kb = service.kb
    methods: dict[str, dict[str, object]] = {}

    def add(name: str, outcome: Outcome, rule: str, **extra: object) -> None:
        metrics = per_language(outcome, questions)
        methods[name] = {"no_match_rule": rule, "metrics": metrics, **extra}
        top1 = {k: round(v["top1"], 3) for k, v in metrics.items()}
        print(f"  {name}: top-1 {top1}", flush=True)

    print(f"Quality on {args.questions} ({len(questions)} questions)", flush=True)
    for name, (outcome, rule) in _hybrid_outcomes(service, questions, "USE", True).items():
        add(name, outcome, rule)
    if not args.skip_alt_encoder:
        alt = SearchService(settings.model_copy(update={"encoder": ALT_ENCODER}))
        alt.warm_up()
        for name, (outcome, rule) in _hybrid_outcomes(alt, questions, "MiniLM", True).items():
            add(name, outcome, rule)
    add(
        "BM25 (lexical only)",
        bm25_outcome(kb, questions),
        "best text is an out-of-scope example, or best score below a threshold calibrated "
        "on this set",
    )
    failed: dict[str, str] = {}
    if not args.skip_rasa:
        try:
            outcome, info = response_selector_outcome(kb, questions, tuple(args.epochs))
        except (subprocess.CalledProcessError, RuntimeError) as exc:
            # The other methods' figures still count; the report says what is missing and why.
            failed["Rasa ResponseSelector"] = str(exc)
        else:
            add(
                "Rasa ResponseSelector",
                outcome,
                "intent out_of_scope, or selected response's confidence below a threshold "
                "calibrated on this set",
                **info,
            )
    report = {
        "machine": machine(),
        "questions": os.path.relpath(args.questions, ROOT),
        "methods": methods,
        "failed": failed,
    }
    write_json(args.out, report)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
