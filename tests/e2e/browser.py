"""Debian's Chromium for the browser tests, and logging staff in through the real form."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import yaml

from bot.settings import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
POLISH_CHROMIUM = Path("/usr/lib/chromium/locales/pl.pak")
"""Chromium's Polish resources (Debian's `chromium-l10n`): without them it stays in English."""
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "screenshots"
"""Written by the tests for review (README shows copies from docs/)."""
STAFF_PASSWORD = "correct horse battery staple"
STAFF = {
    "admin": ("admin", "pl,en,uk,ru"),
    "curator": ("curator", "pl,en,uk,ru"),
    "consultant": ("consultant", "pl,en,uk,ru"),
    "consultant2": ("consultant", "pl,en,uk,ru"),
    "consultant-uk": ("consultant", "uk,ru"),
}
"""Accounts the `staff` fixture creates: username -> (role, languages)."""


def staff_login(page: Any, web_url: str, username: str) -> None:
    """Log a browser page in as one of `STAFF` and wait for the landing page."""
    page.goto(f"{web_url}/login")
    page.fill("#username", username)
    page.fill("#password", STAFF_PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_selector("form.logout")


def preview_import(page: Any, web_url: str, folder: Path, entry: str, title: str) -> None:
    """In the staff console: export the CSV, give `entry` (an id and a language) a new
    title, upload the file and wait for the import's preview."""
    page.goto(f"{web_url}/staff/transfer")
    with page.expect_download() as download:
        page.click("a[href='/staff/transfer/export.csv']")
    exported = folder / "kb.csv"
    download.value.save_as(exported)
    rows = list(csv.DictReader(io.StringIO(exported.read_text(encoding="utf-8-sig"))))
    for row in rows:
        if f"{row['id']}/{row['lang']}" == entry:
            row["title"] = title
    changed = folder / "kb-changed.csv"
    with changed.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    page.set_input_files("#files", str(changed))
    with page.expect_navigation():
        page.click("form[action='/staff/transfer/preview'] button[type=submit]")


def go_online(console: Any) -> None:
    """In the consultant console: tick "available" and wait until the server has it."""
    console.wait_for_selector("body[data-ready=true]")
    if console.is_checked("#available"):
        return  # still online from a console closed less than the presence time ago
    with console.expect_response(lambda r: r.url.endswith("/consultant/api/presence")):
        console.click("#available")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Accessibility violations axe-core finds on the current page."""
    # Evaluated through the DevTools protocol: the pages' CSP refuses injected script tags.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate("async () => (await axe.run(document)).violations")


def assert_clean(page: Any) -> None:
    """No axe violation on the page, and none of the CSP violations that a context from the
    `polish` fixture records."""
    violations = [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in axe_violations(page)
    ]
    assert violations == [], (page.url, json.dumps(violations, indent=1))
    assert page.evaluate("window.cspViolations") == [], page.url


def open_panel(page: Any) -> None:
    page.click("#infoopt-chat-launcher")
    page.wait_for_selector("#infoopt-chat-panel", state="visible")


def send(page: Any, text: str) -> None:
    page.fill("#infoopt-chat-input", text)
    page.press("#infoopt-chat-input", "Enter")


def bot_messages(page: Any) -> list[str]:
    return page.locator("#infoopt-chat-log .ic-msg.ic-bot").all_inner_texts()


def wait_for_bot_text(page: Any, fragment: str | list[str], timeout: float = 30_000) -> None:
    """Wait for a bot bubble showing `fragment` (or one of several; markdown bold is rendered,
    so it is dropped)."""
    fragments = [
        f.replace("**", "") for f in ([fragment] if isinstance(fragment, str) else fragment)
    ]
    page.wait_for_function(
        """fragments => [...document.querySelectorAll('#infoopt-chat-log .ic-msg.ic-bot')]
            .some(m => fragments.some(f => m.innerText.includes(f)))""",
        arg=fragments,
        timeout=timeout,
    )


def kb_entries() -> list[dict[str, Any]]:
    """The knowledge base's entries, as its source files hold them."""
    return [
        entry
        for path in sorted((ROOT / "data" / "kb").glob("*.yml"))
        for entry in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("entries", [])
    ]


def kb_text(lang: str, entry_id: str) -> dict[str, Any]:
    """A knowledge-base entry's text in `lang` (title, phrasings, answer), from data/kb."""
    for entry in kb_entries():
        if entry["id"] == entry_id:
            return dict(entry[lang])
    raise KeyError(entry_id)


def kb_answer_start(lang: str, entry_id: str) -> str:
    return str(kb_text(lang, entry_id)["answer"]).replace("**", "").strip()[:40]
