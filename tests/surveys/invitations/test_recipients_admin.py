"""The recipient list in the admin (state per recipient, filters) and the opt-out page."""

from __future__ import annotations

import pytest
from django.utils import timezone

from foundation.roles import Role
from surveys.models import ResponseState
from surveys.tokens import new_token
from tests.foundation.admin_pages import assert_denied, text_of
from tests.foundation.factories import MunicipalityFactory, ResidentFactory, user_with_role
from tests.surveys.factories import (
    RecipientFactory,
    RecipientGroupFactory,
    ResponseFactory,
    SurveyFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = user_with_role(Role.EDITOR)
    client.force_login(user)
    return user


def states_on(page) -> dict[str, str]:
    import re

    html = page.content.decode()
    rows = re.findall(r"<td>([^<]+) <small>.*?data-state=\"([a-z_]+)\"", html, re.S)
    return {name.strip(): state for name, state in rows}


def test_the_list_shows_each_recipients_state_and_filters(
    client, editor, django_assert_max_num_queries
):
    survey = SurveyFactory()
    beratung = RecipientGroupFactory(survey=survey, name="Beratungsstellen")
    schulen = RecipientGroupFactory(survey=survey, name="Bildungseinrichtungen")
    garbsen = MunicipalityFactory(name="Garbsen", slug="garbsen")
    now = timezone.now()
    RecipientFactory(survey=survey, name="A Neu", group=beratung, municipality=garbsen)
    RecipientFactory(survey=survey, name="B Eingeladen", group=beratung, invited_at=now)
    opened = RecipientFactory(survey=survey, name="C Geöffnet", group=schulen, invited_at=now)
    ResponseFactory(survey=survey, recipient=opened, state=ResponseState.OPENED)
    partial = RecipientFactory(survey=survey, name="D Teilweise", group=schulen, invited_at=now)
    ResponseFactory(survey=survey, recipient=partial, state=ResponseState.PARTIAL)
    RecipientFactory(survey=survey, name="E Fertig", invited_at=now, completed_at=now)
    RecipientFactory(survey=survey, name="F Abgemeldet", invited_at=now, opted_out_at=now)

    url = f"/admin/survey-recipients/{survey.pk}/"
    client.get(url)
    with django_assert_max_num_queries(30):
        page = client.get(url)
    assert page.status_code == 200
    assert states_on(page) == {
        "A Neu": "not_invited",
        "B Eingeladen": "invited",
        "C Geöffnet": "opened",
        "D Teilweise": "partial",
        "E Fertig": "complete",
        "F Abgemeldet": "opted_out",
    }
    text = text_of(page)
    assert "noch nicht eingeladen eingeladen geöffnet teilweise beantwortet vollständig" in text

    by_group = client.get(url, {"group": schulen.pk})
    assert set(states_on(by_group)) == {"C Geöffnet", "D Teilweise"}
    by_municipality = client.get(url, {"municipality": garbsen.pk})
    assert set(states_on(by_municipality)) == {"A Neu"}
    by_state = client.get(url, {"state": "partial"})
    assert set(states_on(by_state)) == {"D Teilweise"}
    by_search = client.get(url, {"q": "fertig"})
    assert set(states_on(by_search)) == {"E Fertig"}


def test_the_list_is_paged(client, editor):
    survey = SurveyFactory()
    for number in range(60):
        RecipientFactory(survey=survey, name=f"Verein {number:02d}")
    first = client.get(f"/admin/survey-recipients/{survey.pk}/")
    assert len(states_on(first)) == 50
    assert "Seite 1 von 2" in text_of(first)
    second = client.get(f"/admin/survey-recipients/{survey.pk}/", {"p": 2})
    assert len(states_on(second)) == 10


def test_residents_cannot_see_recipients_or_send(client):
    survey = SurveyFactory()
    RecipientFactory(survey=survey)
    client.force_login(ResidentFactory())
    for url in (
        f"/admin/survey-recipients/{survey.pk}/",
        f"/admin/survey-recipients/{survey.pk}/import/",
    ):
        assert_denied(client.get(url), url)
    url = f"/admin/survey-recipients/{survey.pk}/invite/"
    assert_denied(client.post(url), url)
    survey.recipients.get().refresh_from_db()
    assert survey.recipients.filter(invited_at__isnull=False).count() == 0


def test_the_opt_out_page_says_the_same_for_every_token(client):
    survey = SurveyFactory()
    recipient = RecipientFactory(survey=survey)
    pages = {}
    for label, token in (
        ("known", recipient.token),
        ("unknown", new_token()),
        ("malformed", "abc"),
    ):
        asked = client.get(f"/umfragen/abmelden/{token}/")
        done = client.post(f"/umfragen/abmelden/{token}/")
        assert asked.status_code == done.status_code == 200
        assert "no-store" in done["Cache-Control"]
        pages[label] = (
            text_of(asked).replace(token, "TOKEN"),
            text_of(done).replace(token, "TOKEN"),
        )
    assert pages["known"] == pages["unknown"] == pages["malformed"]
    assert "Erledigt: Falls dieser Link zu einer Einladung gehört" in pages["known"][1]
    recipient.refresh_from_db()
    assert recipient.opted_out_at is not None
    first = recipient.opted_out_at
    client.post(f"/umfragen/abmelden/{recipient.token}/")  # twice: nothing changes
    recipient.refresh_from_db()
    assert recipient.opted_out_at == first
