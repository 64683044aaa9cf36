"""The consoles in Polish by default and English on request; every text translated."""

from __future__ import annotations

import ast
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from fastapi.testclient import TestClient

from bot.curation.store import InvalidEdit
from bot.kb.loader import Problem
from bot.settings import ROOT
from bot.web import i18n
from bot.web.templating import templates
from tests.bot.web.conftest import PASSWORD, csrf_of
from tests.bot.web.staff.test_entries import UK_FEES, _fields

STAFF_TEMPLATES = ROOT / "bot" / "web" / "templates" / "staff"
CONSOLE_SCRIPTS = [ROOT / "bot" / "web" / "static" / name for name in ("consultant.js", "staff.js")]
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def extracted() -> dict[str | tuple[str, ...], str]:
    """Every message the sources use (as `make messages` finds them) -> where."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found: dict[str | tuple[str, ...], str] = {}
    for path, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map
    ):
        found[message if isinstance(message, str) else tuple(message)] = path
    return found


def test_every_console_message_has_a_polish_translation() -> None:
    polish = {
        (m.id if isinstance(m.id, str) else tuple(m.id)): m for m in i18n.catalog("pl") if m.id
    }
    messages = extracted()
    assert len(messages) > 150  # the extraction really saw the templates and scripts
    untranslated = [
        (msgid, path)
        for msgid, path in messages.items()
        if msgid not in polish
        or polish[msgid].fuzzy  # fuzzy translations are not used: a guess is not a translation
        or not all(
            polish[msgid].string
            if isinstance(polish[msgid].string, tuple)
            else [polish[msgid].string]
        )
    ]
    assert not untranslated, f"run `make messages` and translate: {untranslated}"
    for msgid in messages:
        singular = msgid if isinstance(msgid, str) else msgid[0]
        strings = polish[msgid].string
        for text in strings if isinstance(strings, tuple) else [strings]:
            assert set(PLACEHOLDER.findall(text)) <= set(PLACEHOLDER.findall(str(msgid))), (
                singular,
                text,
            )


class _TextFinder(HTMLParser):
    """Words in text nodes and in the attributes people read, outside Jinja expressions."""

    READ = frozenset({"title", "aria-label", "placeholder", "alt", "data-confirm"})
    ATTRIBUTES = re.compile(r'\s*([\w-]+="[^"]*"\s*)+')
    """Attributes a macro writes (outside a tag, as the parser sees it) are not text."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "code"):
            self._skip += 1
        for name, value in attrs:
            if name in self.READ and value and re.search(r"[^\W\d_]{2}", value):
                self.found.append(f"{tag}[{name}]={value!r}")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "code"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        text = data.replace("INFO.OPT", "")  # the service's name is the same in every language
        if self._skip or self.ATTRIBUTES.fullmatch(text) or not re.search(r"[^\W\d_]{2}", text):
            return
        self.found.append(repr(data.strip()))


JINJA = re.compile(r"\{#.*?#\}|\{%-?\s*trans.*?endtrans\s*-?%\}|\{\{.*?\}\}|\{%.*?%\}", re.S)


@pytest.mark.parametrize("template", sorted(STAFF_TEMPLATES.glob("*.html")), ids=lambda p: p.name)
def test_no_untranslated_text_in_console_templates(template: Path) -> None:
    finder = _TextFinder()
    finder.feed(JINJA.sub(" ", template.read_text(encoding="utf-8")))
    # The language switch names each language in itself, on purpose.
    leftovers = [text for text in finder.found if text not in ("'English'", "'Polski'")]
    assert not leftovers, f"wrap these in _() or {{% trans %}}: {leftovers}"


STRING = re.compile(
    r"""(?P<exempt>\b_\(\s*|class:\s*|className\s*=\s*)?"""  # translated, or CSS classes
    r"""(?P<q>['"`])(?P<text>(?:\\.|(?!(?P=q)).)*)(?P=q)""",
    re.S,
)
NOT_TEXT = {"use strict", "Enter"}  # a directive; a key name compared with KeyboardEvent.key


@pytest.mark.parametrize("script", CONSOLE_SCRIPTS, ids=lambda p: p.name)
def test_no_untranslated_text_in_console_scripts(script: Path) -> None:
    source = "\n".join(
        line
        for line in script.read_text(encoding="utf-8").splitlines()
        if not line.lstrip().startswith("//")
    )
    prose = []
    for match in STRING.finditer(source):
        text = re.sub(r"\$\{[^}]*\}", "", match["text"])
        if match["exempt"] or text.startswith("/") or text in NOT_TEXT:
            continue
        # Two words, or a capitalised word: a sentence or a label, not a selector or key.
        if re.search(r"[^\W\d_]{2,} [^\W\d_]", text) or re.fullmatch(r"[A-Z][a-z]+", text):
            prose.append(text)
    assert not prose, f"wrap these in _(): {prose}"


