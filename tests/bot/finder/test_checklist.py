"""The printable checklist's address."""

from __future__ import annotations

from bot.finder.checklist import page_path


def test_the_page_path_carries_only_the_language_and_entry_ids():
    assert page_path(["trp.work", "proc.mos"], "uk") == (
        "/finder/checklist?lang=uk&entries=trp.work%2Cproc.mos"
    )
