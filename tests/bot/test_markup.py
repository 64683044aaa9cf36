"""The answers' formatting subset on the server: for pages and for Telegram, never raw HTML."""

from __future__ import annotations

from bot.markup import page_html, telegram_html


def test_bold_lists_paragraphs_and_links_are_rendered_for_a_page():
    html = page_html("Fee: **340 zł**.\n- one\n- two\n\nMore: https://mos.cudzoziemcy.gov.pl/x.")
    assert "<strong>340 zł</strong>" in html
    assert "<ul><li>one</li><li>two</li></ul>" in html
    assert (
        '<a href="https://mos.cudzoziemcy.gov.pl/x">https://mos.cudzoziemcy.gov.pl/x</a>.' in html
    )
    assert html.count("<p>") == 2


def test_markup_in_an_answer_is_escaped_on_a_page():
    html = page_html('<script>alert(1)</script> **<b onclick="x">b</b>**')
    assert "<script>" not in html and "<b " not in html
    assert "&lt;script&gt;" in html


def test_markup_in_text_is_escaped_and_bold_rendered_for_telegram():
    assert telegram_html("**100 zł** <script>x</script> & more") == (
        "<b>100 zł</b> &lt;script&gt;x&lt;/script&gt; &amp; more"
    )


def test_list_items_become_bullets_on_telegram():
    assert telegram_html("Fees:\n- card 100\n- permit 440") == "Fees:\n• card 100\n• permit 440"
