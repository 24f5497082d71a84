"""Menus, breadcrumbs and the site search."""

import re

import pytest

from cms.models import HomePage, StandardPage
from demo.texts import paragraphs


def nav(html: str, label: str) -> str:
    start = html.index(f'aria-label="{label}"')
    return html[start : html.index("</nav>", start)]


def test_main_menu_lists_the_root_children_shown_in_menus(client, demo_site):
    html = client.get("/en/").content.decode()
    menu = nav(html, "Main navigation")
    titles = re.findall(r">([^<>]+)</a>", menu)
    assert titles == [
        "Integrationskonzept – Fortschreibung 2027 (Demo)",
        "Integrationskonzept der Region Hannover",
        "Handlungsfelder",
        "Surveys",
        "Forums",
        "Events",
    ]
    assert "Impressum" not in menu


def test_main_menu_marks_the_current_page_and_section(client, demo_site):
    on_index = nav(client.get("/en/handlungsfelder/").content.decode(), "Main navigation")
    assert re.search(r'href="/en/handlungsfelder/" aria-current="page"', on_index)
    on_field = nav(
        client.get("/en/handlungsfelder/gefluechtete/").content.decode(), "Main navigation"
    )
    assert re.search(r'href="/en/handlungsfelder/" aria-current="true"', on_field)


def test_footer_links_the_legal_pages_in_order(client, demo_site):
    footer = nav(client.get("/en/").content.decode(), "Legal and accessibility")
    assert re.findall(r">([^<>]+)</a>", footer) == [
        "Impressum",
        "Datenschutzerklärung",
        "Erklärung zur Barrierefreiheit",
    ]


def test_breadcrumbs_for_a_nested_page(client, demo_site):
    html = client.get("/en/handlungsfelder/bildung-und-sprache/").content.decode()
    crumbs = nav(html, "Breadcrumb")
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', crumbs) == [
        ("/en/", "Home"),
        ("/en/handlungsfelder/", "Handlungsfelder"),
    ]
    assert '<span aria-current="page">Bildung und Sprache</span>' in crumbs


def test_no_breadcrumbs_on_the_home_page(client, demo_site):
    assert 'aria-label="Breadcrumb"' not in client.get("/en/").content.decode()


def test_header_works_without_javascript(client, demo_site):
    html = client.get("/en/").content.decode()
    assert html.index('class="skip-link" href="#main"') < html.index('<header class="site-header"')
    header = html[html.index('<header class="site-header"') : html.index("</header>")]
    assert "<noscript" not in header and "hidden" not in re.sub(
        r"visually-hidden|type=\"hidden\"", "", header
    )


def test_search_finds_a_handlungsfeld_page_by_a_word_of_its_text(client, demo_site):
    response = client.get("/en/suche/", {"q": "Rucksack"})
    html = response.content.decode()
    assert response.status_code == 200 and html.count("<h1") == 1
    results = html[html.index('class="search-results"') :]
    assert '<a href="/en/handlungsfelder/bildung-und-sprache/">Bildung und Sprache</a>' in results
    assert "1 result for “Rucksack”" in html
    assert 'value="Rucksack"' in html  # the query stays in the field


def test_search_without_results_gives_advice(client, demo_site):
    html = client.get("/en/suche/", {"q": "Quantenchromodynamik"}).content.decode()
    assert "0 results" in html and "Check the spelling" in html
    assert 'value="Quantenchromodynamik"' in html


def test_search_without_query_shows_only_the_form(client, demo_site):
    html = client.get("/en/suche/").content.decode()
    assert (
        'id="search-q"' in html and "result" not in html.split("<main", 1)[1].split("</form>", 1)[1]
    )


def test_search_paginates_and_skips_unpublished_pages(
    client, demo_site, django_assert_max_num_queries
):
    home = HomePage.objects.get()
    for number in range(25):
        page = StandardPage(
            title=f"Infoblatt {number}",
            slug=f"infoblatt-{number}",
            intro=paragraphs("Zebrastreifen"),
        )
        home.add_child(instance=page)
        page.save_revision().publish()
    hidden = StandardPage.objects.get(slug="infoblatt-0")
    hidden.unpublish()
    everything = client.get("/en/suche/", {"q": "Zebrastreifen"}).content.decode()
    assert "24 results" in everything
    assert len(re.findall(r"<h3><a href=", everything)) == 5  # the first few of each kind
    assert "All 24 hits in “Pages”" in everything
    first = client.get("/en/suche/", {"q": "Zebrastreifen", "in": "seiten"}).content.decode()
    assert first.count('class="search-results"') == 1
    assert len(re.findall(r"<h3><a href=", first)) == 20
    # Constant: the counts of the five kinds, the page of one kind, the Handlungsfelder of
    # the filter, the menus.
    with django_assert_max_num_queries(14):
        second = client.get(
            "/en/suche/", {"q": "Zebrastreifen", "in": "seiten", "page": 2}
        ).content.decode()
    assert len(re.findall(r"<h3><a href=", second)) == 4
    assert 'start="21"' in second
    assert "Infoblatt 0<" not in first + second


@pytest.mark.parametrize("query", ["x" * 500, "<script>alert(1)</script>"])
def test_search_handles_odd_input(client, demo_site, query):
    response = client.get("/en/suche/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