def test_accept_language_picks_the_preferred_console_language() -> None:
    assert i18n.from_accept_language("de-DE,en-US;q=0.8,pl;q=0.5") == "en"
    assert i18n.from_accept_language("en;q=0.3, pl-PL") == "pl"
    assert i18n.from_accept_language("uk,ru") is None
    assert i18n.from_accept_language("") is None


def test_login_is_polish_by_default_and_english_on_request(staff_app: TestClient) -> None:
    plain = TestClient(staff_app.app)  # no Accept-Language, as a bare client sends
    page = plain.get("/login")
    assert '<html lang="pl">' in page.text and "Zaloguj się" in page.text
    english = plain.get("/login?lang=en")
    assert '<html lang="en">' in english.text and "Staff login" in english.text
    assert english.cookies.get(i18n.LOCALE_COOKIE) == "en"
    assert "Staff login" in plain.get("/login").text  # the cookie remembers the choice
    browser = TestClient(staff_app.app, headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert "Staff login" in browser.get("/login").text


def test_the_choice_is_remembered_on_the_account(staff_app: TestClient) -> None:
    def logged_in() -> TestClient:
        client = TestClient(staff_app.app)
        form = client.get("/login").text
        data = {"username": "curator", "password": PASSWORD, "csrf_token": csrf_of(form)}
        assert client.post("/login", data=data, follow_redirects=False).status_code == 303
        return client

    first = logged_in()
    assert "Baza wiedzy" in first.get("/staff/").text
    assert "Knowledge base" in first.get("/staff/?lang=en").text
    # Another browser, without the cookie: the account remembers English.
    assert "Knowledge base" in logged_in().get("/staff/").text
    # An API call with ?lang= is a search parameter, not a choice of console language.
    first.get("/staff/api/preview?text=karta&lang=pl")
    assert "Knowledge base" in logged_in().get("/staff/").text


def test_numbers_follow_the_console_language(staff_app: TestClient) -> None:
    client = TestClient(staff_app.app)
    form = client.get("/login").text
    data = {"username": "curator", "password": PASSWORD, "csrf_token": csrf_of(form)}
    client.post("/login", data=data, follow_redirects=False)
    polish = client.get("/staff/dashboard").text
    assert "Statystyki" in polish and re.search(r"0,0\s%", polish)
    assert re.search(r"0\.0\s%", client.get("/staff/dashboard?lang=en").text)


def test_days_follow_the_console_language() -> None:
    day = date(2026, 11, 27)
    assert i18n.format_day(day, "pl", "short") == "27.11.2026"
    assert i18n.format_day(day, "pl") == "27 lis 2026"
    assert i18n.format_day(day, "pl", "MMMd") == "27 lis"
    assert i18n.format_day(day, "en", "short") == "11/27/26"
    assert i18n.format_day(day, "en") == "Nov 27, 2026"
    assert i18n.format_day(day, "en", "MMMd") == "Nov 27"


def test_templates_format_days_with_the_date_filter() -> None:
    template = templates.env.from_string("{{ day|date }} · {{ day|date('short') }}")
    day = date(2026, 3, 5)
    assert template.render(locale="pl", day=day) == "5 mar 2026 · 5.03.2026"
    assert template.render(locale="en", day=day) == "Mar 5, 2026 · 3/5/26"


ROUTE_TEXT_MODULES = [
    *sorted((ROOT / "bot" / "web" / "staff").glob("*.py")),
    ROOT / "bot" / "web" / "routers" / "auth.py",
    ROOT / "bot" / "web" / "routers" / "consultant.py",
    ROOT / "bot" / "auth" / "accounts.py",
    ROOT / "bot" / "auth" / "manage.py",
    ROOT / "bot" / "curation" / "dialogue.py",
    ROOT / "bot" / "curation" / "transfer.py",
    ROOT / "bot" / "curation" / "store.py",
    ROOT / "bot" / "handoff" / "service.py",
    ROOT / "bot" / "handoff" / "mailer.py",
    ROOT / "bot" / "kb" / "loader.py",
    ROOT / "bot" / "kb" / "glossary.py",
    ROOT / "bot" / "finder" / "tree.py",
    ROOT / "bot" / "finder" / "editor.py",
]
"""The code that builds the texts the consoles show: notices, refusals, errors."""
CONSOLE_TEXT_SINKS = {
    "HTTPException", "_back", "_preview", "render",
    "AccountError", "DialogueError", "TransferError", "HandoffError", "MailError",
    "EditConflict", "urlencode",
    "add", "problem", "Problem", "Translatable", "GlossaryError",
    "_problem", "file_problem", "TreeProblem",
}  # fmt: skip
"""Where a text goes to a console page: anything prose passed to these is translated."""


def _untranslated(node: ast.expr, parameter: bool = False) -> bool:
    """A literal sentence (or f-string) not wrapped in `_()` or `N_()`; or, shown as the text
    itself (not a `parameter` of a translated one), an exception's English `str()`."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):  # "..." % values
        return _untranslated(node.left)
    if isinstance(node, ast.Dict):
        return any(_untranslated(value) for value in node.values if value is not None)
    if isinstance(node, ast.Subscript):  # str(exc)[:500]
        return _untranslated(node.value, parameter)
    if isinstance(node, ast.Call) and _callee(node) == "str":
        return not parameter  # show a refusal's `translated(_)` instead
    # A code such as "not_found" has no space; a sentence does.
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and " " in node.value


def _callee(call: ast.Call) -> str:
    if isinstance(call.func, ast.Name):
        return call.func.id
    return call.func.attr if isinstance(call.func, ast.Attribute) else ""


@pytest.mark.parametrize("module", ROUTE_TEXT_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_texts_built_in_code_for_the_consoles_are_translated(module: Path) -> None:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    found = []
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call) or _callee(call) not in CONSOLE_TEXT_SINKS:
            continue
        arguments = [(arg, False) for arg in call.args]
        arguments += [(keyword.value, True) for keyword in call.keywords]
        for arg, parameter in arguments:
            if _untranslated(arg, parameter):
                found.append(f"{module.name}:{arg.lineno}: {ast.unparse(arg)}")
    assert not found, f"wrap these in _() (routes) or N_() (refusals): {found}"


def test_a_refusal_is_shown_in_the_console_language(staff_app: TestClient, login) -> None:
    client = login("admin")
    page = client.get("/staff/users?lang=pl")
    data = {
        "username": "nowy",
        "password": "short",
        "role": "curator",
        "csrf_token": csrf_of(page.text),
    }
    refused = client.post("/staff/users", data=data)
    assert "hasło musi mieć co najmniej 12 znaków" in refused.text
    data["password"] = "a much longer passphrase"
    created = client.post("/staff/users", data=data)
    assert "Utworzono konto nowy." in created.text


def test_an_invalid_entry_is_explained_in_the_console_language(
    staff_app: TestClient, login
) -> None:
    client = login("curator")
    data = _fields(client, UK_FEES + "?lang=pl")  # the choice is remembered
    data["ru.answer"] = "Без ссылки"
    data["en.phrasings"] = "only one"
    refused = client.post("/staff/entries", data=data)
    assert refused.status_code == 422
    assert "ru: odpowiedź musi kończyć się adresem URL jednego ze źródeł wpisu" in refused.text
    assert "en: za mało sformułowań (1 &lt; 6)" in refused.text
    assert "source URL" not in refused.text and "too few phrasings" not in refused.text


def test_an_invalid_edit_keeps_its_places_and_translates_its_problems() -> None:
    problems = [
        Problem("card.yml", 3, "card.fees", "missing or empty title", "uk.title", lang="uk"),
        Problem("card.yml", 9, "card.fees", "malformed URL `%(url)s`", "sources", {"url": "x"}),
    ]
    refused = InvalidEdit(problems)
    assert str(refused) == (
        "card.yml:3: card.fees: uk: missing or empty title; "
        "card.yml:9: card.fees: malformed URL `x`"
    )
    assert refused.translated(i18n.translations("pl").gettext) == (
        "card.yml:3: card.fees: uk: brak tytułu lub tytuł jest pusty; "
        "card.yml:9: card.fees: błędny adres URL `x`"
    )


def test_a_missing_csrf_token_is_refused_in_the_console_language(
    staff_app: TestClient, login
) -> None:
    client = login("admin")
    client.get("/staff/users?lang=pl")  # the choice is remembered
    refused = client.post("/staff/users", data={"username": "x", "role": "curator"})
    assert refused.status_code == 403
    assert "brak lub nieprawidłowy token CSRF" in refused.text


def test_the_retraining_status_is_shown_in_the_console_language(staff_app: TestClient, login):
    client = login("curator")
    page = client.get("/staff/dialogue?lang=pl")
    assert "bezczynne" in page.text  # idle: no retraining has run
    assert "idle" not in page.text.split("retrain-status", 1)[1].split("</p>", 1)[0]
