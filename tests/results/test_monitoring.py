"""Monitoring: who may update which measure, the public page, and bad input kept."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.results import services
from consultations.results.models import (
    ConceptMeasure,
    IndicatorValue,
    MeasureStatusChange,
    ProgressNote,
)
from foundation.actors import SYSTEM

from .factories import (
    PASSWORD,
    ConsultationFactory,
    DepartmentFactory,
    HandlungsfeldFactory,
    UserFactory,
    concept_goal,
    concept_measure,
    coordination_office_user,
    reviewer_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    consultation = ConsultationFactory()
    field = HandlungsfeldFactory(name="Bildung und Sprache")
    own, other = DepartmentFactory(), DepartmentFactory()
    goal = concept_goal(consultation, field, "Sprachförderung ausbauen")
    measure = concept_measure(goal, "Sprachkurse für Eltern anbieten", department=own)
    foreign = concept_measure(goal, "Lernpatenschaften vermitteln", department=other)
    return {
        "consultation": consultation,
        "field": field,
        "measure": measure,
        "foreign": foreign,
        "coordination": coordination_office_user(),
        "reviewer": reviewer_of(own),
        "other_reviewer": reviewer_of(other),
        "resident": UserFactory(),
    }


def progress(client, measure, **data):
    return client.post(
        reverse("results:staff_measure", args=[measure.pk]), {"action": "progress", **data}
    )


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("coordination", 302),
        ("reviewer", 302),
        ("other_reviewer", 404),
        ("resident", 403),
        (None, 302),
    ],
)
def test_who_may_update_a_measure(client, world, who, expected):
    if who:
        client.force_login(world[who])
    response = progress(client, world["measure"], status="in_progress", note="Erste Kurse laufen.")
    assert response.status_code == expected
    measure = ConceptMeasure.objects.get(pk=world["measure"].pk)
    if who in ("coordination", "reviewer"):
        assert measure.status == "in_progress"
        assert MeasureStatusChange.objects.get().changed_by == world[who]
        assert ProgressNote.objects.get().status_after == "in_progress"
    else:
        assert measure.status == "planned"
        assert not MeasureStatusChange.objects.exists()
        if who is None:
            assert "/konto/" in response["Location"]


@pytest.mark.parametrize(
    ("who", "expected"),
    [("coordination", 200), ("reviewer", 200), ("other_reviewer", 404), ("resident", 403)],
)
def test_who_sees_the_measure_page_and_indicator_pages(client, world, who, expected):
    indicator = services.indicator_create(
        actor=world["coordination"],
        consultation=world["consultation"],
        measure=world["measure"],
        name="Teilnehmende Eltern",
    )
    client.force_login(world[who])
    assert (
        client.get(reverse("results:staff_measure", args=[world["measure"].pk])).status_code
        == expected
    )
    assert (
        client.get(reverse("results:staff_indicator", args=[indicator.pk])).status_code == expected
    )
    response = client.post(
        reverse("results:staff_indicator", args=[indicator.pk]),
        {"date": "2024-01-31", "value": "12"},
    )
    assert response.status_code == (302 if expected == 200 else expected)
    assert IndicatorValue.objects.exists() == (expected == 200)


def test_a_reviewer_lists_only_the_own_departments_measures(client, world):
    client.force_login(world["reviewer"])
    response = client.get(reverse("results:staff_measures", args=[world["consultation"].slug]))
    assert response.status_code == 200
    assert "Sprachkurse für Eltern anbieten" in response.content.decode()
    assert "Lernpatenschaften vermitteln" not in response.content.decode()


def test_only_the_coordination_office_assigns_departments_and_removes_measures(client, world):
    client.force_login(world["reviewer"])
    url = reverse("results:staff_measure", args=[world["measure"].pk])
    assert client.post(url, {"action": "department", "department": ""}).status_code == 403
    assert (
        client.post(reverse("results:staff_measure_remove", args=[world["measure"].pk])).status_code
        == 403
    )
    client.force_login(world["coordination"])
    assert (
        client.post(
            url, {"action": "department", "department": world["foreign"].department_id}
        ).status_code
        == 302
    )
    assert (
        ConceptMeasure.objects.get(pk=world["measure"].pk).department_id
        == world["foreign"].department_id
    )
    assert (
        client.post(reverse("results:staff_measure_remove", args=[world["measure"].pk])).status_code
        == 302
    )
    assert list(ConceptMeasure.objects.values_list("text", "number")) == [
        ("Lernpatenschaften vermitteln", 1)
    ]


def test_bad_input_is_explained_and_kept(client, world):
    client.force_login(world["reviewer"])
    note = "Die Räume sind gebucht, es fehlt noch Personal."
    response = progress(client, world["measure"], status="finished-ish", note=note)
    assert response.status_code == 400
    html = response.content.decode()
    assert note in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_status_error' in html

    indicator = services.indicator_create(
        actor=world["reviewer"],
        consultation=world["consultation"],
        measure=world["measure"],
        name="Kurse",
    )
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(
        reverse("results:staff_indicator", args=[indicator.pk]),
        {"date": future, "value": "7", "note": "geplant"},
    )
    assert response.status_code == 400
    assert "geplant" in response.content.decode() and future in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_nothing_changed_is_refused(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.measure_record_progress(
            measure=world["measure"], actor=world["coordination"], status="planned", note="  "
        )


def test_public_monitoring_page_shows_counts_chart_table_and_indicators(
    client, world, django_assert_max_num_queries
):
    services.measure_record_progress(
        measure=world["measure"], actor=world["coordination"], status="done", note="Umgesetzt"
    )
    indicator = services.indicator_create(
        actor=world["coordination"],
        consultation=world["consultation"],
        handlungsfeld=world["field"],
        name="Kita-Quote",
        unit="%",
        target=80,
    )
    services.indicator_value_set(
        actor=world["coordination"], indicator=indicator, on=date(2023, 1, 1), value=61
    )
    services.indicator_value_set(
        actor=world["coordination"], indicator=indicator, on=date(2024, 1, 1), value=68
    )
    url = reverse("results:monitoring", args=[world["consultation"].slug])
    with django_assert_max_num_queries(15):  # + published entries, goals and measures (progress)
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "<svg" in html and 'role="img"' in html
    assert "Bildung und Sprache" in html and "Kita-Quote" in html
    assert "<polyline" in html and "68" in html
    assert "50&nbsp;%" in html  # one of two measures implemented


def test_public_monitoring_query_count_does_not_grow_with_measures(
    client, world, django_assert_max_num_queries
):
    goal = world["measure"].goal
    for index in range(60):
        concept_measure(goal, f"Maßnahme {index}", department=world["measure"].department)
    for index in range(5):
        indicator = services.indicator_create(
            actor=world["coordination"],
            consultation=world["consultation"],
            handlungsfeld=world["field"],
            name=f"Indikator {index}",
        )
        services.indicator_value_set(
            actor=world["coordination"],
            indicator=indicator,
            on=date(2024, 1, index + 1),
            value=index,
        )
    with django_assert_max_num_queries(15):  # + published entries, goals and measures (progress)
        response = client.get(
            reverse("results:monitoring", args=[world["consultation"].slug]), {"status": "planned"}
        )
    assert response.status_code == 200


def test_staff_measure_list_query_count(client, world, django_assert_max_num_queries):
    goal = world["measure"].goal
    for index in range(40):
        concept_measure(goal, f"Maßnahme {index}", department=world["measure"].department)
    client.force_login(world["coordination"])
    with django_assert_max_num_queries(16):
        response = client.get(reverse("results:staff_measures", args=[world["consultation"].slug]))
    assert response.status_code == 200


def test_sign_in_works_for_the_staff_pages(client, world):
    assert client.login(username=world["coordination"].email, password=PASSWORD) or client.login(
        email=world["coordination"].email, password=PASSWORD
    )
    assert client.get(reverse("results:staff_index")).status_code == 200


def test_the_coordination_office_lists_the_measures_of_every_department(client, world):
    client.force_login(world["coordination"])
    response = client.get(reverse("results:staff_measures", args=[world["consultation"].slug]))
    assert response.status_code == 200
    assert "Sprachkurse für Eltern anbieten" in response.content.decode()
    assert "Lernpatenschaften vermitteln" in response.content.decode()


def test_an_indicator_of_the_field_is_the_coordination_offices_alone(client, world):
    indicator = services.indicator_create(
        actor=world["coordination"],
        consultation=world["consultation"],
        handlungsfeld=world["field"],
        name="Anteil der Kinder mit Sprachförderbedarf",
    )

    assert world["coordination"].has_perm("results.edit_indicator", indicator)
    assert not world["reviewer"].has_perm("results.edit_indicator", indicator)
    client.force_login(world["reviewer"])
    assert client.get(reverse("results:staff_indicator", args=[indicator.pk])).status_code == 404


def test_the_system_assigns_a_measure_to_a_department_as_the_annex_import_does(world):
    department = DepartmentFactory()

    services.measure_assign_department(
        actor=SYSTEM, measure=world["measure"], department=department
    )

    assert ConceptMeasure.objects.get(pk=world["measure"].pk).department == department
