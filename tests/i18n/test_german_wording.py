"""The German pages read as whole German sentences: words with two senses keep them apart,
numbers sit in the sentence with the right plural, and no sentence is glued together from
pieces in English word order.

Every test requests the German page (the default language, addresses without a prefix).
"""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from consultations.results import services as results_services
from forums.models import PostFlag
from foundation.models import Municipality
from tests.consultations.discussion.factories import CommentFactory, FlagFactory, open_proposal
from tests.consultations.factories import (
    MunicipalityFactory,
    ResidentFactory,
    UserFactory,
    coordination_office_user,
)
from tests.forums.factories import PostFactory, ThreadFactory, open_forum
from tests.results.factories import ConsultationFactory

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    """The running text of a page: tags removed, white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


# --- "Reports": half-yearly reports (Berichte) are not moderation reports (Meldungen) ---------


def test_the_half_yearly_reports_are_called_berichte(client):
    consultation = ConsultationFactory()
    client.force_login(coordination_office_user())

    page = client.get(reverse("results:staff_reports", args=[consultation.slug])).content.decode()

    assert "<h2>Berichte</h2>" in page
    assert "Meldungen" not in page


def test_the_moderation_of_reported_contributions_is_called_meldungen(client):
    client.force_login(coordination_office_user())

    page = client.get(reverse("consultations:moderation_queue")).content.decode()

    assert 'aria-current="page">Meldungen</a>' in page
    assert "Berichte" not in page


# --- "Municipality": one of the Städte und Gemeinden, or the kind "Gemeinde" ----------------


def test_forms_ask_for_the_stadt_oder_gemeinde(client):
    MunicipalityFactory(name="Garbsen")
    proposal = open_proposal()

    signup = client.get(reverse("account_signup")).content.decode()
    proposals = client.get(
        reverse("consultations:proposal_list", args=[proposal.consultation.slug])
    )

    assert re.search(r"<label[^>]*>Stadt oder Gemeinde", signup)
    assert re.search(r"<label[^>]*>Stadt oder Gemeinde", proposals.content.decode())


def test_the_kind_of_a_municipality_is_gemeinde_in_the_admin(client):
    Municipality.objects.create(
        name="Wennigsen (Deister)", slug="wennigsen", kind=Municipality.Kind.COMMUNITY
    )
    client.force_login(UserFactory(is_superuser=True))

    page = client.get("/admin/platform/municipalities/").content.decode()
    cells = [" ".join(cell.split()) for cell in re.findall(r"<td[^>]*>(.*?)</td>", page, re.S)]

    assert "Gemeinde" in cells
    assert "Stadt oder Gemeinde" not in cells


# --- Moderation pages: whole sentences ---------------------------------------------------------


def test_the_moderation_queue_names_the_comment_and_its_reports_in_one_sentence(client):
    comment = CommentFactory(proposal=open_proposal(title="Mehr Sprachkurse am Abend"))
    FlagFactory(comment=comment)
    FlagFactory(comment=comment)
    single = open_proposal(title="Werbung für ein Produkt")
    FlagFactory(proposal=single)
    client.force_login(coordination_office_user())

    page = text_of(client.get(reverse("consultations:moderation_queue")).content.decode())

    assert "Kommentar zu Mehr Sprachkurse am Abend" in page
    assert "Vorschlag: Werbung für ein Produkt" in page
    assert re.search(r"2 offene Meldungen, erstmals am \d", page)
    assert re.search(r"1 offene Meldung, erstmals am \d", page)
    assert " on " not in page and "first on" not in page


def test_the_moderation_log_says_which_comment_on_which_proposal(client):
    from consultations.discussion import moderation

    moderator = coordination_office_user()
    comment = CommentFactory(proposal=open_proposal(title="Mehr Sprachkurse am Abend"))
    moderation.comment_hide(actor=moderator, comment=comment, reason="Beleidigung")
    client.force_login(moderator)

    page = text_of(client.get(reverse("consultations:moderation_log")).content.decode())

    assert f"Kommentar Nr. {comment.pk} zu „Mehr Sprachkurse am Abend“" in page


def test_the_blocked_list_names_the_person_in_german_word_order(client):
    from consultations.discussion import moderation

    moderator = coordination_office_user()
    person = ResidentFactory(display_name="Kim Beispiel")
    moderation.user_block(actor=moderator, user=person, reason="Beleidigungen")
    client.force_login(moderator)

    page = client.get(reverse("consultations:moderation_blocked")).content.decode()

    assert 'aria-label="Kim Beispiel entsperren">Entsperren</a>' in page


def test_the_forum_moderation_queue_says_post_in_thread(client):
    forum = open_forum()
    thread = ThreadFactory(forum=forum, title="Sprachcafé in Garbsen")
    post = PostFactory(thread=thread)
    PostFlag.objects.create(post=post, reporter=ResidentFactory(), reason="offensive")
    client.force_login(coordination_office_user())

    page = text_of(client.get(reverse("forums:moderation_queue")).content.decode())

    assert f"Beitrag in Sprachcafé in Garbsen ({forum.handlungsfeld.name})" in page
    assert re.search(r"1 offene Meldung, erstmals am \d", page)


# --- Links on comments and posts: the accessible name is one German phrase ---------------------


def test_report_links_are_named_in_german_word_order(client):
    proposal = open_proposal()
    CommentFactory(proposal=proposal)
    thread = ThreadFactory(forum=open_forum())
    client.force_login(ResidentFactory())

    proposal_page = client.get(
        reverse("consultations:proposal_detail", args=[proposal.consultation.slug, proposal.pk])
    ).content.decode()
    forum = thread.forum
    thread_page = client.get(
        reverse(
            "forums:thread_detail",
            args=[forum.consultation.slug, forum.handlungsfeld.slug, thread.pk],
        )
    ).content.decode()

    assert 'aria-label="Diesen Kommentar melden">Melden</a>' in proposal_page
    assert 'aria-label="Diesen Beitrag melden">Melden</a>' in thread_page
    assert "Melden diesen" not in proposal_page + thread_page


# --- Messages of the services ------------------------------------------------------------------


def test_an_unknown_handlungsfeld_in_an_annex_is_refused_in_german():
    consultation = ConsultationFactory()

    with pytest.raises(ValidationError) as refused:
        results_services.concept_import_annex(
            actor=coordination_office_user(),
            consultation=consultation,
            fields=[{"slug": "gibt-es-nicht"}],
        )

    assert refused.value.messages == ["Unbekanntes Handlungsfeld „gibt-es-nicht“."]


def test_the_points_box_counts_the_points_left_in_the_singular(client):
    from consultations.proposals.services import priority_points_set
    from tests.consultations.factories import ProposalFactory, open_consultation

    proposal = ProposalFactory(consultation=open_consultation(priority_points=5))
    resident = ResidentFactory()
    priority_points_set(proposal=proposal, user=resident, points=4)
    client.force_login(resident)

    page = text_of(
        client.get(
            reverse("consultations:proposal_detail", args=[proposal.consultation.slug, proposal.pk])
        ).content.decode()
    )

    field = proposal.handlungsfeld.name
    assert (
        f"Sie können 5 Punkte auf die Vorschläge in „{field}“ verteilen. 1 Punkt ist noch übrig."
        in page
    )
