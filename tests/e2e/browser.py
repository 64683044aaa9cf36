"""Debian's Chromium for the browser tests, and logging staff in through the real form."""

from __future__ import annotations

from typing import Any

from bot.settings import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
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


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Accessibility violations axe-core finds on the current page."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate("async () => (await axe.run(document)).violations")
