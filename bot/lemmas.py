"""Lemmas of Polish, English, Ukrainian and Russian words: one spaCy pipeline per language.

Prefix stems (`bot.text.stems`) work for clean questions but miss inflection that changes a
word's start or its length ("карту/картою побиту", "kartę/karty/kartą pobytu") and cannot tell
a borrowed Polish term from a word of the surrounding language. Lemmas fix both.

The pipelines are blank spaCy pipelines (a tokenizer, no statistical model) with a lemmatizer,
all built offline from installed packages — nothing is ever downloaded:

- uk, ru: spaCy's own lemmatizer in its `pymorphy3_lookup` mode (pymorphy3 with its
  dictionaries). The lookup mode needs no part-of-speech tagger: it takes pymorphy3's most
  likely analysis.
- pl, en: simplemma's dictionaries wrapped as a spaCy component. spaCy's own Polish lemmatizer
  needs part-of-speech tags, which no installable pipeline gives us offline.

Real users mix scripts and languages, so a text is lemmatised word by word by the languages of
the word's script: Cyrillic words by Ukrainian and Russian, Latin words by Polish (a borrowed
term inside a Ukrainian question is lemmatised as Polish) and English. Every lemma is folded
(`bot.text.fold`) so that "побит" meets "pobyt".
"""

from __future__ import annotations

import threading
from typing import Any

from bot.text import fold, is_cyrillic

LEMMA_LANGUAGES = ("pl", "en", "uk", "ru")
_PACKAGES = {
    "spacy": "spacy",
    "pymorphy3": "pymorphy3",
    "pymorphy3_dicts_uk": "pymorphy3-dicts-uk",
    "pymorphy3_dicts_ru": "pymorphy3-dicts-ru",
    "simplemma": "simplemma",
}
_SIMPLEMMA_COMPONENT = "simplemma_lemmatizer"


class MissingLemmatizerError(RuntimeError):
    """A package the lemmatisers need is not installed."""


def _require(module: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingLemmatizerError(
            f"lemmas need the Python package {_PACKAGES[module]!r}: install requirements/app.lock"
        ) from exc


def _register_simplemma(spacy: Any) -> None:
    from spacy.language import Language

    if Language.has_factory(_SIMPLEMMA_COMPONENT):
        return
    simplemma = _require("simplemma")

    @Language.factory(_SIMPLEMMA_COMPONENT, default_config={"lang": "pl"})
    def make(nlp: Any, name: str, lang: str) -> Any:
        def component(doc: Any) -> Any:
            for token in doc:
                if token.is_alpha:
                    token.lemma_ = simplemma.lemmatize(token.lower_, lang=lang)
            return doc

        return component


def build_pipeline(lang: str) -> Any:
    """A blank spaCy pipeline for `lang` whose tokens carry lemmas."""
    spacy = _require("spacy")
    nlp = spacy.blank(lang)
    if lang in ("uk", "ru"):
        _require("pymorphy3")
        _require(f"pymorphy3_dicts_{lang}")
        nlp.add_pipe("lemmatizer", config={"mode": "pymorphy3_lookup"})
    else:
        _register_simplemma(spacy)
        nlp.add_pipe(_SIMPLEMMA_COMPONENT, config={"lang": lang})
    nlp.initialize()
    return nlp


class Lemmatizer:
    """The four pipelines, created once per process by `warm_up()` (about 5 s)."""

    def __init__(self) -> None:
        self._pipes: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str], str] = {}

    def warm_up(self) -> None:
        with self._lock:
            if self._pipes:
                return
            pipes = {lang: build_pipeline(lang) for lang in LEMMA_LANGUAGES}
            for nlp in pipes.values():
                nlp("warm up")  # loads the dictionaries now, not on the first question
            self._pipes = pipes

    def lemma(self, word: str, lang: str) -> str:
        """The lemma of one lowercase word in `lang` (the word itself when unknown)."""
        key = (word, lang)
        found = self._cache.get(key)
        if found is None:
            if not self._pipes:
                self.warm_up()
            doc = self._pipes[lang](word)
            found = doc[0].lemma_.lower() if len(doc) == 1 and doc[0].lemma_ else word
            if len(self._cache) < 200_000:
                self._cache[key] = found
        return found

    def _known(self, word: str, lang: str) -> bool:
        import simplemma

        return bool(simplemma.is_known(word, lang=lang))

    def lemmas(self, text: str, lang: str | None = None) -> list[str]:
        """Folded lemmas of the words of `text`.

        A Cyrillic word is lemmatised as `lang` when that is Ukrainian or Russian, else as both;
        a Latin word as Polish and/or English where their dictionaries know it (so a Polish
        term inside a Ukrainian question is lemmatised as Polish), else kept as it is (a
        transliteration, a typo). A word gets each distinct lemma once.
        """
        if not self._pipes:
            self.warm_up()
        out: list[str] = []
        for token in self._pipes["pl"].tokenizer(text.casefold()):
            word = token.text
            if not token.is_alpha or len(word) < 2:
                if token.like_num:
                    out.append(word)
                continue
            if is_cyrillic(word):
                word_langs: tuple[str, ...] = (lang,) if lang in ("uk", "ru") else ("uk", "ru")
            else:
                word_langs = tuple(code for code in ("pl", "en") if self._known(word, code))
                if not word_langs:
                    out.append(fold(word))
                    continue
            seen = set()
            for code in word_langs:
                folded = fold(self.lemma(word, code))
                if folded not in seen:
                    seen.add(folded)
                    out.append(folded)
        return out


_shared: Lemmatizer | None = None


def shared_lemmatizer() -> Lemmatizer:
    """The process's lemmatiser (its pipelines are built once, on first use)."""
    global _shared
    if _shared is None:
        _shared = Lemmatizer()
    return _shared
