"""Choosing the reply language from a message (design.md, "Languages").

Supported languages are pl, en, uk and ru. A message confidently written in another language
gets English. Short messages ("hi", "ok", "так") are what statistical detectors get wrong most,
so a lexicon of whole messages known per language — the NLU training examples, which are
written one file per language — is consulted first.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from bot.kb.model import LANGUAGES

FALLBACK_LANGUAGE = "en"
"""Reply language for questions written in an unsupported language."""
DEFAULT_LANGUAGE = "pl"

_OTHER = (
    "GERMAN", "FRENCH", "SPANISH", "ITALIAN", "PORTUGUESE", "TURKISH", "VIETNAMESE", "CHINESE",
    "HINDI", "BELARUSIAN", "CZECH", "SLOVAK", "ARABIC", "GEORGIAN", "ROMANIAN", "HUNGARIAN",
    "JAPANESE", "KOREAN", "INDONESIAN", "DUTCH",
)  # fmt: skip
_OURS = {"POLISH": "pl", "ENGLISH": "en", "UKRAINIAN": "uk", "RUSSIAN": "ru"}
_NEUTRAL = frozenset(
    {"ok", "okay", "okey", "ок", "окей", "hi", "hey", "super", "супер", "mos", "pesel", "ukr"}
)
"""Messages people type in any of the four languages: they tell nothing about the language."""
_UNIQUE_LETTERS = {"pl": set("ąćęłńśźż"), "uk": set("іїєґ"), "ru": set("ыэъё")}


def _keep_original(text: str) -> str:
    return " ".join("".join(c for c in text.casefold() if c.isalnum() or c.isspace()).split())


class LanguageDetector:
    """Detects pl/en/uk/ru (or "another language" → en) in short, mixed chat messages."""

    def __init__(self, lexicon: dict[str, str] | None = None, min_confidence: float = 0.6):
        self._lexicon = lexicon or {}
        self._min_confidence = min_confidence
        self._all: Any = None
        self._ours: Any = None

    def warm_up(self) -> None:
        if self._all is not None:
            return
        from lingua import Language, LanguageDetectorBuilder

        ours = [getattr(Language, name) for name in _OURS]
        others = [getattr(Language, name) for name in _OTHER if hasattr(Language, name)]
        # Loaded now, not on the first detection: that takes seconds (tens on a busy machine),
        # which would land on a user's question after every start of the web app.
        self._ours = (
            LanguageDetectorBuilder.from_languages(*ours).with_preloaded_language_models().build()
        )
        self._all = (
            LanguageDetectorBuilder.from_languages(*ours, *others)
            .with_preloaded_language_models()
            .build()
        )

    def detect(self, text: str) -> str | None:
        """The reply language for `text`, or None when the text does not tell.

        Returns:
            "pl", "en", "uk" or "ru"; "en" for a confident other language; None when unsure.
        """
        key = _keep_original(text)
        if not any(c.isalpha() for c in key) or key in _NEUTRAL:
            return None
        if key in self._lexicon:
            return self._lexicon[key] or None
        letters = set(key)
        marked = [lang for lang, chars in _UNIQUE_LETTERS.items() if letters & chars]
        if len(marked) == 1:
            return marked[0]
        self.warm_up()
        assert self._all is not None and self._ours is not None
        words = len(key.split())
        best = self._all.compute_language_confidence_values(text)[0]
        name = best.language.name
        if name not in _OURS:
            return FALLBACK_LANGUAGE if best.value >= 0.8 and words >= 3 else None
        ours = self._ours.compute_language_confidence_values(text)[0]
        if ours.value >= self._min_confidence:
            return _OURS[ours.language.name]
        return None


def lexicon_from_nlu(paths: Iterable[Path]) -> dict[str, str]:
    """Map whole example messages to their language, from NLU files named `<lang>.yml`.

    A message that appears in two languages' files ("так" is yes in Ukrainian and "so" in
    Russian) maps to "" — it says nothing about the language.
    """
    lexicon: dict[str, str] = {}
    for path in paths:
        lang = path.stem
        if lang not in LANGUAGES:
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu", []):
            if block.get("intent") == "choose_language":
                continue  # "in English" written in a Polish chat does not make it English
            for line in str(block.get("examples", "")).splitlines():
                example = line.strip().removeprefix("- ").strip()
                if not example or "[" in example:
                    continue
                key = _keep_original(example)
                if key:
                    previous = lexicon.get(key)
                    lexicon[key] = lang if previous in (None, lang) else ""
    return lexicon


def choose_reply_language(
    detected: str | None, locked: str | None, hint: str | None, current: str | None
) -> str:
    """Apply design.md's order: explicit choice, confident detection, channel hint, Polish."""
    if locked in LANGUAGES:
        return locked
    if detected in LANGUAGES:
        return detected
    if current in LANGUAGES:
        return current
    if hint:
        short = hint.lower().split("-")[0].split("_")[0]
        return short if short in LANGUAGES else FALLBACK_LANGUAGE
    return DEFAULT_LANGUAGE
