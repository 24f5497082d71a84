"""Charts draw the same in every language: SVG geometry is never written with a decimal comma.

A German page that wrote `x="33,333"` would draw a broken chart (or none); the labels a
person reads keep the German decimal comma.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from consultations.results import services

from .factories import (
    ConsultationFactory,
    HandlungsfeldFactory,
    concept_goal,
    concept_measure,
    coordination_office_user,
)

pytestmark = pytest.mark.django_db

PLAIN_NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
SCALAR = {"x", "y", "width", "height", "cx", "cy", "r", "rx", "ry", "x1", "y1", "x2", "y2"}
SCALAR |= {"stroke-width", "font-size", "dx", "dy"}


class SvgGeometry(HTMLParser):
    """The geometry attributes of every element inside an <svg>, per chart."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.charts: list[list[tuple[str, str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "svg":
            if self.depth == 0:
                self.charts.append([])
            self.depth += 1
        if self.depth:
            self.charts[-1].extend((tag, name, value or "") for name, value in attrs)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "svg":
            self.depth -= 1

    def handle_endtag(self, tag):
        if tag == "svg" and self.depth:
            self.depth -= 1


def geometry_errors(html: str) -> tuple[list[str], int]:
    """Every geometry value that is not a plain number, and how many values were checked."""
    errors, checked = [], 0

    def check(tag, name, number):
        nonlocal checked
        checked += 1
        if not PLAIN_NUMBER.fullmatch(number):
            errors.append(f"<{tag} {name}=…{number!r}…>")

    for chart in SvgGeometry(html).charts:
        for tag, name, value in chart:
            if name in SCALAR and not value.endswith("%"):
                check(tag, name, value.strip())
            elif name == "viewbox":
                parts = value.split()
                assert len(parts) == 4, value
                for part in parts:
                    check(tag, name, part)
            elif name == "points":
                for pair in value.split():
                    coordinates = pair.split(",")
                    assert len(coordinates) == 2, f"points {value!r}"
                    for number in coordinates:
                        check(tag, name, number)
            elif name == "d":
                for number in re.findall(r"[-\d.,]+", value):
                    for part in filter(None, number.split(",")):
                        check(tag, name, part)
    return errors, checked


def geometry(html: str) -> list[list[tuple[str, str, str]]]:
    """The charts' attributes without the texts (ids and labels differ per language)."""
    keep = SCALAR | {"viewbox", "points", "d"}
    return [[a for a in chart if a[1] in keep] for chart in SvgGeometry(html).charts]


@pytest.fixture
def monitored():
    """Three measures (one done: shares of 33.333 % and 66.667 %) and an indicator with
    fractional values, unevenly spaced dates and a target."""
    consultation = ConsultationFactory()
    field = HandlungsfeldFactory(name="Bildung und Sprache")
    office = coordination_office_user()
    goal = concept_goal(consultation, field, "Sprachförderung ausbauen")
    measures = [concept_measure(goal, f"Maßnahme {n}") for n in range(3)]
    services.measure_record_progress(
        measure=measures[0], actor=office, status="done", note="Alle Kurse laufen"
    )
    indicator = services.indicator_create(
        actor=office,
        consultation=consultation,
        handlungsfeld=field,
        name="Kita-Quote",
        unit="%",
        target=Decimal("80.5"),
    )
    for on, value in [
        (date(2023, 1, 1), "61.5"),
        (date(2023, 2, 3), "63.25"),
        (date(2024, 7, 9), "68.75"),
    ]:
        services.indicator_value_set(actor=office, indicator=indicator, on=on, value=Decimal(value))
    return consultation, indicator, office


def page(client, language: str, name: str, *args) -> str:
    with translation.override(language):
        url = reverse(name, args=args)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_scalar_geometry_attribute_of_the_monitoring_charts_is_a_plain_number(
    client, monitored, language
):
    consultation, _indicator, _office = monitored
    html = page(client, language, "results:monitoring", consultation.slug)

    errors, checked = geometry_errors(html)

    assert len(SvgGeometry(html).charts) >= 3  # bars, legend swatches, the indicator's line
    assert checked > 30
    assert errors == []


def test_the_staff_indicator_chart_is_plain_numbers_in_german(client, monitored):
    _consultation, indicator, office = monitored
    client.force_login(office)
    html = page(client, "de", "results:staff_indicator", indicator.pk)

    errors, checked = geometry_errors(html)

    assert checked > 10
    assert errors == []


def test_a_german_page_draws_the_same_charts_as_an_english_one(client, monitored):
    consultation, _indicator, _office = monitored

    german = page(client, "de", "results:monitoring", consultation.slug)
    english = page(client, "en", "results:monitoring", consultation.slug)

    assert geometry(german) == geometry(english)


def test_the_labels_a_person_reads_keep_the_decimal_comma_in_german(client, monitored):
    consultation, _indicator, _office = monitored

    german = page(client, "de", "results:monitoring", consultation.slug)
    english = page(client, "en", "results:monitoring", consultation.slug)

    assert "63,25" in german and "80,5" in german
    assert "63.25" in english and "80.5" in english
