"""The widget's rough edges (issue #15): contact links, the phone modal, 400 % zoom, the
consultant button while a consultant is coming or there, the greeting with suggested topics,
clarifications with "None of these", the consultant offer once per streak of misses, each
message's language, the consultant's name, two tabs of one conversation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.browser import (
    SCREENSHOTS,
    axe_violations,
    kb_answer_start,
    kb_entries,
    open_panel,
    send,
    staff_login,
    wait_for_bot_text,
)
from tests.e2e.chat import (
    first_paragraph,
    handoff_replies,
    response_text,
    variation_buttons,
)
from tests.e2e.consultant import Consultant

pytestmark = pytest.mark.e2e


@pytest.fixture
def phone(stack: Any, browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="pl-PL", viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{stack.config.web_url}/")
    yield page
    context.close()


def test_phone_numbers_and_e_mail_addresses_are_links(phone: Any) -> None:
    errors: list[str] = []
    phone.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    open_panel(phone)
    send(phone, "Jaki jest numer telefonu do INFO.OPT?")
    wait_for_bot_text(phone, kb_answer_start("pl", "office.contact"))
    answer = phone.locator("#infoopt-chat-log .ic-msg.ic-bot", has_text="info.opt@muw.pl").last
    assert answer.locator('a[href="tel:+48122102020"]').inner_text() == "+48 12 210 20 20"
    assert answer.locator('a[href="mailto:info.opt@muw.pl"]').inner_text() == "info.opt@muw.pl"
    # Web links still open in a new tab, and the page's CSP refused nothing.
    assert answer.locator('a[href="https://infoopt.pl/"][target=_blank]').count() == 1
    assert not [e for e in errors if "Content Security Policy" in e]


def test_on_a_phone_the_open_panel_keeps_the_focus(phone: Any) -> None:
    open_panel(phone)
    assert phone.get_attribute("#infoopt-chat-panel", "aria-modal") == "true"
    inside = "document.getElementById('infoopt-chat-panel').contains(document.activeElement)"
    for key in ["Tab"] * 12 + ["Shift+Tab"] * 12:
        phone.keyboard.press(key)
        assert phone.evaluate(inside), key


# What the visitor sees of a box: its part inside the panel and the window, in CSS pixels.
_VISIBLE = """selector => {
    const box = document.querySelector(selector).getBoundingClientRect();
    const panel = document.getElementById('infoopt-chat-panel').getBoundingClientRect();
    const top = Math.max(box.top, panel.top, 0);
    const bottom = Math.min(box.bottom, panel.bottom, window.innerHeight);
    return {top: top, height: Math.max(0, bottom - top)};
}"""


@pytest.mark.parametrize("window", [(1280, 900), (1280, 720)])
def test_at_400_percent_zoom_the_conversation_keeps_a_third_of_the_height(
    stack: Any, browser: Any, window: tuple[int, int]
) -> None:
    # 400 % of the window: a quarter of its CSS pixels, each drawn with 4 device pixels.
    width, height = window[0] // 4, window[1] // 4
    context = browser.new_context(
        locale="pl-PL", viewport={"width": width, "height": height}, device_scale_factor=4
    )
    page = context.new_page()
    page.goto(f"{stack.config.web_url}/")

    def check(answer_start: str) -> None:
        """A third of the window shows the conversation, the latest answer's start among it."""
        log = page.evaluate(_VISIBLE, "#infoopt-chat-log")
        assert log["height"] >= height / 3, (log, height)
        answer = page.locator("#infoopt-chat-log .ic-msg.ic-bot", has_text=answer_start).last
        top = answer.evaluate("node => node.getBoundingClientRect().top")
        assert log["top"] <= top < log["top"] + log["height"] - 10, (top, log)

    open_panel(page)
    page.wait_for_selector(".ic-quick-reply")  # the greeting's topics
    for question, entry in [
        ("Jaki jest numer telefonu do INFO.OPT?", "office.contact"),
        ("Ile kosztuje karta pobytu?", "card.fees"),
    ]:
        send(page, question)
        wait_for_bot_text(page, kb_answer_start("pl", entry))
        check(kb_answer_start("pl", entry))
        # And the question can still be typed: the input is on screen.
        assert page.evaluate(_VISIBLE, "#infoopt-chat-input")["height"] >= 40
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"webchat-400-percent-{window[1]}.png"))
    # Reloaded, the panel opens as it was left, showing the conversation the same way.
    page.reload()
    page.wait_for_selector("#infoopt-chat-panel", state="visible")
    check(kb_answer_start("pl", "card.fees"))
    context.close()


