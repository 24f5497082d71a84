"""The demo loader against the real data file: counts, texts, idempotency."""

import pytest
from django.apps import apps
from django.utils import timezone
from wagtail.models import Page, Site

from cms.models import ConsultationPage, HandlungsfeldPage, HomePage, StandardPage
from demo.loader import load_demo, read_data
from demo.steps import DEMO_CONSULTATION_SLUG, HISTORIC_CONSULTATION_SLUG
from forums.models import Forum, ForumEvent
from foundation.models import (
    Consultation,
    Department,
    Handlungsfeld,
    Municipality,
    Phase,
    PhaseKind,
)

DATA = read_data()


def quiet(message: str) -> None:
    pass


def count_every_model() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


@pytest.fixture
def loaded(db):
    return load_demo(log=quiet)


def test_counts_match_the_data_file(loaded):
    historic = Consultation.objects.get(slug=HISTORIC_CONSULTATION_SLUG)
    assert Municipality.objects.count() == len(DATA["municipalities"]) == 21
    assert Handlungsfeld.objects.count() == len(DATA["handlungsfelder"]) == 8
    assert ForumEvent.objects.filter(consultation=historic).count() == len(DATA["events"]) == 6
    assert historic.phases.count() == len(DATA["consultation"]["phases"]) == 5
    assert Department.objects.count() == len(DATA["departments"])
    assert Forum.objects.filter(consultation=historic).count() == 8
    assert HandlungsfeldPage.objects.live().count() == 8
    assert StandardPage.objects.live().count() == 3
    assert ConsultationPage.objects.live().count() == 2


def test_texts_equal_those_in_the_file(loaded):
    historic = Consultation.objects.get(slug=HISTORIC_CONSULTATION_SLUG)
    assert historic.title == DATA["consultation"]["title"]
    assert historic.summary == DATA["consultation"]["summary"]
    for row in DATA["municipalities"]:
        municipality = Municipality.objects.get(slug=row["slug"])
        assert municipality.name == row["name"]
        assert municipality.kind == row["kind"].lower()
        assert municipality.official_key == (row["ags"] or "")
    for row in DATA["handlungsfelder"]:
        field = Handlungsfeld.objects.get(slug=row["slug"])
        assert (field.number, field.name) == (row["number"], row["name"])
        page = HandlungsfeldPage.objects.get(handlungsfeld=field)
        blocks = {child.block_type: child.value for child in page.body}
        assert blocks["meaning"]["heading"] == row["meaning"]["heading"]
        assert list(blocks["meaning"]["points"]) == row["meaning"]["points"]
        if row["vision"]:
            assert blocks["vision"]["quote"] == row["vision"]
        else:  # Vernetzung has no "Wir wollen …" sentence in the source
            assert "vision" not in blocks
        if row["where_to"]["goals"]:
            assert [goal["title"] for goal in blocks["where_to"]["goals"]] == [
                goal["title"] for goal in row["where_to"]["goals"]
            ]
        if row["builds_on"]["paragraphs"]:
            assert len(blocks["builds_on"]["projects"]) == len(row["builds_on"]["paragraphs"])
        assert row["intro"][0][:80] in page.intro
    for row in DATA["events"]:
        event = ForumEvent.objects.get(consultation=historic, number=row["number"])
        assert event.title == row["title"]
        assert timezone.localtime(event.starts_at).date().isoformat() == row["date"]
        assert (event.municipality.slug if event.municipality else None) == row["municipality"]
    parents = {row["slug"]: row["parent"] for row in DATA["departments"]}
    for department in Department.objects.select_related("parent"):
        assert (department.parent.slug if department.parent else None) == parents[department.slug]


def test_historic_phases_keep_the_real_dates(loaded):
    historic = Consultation.objects.get(slug=HISTORIC_CONSULTATION_SLUG)
    for row in DATA["consultation"]["phases"]:
        phase = historic.phases.get(kind=row["kind"])
        assert phase.title == row["title"]
        assert timezone.localtime(phase.starts_at).date().isoformat() == row["starts_on"]
        if row["ends_on"]:
            last_day = timezone.localtime(phase.ends_at - timezone.timedelta(microseconds=1)).date()
            assert last_day.isoformat() == row["ends_on"]
    assert historic.phase_at().kind == PhaseKind.MONITORING


def test_the_demo_consultation_is_open_for_proposals_now(loaded):
    demo = Consultation.objects.get(slug=DEMO_CONSULTATION_SLUG)
    assert "(Demo)" in demo.title and demo.is_published
    current = demo.phase_at()
    assert current.kind == PhaseKind.FORUMS
    assert current.allows_proposals and current.allows_supports and current.allows_comments
    assert Forum.objects.filter(consultation=demo, is_open=True).count() == 8
    assert ForumEvent.objects.filter(consultation=demo, starts_at__gt=timezone.now()).exists()


def test_the_home_page_is_the_site_root_and_features_the_demo(loaded):
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    assert isinstance(home, HomePage)
    assert home.featured_consultation.consultation.slug == DEMO_CONSULTATION_SLUG
    assert Page.objects.filter(depth=2).count() == 1  # Wagtail's welcome page is gone
    impressum = StandardPage.objects.get(slug="impressum")
    text = str(impressum.body.render_as_block())
    assert "Hildesheimer Straße 20" in text and "30169 Hannover" in text


def test_running_twice_changes_and_duplicates_nothing(loaded):
    before = count_every_model()
    phases_before = list(Phase.objects.order_by("pk").values())
    pages_before = list(
        Page.objects.order_by("pk").values("pk", "path", "title", "latest_revision_id", "live")
    )
    load_demo(log=quiet)
    assert count_every_model() == before
    assert list(Phase.objects.order_by("pk").values()) == phases_before
    assert (
        list(
            Page.objects.order_by("pk").values("pk", "path", "title", "latest_revision_id", "live")
        )
        == pages_before
    )


def test_an_edited_page_is_restored_with_a_new_revision(loaded):
    page = HandlungsfeldPage.objects.get(slug="vernetzung")
    page.title = "Vandalised"
    page.save_revision().publish()
    load_demo(log=quiet)
    page.refresh_from_db()
    assert page.title == "Vernetzung"
    assert HandlungsfeldPage.objects.filter(slug="vernetzung").count() == 1


def test_the_demo_consultation_has_example_proposals_with_exact_counters(loaded, client):
    from consultations.models import Comment, Proposal, Support

    proposals = Proposal.objects.filter(consultation=loaded.demo_consultation)
    assert proposals.count() == 10
    for proposal in proposals:
        assert proposal.support_count == Support.objects.filter(proposal=proposal).count()
        assert proposal.comment_count == Comment.objects.filter(proposal=proposal).count()
    assert proposals.filter(kind="goal").get().measures.count() == 2
    listing = client.get(
        f"/beteiligung/{loaded.demo_consultation.slug}/vorschlaege/"
    ).content.decode()
    assert "Abendsprachkurse mit Kinderbetreuung (Demo)" in listing
