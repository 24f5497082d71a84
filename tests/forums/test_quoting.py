"""Quoting in the forum: "Zitieren" starts the reply with the quoted post; quoted lines are
shown as a quotation, and everything stays escaped."""

from __future__ import annotations

import pytest

from forums.text import render_post

from .factories import (
    PostFactory,
    ResidentFactory,
    ThreadFactory,
    open_forum,
    reply_url,
    thread_url,
)

pytestmark = pytest.mark.django_db


def test_quoted_lines_become_a_blockquote_and_stay_escaped():
    html = render_post("> Aylin schrieb:\n> Mehr <b>Kurse</b>!\n\nDas sehe ich auch so.\nDanke.")
    assert html == (
        "<blockquote><p>Aylin schrieb:<br>Mehr &lt;b&gt;Kurse&lt;/b&gt;!</p></blockquote>"
        "<p>Das sehe ich auch so.<br>Danke.</p>"
    )
    assert (
        render_post("<script>alert(1)</script>") == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    )


def test_quote_starts_the_reply_and_is_shown_as_a_quotation(client):
    thread = ThreadFactory(forum=open_forum())
    author = ResidentFactory(display_name="Aylin K.")
    post = PostFactory(thread=thread, author=author, body="> älteres Zitat\nAbendkurse wären gut.")
    client.force_login(ResidentFactory())
    page = client.get(thread_url(thread, lang="de") + f"?zitat={post.pk}").content.decode()
    assert "&gt; Aylin K. schrieb:\n&gt; Abendkurse wären gut.\n\n</textarea>" in page
    assert "älteres Zitat\n" not in page.split("<textarea")[1]  # quotes do not nest
    assert f'href="?zitat={post.pk}#reply"' in page
    response = client.post(
        reply_url(thread), {"body": "> Aylin K. schrieb:\n> Abendkurse wären gut.\n\nJa, bitte!"}
    )
    assert response.status_code == 302
    page = client.get(thread_url(thread, lang="de")).content.decode()
    assert (
        "<blockquote><p>Aylin K. schrieb:<br>Abendkurse wären gut.</p></blockquote><p>Ja, bitte!</p>"
        in page
    )


@pytest.mark.parametrize("asked", ["abc", "-1", "9" * 30, ""])
def test_a_bad_quote_parameter_leaves_the_reply_empty(client, asked):
    thread = ThreadFactory(forum=open_forum())
    client.force_login(ResidentFactory())
    response = client.get(thread_url(thread, lang="de"), {"zitat": asked})
    assert response.status_code == 200
    assert response.context["form"].initial["body"] == ""


def test_hidden_posts_and_other_threads_posts_are_not_quoted(client):
    forum = open_forum()
    thread = ThreadFactory(forum=forum)
    hidden = PostFactory(thread=thread, body="Verborgen", is_hidden=True)
    elsewhere = PostFactory(thread=ThreadFactory(forum=forum), body="Woanders")
    client.force_login(ResidentFactory())
    for post in (hidden, elsewhere):
        response = client.get(thread_url(thread, lang="de"), {"zitat": post.pk})
        assert response.context["form"].initial["body"] == ""