def test_the_consultant_button_waits_while_a_consultant_is_coming(
    stack: Any, staff: Any, domain: Any, phone: Any
) -> None:
    Consultant(stack.config.web_url, "consultant")  # online, so the request is queued
    open_panel(phone)
    human = phone.locator("#infoopt-chat-human")
    assert human.is_enabled()
    human.click()
    wait_for_bot_text(phone, handoff_replies(domain, "pl")["queued"])
    # The queued state comes as a payload right after the text.
    phone.wait_for_function("() => document.getElementById('infoopt-chat-human').disabled")
    send(phone, "nie potrzebuję już pomocy")
    wait_for_bot_text(phone, response_text(domain, "utter_handoff_ended", "pl").splitlines()[0])
    phone.wait_for_function("() => !document.getElementById('infoopt-chat-human').disabled")


def _strings(page: Any, lang: str) -> dict[str, str]:
    """The widget's own texts in `lang` (its catalogue, as the page loaded it)."""
    return page.evaluate("lang => globalThis.infoopt.widgetStrings.messages[lang]", lang)


def test_opening_greets_with_the_most_asked_topics_and_the_finder(
    stack: Any, domain: Any, phone: Any
) -> None:
    topics = httpx.get(f"{stack.config.web_url}/api/widget/topics", params={"lang": "pl"}).json()
    open_panel(phone)
    phone.wait_for_selector(".ic-quick-reply")
    strings = _strings(phone, "pl")
    greeting = phone.locator("#infoopt-chat-log .ic-msg.ic-bot").first
    assert strings["greeting"] in greeting.inner_text()
    buttons = phone.locator(".ic-quick-reply").all_inner_texts()
    assert buttons == [t["title"] for t in topics["topics"]] + [strings["finderTopic"]]
    assert len(buttons) >= 3

    first = topics["topics"][0]
    phone.locator(".ic-quick-reply", has_text=first["title"]).first.click()
    wait_for_bot_text(phone, kb_answer_start("pl", first["id"]))
    # The privacy note once: the notice above the log, not a second one from the assistant.
    assert phone.locator("#infoopt-chat-log .ic-notice").count() == 1
    notice = first_paragraph(response_text(domain, "utter_privacy_notice", "pl")).splitlines()[0]
    assert notice not in phone.inner_text("#infoopt-chat-log")
    # On the phone the answer starts inside the visible part of the log, without scrolling.
    answer = phone.locator("#infoopt-chat-log .ic-msg.ic-bot").nth(1)
    top = answer.evaluate(
        """node => node.getBoundingClientRect().top -
            document.getElementById('infoopt-chat-log').getBoundingClientRect().top"""
    )
    log_height = phone.evaluate("document.getElementById('infoopt-chat-log').clientHeight")
    assert 0 <= top < log_height - 40


def test_a_clarification_offers_none_of_these_and_did_you_mean(domain: Any, phone: Any) -> None:
    open_panel(phone)
    phone.wait_for_selector(".ic-quick-reply")  # the greeting's topics
    send(phone, "praca w Polsce")  # one candidate: asked as "Did you mean …?"
    did_you_mean = response_text(domain, "utter_did_you_mean", "pl").split("{")[0]
    wait_for_bot_text(phone, did_you_mean)
    replies = phone.locator(".ic-quick-reply")
    assert replies.all_inner_texts() == ["Tak", "Nie"]
    replies.filter(has_text="Nie").click()  # "none of these"
    wait_for_bot_text(phone, first_paragraph(response_text(domain, "utter_rephrase", "pl")))
    # The rephrase hint comes with the consultant offer (the first miss of a streak).
    offer = response_text(domain, "utter_offer_handoff", "pl").splitlines()[0]
    wait_for_bot_text(phone, offer)
    assert axe_violations(phone) == []


