"""The charts: SVG with role="img" and a title beside a data table; every geometry attribute is a
plain number in German as in English (a decimal comma inside an SVG attribute breaks it)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from foundation.charts import BarItem, bar_chart, svg_number

from .helpers import questionnaire, respond

pytestmark = pytest.mark.django_db

GEOMETRY = ("x", "y", "width", "height", "viewBox", "x1", "x2", "y1", "y2", "cx", "cy", "r")


def geometry_values(html: str) -> list[str]:
    values = []
    for svg in re.findall(r"<svg\b.*?</svg>", html, flags=re.S):
        for name, value in re.findall(r'\s([A-Za-z0-9]+)="([^"]*)"', svg):
            if name in GEOMETRY:
                values.extend(value.split())
    return values


def test_svg_number_is_never_localised():
    with translation.override("de"):
        assert svg_number(12.5) == "12.5"
        assert svg_number(1 / 3) == "0.33"
        assert svg_number(1e-9) == "0"
        assert svg_number(float("nan")) == "0"


def test_bars_scale_to_the_largest_value():
    chart = bar_chart([BarItem("a", 10), BarItem("b", 5), BarItem("c", None)])
    widths = [float(bar.width) for bar in chart.bars]
    assert widths[0] == 2 * widths[1]
    assert chart.bars[2].suppressed


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_geometry_attribute_parses_as_a_float(client, coordination, language):
    data = questionnaire()
    for index in range(7):
        respond(
            data,
            kinds=("1", "2") if index % 3 else ("3",),
            size=str(1 + index % 3),
            rating={"sprache": str(1 + index % 3)},
            ranking=("1", "2", "3"),
        )
    respond(data, group=1, municipality=1, kinds=("1",))
    prefix = "" if language == "de" else "/en"
    html = client.get(
        prefix + reverse("surveys:results_dashboard", kwargs={"slug": data.survey.slug})
    ).content.decode()
    values = geometry_values(html)
    assert len(values) > 50
    for value in values:
        float(value)  # raises on "12,5"
    assert any("." in value for value in values)  # there are fractions, written with a dot
    assert html.count('role="img"') >= 5 and html.count("<title") >= 5
    shares_in_text = re.findall(r"\d+[.,]\d %", re.sub(r"<svg\b.*?</svg>", "", html, flags=re.S))
    assert shares_in_text
    separator = "," if language == "de" else "."
    assert all(separator in share for share in shares_in_text)


def test_german_and_english_draw_the_same_chart(client, coordination):
    data = questionnaire()
    for index in range(6):
        respond(data, kinds=("1",) if index % 2 else ("1", "3"), size="2")
    url = reverse("surveys:results_dashboard", kwargs={"slug": data.survey.slug})
    german = geometry_values(client.get(url).content.decode())
    english = geometry_values(client.get("/en" + url).content.decode())
    assert german == english
