"""The public pages as a visitor sees them (English UI via the /en/ prefix)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Page, Site

from cms.models import ConsultationPage, HandlungsfeldPage, HomePage, StandardPage
from foundation.models import Phase, PhaseKind

PAGES = [
    "/en/",
    "/en/fortschreibung-2027/",
    "/en/integrationskonzept-2016/",
    "/en/handlungsfelder/",
    "/en/handlungsfelder/willkommenskultur/",
    "/en/impressum/",
    "/en/datenschutz/",
    "/en/barrierefreiheit/",
]


def main_of(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_type_renders_with_one_h1_and_landmarks(client, demo_site, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    for landmark in ('<header class="site-header"', "<nav", '<main id="main"', "<footer"):
        assert landmark in html
    assert 'lang="en"' in html


def test_german_is_served_without_prefix(client, demo_site):
    response = client.get("/handlungsfelder/willkommenskultur/")
    assert response.status_code == 200
    assert 'lang="de"' in response.content.decode()


def test_site_root_is_our_home_page_not_the_wagtail_welcome_page(demo_site):
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert not Page.objects.filter(depth=2).exclude(pk=site.root_page_id).exists()


def test_timeline_marks_the_current_phase_in_text_and_with_dates(client, demo_site):
    html = main_of(client.get("/en/fortschreibung-2027/").content.decode())
    timeline = html[html.index('<ol class="timeline') :]
    items = re.findall(r"<li class=\"phase--(\w+)\"(.*?)</li>", timeline, re.S)
    assert [state for state, _ in items] == ["past", "current", "upcoming", "upcoming", "upcoming"]
    current = items[1][1]
    assert 'aria-current="step"' in current
    assert "Current phase" in current and "Foren" in current
    assert re.search(r'<time datetime="\d{4}-\d{2}-\d{2}">', current)


def test_historic_consultation_shows_real_dates_and_monitoring_as_current(client, demo_site):
    html = main_of(client.get("/en/integrationskonzept-2016/").content.decode())
    assert '<time datetime="2014-06-01">' in html  # first forum
    assert '<time datetime="2014-09-28">' in html  # last forum, end day inclusive
    assert '<time datetime="2015-02-01">' in html and '<time datetime="2015-03-31">' in html
    current = re.search(r'<li class="phase--current"(.*?)</li>', html, re.S).group(1)
    assert "Umsetzung und Integrationsmonitoring" in current
    # The one-day result phase (Stand 27.09.2016) shows its date once, not "from X to X".
    result = re.search(
        r'<li class="phase--past"[^>]*>\s*<h3 class="cms-phase-title">Ergebnis(.*?)</li>',
        html,
        re.S,
    ).group(1)
    assert result.count('<time datetime="2016-09-27">') == 1 and " to " not in result


def test_what_can_be_done_now_follows_the_phase_switches(client, demo_site):
    demo_html = main_of(client.get("/en/fortschreibung-2027/").content.decode())
    assert "Submit a proposal" in demo_html
    assert "Support proposals" in demo_html and "Comment on proposals" in demo_html
    historic_html = main_of(client.get("/en/integrationskonzept-2016/").content.decode())
    assert "Submit a proposal" not in historic_html
    assert "Read the proposals and results" in historic_html

    forums = Phase.objects.get(consultation=demo_site.demo_consultation, kind=PhaseKind.FORUMS)
    forums.allows_proposals = False
    forums.save()
    demo_html = main_of(client.get("/en/fortschreibung-2027/").content.decode())
    assert "Submit a proposal" not in demo_html
    assert "Support proposals" in demo_html


def test_consultation_without_an_open_phase_says_so(client, demo_site):
    consultation = demo_site.demo_consultation
    later = timezone.now() + timezone.timedelta(days=400)
    for index, phase in enumerate(consultation.phases.order_by("starts_at")):
        phase.starts_at = later + timezone.timedelta(days=10 * index)
        phase.ends_at = later + timezone.timedelta(days=10 * index + 5)
        phase.save()
    html = main_of(client.get("/en/fortschreibung-2027/").content.decode())
    assert "nothing to take part in" in html
    assert 'class="phase--current"' not in html


def test_consultation_page_lists_forum_events_with_date_place_and_participants(client, demo_site):
    html = main_of(client.get("/en/integrationskonzept-2016/").content.decode())
    events = html[html.index('id="events-heading"') :]
    assert "Auftaktveranstaltung" in events and "about 200 people" in events
    assert "Forum 4: Bildung und Sprache" in events and "Ronnenberg" in events
    assert '<time datetime="2014-07-12' in events


def test_handlungsfeld_page_shows_the_concept_sections(client, demo_site):
    html = main_of(client.get("/en/handlungsfelder/willkommenskultur/").content.decode())
    assert (
        '<h2 id="was-bedeutet-willkommenskultur-fur-uns">Was bedeutet Willkommenskultur für uns?</h2>'
        in html
    )
    assert "Diskriminierung und Rassismus wirkungsvoll zu bekämpfen." in html
    assert "<blockquote><p>Wir wollen, dass sich Neuzuwanderer" in html
    assert '<h2 id="wo-wollen-wir-hin">Wo wollen wir hin?</h2>' in html
    assert "Erleichterung der Erstorientierungsphase für Neuzugewanderte" in html
    # The table of contents links to each section's anchor.
    toc = html[html.index('class="cms-toc"') : html.index("</nav>", html.index('class="cms-toc"'))]
    assert 'href="#was-bedeutet-willkommenskultur-fur-uns"' in toc
    assert 'href="#wo-wollen-wir-hin"' in toc


def test_handlungsfeld_page_with_examples_and_fact_box(client, demo_site):
    education = main_of(client.get("/en/handlungsfelder/bildung-und-sprache/").content.decode())
    assert '<h2 id="worauf-bauen-wir-auf">Worauf bauen wir auf?</h2>' in education
    assert "Rucksack KiTa" in education
    refugees = main_of(client.get("/en/handlungsfelder/gefluechtete/").content.decode())
    assert "Geflüchtete in der Region – Aktuelle Zahlen" in refugees
    assert "Forum 4" not in refugees


def test_handlungsfeld_page_links_its_neighbours_and_its_forum_events(client, demo_site):
    html = main_of(client.get("/en/handlungsfelder/gefluechtete/").content.decode())
    assert 'rel="prev"' in html and "Willkommenskultur" in html
    assert 'rel="next"' in html and "Bildung und Sprache" in html
    education = main_of(client.get("/en/handlungsfelder/bildung-und-sprache/").content.decode())
    assert "Forum 4: Bildung und Sprache" in education


def test_index_lists_the_fields_in_concept_order(client, demo_site):
    html = main_of(client.get("/en/handlungsfelder/").content.decode())
    positions = [
        html.index(name) for name in ("Willkommenskultur", "Geflüchtete", "Bildung und Sprache")
    ]
    assert positions == sorted(positions)


def test_home_page_teases_the_featured_consultation_and_links_the_fields(client, demo_site):
    html = main_of(client.get("/en/").content.decode())
    assert "Integrationskonzept – Fortschreibung 2027 (Demo)" in html
    assert "Current phase: <strong>Foren</strong>" in html
    assert "Submit a proposal" in html
    assert 'href="/en/handlungsfelder/bildung-und-sprache/"' in html
    assert "Integrationskonzept der Region Hannover" in html  # further consultations


def test_unpublished_pages_are_not_shown(client, demo_site):
    page = HandlungsfeldPage.objects.get(slug="gefluechtete")
    page.unpublish()
    assert client.get("/en/handlungsfelder/gefluechtete/").status_code == 404
    assert "Geflüchtete" not in main_of(client.get("/en/handlungsfelder/").content.decode())


def test_standard_pages_render_their_legal_texts(client, demo_site):
    impressum = main_of(client.get("/impressum/").content.decode())
    assert "Hildesheimer Straße 20" in impressum and "30169 Hannover" in impressum
    assert "Herausgeberin der Demo-Inhalte" in impressum
    privacy = main_of(client.get("/datenschutz/").content.decode())
    assert "Art. 15 DSGVO" in privacy and 'class="cms-toc"' in privacy
    assert StandardPage.objects.live().count() == 3


@pytest.mark.parametrize(
    ("url", "max_queries"),
    [
        ("/en/", 15),
        ("/en/fortschreibung-2027/", 15),
        ("/en/integrationskonzept-2016/", 16),
        ("/en/handlungsfelder/", 13),
        ("/en/handlungsfelder/bildung-und-sprache/", 20),  # +1 survey findings, +1 its forum
        ("/en/impressum/", 11),
    ],
)
def test_query_counts_are_pinned(
    client, demo_site, django_assert_max_num_queries, url, max_queries
):
    client.get(url)  # warm caches that are per process (site lookup, content types)
    with django_assert_max_num_queries(max_queries):
        assert client.get(url).status_code == 200


def test_consultation_page_query_count_does_not_grow_with_events(
    client, demo_site, django_assert_max_num_queries
):
    from forums.models import ForumEvent

    consultation = demo_site.historic_consultation
    for number in range(10, 40):
        ForumEvent.objects.create(
            consultation=consultation,
            number=number,
            title=f"Extra {number}",
            slug=f"extra-{number}",
            starts_at=timezone.now(),
            municipality=demo_site.municipalities["hannover"],
            handlungsfeld=demo_site.handlungsfelder["gefluechtete"],
        )
    client.get("/en/integrationskonzept-2016/")
    with django_assert_max_num_queries(16):
        html = client.get("/en/integrationskonzept-2016/").content.decode()
    assert "Extra 39" in html
    assert ConsultationPage.objects.count() == 2


def test_handlungsfeld_page_links_its_forum_and_the_forum_overview(client, demo_site):
    from forums.models import Forum

    page = HandlungsfeldPage.objects.get(slug="bildung-und-sprache")
    forum, _created = Forum.objects.get_or_create(
        consultation=page.consultation, handlungsfeld=page.handlungsfeld
    )
    html = main_of(client.get("/en/handlungsfelder/bildung-und-sprache/").content.decode())
    with translation.override("en"):
        forum_path, overview = forum.get_absolute_url(), reverse("forums:index")
    assert f'href="{forum_path}"' in html and "Discuss in the forum Bildung und Sprache" in html
    assert f'href="{overview}"' in html
    assert client.get(forum_path).status_code == 200