def test_several_candidates_come_with_none_of_these_in_the_users_language(
    domain: Any, phone: Any
) -> None:
    open_panel(phone)
    phone.wait_for_selector(".ic-quick-reply")  # the greeting's topics
    send(phone, "дозвіл на проживання")  # Ukrainian, several entries about as likely
    wait_for_bot_text(phone, response_text(domain, "utter_clarify", "uk"))
    [none_of_these] = variation_buttons(domain, "utter_clarify", "uk")
    *topics, last = phone.locator(".ic-quick-reply").all_inner_texts()
    assert last == none_of_these["title"]  # "Жодна з них", last, after the entries
    assert len(topics) >= 2 and set(topics) <= {e["uk"]["title"] for e in kb_entries()}, topics
    phone.locator(".ic-quick-reply", has_text=none_of_these["title"]).click()
    # The visitor's bubble shows the button's title, not its payload.
    user = phone.locator("#infoopt-chat-log .ic-msg.ic-user .ic-bubble").last
    assert user.inner_text() == none_of_these["title"]
    wait_for_bot_text(phone, response_text(domain, "utter_rephrase", "uk"))
    offer = response_text(domain, "utter_offer_handoff", "uk")
    wait_for_bot_text(phone, offer)
    yes_no = [b["title"] for b in variation_buttons(domain, "utter_offer_handoff", "uk")]
    assert phone.locator(".ic-quick-reply").all_inner_texts() == yes_no
    assert phone.input_value("#infoopt-chat-lang") == "uk"
    assert axe_violations(phone) == []


# The assistant's messages of the kinds the consultant offer's streak is about: [kind, lang].
_KINDS = """kinds => [...document.querySelectorAll('#infoopt-chat-log .ic-msg.ic-bot')]
    .map(m => [
        Object.keys(kinds).find(k => kinds[k].some(f => m.innerText.includes(f))),
        m.getAttribute('lang'),
    ])
    .filter(([kind]) => kind)"""


def test_the_consultant_is_offered_once_per_streak_of_misses(domain: Any, phone: Any) -> None:
    langs = ("pl", "en", "uk", "ru")
    kinds = {
        "miss": [first_paragraph(response_text(domain, "utter_no_match", lang)) for lang in langs],
        "offer": [response_text(domain, "utter_offer_handoff", lang) for lang in langs],
        "answer": [kb_answer_start("pl", "card.fees")],
    }

    def kinds_shown() -> list[str]:
        """Each message's kind and language, joined: "miss pl"."""
        return [" ".join(pair) for pair in phone.evaluate(_KINDS, kinds)]

    def ask(text: str, count: int, kind: str) -> None:
        """Send `text` and wait until `count` messages of `kind` are in the log."""
        send(phone, text)
        phone.wait_for_function(
            f"([kinds, kind, n]) => ({_KINDS})(kinds).filter(([k]) => k === kind).length >= n",
            arg=[kinds, kind, count],
            timeout=30_000,
        )

    open_panel(phone)
    phone.wait_for_selector(".ic-quick-reply")  # the greeting's topics
    ask("Jaka będzie jutro pogoda w Krakowie?", 1, "offer")  # the first miss: offered
    ask("Kto wygrał wczoraj mecz Wisły?", 2, "miss")  # back to back: not again
    ask("Яка завтра погода у Кракові?", 3, "miss")  # nor in another language
    # An answer ends the streak; its reply comes after everything the misses brought.
    ask("Ile kosztuje karta pobytu?", 1, "answer")
    streak = ["miss pl", "offer pl", "miss pl", "miss uk", "answer pl"]
    assert kinds_shown() == streak
    ask("Who will win the football match tonight?", 2, "offer")  # a new streak: offered
    assert kinds_shown() == [*streak, "miss en", "offer en"]
    # The last offer's buttons are the ones on screen.
    yes_no = [b["title"] for b in variation_buttons(domain, "utter_offer_handoff", "en")]
    assert phone.locator(".ic-quick-reply").all_inner_texts() == yes_no


def test_each_message_keeps_its_language_and_the_menu_follows_the_reply(
    stack: Any, phone: Any
) -> None:
    open_panel(phone)
    assert phone.input_value("#infoopt-chat-lang") == "pl"
    send(phone, "скільки коштує карта побиту?")
    wait_for_bot_text(phone, kb_answer_start("uk", "card.fees"))
    phone.wait_for_function("() => document.getElementById('infoopt-chat-lang').value === 'uk'")
    send(phone, "Jaki jest numer telefonu do INFO.OPT?")
    wait_for_bot_text(phone, kb_answer_start("pl", "office.contact"))
    phone.wait_for_function("() => document.getElementById('infoopt-chat-lang').value === 'pl'")

    # Every bubble says its language; the question is in the language it was answered in.
    langs = phone.eval_on_selector_all(
        "#infoopt-chat-log .ic-msg", "ms => ms.map(m => m.getAttribute('lang'))"
    )
    assert None not in langs
    ukrainian = phone.locator("#infoopt-chat-log .ic-msg[lang=uk]")
    polish = phone.locator("#infoopt-chat-log .ic-msg[lang=pl]")
    assert ukrainian.filter(has_text="скільки коштує").count() == 1
    assert polish.filter(has_text="Jaki jest numer").count() == 1
    # A link's hidden "(opens in a new tab)" is in its message's language, after the switch too.
    new_tab = "#infoopt-chat-log .ic-msg[lang={}] a[target=_blank] .ic-sr"
    for lang in ("uk", "pl"):
        hidden = phone.locator(new_tab.format(lang)).last.text_content()
        assert hidden == _strings(phone, lang)["newTab"], lang


