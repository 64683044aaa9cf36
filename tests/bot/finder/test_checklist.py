"""The printable checklist's answer formatting: the answers' markup subset, never raw HTML."""

from __future__ import annotations

from bot.finder.checklist import answer_html, page_path


def test_bold_lists_paragraphs_and_links_are_rendered():
    html = answer_html("Fee: **340 zł**.\n- one\n- two\n\nMore: https://mos.cudzoziemcy.gov.pl/x.")
    assert "<strong>340 zł</strong>" in html
    assert "<ul><li>one</li><li>two</li></ul>" in html
    assert (
        '<a href="https://mos.cudzoziemcy.gov.pl/x">https://mos.cudzoziemcy.gov.pl/x</a>.' in html
    )
    assert html.count("<p>") == 2


def test_markup_in_an_answer_is_escaped():
    html = answer_html('<script>alert(1)</script> **<b onclick="x">b</b>**')
    assert "<script>" not in html and "<b " not in html
    assert "&lt;script&gt;" in html


def test_the_page_path_carries_only_the_language_and_entry_ids():
    assert page_path(["trp.work", "proc.mos"], "uk") == (
        "/finder/checklist?lang=uk&entries=trp.work%2Cproc.mos"
    )
