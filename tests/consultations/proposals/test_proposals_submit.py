"""Submitting, previewing, editing and withdrawing proposals: phases, roles, bad input, double submit."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import Proposal, ProposalKind, ProposalStatus
from foundation.richtext import sanitize_html
from tests.consultations.factories import (
    HandlungsfeldFactory,
    MunicipalityFactory,
    PhaseFactory,
    ProposalFactory,
    ResidentFactory,
    SupportFactory,
    UserFactory,
    coordination_office_user,
    open_consultation,
)


def proposal_detail_url(proposal):
    return reverse("consultations:proposal_detail", args=[proposal.consultation.slug, proposal.pk])


pytestmark = pytest.mark.django_db


def create_url(consultation):
    return reverse("consultations:proposal_create", args=[consultation.slug])


def form_data(field, **overrides):
    data = {
        "kind": "measure",
        "title": "Sprachkurse mit Kinderbetreuung",
        "body": "Viele Eltern können nicht teilnehmen.\n\nDeshalb: Kinderbetreuung während der Kurse.",
        "handlungsfeld": field.pk,
        "scope": "region",
        "submission_token": str(uuid.uuid4()),
        "publish": "1",
    }
    data.update(overrides)
    return data


@pytest.fixture
def consultation():
    return open_consultation()


@pytest.fixture
def field():
    return HandlungsfeldFactory(name="Bildung und Sprache", slug="bildung-und-sprache")


def test_visitor_is_sent_to_sign_in(client, consultation):
    response = client.get(create_url(consultation))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_unverified_user_is_refused_with_a_reason(client, consultation, field):
    client.force_login(UserFactory())
    response = client.post("/en" + create_url(consultation), form_data(field))
    assert response.status_code == 403
    assert "confirm your e-mail address" in response.content.decode()
    assert not Proposal.objects.exists()


def test_blocked_user_is_refused(client, consultation, field):
    user = ResidentFactory(blocked_at=timezone.now())
    client.force_login(user)
    response = client.post(create_url(consultation), form_data(field))
    assert response.status_code in (
        302,
        403,
    )  # the session may be ended by the blocked-user middleware
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("who", ["resident", "coordination office"])
def test_resident_and_coordination_office_publish(client, consultation, field, who):
    user = ResidentFactory() if who == "resident" else coordination_office_user()
    client.force_login(user)

    response = client.post(create_url(consultation), form_data(field))

    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "consultations:proposal_detail", args=[consultation.slug, proposal.pk]
    )
    assert proposal.author == user
    assert (
        proposal.body
        == "<p>Viele Eltern können nicht teilnehmen.</p><p>Deshalb: Kinderbetreuung während der Kurse.</p>"
    )
    assert proposal.is_region_wide and proposal.status == ProposalStatus.PUBLISHED


def test_preview_renders_without_publishing_and_keeps_the_text(client, consultation, field):
    client.force_login(ResidentFactory())
    data = form_data(field, body="Mit **Kinderbetreuung**")
    del data["publish"]
    data["preview"] = "1"

    response = client.post(create_url(consultation), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert not Proposal.objects.exists()
    assert "<strong>Kinderbetreuung</strong>" in html  # the rendered preview
    assert "Sprachkurse mit Kinderbetreuung" in html  # the form again, filled in
    assert data["submission_token"] in html


def test_double_submit_with_the_same_token_creates_one_proposal(client, consultation, field):
    client.force_login(ResidentFactory())
    data = form_data(field)

    first = client.post(create_url(consultation), data)
    second = client.post(create_url(consultation), data)

    assert Proposal.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_outside_the_phase_the_form_says_when_it_opens(client, field):
    consultation = open_consultation(allows_proposals=False)
    PhaseFactory(
        consultation=consultation,
        kind="assessment",
        title="Zweite Forenrunde",
        starts_at=timezone.now() + timedelta(days=40),
        ends_at=timezone.now() + timedelta(days=60),
        allows_proposals=True,
    )
    client.force_login(ResidentFactory())

    page = client.get("/en" + create_url(consultation))
    posted = client.post(create_url(consultation), form_data(field))

    assert "Submission opens with the phase “Zweite Forenrunde”" in page.content.decode()
    assert '<form method="post" class="form proposal-form"' not in page.content.decode()
    assert posted.status_code == 200 and not Proposal.objects.exists()


def test_after_the_phase_the_form_says_it_is_over(client, field):
    consultation = open_consultation(allows_proposals=False)
    client.force_login(ResidentFactory())
    page = client.get("/en" + create_url(consultation))
    assert "the phase for proposals is over" in page.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field_name", "message"),
    [
        ({"title": ""}, "title", "Please enter a title."),
        ({"title": "Kurz"[:3]}, "title", "The title is too short"),
        ({"title": "x" * 201}, "title", "The title is too long"),
        ({"body": ""}, "body", "Please describe your proposal."),
        ({"body": "[](https://example.org)"}, "body", "Please describe your proposal."),
        ({"body": "x" * 10_001}, "body", "The description is too long"),
        ({"handlungsfeld": ""}, "handlungsfeld", "your proposal belongs to."),
        ({"scope": "municipalities"}, "municipalities", "Choose at least one municipality."),
        ({"kind": ""}, "kind", "Please choose whether you propose a goal or a measure."),
    ],
)
def test_bad_input_is_explained_and_the_text_is_kept(
    client, consultation, field, overrides, field_name, message
):
    client.force_login(ResidentFactory())
    data = form_data(field, **overrides)
    data.setdefault("body", "")
    if field_name != "body":
        data["body"] = "Mein ausführlicher Text bleibt erhalten."

    response = client.post("/en" + create_url(consultation), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert not Proposal.objects.exists()
    assert message in html
    assert f'id="id_{field_name}_error"' in html or field_name == "kind"
    if field_name != "body":
        assert "Mein ausführlicher Text bleibt erhalten." in html


def test_whole_region_and_municipalities_together_are_refused(client, consultation, field):
    town = MunicipalityFactory(name="Laatzen")
    client.force_login(ResidentFactory())
    response = client.post(
        "/en" + create_url(consultation), form_data(field, municipalities=[town.pk])
    )
    assert "either the whole region or individual municipalities" in response.content.decode()
    assert not Proposal.objects.exists()


def test_municipalities_are_stored(client, consultation, field):
    towns = [MunicipalityFactory(name="Laatzen"), MunicipalityFactory(name="Garbsen")]
    client.force_login(ResidentFactory())
    client.post(
        create_url(consultation),
        form_data(field, scope="municipalities", municipalities=[t.pk for t in towns]),
    )
    proposal = Proposal.objects.get()
    assert not proposal.is_region_wide
    assert set(proposal.municipalities.all()) == set(towns)


def test_a_measure_may_belong_to_a_goal_of_the_same_field_only(client, consultation, field):
    goal = ProposalFactory(consultation=consultation, handlungsfeld=field, kind=ProposalKind.GOAL)
    other_goal = ProposalFactory(
        consultation=consultation, handlungsfeld=HandlungsfeldFactory(), kind=ProposalKind.GOAL
    )
    client.force_login(ResidentFactory())

    refused = client.post("/en" + create_url(consultation), form_data(field, goal=other_goal.pk))
    accepted = client.post(create_url(consultation), form_data(field, goal=goal.pk))

    assert "The goal belongs to another" in refused.content.decode()
    assert accepted.status_code == 302
    assert Proposal.objects.get(goal=goal).kind == ProposalKind.MEASURE


def test_sanitising_removes_scripts_and_keeps_allowed_tags():
    html = sanitize_html(
        '<p onclick="x()">Hallo <strong>Welt</strong> <em>!</em><script>alert(1)</script></p>'
        '<ul><li>eins</li></ul><a href="https://example.org" target="_blank">Link</a>'
        '<img src="x" onerror="y()"><a href="javascript:alert(1)">böse</a><h1>Titel</h1>'
    )
    assert (
        "<script" not in html
        and "onclick" not in html
        and "<img" not in html
        and "javascript:" not in html
    )
    assert (
        "<strong>Welt</strong>" in html
        and "<em>!</em>" in html
        and "<ul><li>eins</li></ul>" in html
    )
    assert '<a href="https://example.org" rel="nofollow">Link</a>' in html
    assert "<h1>" not in html and "Titel" in html


def test_plain_text_becomes_paragraphs_and_is_escaped():
    assert sanitize_html("a < b\nc\n\nd") == "<p>a &lt; b<br>c</p><p>d</p>"


def test_author_edits_while_unsupported(client, consultation, field):
    author = ResidentFactory()
    proposal = ProposalFactory(consultation=consultation, handlungsfeld=field, author=author)
    client.force_login(author)
    url = reverse("consultations:proposal_edit", args=[consultation.slug, proposal.pk])

    assert client.get(url).status_code == 200
    data = form_data(field, title="Neuer Titel für den Vorschlag")
    del data["submission_token"]
    response = client.post(url, data)

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "Neuer Titel für den Vorschlag"


def test_editing_shows_the_markdown_the_author_wrote(client, consultation, field):
    author = ResidentFactory()
    client.force_login(author)
    typed = "Mit **Kinderbetreuung**:\n\n- abends\n- samstags"
    client.post(create_url(consultation), form_data(field, body=typed))
    proposal = Proposal.objects.get()
    url = reverse("consultations:proposal_edit", args=[consultation.slug, proposal.pk])

    form = client.get(url).context["form"]

    assert form["body"].value() == typed
    assert proposal.body == (
        "<p>Mit <strong>Kinderbetreuung</strong>:</p><ul><li>abends</li><li>samstags</li></ul>"
    )


def test_a_proposal_stored_as_html_is_edited_as_markdown_and_keeps_its_look(
    client, consultation, field
):
    """Proposals from before residents wrote Markdown have HTML only: the form shows no tags."""
    author = ResidentFactory()
    html = (
        '<p>Mehr <strong>Kurse</strong><br>am Abend</p><ul><li>mit <a href="https://example.org" '
        'rel="nofollow">Betreuung</a></li></ul>'
    )
    proposal = ProposalFactory(
        consultation=consultation, handlungsfeld=field, author=author, body=html, body_source=""
    )
    client.force_login(author)
    url = reverse("consultations:proposal_edit", args=[consultation.slug, proposal.pk])

    shown = client.get(url).context["form"]["body"].value()
    assert "<" not in shown
    data = form_data(field, body=shown)
    del data["submission_token"]
    assert client.post(url, data).status_code == 302

    proposal.refresh_from_db()
    assert proposal.body == html  # saved unchanged, it looks exactly as before
    assert proposal.body_source == shown


def test_editing_after_a_support_is_refused_with_a_message(client, consultation, field):
    author = ResidentFactory()
    proposal = ProposalFactory(
        consultation=consultation, handlungsfeld=field, author=author, support_count=1
    )
    SupportFactory(proposal=proposal)
    client.force_login(author)

    response = client.post(
        "/en" + reverse("consultations:proposal_edit", args=[consultation.slug, proposal.pk]),
        form_data(field, title="Heimlich geändert"),
        follow=True,
    )

    assert "can no longer be edited" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.title != "Heimlich geändert"


def test_others_cannot_edit_or_withdraw(client, consultation, field):
    proposal = ProposalFactory(consultation=consultation, handlungsfeld=field)
    client.force_login(ResidentFactory())
    edit = reverse("consultations:proposal_edit", args=[consultation.slug, proposal.pk])
    withdraw = reverse("consultations:proposal_withdraw", args=[consultation.slug, proposal.pk])
    assert client.post(edit, form_data(field)).status_code == 404
    assert client.post(withdraw).status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PUBLISHED


def test_author_withdraws_and_it_stays_visible(client, consultation, field):
    author = ResidentFactory()
    proposal = ProposalFactory(
        consultation=consultation, handlungsfeld=field, author=author, support_count=3
    )
    client.force_login(author)
    withdraw = reverse("consultations:proposal_withdraw", args=[consultation.slug, proposal.pk])
    detail = proposal_detail_url(proposal)
    assert f'href="{withdraw}"' in client.get(detail).content.decode()

    response = client.post(withdraw)

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN and proposal.withdrawn_at is not None
    listing = client.get(reverse("consultations:proposal_list", args=[consultation.slug]))
    assert proposal.title in listing.content.decode()
    page = client.get(detail).content.decode()
    assert "Dieser Vorschlag wurde am" in page
    assert f'href="{withdraw}"' not in page
    assert "proposal-card--withdrawn" in listing.content.decode()


def test_a_standing_proposal_says_nothing_of_withdrawal_and_offers_it(client, consultation, field):
    author = ResidentFactory()
    proposal = ProposalFactory(consultation=consultation, handlungsfeld=field, author=author)
    client.force_login(author)
    withdraw = reverse("consultations:proposal_withdraw", args=[consultation.slug, proposal.pk])

    page = client.get(proposal_detail_url(proposal)).content.decode()
    listing = client.get(reverse("consultations:proposal_list", args=[consultation.slug]))

    assert "Dieser Vorschlag wurde am" not in page
    assert f'href="{withdraw}"' in page
    assert "proposal-card--withdrawn" not in listing.content.decode()


def test_the_preview_shows_similar_proposals_so_a_duplicate_can_be_avoided(
    client, consultation, field
):
    from tests.consultations.factories import ProposalFactory

    twin = ProposalFactory(
        consultation=consultation, handlungsfeld=field, title="Sprachkurse mit Kinderbetreuung"
    )
    ProposalFactory(consultation=consultation, handlungsfeld=field, title="Radwege ins Umland")
    merged = ProposalFactory(
        consultation=consultation, handlungsfeld=field, title="Sprachkurse mit Kinderbetreung"
    )
    merged.merged_into = twin
    merged.save()
    client.force_login(ResidentFactory())
    data = form_data(field, title="Sprachkurse mit Kinderbetreuung anbieten")
    data.pop("publish")
    data["preview"] = "1"
    page = client.post(create_url(consultation), data).content.decode()
    assert "Similar proposals" in page or "Ähnliche Vorschläge" in page
    assert f'/vorschlaege/{twin.pk}/"' in page
    assert "Radwege ins Umland" not in page
    assert f'/vorschlaege/{merged.pk}/"' not in page  # merged ones stand no longer on their own
    assert not Proposal.objects.filter(title="Sprachkurse mit Kinderbetreuung anbieten").exists()