@pytest.fixture
def named_consultant(stack: Any, staff: Any, browser: Any) -> Iterator[str]:
    """`consultant2` named "Anna" on the accounts page, unnamed again afterwards."""
    context = browser.new_context(locale="pl-PL")
    admin = context.new_page()
    staff_login(admin, stack.config.web_url, "admin")

    def name(value: str) -> None:
        admin.goto(f"{stack.config.web_url}/staff/users")
        row = admin.locator("#user-consultant2")
        row.locator("input[name=display_name]").fill(value)
        row.locator("form[action$='/display-name'] button").click()
        admin.wait_for_selector(f"#user-consultant2 input[name=display_name][value='{value}']")

    name("Anna")
    yield "consultant2"
    name("")
    context.close()


def test_a_consultants_messages_carry_the_name_and_look_different(
    stack: Any, domain: Any, phone: Any, named_consultant: str
) -> None:
    consultant = Consultant(stack.config.web_url, named_consultant)
    open_panel(phone)
    question = "Ile kosztuje karta pobytu?"
    send(phone, question)
    wait_for_bot_text(phone, kb_answer_start("pl", "card.fees"))
    phone.click("#infoopt-chat-human")
    wait_for_bot_text(phone, handoff_replies(domain, "pl")["queued"])
    handoff = consultant.wait_for("queue", question)
    assert consultant.post(f"conversations/{handoff['id']}/claim").status_code == 200
    consultant.post(
        f"conversations/{handoff['id']}/messages", {"text": "Dzień dobry, w czym pomóc?"}
    )
    line = phone.locator("#infoopt-chat-log .ic-msg.ic-consultant", has_text="w czym pomóc")
    line.wait_for(timeout=30_000)
    # Named, for everyone: the name is shown, and read out before the message.
    expected = _strings(phone, "pl")["consultantSays"].replace("{name}", "Anna")
    assert line.locator(".ic-author").inner_text() == expected
    assert line.get_attribute("lang") == "pl"
    bot = phone.locator("#infoopt-chat-log .ic-msg.ic-bot:not(.ic-consultant) .ic-bubble").last
    background = "node => getComputedStyle(node).backgroundColor"
    assert line.locator(".ic-bubble").evaluate(background) != bot.evaluate(background)
    assert phone.locator("#infoopt-chat-human").is_disabled()  # connected: no second request
    violations = [v["id"] for v in axe_violations(phone)]
    assert violations == [], json.dumps(violations)
    consultant.post(f"conversations/{handoff['id']}/handback", {"resolved": True})
    wait_for_bot_text(phone, response_text(domain, "utter_handoff_resolved", "pl"))
    phone.wait_for_function("() => !document.getElementById('infoopt-chat-human').disabled")


def test_two_tabs_of_one_conversation_show_and_keep_everything(stack: Any, browser: Any) -> None:
    context = browser.new_context(locale="pl-PL", viewport={"width": 1280, "height": 800})
    first = context.new_page()
    first.goto(f"{stack.config.web_url}/")
    open_panel(first)
    first.wait_for_selector(".ic-quick-reply")  # its greeting, which the second tab shares
    # The second tab joins once the first has its conversation (the same browser storage).
    first.wait_for_function("() => localStorage.getItem('infoopt-chat:session')")
    second = context.new_page()
    second.goto(f"{stack.config.web_url}/")
    second.wait_for_selector("#infoopt-chat-panel", state="visible")  # open, as in the first

    send(first, "Jaki jest numer telefonu do INFO.OPT?")
    for tab in (first, second):
        tab.locator(".ic-msg.ic-user", has_text="numer telefonu").wait_for(timeout=30_000)
        wait_for_bot_text(tab, kb_answer_start("pl", "office.contact"))
    send(second, "Ile kosztuje karta pobytu?")
    for tab in (first, second):
        tab.locator(".ic-msg.ic-user", has_text="Ile kosztuje").wait_for(timeout=30_000)
        wait_for_bot_text(tab, kb_answer_start("pl", "card.fees"))

    # Each message once in each tab, and all of them after a reload of either.
    def log(tab: Any) -> list[str]:
        return tab.locator("#infoopt-chat-log .ic-msg .ic-bubble").all_inner_texts()

    assert log(first) == log(second)
    shown = log(first)
    questions = first.locator("#infoopt-chat-log .ic-msg.ic-user .ic-bubble").all_inner_texts()
    assert questions == ["Jaki jest numer telefonu do INFO.OPT?", "Ile kosztuje karta pobytu?"]
    first.reload()
    first.wait_for_selector("#infoopt-chat-log .ic-msg.ic-user >> nth=1", state="attached")
    assert log(first) == shown
    context.close()


