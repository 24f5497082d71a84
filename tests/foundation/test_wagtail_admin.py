"""The foundation's Wagtail admin screens: consultations with phases, departments with members."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from foundation.models import (
    Consultation,
    DepartmentMembership,
    Handlungsfeld,
    Municipality,
    Phase,
    PhaseKind,
)
from foundation.roles import Role

from .factories import (
    ConsultationFactory,
    DepartmentFactory,
    DepartmentMembershipFactory,
    HandlungsfeldFactory,
    MunicipalityFactory,
    OrganisationFactory,
    ResidentFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

KINDS = [kind for kind, _label in PhaseKind.choices]


def consultation_post(
    *, title="Integrationskonzept", slug="integrationskonzept", phases=None, initial=0, **extra
):
    data = {
        "title": title,
        "slug": slug,
        "summary": "",
        "description": "",
        "organiser": "Region Hannover",
        "phases-TOTAL_FORMS": str(len(phases or [])),
        "phases-INITIAL_FORMS": str(initial),
        "phases-MIN_NUM_FORMS": "0",
        "phases-MAX_NUM_FORMS": "5",
        **extra,
    }
    for index, phase in enumerate(phases or []):
        for key, value in phase.items():
            data[f"phases-{index}-{key}"] = value
    return data


def phase_row(kind, starts, ends="", **switches):
    row = {
        "kind": kind,
        "title": kind.title(),
        "starts_at": starts,
        "ends_at": ends,
        "priority_points": "0",
        "description": "",
    }
    row.update({key: "on" for key, value in switches.items() if value})
    return row


@pytest.fixture
def coordination(client):
    user = user_with_role(Role.COORDINATION)
    client.force_login(user)
    return user


def test_create_a_consultation_with_its_phases(client, coordination):
    page = client.get("/admin/platform/consultations/new/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="phases-TOTAL_FORMS"' in html and 'value="5"' in html  # one row per kind offered
    field = HandlungsfeldFactory()
    data = consultation_post(
        phases=[
            phase_row("analysis", "2016-01-01 00:00", "2016-03-01 00:00"),
            phase_row(
                "forums",
                "2016-03-01 00:00",
                "2016-06-30 00:00",
                allows_proposals=True,
                allows_comments=True,
            ),
        ],
        handlungsfelder=[str(field.pk)],
    )
    response = client.post("/admin/platform/consultations/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    consultation = Consultation.objects.get(slug="integrationskonzept")
    assert list(consultation.handlungsfelder.all()) == [field]
    phases = list(consultation.phases.order_by("starts_at"))
    assert [phase.kind for phase in phases] == ["analysis", "forums"]
    assert (
        phases[1].allows_proposals and phases[1].allows_comments and not phases[1].allows_supports
    )


def test_phase_errors_are_shown_and_nothing_is_saved(client, coordination):
    data = consultation_post(
        phases=[
            phase_row("forums", "2016-06-30 00:00", "2016-03-01 00:00"),  # ends before it starts
            phase_row("forums", "2016-07-01 00:00"),  # the same kind twice
        ],
    )
    response = client.post("/admin/platform/consultations/new/", data)
    assert response.status_code == 200
    assert not Consultation.objects.filter(slug="integrationskonzept").exists()
    html = response.content.decode()
    assert 'value="Integrationskonzept"' in html  # what was typed stays


def test_edit_phases_inline_and_delete_one(client, coordination):
    consultation = ConsultationFactory()
    forums = Phase.objects.create(
        consultation=consultation, kind="forums", title="Foren", starts_at="2016-03-01T00:00:00Z"
    )
    result = Phase.objects.create(
        consultation=consultation, kind="result", title="Ergebnis", starts_at="2016-09-01T00:00:00Z"
    )
    url = f"/admin/platform/consultations/edit/{consultation.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    rows = [
        {
            "id": str(forums.pk),
            **phase_row("forums", "2016-03-01 00:00", "2016-07-01 00:00", allows_supports=True),
        },
        {"id": str(result.pk), **phase_row("result", "2016-09-01 00:00"), "DELETE": "on"},
    ]
    data = consultation_post(
        title=consultation.title, slug=consultation.slug, phases=rows, initial=2
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    forums.refresh_from_db()
    assert forums.allows_supports and forums.ends_at is not None
    assert not Phase.objects.filter(pk=result.pk).exists()


def test_department_members_are_added_by_email(client, coordination):
    department = DepartmentFactory(name="Team Integration")
    reviewer = ResidentFactory(email="pruefer@region-hannover.de")
    url = f"/admin/platform/departments/edit/{department.pk}/"
    assert client.get(url).status_code == 200
    data = {
        "name": department.name,
        "slug": department.slug,
        "kind": "team",
        "parent": "",
        "email": "",
        "description": "",
        "is_active": "on",
        "memberships-TOTAL_FORMS": "2",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-user": "Pruefer@Region-Hannover.de",
        "memberships-0-role": "lead",
        "memberships-1-user": "",
        "memberships-1-role": "reviewer",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    membership = DepartmentMembership.objects.get(department=department)
    assert membership.user == reviewer and membership.role == "lead"

    data["memberships-0-user"] = "niemand@example.org"
    data["memberships-0-role"] = "reviewer"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "niemand@example.org" in response.content.decode()


def test_lists_search_and_filter(client, coordination, django_assert_max_num_queries):
    garbsen = MunicipalityFactory(name="Garbsen")
    for index in range(30):
        OrganisationFactory(name=f"Verein {index}", municipality=garbsen if index % 2 else None)
    OrganisationFactory(name="Moscheegemeinde Laatzen")
    with django_assert_max_num_queries(40):
        response = client.get("/admin/platform/organisations/")
    assert response.status_code == 200
    response = client.get("/admin/platform/organisations/", {"q": "Moschee"})
    assert "Moscheegemeinde Laatzen" in response.content.decode()
    assert "Verein 3<" not in response.content.decode()
    response = client.get("/admin/platform/organisations/", {"municipality": garbsen.pk})
    assert response.status_code == 200
    assert "Moscheegemeinde Laatzen" not in response.content.decode()
    for url in [
        "/admin/platform/departments/",
        "/admin/platform/department-members/",
        "/admin/platform/municipalities/",
        "/admin/platform/handlungsfelder/",
        "/admin/platform/consultations/",
    ]:
        assert client.get(url).status_code == 200, url


def test_editor_cannot_delete_a_consultation(client):
    client.force_login(user_with_role(Role.EDITOR))
    consultation = ConsultationFactory()
    response = client.post(f"/admin/platform/consultations/delete/{consultation.pk}/")
    assert response.status_code in {302, 403}
    assert Consultation.objects.filter(pk=consultation.pk).exists()


# --- Who edits the rows inline -------------------------------------------------------------------
def department_post(department, **extra):
    data = {
        "name": department.name,
        "slug": department.slug,
        "kind": department.kind,
        "parent": "",
        "email": "",
        "description": "",
        "is_active": "on",
    }
    data.update(extra)
    return data


def test_an_editor_edits_a_department_and_sees_its_members_but_cannot_change_them(client):
    department = DepartmentFactory(name="Team Integration")
    member = DepartmentMembershipFactory(
        department=department, user=ResidentFactory(email="pruefer@example.org")
    )
    client.force_login(user_with_role(Role.EDITOR))
    url = f"/admin/platform/departments/edit/{department.pk}/"

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "pruefer@example.org" in html
    assert "memberships-TOTAL_FORMS" not in html

    # a forged formset is ignored: the editor's form has none
    response = client.post(
        url,
        department_post(
            department,
            description="Neu",
            **{
                "memberships-TOTAL_FORMS": "1",
                "memberships-INITIAL_FORMS": "1",
                "memberships-0-id": str(member.pk),
                "memberships-0-user": "pruefer@example.org",
                "memberships-0-role": "lead",
                "memberships-0-DELETE": "on",
            },
        ),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    department.refresh_from_db()
    assert department.description == "Neu"
    member.refresh_from_db()
    assert member.role == "reviewer"


def test_the_coordination_office_manages_members_on_their_own_screen(client, coordination):
    department = DepartmentFactory(name="Fachbereich Soziales")
    ResidentFactory(email="neu@region-hannover.de")

    assert client.get("/admin/platform/department-members/new/").status_code == 200
    response = client.post(
        "/admin/platform/department-members/new/",
        {"department": str(department.pk), "user": "Neu@Region-Hannover.de", "role": "reviewer"},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    membership = DepartmentMembership.objects.get(department=department)
    assert membership.user.email == "neu@region-hannover.de"
    listing = client.get("/admin/platform/department-members/", {"q": "neu@region"})
    assert "neu@region-hannover.de" in listing.content.decode()

    response = client.post(f"/admin/platform/department-members/delete/{membership.pk}/")
    assert response.status_code == 302
    assert not DepartmentMembership.objects.filter(pk=membership.pk).exists()


def test_an_editor_creates_a_handlungsfeld(client):
    client.force_login(user_with_role(Role.EDITOR))

    page = client.get("/admin/platform/handlungsfelder/new/")
    assert page.status_code == 200
    assert 'data-controller="w-slug' in page.content.decode()  # the slug follows the name
    response = client.post(
        "/admin/platform/handlungsfelder/new/",
        {"number": "9", "name": "Wohnen", "slug": "wohnen", "summary": ""},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Handlungsfeld.objects.filter(slug="wohnen", number=9).exists()


def test_the_slug_of_an_existing_object_does_not_follow_its_name(client, coordination):
    field = HandlungsfeldFactory(name="Vernetzung", slug="vernetzung")
    client.force_login(user_with_role(Role.EDITOR))

    html = client.get(f"/admin/platform/handlungsfelder/edit/{field.pk}/").content.decode()

    assert "w-sync#apply" not in html


@pytest.mark.parametrize(
    ("role", "url"),
    [
        (Role.COORDINATION, "/admin/platform/handlungsfelder/new/"),
        (Role.COORDINATION, "/admin/platform/municipalities/new/"),
        (Role.EDITOR, "/admin/platform/department-members/new/"),
    ],
)
def test_what_a_role_may_not_create_it_cannot_open_or_post(client, role, url):
    client.force_login(user_with_role(role))
    for response in (client.get(url), client.post(url, {"name": "X", "slug": "x", "number": "1"})):
        assert response.status_code in {302, 403}
        if response.status_code == 302:
            assert response["Location"] != url
    assert not Handlungsfeld.objects.filter(slug="x").exists()
    assert not Municipality.objects.filter(slug="x").exists()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/platform/departments/",
        "/admin/platform/department-members/",
        "/admin/platform/organisations/",
        "/admin/platform/municipalities/",
        "/admin/platform/handlungsfelder/",
        "/admin/platform/consultations/",
    ],
)
def test_every_list_costs_the_same_for_5_and_50_rows(
    client, coordination, url, django_assert_max_num_queries
):
    garbsen = MunicipalityFactory(name="Garbsen", slug="garbsen")

    def rows(count):
        for _index in range(count):
            parent = DepartmentFactory()
            DepartmentMembershipFactory(department=DepartmentFactory(parent=parent))
            OrganisationFactory(municipality=garbsen)
            MunicipalityFactory()
            HandlungsfeldFactory()
            ConsultationFactory()

    rows(5)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    rows(45)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries), url


def test_a_department_with_members_shows_their_addresses_and_saves_unchanged(client, coordination):
    department = DepartmentFactory(name="Team Integration")
    member = DepartmentMembershipFactory(
        department=department, user=ResidentFactory(email="da@example.org")
    )
    url = f"/admin/platform/departments/edit/{department.pk}/"

    html = client.get(url).content.decode()
    assert 'value="da@example.org"' in html

    response = client.post(
        url,
        department_post(
            department,
            **{
                "memberships-TOTAL_FORMS": "1",
                "memberships-INITIAL_FORMS": "1",
                "memberships-MIN_NUM_FORMS": "0",
                "memberships-MAX_NUM_FORMS": "1000",
                "memberships-0-id": str(member.pk),
                "memberships-0-user": "da@example.org",
                "memberships-0-role": "lead",
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    member.refresh_from_db()
    assert member.role == "lead"


def test_phase_dates_have_wagtails_date_time_picker(client, coordination):
    """Each phase's start and end use AdminDateTimeInput, and its script is on the page (the
    formset's media was missing, so the pickers never started)."""
    consultation = ConsultationFactory()
    Phase.objects.create(
        consultation=consultation, kind="forums", title="Foren", starts_at="2016-03-01T00:00:00Z"
    )
    for url in (
        "/admin/platform/consultations/new/",
        f"/admin/platform/consultations/edit/{consultation.pk}/",
    ):
        html = client.get(url).content.decode()
        assert "wagtailadmin/js/date-time-chooser.js" in html
        for field in ("starts_at", "ends_at"):
            assert f'initDateTimeChooser("id_phases\\u002D0\\u002D{field}"' in html
            assert f'name="phases-0-{field}"' in html
        assert html.index("date-time-chooser.js") < html.index("initDateTimeChooser(")
    from wagtail.admin.widgets import AdminDateTimeInput

    from foundation.admin.forms import PhaseForm

    for field in ("starts_at", "ends_at"):
        assert isinstance(PhaseForm().fields[field].widget, AdminDateTimeInput)
