"""Formatting in the forum: people write Markdown (bold, lists, links, quotes) with the formatting
explained below the field, see a preview before anything is sent, and the page shows the text
as rendered once, when it was saved. A preview sends nothing and keeps the text."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from forums.models import Post, Thread

from .factories import ResidentFactory, ThreadFactory, open_forum, reply_url, thread_url
from .test_posting import thread_create_url

pytestmark = pytest.mark.django_db

TYPED = "> Aylin schrieb:\n> Abends bitte\nJa, **unbedingt**:\n\n- mit Kinderbetreuung\n- [VHS](https://www.vhs-hannover.de)"
SHOWN = (
    "<blockquote><p>Aylin schrieb:<br>Abends bitte</p></blockquote>"
    "<p>Ja, <strong>unbedingt</strong>:</p>"
    '<ul><li>mit Kinderbetreuung</li><li><a href="https://www.vhs-hannover.de" rel="nofollow">'
    "VHS</a></li></ul>"
)


def edit_url(post: Post) -> str:
    with translation.override("en"):
        return reverse("forums:post_edit", args=[post.pk])


def textarea(page: str) -> str:
    return page[page.index("<textarea") : page.index("</textarea>")]


def test_a_reply_is_shown_as_formatted_and_a_line_after_a_quote_is_not_quoted(client):
    thread = ThreadFactory(forum=open_forum())
    client.force_login(ResidentFactory())

    response = client.post(reply_url(thread), {"body": TYPED})

    assert response.status_code == 302
    post = thread.posts.latest("pk")
    assert post.body == TYPED  # what the author typed, for editing and quoting
    assert post.body_html == SHOWN
    assert SHOWN in client.get(thread_url(thread)).content.decode()


def test_the_reply_preview_sends_nothing_and_keeps_the_text(client):
    thread = ThreadFactory(forum=open_forum())
    client.force_login(ResidentFactory())

    response = client.post(reply_url(thread), {"body": TYPED, "preview": "1"})

    page = response.content.decode()
    assert response.status_code == 200
    assert thread.posts.count() == 1  # only the opening post
    assert 'id="preview-heading"' in page and SHOWN in page
    assert "**unbedingt**" in textarea(page)  # the text again, to go on writing
    # Publishing from the preview page sends exactly what was previewed.
    assert client.post(reply_url(thread), {"body": TYPED}).status_code == 302
    assert thread.posts.latest("pk").body_html == SHOWN


def test_an_empty_preview_says_why_and_sends_nothing(client):
    thread = ThreadFactory(forum=open_forum())
    client.force_login(ResidentFactory())

    response = client.post(reply_url(thread), {"body": "  \n \n", "preview": "1"})

    assert response.status_code == 400
    assert "Please write a text before sending it." in response.content.decode()
    assert 'id="preview-heading"' not in response.content.decode()
    assert thread.posts.count() == 1


def test_a_new_thread_can_be_previewed_with_its_title(client):
    forum = open_forum()
    client.force_login(ResidentFactory())
    data = {"title": "Sprachkurse am Abend", "body": TYPED, "preview": "1"}

    response = client.post(thread_create_url(forum), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert not Thread.objects.exists()
    assert "<strong>Sprachkurse am Abend</strong>" in page and SHOWN in page
    assert 'value="Sprachkurse am Abend"' in page


def test_editing_previews_without_changing_the_post_and_then_renders_the_new_text(client):
    author = ResidentFactory()
    thread = ThreadFactory(forum=open_forum(), author=author)
    post = thread.posts.get()
    before = post.body_html
    client.force_login(author)

    preview = client.post(edit_url(post), {"body": "Jetzt *betont*", "preview": "1"})

    post.refresh_from_db()
    assert preview.status_code == 200
    assert "<p>Jetzt <em>betont</em></p>" in preview.content.decode()
    assert post.body_html == before and post.edited_at is None

    assert client.post(edit_url(post), {"body": "Jetzt *betont*"}).status_code == 302
    post.refresh_from_db()
    assert post.body_html == "<p>Jetzt <em>betont</em></p>" and post.edited_at is not None


def test_the_forms_explain_the_formatting_with_quotes(client):
    thread = ThreadFactory(forum=open_forum())
    client.force_login(ResidentFactory())

    page = client.get(thread_url(thread, lang="de")).content.decode()

    help_text = page[page.index('<details class="formatting-help">') :]
    help_text = help_text[: help_text.index("</details>")]
    assert "<summary>Formatierung</summary>" in help_text
    assert "<code>**wichtig**</code>" in help_text and "<strong>wichtig</strong>" in help_text
    assert "<code>&gt; zitierter Text</code>" in help_text
    assert 'name="preview"' in page


def test_a_post_stored_without_its_rendering_is_still_shown_formatted(client):
    """A bulk import (or the benchmark) writes posts without Post.save()."""
    thread = ThreadFactory(forum=open_forum())
    Post.objects.bulk_create([Post(thread=thread, body="Ganz **neu**")])

    page = client.get(thread_url(thread)).content.decode()

    assert "<p>Ganz <strong>neu</strong></p>" in page