# Every frame the page's web sockets receive (a test's init script: the page's CSP does not
# apply to it), so that a test can wait until the widget has its session.
_RECORD_FRAMES = """(() => {
    const Native = window.WebSocket;
    window.receivedFrames = [];
    window.WebSocket = class extends Native {
        constructor(...args) {
            super(...args);
            this.addEventListener('message', e => window.receivedFrames.push(String(e.data)));
        }
    };
})();"""


def test_two_tabs_sending_at_once_both_keep_every_question_and_answer(
    stack: Any, domain: Any, browser: Any
) -> None:
    context = browser.new_context(locale="pl-PL", viewport={"width": 1280, "height": 800})
    context.add_init_script(_RECORD_FRAMES)
    first = context.new_page()
    first.goto(f"{stack.config.web_url}/")
    open_panel(first)
    first.wait_for_selector(".ic-quick-reply")
    first.wait_for_function("() => localStorage.getItem('infoopt-chat:session')")
    second = context.new_page()
    second.goto(f"{stack.config.web_url}/")
    second.wait_for_selector("#infoopt-chat-panel", state="visible")
    # Connected to the conversation, so that its message goes out at once, not after joining.
    second.wait_for_function("() => receivedFrames.some(f => f.includes('session_confirm'))")

    asked = {
        "Jaki jest numer telefonu do INFO.OPT?": kb_answer_start("pl", "office.contact"),
        "Ile kosztuje karta pobytu?": kb_answer_start("pl", "card.fees"),
    }
    for tab, question in zip((first, second), asked, strict=True):
        tab.fill("#infoopt-chat-input", question)
    for tab in (first, second):
        tab.press("#infoopt-chat-input", "Enter")
    for tab in (first, second):
        for question, answer in asked.items():
            tab.locator(".ic-msg.ic-user", has_text=question).wait_for(timeout=30_000)
            wait_for_bot_text(tab, answer)

    def log(tab: Any) -> list[list[str]]:
        """Each message of the tab's log, in order: its id and its text."""
        return tab.eval_on_selector_all(  # type: ignore[no-any-return]
            "#infoopt-chat-log .ic-msg",
            "ms => ms.map(m => [m.dataset.id, m.querySelector('.ic-bubble').innerText])",
        )

    # The helpfulness question after each answer: then every reply of both turns is in.
    helpful = response_text(domain, "utter_ask_helpful", "pl")
    for tab in (first, second):
        tab.wait_for_function(
            """text => [...document.querySelectorAll('#infoopt-chat-log .ic-msg.ic-bot')]
                .filter(m => m.innerText.includes(text)).length === 2""",
            arg=helpful,
        )
    shown = log(first)
    assert log(second) == shown
    ids = [message_id for message_id, _ in shown]
    assert None not in ids and len(set(ids)) == len(ids), shown
    texts = [text for _, text in shown]
    answers = []
    for question, answer in asked.items():
        # Each question once, its answer after it.
        assert texts.count(question) == 1, texts
        starts = [i for i, text in enumerate(texts) if text.startswith(answer)]
        assert len(starts) == 1 and starts[0] > texts.index(question), texts
        answers += starts
    # At once indeed: both questions went out before the first answer came.
    assert max(texts.index(question) for question in asked) < min(answers), texts
    # Nothing lost from the stored history either: a reload of either tab shows the same.
    for tab in (first, second):
        tab.reload()
        tab.wait_for_selector("#infoopt-chat-log .ic-msg.ic-user >> nth=1", state="attached")
        assert log(tab) == shown
    context.close()
