"""Rasa's own FAQ approach as a baseline: a ResponseSelector over retrieval intents.

This is what the Rasa documentation recommends for FAQs: each knowledge-base entry becomes a
retrieval intent `faq/<entry id>` whose examples are the entry's titles and phrasings in all
four languages (the same texts our index is built from), with a response `utter_faq/<entry
id>`; the out-of-scope examples become the intent `out_of_scope`. The pipeline is the one our
own NLU model uses (whitespace tokens, word and character n-gram counts, DIET without
transformer layers) plus a `ResponseSelector`. It is trained with `rasa train nlu` in
.venv-rasa and queried by `tools.bench.rasa_predict` there.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from bot.kb.model import KnowledgeBase
from bot.rasa_data import intent_block, unique_examples
from bot.rasa_model import QUIET_RASA, RASA_VENV
from bot.settings import ROOT

RETRIEVAL_INTENT = "faq"
OUT_OF_SCOPE = "out_of_scope"

CONFIG = """\
recipe: default.v1
language: pl
assistant_id: bench-response-selector
pipeline:
  - name: WhitespaceTokenizer
  - name: CountVectorsFeaturizer
  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 2
    max_ngram: 4
    max_features: 30000
  - name: DIETClassifier
    number_of_transformer_layers: 0
    epochs: {intent_epochs}
    constrain_similarities: true
    random_seed: 42
  - name: ResponseSelector
    retrieval_intent: faq
    number_of_transformer_layers: 0
    # DIET's sizes instead of the selector's larger defaults (hidden layers of 256 and 128,
    # 512-wide projections of the 20k sparse n-gram features), which multiply the training time
    # on 2 cores tenfold and more without helping a bag-of-n-grams model.
    hidden_layers_sizes:
      text: []
      label: []
    dense_dimension:
      text: 128
      label: 20
    concat_dimension:
      text: 128
      label: 20
    epochs: {selector_epochs}
    constrain_similarities: true
    ranking_length: 50
    random_seed: 42
policies: []
"""


@dataclass(frozen=True)
class Prediction:
    """What the Rasa model said about one question."""

    intent: str
    intent_confidence: float
    ranking: list[tuple[str, float]]
    """Entries by the ResponseSelector's confidence, best first (at most 50)."""
    ms: float


def write_training_data(kb: KnowledgeBase, folder: Path, epochs: tuple[int, int]) -> None:
    """NLU data, domain and pipeline of the baseline, into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    blocks = []
    responses = []
    for entry in kb.entries:
        texts = [t for local in entry.texts.values() for t in (local.title, *local.phrasings)]
        blocks.append(intent_block(f"{RETRIEVAL_INTENT}/{entry.id}", unique_examples(texts, seen)))
        # The response text only has to name the entry: we score which one is selected.
        responses.append(f"  utter_{RETRIEVAL_INTENT}/{entry.id}:\n    - text: {entry.id}\n")
    negatives = [q for items in kb.negatives.values() for q in items]
    blocks.append(intent_block(OUT_OF_SCOPE, unique_examples(negatives, seen)))
    (folder / "nlu.yml").write_text('version: "3.1"\nnlu:\n' + "".join(blocks), encoding="utf-8")
    (folder / "domain.yml").write_text(
        'version: "3.1"\n'
        f"intents:\n  - {RETRIEVAL_INTENT}\n  - {OUT_OF_SCOPE}\n"
        "responses:\n" + "".join(responses),
        encoding="utf-8",
    )
    (folder / "config.yml").write_text(
        CONFIG.format(intent_epochs=epochs[0], selector_epochs=epochs[1]), encoding="utf-8"
    )


def train(folder: Path) -> tuple[Path, float]:
    """Train the baseline's NLU model; returns its path and the training time in seconds."""
    started = time.perf_counter()
    subprocess.run(
        [
            str(RASA_VENV / "bin" / "rasa"), "train", "nlu",
            "--config", str(folder / "config.yml"),
            "--domain", str(folder / "domain.yml"),
            "--nlu", str(folder / "nlu.yml"),
            "--out", str(folder / "models"),
            "--fixed-model-name", "response-selector",
        ],
        cwd=folder,
        env={**os.environ, **QUIET_RASA},
        check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return folder / "models" / "response-selector.tar.gz", time.perf_counter() - started


def predict(model: Path, questions: list[str], folder: Path) -> list[Prediction]:
    """Parse every question with the trained model (in .venv-rasa)."""
    src, out = folder / "questions.txt", folder / "predictions.jsonl"
    # One question a line: a question with a line break would shift every later answer.
    src.write_text("\n".join(" ".join(q.split()) for q in questions) + "\n", encoding="utf-8")
    subprocess.run(
        [str(RASA_VENV / "bin" / "python"), "-m", "tools.bench.rasa_predict", str(model), str(src),
         str(out)],
        cwd=ROOT,
        env={**os.environ, **QUIET_RASA, "PYTHONPATH": str(ROOT)},
        check=True,
        stdout=subprocess.DEVNULL,  # Rasa logs every parse; the predictions go to a file
    )  # fmt: skip
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    if len(rows) != len(questions):
        raise RuntimeError(f"{len(rows)} predictions for {len(questions)} questions")
    return [
        Prediction(
            intent=r["intent"],
            intent_confidence=r["intent_confidence"],
            ranking=[(k, c) for k, c in r["ranking"]],
            ms=r["ms"],
        )
        for r in rows
    ]
