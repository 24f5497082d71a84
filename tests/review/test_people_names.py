"""People in the review's timelines and lists: display name and department, never e-mail."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from consultations.review import services
from consultations.review.templatetags.review_tags import staff_name

from .factories import (
    DepartmentFactory,
    ProposalFactory,
    UserFactory,
    coordination_office_user,
    reviewer_of,
)
from .test_workflow import COMPLETE

pytestmark = pytest.mark.django_db


def test_timeline_statements_and_revisions_show_names_and_departments(
    client, django_assert_max_num_queries
):
    schools, health = (
        DepartmentFactory(name="Fachbereich Schulen"),
        DepartmentFactory(name="Team Gesundheit"),
    )
    office = coordination_office_user()
    office.display_name = "Jan Koch"
    office.email = "jan.koch@region.invalid"
    office.save()
    lead = reviewer_of(schools, display_name="Petra Schulz", email="petra@region.invalid")
    helper = reviewer_of(health, display_name="Aylin Demir", email="aylin@region.invalid")
    proposal = ProposalFactory()
    (case,) = services.cases_assign(
        proposals=[proposal],
        lead_department=schools,
        contributing_departments=[health],
        due_on=None,
        actor=office,
    )
    services.contribution_add(
        case=case, actor=helper, department=health, statement="Wir unterstützen das."
    )
    services.review_start(case=case, actor=lead)
    services.assessment_save(
        case=case,
        actor=lead,
        data={**COMPLETE, "revised_title": "Neuer Titel", "revised_body": "Neuer Text"},
        submit=True,
    )
    client.force_login(office)
    with django_assert_max_num_queries(40):
        page = client.get(reverse("review:case", kwargs={"proposal_id": proposal.pk}))
    content = page.content.decode()
    assert "Jan Koch (Koordinierungsstelle)" in content
    assert "Petra Schulz (Fachbereich Schulen)" in content
    assert "Aylin Demir (Team Gesundheit)" in content
    for address in ("jan.koch@region.invalid", "petra@region.invalid", "aylin@region.invalid"):
        assert address not in content


def test_staff_name_for_every_kind_of_person():
    schools, traffic = (
        DepartmentFactory(name="Fachbereich Schulen"),
        DepartmentFactory(name="Fachbereich Verkehr"),
    )
    both = reviewer_of(schools, display_name="Petra Schulz")
    reviewer_of_other = reviewer_of(traffic, display_name="Max Weg")
    both.department_memberships.create(department=traffic)
    assert staff_name(both) == "Petra Schulz (Fachbereich Schulen, Fachbereich Verkehr)"
    assert staff_name(reviewer_of_other) == "Max Weg (Fachbereich Verkehr)"
    office = coordination_office_user()
    office.display_name = "Jan Koch"
    assert staff_name(office) == "Jan Koch (Koordinierungsstelle)"
    with translation.override("en"):
        assert staff_name(office) == "Jan Koch (Coordination office)"
    # A coordination office member who also belongs to a department is shown with it.
    office.department_memberships.create(department=schools)
    assert staff_name(office) == "Jan Koch (Fachbereich Schulen)"
    plain = UserFactory(display_name="", email="niemand@region.invalid")
    assert staff_name(plain) == plain.public_name and "@" not in staff_name(plain)
    assert staff_name(UserFactory(display_name="Eva")) == "Eva"
    assert staff_name(None) == ""
