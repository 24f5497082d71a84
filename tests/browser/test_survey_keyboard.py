"""Headless Chromium: an invited institution answers a survey with the keyboard only."""

from __future__ import annotations

import pytest

from surveys.models import Answer, Response, ResponseState
from tests.browser.conftest import open_context


@pytest.fixture
def page(browser, live_server):
    context = open_context(browser, live_server)
    page = context.new_page()
    yield page
    context.close()


def tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until `selector` has the focus (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def submit_with_enter(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def focus_is_visible(page) -> bool:
    return page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                  return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                         || s.boxShadow !== 'none'; }"""
    )


def serious_axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_answering_a_survey_with_the_keyboard_only(page):
    from tests.surveys.answering.helpers import build_survey
    from tests.surveys.factories import RecipientFactory

    bedarf = build_survey()
    recipient = RecipientFactory(survey=bedarf.survey)

    page.goto(f"/umfragen/t/{recipient.token}/")
    assert recipient.token not in page.url  # exchanged for a session
    assert page.locator("h1").inner_text() == "Über Ihre Einrichtung"

    # Page 1: a checkbox, the "other" text, a number, a dropdown.
    tab_to(page, "#id_q_art_0")
    assert focus_is_visible(page)
    page.keyboard.press("Space")
    tab_to(page, "#id_q_art__other")
    page.keyboard.type("Moscheegemeinde")
    tab_to(page, "#id_q_groesse")
    page.keyboard.type("5000")  # too many: the page says so
    tab_to(page, "button[value=next]")
    submit_with_enter(page)
    assert page.title().startswith("Fehler:")
    summary_link = page.locator(".error-summary a").first
    assert "von 0 bis 1000" in summary_link.inner_text()
    tab_to(page, ".error-summary a")
    page.keyboard.press("Enter")  # the summary leads to the field
    assert page.evaluate("() => location.hash") == "#id_q_groesse"
    page.locator("#id_q_groesse").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("250")
    tab_to(page, "#id_q_kommune")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    tab_to(page, "button[value=next]")
    submit_with_enter(page)
    assert page.locator("h1").inner_text() == "Angebote"

    # Page 2: yes/no radios, the follow-up text, the matrix as a table of radios.
    assert page.locator("table.matrix th[scope=col]").count() == 3
    assert page.locator("table.matrix th[scope=row]").count() == 2
    tab_to(page, "input[name=q_angebot]")
    page.keyboard.press("Space")  # "Ja"
    tab_to(page, "#id_q_welche")
    page.keyboard.type("Sprachcafé")
    tab_to(page, "input[name=q_bedarf__sprache]")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # "hoch"
    tab_to(page, "input[name=q_bedarf__arbeit]")
    page.keyboard.press("Space")  # "gering"
    assert serious_axe_violations(page) == []
    tab_to(page, "button[value=next]")
    submit_with_enter(page)
    assert page.locator("h1").inner_text() == "Ausblick"

    # Page 3: the ranking without JavaScript, one select per option.
    tab_to(page, "#id_q_prio__1")
    page.keyboard.type("2")
    tab_to(page, "#id_q_prio__2")
    page.keyboard.type("1")
    tab_to(page, "#id_q_prio__3")
    page.keyboard.type("3")
    tab_to(page, "button[value=next]")
    submit_with_enter(page)

    # The review lists the answers; submitting ends it.
    assert page.locator("h1").inner_text() == "Ihre Antworten prüfen"
    review = page.locator("main").inner_text()
    for shown in ("Moscheegemeinde", "Laatzen", "Sprachkurse: hoch", "1. Arbeit"):
        assert shown in review
    tab_to(page, "form[action$='/absenden/'] button[type=submit]")
    assert focus_is_visible(page)
    submit_with_enter(page)
    assert page.locator("h1").inner_text() == "Vielen Dank für Ihre Teilnahme"

    response = Response.objects.get()
    assert response.state == ResponseState.COMPLETE
    assert Answer.objects.get(response=response, question=bedarf.groesse).number == 250
    assert Answer.objects.get(response=response, question=bedarf.kommune).option.code == "2"
    assert (
        Answer.objects.get(
            response=response, question=bedarf.bedarf, option__code="sprache"
        ).scale.code
        == "3"
    )
    assert Answer.objects.get(response=response, question=bedarf.angebot).option.code == "Y"
