"""Choosing the reply language from a message.

Supported languages are pl, en, uk and ru. A message confidently written in another language
gets English. Short messages ("hi", "ok", "так") are what statistical detectors get wrong most,
so a lexicon of whole messages known per language — the NLU training examples, which are
written one file per language — is consulted first.

The reply language is the language a person writes in, not the language of the terms they
borrow. Ukrainians and Russians in Kraków write Polish official terms inside their own language
("що робити якщо загубив kartę pobytu?"), and everybody writes Polish place names. So words
whose Polish lemma is such a term or name are set aside before the rest is detected; Ukrainian
and Russian typed in Latin letters ("skilky koshtuye") are recognised by their common words.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from bot.kb.model import LANGUAGES
from bot.lemmas import shared_lemmatizer
from bot.text import fold, is_cyrillic

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
_ACRONYMS = frozenset(
    {"pesel", "mos", "ukr", "cukr", "upo", "nip", "zus", "nfz", "pit", "udsc", "muw", "opt",
     "usc", "jdg", "ceidg", "epuap", "info", "b1", "ue", "eu"}
)  # fmt: skip
"""Acronyms of Polish institutions and documents: written alike in every language."""
_PLACES = frozenset(
    {"krakow", "malopolska", "malopolski", "polska", "polski", "warszawa", "podgorze",
     "kazimierz", "nowa", "huta", "rondo", "tarnow", "wieliczka", "zakopane", "niepolomice",
     "skawina", "myslenice", "bochnia", "oswiecim", "sacz", "katowice", "wroclaw", "gdansk",
     "poznan", "lodz"}
)  # fmt: skip
"""Polish place names (folded Polish lemmas): they tell nothing about the writer's language."""
POLISH_TERMS = frozenset(
    {"karta", "pobyt", "pobytowy", "wniosek", "urzad", "wojewodzki", "wojewoda", "wydzial",
     "zezwolenie", "decyzja", "odwolanie", "odwolac", "odmowny", "odmowa", "ponaglenie",
     "wezwanie", "uzupelnienie", "brak",
     "zaswiadczenie", "stempel", "zameldowanie", "meldunek", "zameldowac", "czasowy", "staly",
     "tymczasowy", "rezydent", "dlugoterminowy", "pelnomocnictwo", "pelnomocnik", "oplata",
     "skarbowy", "umowa", "praca", "zlecenie", "oswiadczenie", "powierzenie", "profil",
     "zaufany", "podpis", "osobisty", "dowod", "odcisk", "stawiennictwo", "osobiste",
     "polak", "cudzoziemiec", "obywatelstwo", "sprawa", "prawo", "jazda", "komunikacja",
     "dzialalnosc", "gospodarczy", "wiza", "przedluzenie", "postepowanie", "stan", "cywilny",
     "zasilek", "tlumacz", "tlumaczenie", "przysiegly", "jednolity", "palec"}
)  # fmt: skip
"""Polish official terms people borrow into other languages (folded Polish lemmas)."""
_MARKERS = {
    "pl": frozenset(
        {
            "czy",
            "jak",
            "co",
            "gdzie",
            "ile",
            "kiedy",
            "mam",
            "nie",
            "sie",
            "jest",
            "moge",
            "musze",
            "trzeba",
            "jaki",
            "jakie",
            "ktory",
            "dlaczego",
            "prosze",
            "dziekuje",
            "moja",
            "moj",
            "mnie",
            "juz",
            "jeszcze",
            "albo",
            "oraz",
            "przez",
            "zeby",
            "bede",
            "mozna",
        }
    ),
    "en": frozenset(
        {
            "the",
            "how",
            "what",
            "where",
            "when",
            "which",
            "who",
            "why",
            "is",
            "are",
            "does",
            "can",
            "could",
            "should",
            "would",
            "have",
            "has",
            "need",
            "much",
            "many",
            "long",
            "lost",
            "get",
            "got",
            "best",
            "with",
            "for",
            "of",
            "from",
            "about",
            "please",
            "thanks",
            "hello",
            "hi",
            "you",
            "your",
            "it",
            "this",
            "that",
            "there",
            "and",
            "or",
        }
    ),
    "uk": frozenset(
        {
            "skilky",
            "skilki",
            "koshtuye",
            "koshtuie",
            "koshtuje",
            "shcho",
            "shcjo",
            "shchob",
            "yakshcho",
            "potribno",
            "treba",
            "mozhna",
            "mozhu",
            "mene",
            "meni",
            "zgubyv",
            "zgubyla",
            "vtratyv",
            "vtratyla",
            "robyty",
            "zrobyty",
            "otrymaty",
            "koly",
            "chy",
            "yak",
            "yaka",
            "yaki",
            "yaku",
            "yakyi",
            "dyakuyu",
            "diakuiu",
            "pryvit",
            "chekaty",
            "rishennia",
            "rishennya",
            "dozvil",
            "pratsiuvaty",
            "pratsyuvaty",
            "vzhe",
            "shche",
            "teper",
            "pislia",
            "pislya",
            "tilky",
            "zaiava",
            "zayava",
            "nimechchyni",
            "polskoyu",
            "kartoyu",
            "obmin",
            "zabraty",
            "spysok",
            "dokumentiv",
            "perekazu",
            "nazva",
            "zapys",
            "prava",
            "chasovyj",
            "podaty",
            "kudy",
            "що",
            "якщо",
            "чи",
            "як",
            "де",
            "коли",
            "мене",
            "треба",
            "можна",
            "робити",
            "зробити",
            "загубив",
            "загубила",
            "втратив",
            "втратила",
            "отримати",
            "це",
            "вже",
            "ще",
            "тепер",
            "чекати",
            "заява",
            "заяву",
            "який",
            "яка",
            "яку",
            "або",
            "щоб",
            "куди",
            "подати",
            "скажіть",
            "будь",
            "ласка",
            "побиту",
            "побит",
        }
    ),
    "ru": frozenset(
        {
            "skolko",
            "stoit",
            "chto",
            "shto",
            "kak",
            "mne",
            "nuzhno",
            "nado",
            "gde",
            "kogda",
            "poluchit",
            "podat",
            "mozhno",
            "pochemu",
            "spasibo",
            "privet",
            "zdravstvuyte",
            "zdravstvujte",
            "rabotat",
            "poteryal",
            "poteryala",
            "ukrali",
            "zhena",
            "muzh",
            "esli",
            "eto",
            "dolgo",
            "zhdat",
            "menya",
            "prodlit",
            "pomogite",
            "pozhaluysta",
            "srok",
            "vremeni",
            "uzhe",
            "eshche",
            "tolko",
            "delat",
            "sdelat",
            "reshenie",
            "razreshenie",
            "zabrat",
            "obmen",
            "polskie",
            "polskoy",
            "kartoy",
            "germanii",
            "ili",
            "dokumentov",
            "spisok",
            "nazvanie",
            "perevoda",
            "vizit",
            "zapis",
            "vremenny",
            "vremennyi",
            "kuda",
            "что",
            "как",
            "где",
            "когда",
            "сколько",
            "нужно",
            "можно",
            "мне",
            "меня",
            "это",
            "если",
            "потерял",
            "потеряла",
            "получить",
            "ли",
            "или",
            "уже",
            "еще",
            "теперь",
            "только",
            "спасибо",
            "привет",
            "ждать",
            "решение",
            "разрешение",
            "заявление",
            "какой",
            "какая",
            "какие",
            "какую",
            "чтобы",
            "куда",
            "делать",
            "сделать",
            "надо",
            "почему",
            "подать",
            "скажите",
            "пожалуйста",
            "побыту",
            "побыт",
        }
    ),
}
"""Common words that mark a language: Latin ones folded (Ukrainian and Russian as typed in
Latin letters), Cyrillic ones as written. A word two languages share is in neither."""


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
        shared_lemmatizer().warm_up()
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

        In this order: a whole message known from the NLU examples; then only the words left
        once borrowed Polish terms and place names are set aside (only such words: Polish,
        unless they are all acronyms): a letter only one of our languages has, then common
        words of one language (Ukrainian and Russian also as typed in Latin letters), then the
        statistical detector.

        Returns:
            "pl", "en", "uk" or "ru"; "en" for a confident other language; None when unsure.
        """
        key = _keep_original(text)
        if not any(c.isalpha() for c in key) or key in _NEUTRAL:
            return None
        if key in self._lexicon:
            return self._lexicon[key] or None
        self.warm_up()
        assert self._all is not None and self._ours is not None
        words = key.split()
        own = [w for w in words if not self._borrowed(w)]
        if not any(w.isalpha() and len(w) > 1 for w in own):
            named = [fold(w) for w in words if fold(w) not in _ACRONYMS]
            return "pl" if any(self._polish_lemma(w) in POLISH_TERMS for w in named) else None
        own_text = " ".join(own)
        letters = set(own_text)
        marked = [lang for lang, chars in _UNIQUE_LETTERS.items() if letters & chars]
        if len(marked) == 1:
            return marked[0]
        cyrillic = is_cyrillic(own_text)
        voted, hits = _vote(own, ("uk", "ru") if cyrillic else LANGUAGES)
        if voted is not None and (hits >= 2 or cyrillic):
            return voted
        if cyrillic:
            # One word shared by both languages ("телефон") must not outvote the conversation.
            return self._uk_or_ru(own_text, 0.9 if len(own) == 1 else self._min_confidence)
        best = self._all.compute_language_confidence_values(own_text)[0]
        if best.language.name not in _OURS:
            confident = best.value >= 0.8 and len(own) >= 3
            return FALLBACK_LANGUAGE if confident else voted
        if voted is not None:
            return voted
        ours = self._ours.compute_language_confidence_values(own_text)[0]
        # A short remainder next to borrowed terms is all there is to go by.
        threshold = 0.5 if len(own) < len(words) else self._min_confidence
        if ours.value > threshold:
            return _OURS[ours.language.name]
        return None

    @staticmethod
    def _polish_lemma(word: str) -> str:
        return fold(shared_lemmatizer().lemma(word, "pl"))

    def _borrowed(self, word: str) -> bool:
        """Whether a word is a Polish term, acronym or place name (in Latin letters)."""
        if is_cyrillic(word) or not word.isalpha():
            return not word.isalpha() and not any(c.isalpha() for c in word)
        folded = fold(word)
        if folded in _ACRONYMS or folded in _PLACES:
            return True
        lemma = self._polish_lemma(word)
        return lemma in POLISH_TERMS or lemma in _PLACES or folded in POLISH_TERMS

    def _uk_or_ru(self, text: str, threshold: float) -> str | None:
        assert self._ours is not None
        values = {
            v.language.name: v.value for v in self._ours.compute_language_confidence_values(text)
        }
        uk, ru = values.get("UKRAINIAN", 0.0), values.get("RUSSIAN", 0.0)
        if max(uk, ru) < threshold:
            return None
        return "uk" if uk >= ru else "ru"


def _vote(words: list[str], langs: Iterable[str]) -> tuple[str | None, int]:
    """The language whose marker words are most frequent in `words` (if one clearly is), and
    its lead over the runner-up."""
    hits = {
        lang: sum((w if is_cyrillic(w) else fold(w)) in _MARKERS[lang] for w in words)
        for lang in langs
    }
    ranked = sorted(hits.values(), reverse=True)
    if ranked[0] == ranked[1]:
        return None, 0
    return max(hits, key=lambda lang: hits[lang]), ranked[0] - ranked[1]


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
    """The reply language, by the first rule that gives one.

    1. `locked`: the language the person explicitly chose; it sticks.
    2. `detected`: the language of this message (`LanguageDetector.detect`).
    3. `current`: the conversation's language so far (a message that does not tell — "ok",
       "MOS" — keeps it).
    4. `hint`: the channel's language (widget or Telegram locale); an unsupported one means
       English.
    5. Polish.
    """
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
