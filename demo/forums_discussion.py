"""Demo step for the online forums: two example threads in the demo consultation's forums.

The two upcoming demo forum events (registration open, marked "(Demo)") come from the core
step "forum_events"; this step adds readable discussions so the forum pages are not empty.
Idempotent: threads are found by (forum, title), posts by (thread, author, body), and the
counter columns are recomputed from the rows at the end.
"""

from __future__ import annotations

from django.db.models import Count, Max, Q

from demo.core import DEMO_MARK
from demo.steps import DemoContext, register
from forums.models import Forum, Post, Thread
from foundation.models import User

PEOPLE = [
    ("forum-demo-1@demo.mitreden.invalid", "Aylin (Demo)"),
    ("forum-demo-2@demo.mitreden.invalid", "Jonas (Demo)"),
]

THREADS = [
    (
        "bildung-und-sprache",
        f"Sprachkurse mit Kinderbetreuung am Abend {DEMO_MARK}",
        [
            (
                0,
                "Viele Eltern in Garbsen können tagsüber nicht zum Sprachkurs. Gibt es Erfahrungen mit "
                "Abendkursen, bei denen die Kinder betreut werden?",
            ),
            (
                1,
                "In Laatzen gab es so ein Angebot der Volkshochschule. Wichtig war, dass die Betreuung im "
                "selben Gebäude stattfand.\n\nDaraus könnte man einen Vorschlag machen.",
            ),
        ],
    ),
    (
        "wirtschaft-und-arbeit",
        f"Anerkennung ausländischer Abschlüsse beschleunigen {DEMO_MARK}",
        [
            (
                1,
                "Die Anerkennung dauert oft mehr als ein Jahr. Eine zentrale Beratungsstelle in der Region "
                "könnte helfen.",
            ),
            (0, "Ja – und die Jobcenter sollten früh einbezogen werden."),
        ],
    ),
]


def _person(email: str, name: str) -> User:
    user, _created = User.objects.get_or_create(
        email=email, defaults={"username": email, "display_name": name}
    )
    if user.has_usable_password():
        user.set_unusable_password()  # example authors only: nobody can sign in as them
        user.save(update_fields=["password"])
    return user


@register("forums.discussion")
def load_forum_discussion(ctx: DemoContext) -> None:
    demo = ctx.demo_consultation
    people = [_person(email, name) for email, name in PEOPLE]
    for field_slug, title, posts in THREADS:
        forum = Forum.objects.filter(consultation=demo, handlungsfeld__slug=field_slug).first()
        if forum is None:
            continue
        thread, _created = Thread.objects.get_or_create(
            forum=forum, title=title, defaults={"author": people[posts[0][0]]}
        )
        for author_index, body in posts:
            Post.objects.get_or_create(thread=thread, author=people[author_index], body=body)
    _recount(demo)
    ctx.log(f"forum discussion: {len(THREADS)} demo threads")


def _recount(consultation: object) -> None:
    """Counter columns from the rows (the services keep them; here we load rows directly)."""
    visible = Q(posts__deleted_at__isnull=True, posts__is_hidden=False)
    for thread in Thread.objects.filter(forum__consultation=consultation).annotate(
        visible_posts=Count("posts", filter=visible), latest=Max("posts__created_at")
    ):
        Thread.objects.filter(pk=thread.pk).update(
            post_count=thread.visible_posts, last_post_at=thread.latest or thread.created_at
        )
    for forum in Forum.objects.filter(consultation=consultation):
        threads = Thread.objects.filter(forum=forum, is_hidden=False)
        Forum.objects.filter(pk=forum.pk).update(
            thread_count=threads.count(),
            post_count=sum(threads.values_list("post_count", flat=True)),
            last_post_at=threads.aggregate(latest=Max("last_post_at"))["latest"],
        )
