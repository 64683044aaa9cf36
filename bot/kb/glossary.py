"""The glossary of official terms (`data/kb/glossary.yml`) and the check answers must pass.

Each term names its Polish original, how the answers render it in en/uk/ru, and the forms an
answer must not use (a calque, a false friend, office slang). Every word of an avoided form is
matched as the beginning of a word, so one stem covers its inflections.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.kb.files import GLOSSARY_FILE, read_yaml
from bot.kb.model import LANGUAGES
from bot.translatable import N_, Translatable, TranslatableError

CONTRADICTS = N_("`%(found)s` contradicts the glossary: `%(term)s` is `%(preferred)s` in %(lang)s")


class GlossaryError(TranslatableError):
    """The glossary file is malformed."""


@dataclass(frozen=True)
class Term:
    pl: str
    renderings: dict[str, str]
    avoid: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _pattern(form: str) -> re.Pattern[str]:
    words = [re.escape(w) + r"\w*" for w in form.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words), re.IGNORECASE)


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...] = ()

    def conflicts(self, lang: str, text: str) -> list[Translatable]:
        """One message per avoided form found in `text` (written in `lang`)."""
        found = []
        for term in self.terms:
            for form in term.avoid.get(lang, ()):
                match = _pattern(form).search(text)
                if match:
                    preferred = term.renderings.get(lang, term.pl)
                    params = {"found": match.group(0), "term": term.pl, "preferred": preferred}
                    found.append(Translatable(CONTRADICTS, {**params, "lang": lang}))
        return found


def parse_glossary(doc: Any) -> Glossary:
    """The glossary from its YAML document.

    Raises:
        GlossaryError: naming what is wrong.
    """
    items = doc.get("glossary") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        raise GlossaryError(N_("`glossary` must be a list of terms"))
    terms = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("pl"), str):
            raise GlossaryError(N_("every term needs its Polish original under `pl`"))
        renderings = {lang: str(item[lang]) for lang in LANGUAGES if lang != "pl" and lang in item}
        avoid = item.get("avoid") or {}
        if not isinstance(avoid, dict) or not all(
            lang in LANGUAGES and isinstance(forms, list) for lang, forms in avoid.items()
        ):
            message = N_("`%(term)s`: `avoid` must map languages to lists of forms")
            raise GlossaryError(message, term=item["pl"])
        terms.append(
            Term(
                pl=item["pl"],
                renderings=renderings,
                avoid={lang: tuple(str(f) for f in forms) for lang, forms in avoid.items()},
            )
        )
    return Glossary(tuple(terms))


def load_glossary(kb_dir: Path) -> Glossary:
    """The glossary of a knowledge-base folder; an empty one when the folder has none.

    Raises:
        GlossaryError: if the file exists but is malformed.
    """
    path = kb_dir / GLOSSARY_FILE
    if not path.is_file():
        return Glossary()
    try:
        doc = read_yaml(path)
    except yaml.YAMLError as exc:
        raise GlossaryError(N_("not valid YAML: %(reason)s"), reason=exc) from exc
    return parse_glossary(doc)
