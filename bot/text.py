"""Text normalisation shared by indexing and querying.

Users type fast: without diacritics, in lowercase, with Polish terms written in Cyrillic
("карта побиту" for "karta pobytu"). Folding everything to lowercase ASCII-like Latin lets the
lexical signals match across those variants and across the scripts of Polish, Ukrainian and
Russian.
"""

from __future__ import annotations

import re
import unicodedata

# Polish-style romanisation, so that Polish terms typed in Cyrillic meet their Latin originals.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "w", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "je",
    "ё": "jo", "ж": "z", "з": "z", "и": "y", "і": "i", "ї": "ji", "й": "j", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "ch", "ц": "c", "ч": "cz", "ш": "sz", "щ": "szcz", "ъ": "",
    "ы": "y", "ь": "", "э": "e", "ю": "ju", "я": "ja", "'": "", "’": "", "ʼ": "",
}  # fmt: skip
_SPECIAL_LATIN = {"ł": "l", "ß": "ss", "æ": "ae", "ø": "o", "đ": "d"}
_TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)
_URL_RE = re.compile(r"https?://\S+")
STEM_LENGTH = 6


def fold(text: str) -> str:
    """Lowercase, strip diacritics and romanise Cyrillic: 'Карта побиту' -> 'karta pobytu'."""
    text = _URL_RE.sub(" ", text.casefold())
    out = []
    for ch in text:
        if ch in _CYRILLIC:
            out.append(_CYRILLIC[ch])
        elif ch in _SPECIAL_LATIN:
            out.append(_SPECIAL_LATIN[ch])
        else:
            decomposed = unicodedata.normalize("NFKD", ch)
            out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    return " ".join("".join(out).split())


def tokens(text: str) -> list[str]:
    """Word tokens of the folded text."""
    return _TOKEN_RE.findall(fold(text))


def stems(text: str) -> list[str]:
    """Crude prefix stems of the folded words.

    Slavic inflection mostly changes word endings, so the first few letters of a word are a
    dependable, dictionary-free stand-in for its lemma in all four languages.
    """
    return [t[:STEM_LENGTH] for t in tokens(text) if len(t) > 1 or t.isdigit()]


def is_cyrillic(text: str) -> bool:
    """Whether most letters of `text` are Cyrillic."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    cyr = sum(1 for c in letters if "\u0400" <= c <= "\u04ff")
    return cyr * 2 > len(letters)
