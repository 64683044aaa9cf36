"""Search configuration: signal weights and decision thresholds, kept in `data/search.yml`.

The thresholds are calibrated on the dev sets by `faq calibrate`, which rewrites the file.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import yaml

from bot.search.ann import AnnConfig


@dataclass(frozen=True)
class Weights:
    """How much each signal contributes to an entry's fused score."""

    classifier: float = 1.0
    dense: float = 0.5
    char: float = 0.5
    word: float = 0.3
    lemma: float = 0.3
    """Counts only in indexes built with lemmas (`SearchConfig.lemmas`)."""
    answer: float = 0.5
    """Factor on an entry's answer-text similarity relative to its phrasings."""


@dataclass(frozen=True)
class Thresholds:
    """When to answer, offer a choice, or say nothing matches."""

    answer: float = 0.6
    """Fused score the best entry needs to be answered."""
    clarify: float = 0.45
    """Fused score below which an entry is not worth offering at all."""
    margin: float = 0.08
    """An answer needs this lead over the runner-up; otherwise close candidates are offered."""
    none: float = 0.5
    """Probability of the out-of-scope class above which nothing is offered."""
    window: float = 0.15
    """When clarifying, candidates this close to the best one are offered too."""


@dataclass(frozen=True)
class SearchConfig:
    """All tunables of search."""

    encoder: str = "use-multilingual"
    weights: Weights = field(default_factory=Weights)
    thresholds: Thresholds = field(default_factory=Thresholds)
    classifier_c: float = 1.0
    softmax_scale: float = 5.0
    """Sharpness of the classifier's scores: higher trusts its margins more."""
    max_candidates: int = 3
    lemmas: bool = False
    """Whether the index has the lemma view (`bot.lemmas`) as a signal and classifier feature."""
    ann: AnnConfig = field(default_factory=AnnConfig)
    """When the dense signal switches from exact to approximate (FAISS) nearest neighbours."""

    @classmethod
    def load(cls, path: Path) -> SearchConfig:
        """Read the configuration file; missing keys take their defaults."""
        if not path.exists():
            return cls()
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        known = {f.name for f in fields(cls)}
        unknown = set(raw) - known
        if unknown:
            raise ValueError(f"{path}: unknown keys {sorted(unknown)}")
        return cls(
            encoder=raw.get("encoder", cls.encoder),
            weights=Weights(**raw.get("weights", {})),
            thresholds=Thresholds(**raw.get("thresholds", {})),
            classifier_c=raw.get("classifier_c", cls.classifier_c),
            softmax_scale=raw.get("softmax_scale", cls.softmax_scale),
            max_candidates=raw.get("max_candidates", cls.max_candidates),
            lemmas=bool(raw.get("lemmas", cls.lemmas)),
            ann=AnnConfig(**raw.get("ann", {})),
        )

    def to_yaml(self) -> str:
        return yaml.safe_dump(asdict(self), sort_keys=False, allow_unicode=True)
