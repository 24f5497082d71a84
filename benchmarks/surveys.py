"""Benchmark: surveys with 10,000 responses × 50 questions on PostgreSQL (issue 10).

    DEBUG=1 .venv/bin/python benchmarks/surveys.py [--responses 10000] [--runs 100] [--keep]

Creates the database mitreden_sd_bench (SURVEYS_BENCH_DATABASE_URL may point elsewhere; it
never reads DATABASE_URL, because it drops the database it uses), migrates it and
seeds one invitation survey: 5 pages × 10 questions (single, multiple, matrix 5 × 5, yes/no,
number, short and long text, dropdown, ranking, date), 7 recipient groups, 21
municipalities, 10,000 recipients and 10,000 responses (70 % complete, 25 % partial, 5 %
opened) with their answers (about 900,000 rows, written with COPY). Then it measures p50/p95,
each beside a bare Django view through the test client in the same run:

(a) saving an answer page. Engineer A's answering view does not exist yet, so this measures
    the ORM write path a page save performs: one transaction that deletes the page's earlier
    answers of the response, bulk-creates the new ones and updates the response's state and
    last page. SWITCH: `--page-save view` goes through the real view once it exists
    (save_page_via_view below names what to fill in); the default is `orm`.
    A one-row ORM insert is printed beside it for scale.
(b) the aggregation queries a results dashboard needs, in the database with a fixed number
    of queries: states overall, per recipient group and per municipality, invited per group;
    counts per question and option (matrix: per row and scale point) over all answers;
    number statistics; the same for complete responses only; and for one question
    the per-question page: counts, cross-tabulation by recipient group, free texts.
(c) importing 10,000 recipients: token creation, SHA-256 hashes, bulk insert in one
    transaction (what the worker's import does after validation).

Targets (issue 10): page save p95 < 50 ms, dashboard and per-question page p95 < 300 ms,
10,000 recipients < 30 s. Drops the database afterwards unless --keep.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/mitreden_sd_bench"
PAGES, PER_PAGE = 5, 10
# The kinds on each page, in order (10 per page, 50 in all).
PAGE_KINDS = [
    "single",
    "multiple",
    "matrix",
    "yes_no",
    "number",
    "short_text",
    "dropdown",
    "single",
    "long_text",
    "ranking",
]
LAST_PAGE_KINDS = [*PAGE_KINDS[:-1], "date"]
TEXTS = [
    "Mehr Sprachkurse am Abend",
    "Beratung in mehreren Sprachen",
    "Kinderbetreuung während der Kurse",
    "Bessere Busverbindungen ins Umland",
    "Anerkennung von Abschlüssen beschleunigen",
]


def admin_connection(url: str):
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    return psycopg.connect(
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password,
        dbname="postgres",
        autocommit=True,
    ), parsed.path.lstrip("/")


def recreate_database(url: str) -> None:
    connection, name = admin_connection(url)
    with connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    from django.db import connections

    connections.close_all()
    connection, name = admin_connection(url)
    with connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def percentiles(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[max(0, round(0.95 * len(ordered)) - 1)]


def timed(function: Callable[[], object], runs: int, warmup: int = 3) -> tuple[float, float, int]:
    """p50, p95 (ms) and the number of queries of one call of `function`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        function()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        function()
    return (*percentiles(timings), len(queries))


# --- Seed ----------------------------------------------------------------------------------
def seed(response_count: int, rng: random.Random):  # noqa: ANN201
    from django.db import connection, transaction

    from foundation.models import Municipality
    from surveys.models import (
        Option,
        OptionRole,
        Question,
        Recipient,
        RecipientGroup,
        Response,
        ResponseState,
        Survey,
        SurveyPage,
        SurveyStatus,
    )
    from surveys.tokens import new_token, token_hash

    started = time.perf_counter()
    with transaction.atomic():
        survey = Survey.objects.create(
            title="Bedarfsanalyse (Benchmark)", slug="bench", status=SurveyStatus.OPEN
        )
        municipalities = Municipality.objects.bulk_create(
            [Municipality(name=f"Gemeinde {i}", slug=f"gemeinde-{i}") for i in range(21)]
        )
        groups = RecipientGroup.objects.bulk_create(
            [RecipientGroup(survey=survey, name=f"Gruppe {i}", position=i) for i in range(7)]
        )
        pages = SurveyPage.objects.bulk_create(
            [SurveyPage(survey=survey, position=i, title=f"Seite {i + 1}") for i in range(PAGES)]
        )
        questions = Question.objects.bulk_create(
            [
                Question(
                    survey=survey,
                    page=page,
                    position=position,
                    code=f"q{page.position + 1}_{position + 1}",
                    kind=kind,
                    text=f"Frage {page.position + 1}.{position + 1}?",
                )
                for page in pages
                for position, kind in enumerate(
                    LAST_PAGE_KINDS if page.position == PAGES - 1 else PAGE_KINDS
                )
            ]
        )
        option_rows = []
        for question in questions:
            if question.kind in ("single", "multiple", "dropdown", "ranking"):
                count = {"dropdown": 21, "ranking": 5}.get(question.kind, 6)
                option_rows += [
                    Option(question=question, position=i, code=str(i + 1), text=f"Option {i + 1}")
                    for i in range(count)
                ]
            elif question.kind == "yes_no":
                option_rows += [
                    Option(question=question, position=0, code="Y", text="Ja"),
                    Option(question=question, position=1, code="N", text="Nein"),
                ]
            elif question.kind == "matrix":
                option_rows += [
                    Option(
                        question=question,
                        role=OptionRole.ROW,
                        position=i,
                        code=f"r{i + 1}",
                        text=f"Zeile {i + 1}",
                    )
                    for i in range(5)
                ] + [
                    Option(
                        question=question,
                        role=OptionRole.SCALE,
                        position=i,
                        code=str(i + 1),
                        text=f"Stufe {i + 1}",
                    )
                    for i in range(5)
                ]
        options = Option.objects.bulk_create(option_rows)
        recipients = Recipient.objects.bulk_create(
            [
                Recipient(
                    survey=survey,
                    name=f"Einrichtung {i}",
                    email=f"e{i}@bench.invalid",
                    group=groups[i % 7],
                    municipality=municipalities[i % 21],
                    token_hash=token_hash(new_token()),
                )
                for i in range(response_count)
            ],
            batch_size=5000,
        )
        states = rng.choices(
            [ResponseState.COMPLETE, ResponseState.PARTIAL, ResponseState.OPENED],
            [70, 25, 5],
            k=response_count,
        )
        responses = Response.objects.bulk_create(
            [
                Response(
                    survey=survey,
                    recipient=recipient,
                    group_id=recipient.group_id,
                    municipality_id=recipient.municipality_id,
                    state=state,
                )
                for recipient, state in zip(recipients, states, strict=True)
            ],
            batch_size=5000,
        )
        by_question: dict[int, dict[str, list[int]]] = {}
        for option in options:
            by_question.setdefault(option.question_id, {}).setdefault(option.role, []).append(
                option.pk
            )
        pages_of = {
            ResponseState.COMPLETE: PAGES,
            ResponseState.OPENED: 0,
        }
        buffer = io.StringIO()
        rows = 0
        page_index = {page.pk: page.position for page in pages}
        for response, state in zip(responses, states, strict=True):
            answered_pages = pages_of.get(state, rng.randint(1, PAGES - 1))
            for question in questions:
                if page_index[question.page_id] >= answered_pages:
                    continue
                for row in answer_rows(question, by_question.get(question.pk, {}), rng):
                    buffer.write(f"{response.pk}\t{question.pk}\t" + "\t".join(row) + "\n")
                    rows += 1
        buffer.seek(0)
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            with raw.copy(
                "COPY surveys_answer (response_id, question_id, option_id, scale_id, rank, text, "
                "number, date) FROM STDIN"
            ) as copy:
                while chunk := buffer.read(1 << 20):
                    copy.write(chunk)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"seeded {len(questions)} questions, {len(options)} options, {len(recipients)} "
        f"recipients, {len(responses)} responses, {rows} answers in "
        f"{time.perf_counter() - started:.1f} s"
    )
    return survey, pages, questions, by_question, responses


NULL = r"\N"


def answer_rows(question, options: dict[str, list[int]], rng: random.Random) -> list[list[str]]:
    """COPY rows (option, scale, rank, text, number, date) for one answered question."""
    kind = question.kind
    if kind in ("single", "dropdown", "yes_no"):
        return [[str(rng.choice(options["choice"])), NULL, NULL, "", NULL, NULL]]
    if kind == "multiple":
        chosen = rng.sample(options["choice"], rng.randint(1, 3))
        return [[str(pk), NULL, NULL, "", NULL, NULL] for pk in chosen]
    if kind == "ranking":
        order = rng.sample(options["choice"], len(options["choice"]))
        return [[str(pk), NULL, str(rank), "", NULL, NULL] for rank, pk in enumerate(order, 1)]
    if kind == "matrix":
        return [
            [str(row), str(rng.choice(options["scale"])), NULL, "", NULL, NULL]
            for row in options["row"]
        ]
    if kind == "number":
        return [[NULL, NULL, NULL, "", str(rng.randint(0, 500)), NULL]]
    if kind == "date":
        day = date(2020, 1, 1) + timedelta(days=rng.randint(0, 2000))
        return [[NULL, NULL, NULL, "", NULL, day.isoformat()]]
    if rng.random() < 0.5:  # texts: half the respondents write something
        return [[NULL, NULL, NULL, rng.choice(TEXTS), NULL, NULL]]
    return []


# --- (a) saving a page ---------------------------------------------------------------------
def save_page_orm(response, page, questions, by_question, rng: random.Random) -> None:
    """What a page save writes (engineer A's service will do this, plus validation)."""
    from django.db import transaction
    from django.utils import timezone

    from surveys.models import Answer, Response, ResponseState

    page_questions = [question for question in questions if question.page_id == page.pk]
    with transaction.atomic():
        Answer.objects.filter(
            response_id=response.pk, question_id__in=[q.pk for q in page_questions]
        ).delete()
        answers = []
        for question in page_questions:
            for option, scale, rank, text, number, day in answer_rows(
                question, by_question.get(question.pk, {}), rng
            ):
                answers.append(
                    Answer(
                        response_id=response.pk,
                        question_id=question.pk,
                        option_id=None if option == NULL else int(option),
                        scale_id=None if scale == NULL else int(scale),
                        rank=None if rank == NULL else int(rank),
                        text=text,
                        number=None if number == NULL else int(number),
                        date=None if day == NULL else date.fromisoformat(day),
                    )
                )
        Answer.objects.bulk_create(answers)
        Response.objects.filter(pk=response.pk).exclude(state=ResponseState.COMPLETE).update(
            state=ResponseState.PARTIAL, last_page_id=page.pk, updated_at=timezone.now()
        )


def save_page_via_view(client, response, page) -> None:
    """SWITCH (page save through HTTP): once engineer A's answering view exists, sign the
    client into the response (token → session exchange), then POST the page's form here,
    e.g. client.post(reverse("surveys:page", kwargs={...}), data) and assert a redirect."""
    raise NotImplementedError(
        "engineer A's answering view is not there yet: use --page-save orm (the default)"
    )


# --- (b) the dashboard's aggregation ---------------------------------------------------------
def dashboard_queries(survey, *, complete_only: bool = False) -> list:
    """The aggregation a results dashboard needs: a fixed number of GROUP BY queries."""
    from django.db.models import Avg, Count, Max, Min

    from surveys.models import Answer, Recipient, ResponseState

    responses = survey.responses.all()
    answers = Answer.objects.filter(question__survey=survey)
    if complete_only:
        responses = responses.filter(state=ResponseState.COMPLETE)
        answers = answers.filter(response__state=ResponseState.COMPLETE)
    return [
        list(responses.values("state").annotate(n=Count("pk")).order_by()),
        list(responses.values("group_id", "state").annotate(n=Count("pk")).order_by()),
        list(responses.values("municipality_id", "state").annotate(n=Count("pk")).order_by()),
        list(
            Recipient.objects.filter(survey=survey)
            .values("group_id")
            .annotate(n=Count("pk"))
            .order_by()
        ),
        list(
            answers.filter(option__isnull=False)
            .values("question_id", "option_id", "scale_id")
            .annotate(n=Count("pk"))
            .order_by()
        ),
        list(
            answers.filter(number__isnull=False)
            .values("question_id")
            .annotate(n=Count("pk"), avg=Avg("number"), low=Min("number"), high=Max("number"))
            .order_by()
        ),
        list(answers.exclude(text="").values("question_id").annotate(n=Count("pk")).order_by()),
    ]


def per_group_queries(survey) -> list:
    """Counts per question and option cut by recipient group (the cross-tab of every question)."""
    from django.db.models import Count

    from surveys.models import Answer

    return list(
        Answer.objects.filter(question__survey=survey, option__isnull=False)
        .values("question_id", "option_id", "scale_id", "response__group_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def question_page_queries(question) -> list:
    """One question's page: counts, cross-tab by group, the first free texts."""
    from django.db.models import Count

    from surveys.models import Answer

    answers = Answer.objects.filter(question=question)
    return [
        list(answers.values("option_id", "scale_id").annotate(n=Count("pk")).order_by()),
        list(
            answers.values("option_id", "scale_id", "response__group_id")
            .annotate(n=Count("pk"))
            .order_by()
        ),
        list(answers.exclude(text="").order_by("-pk").values_list("text", flat=True)[:50]),
    ]


# --- (c) importing recipients ---------------------------------------------------------------
def import_recipients(survey, groups, municipalities, count: int, run: int) -> float:
    from django.db import transaction

    from surveys.models import Recipient
    from surveys.tokens import new_token, token_hash

    started = time.perf_counter()
    with transaction.atomic():
        Recipient.objects.bulk_create(
            [
                Recipient(
                    survey=survey,
                    name=f"Import {run}-{i}",
                    email=f"import{run}-{i}@bench.invalid",
                    group=groups[i % len(groups)],
                    municipality=municipalities[i % len(municipalities)],
                    token_hash=token_hash(new_token()),
                )
                for i in range(count)
            ],
            batch_size=2000,
        )
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--responses", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--import-runs", type=int, default=3)
    parser.add_argument("--page-save", choices=["orm", "view"], default="orm")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    # Its own variable: the benchmark drops the database, so it never takes DATABASE_URL.
    url = os.environ.get("SURVEYS_BENCH_DATABASE_URL") or DEFAULT_URL
    if not url.startswith("postgres"):
        print("DATABASE_URL must point to PostgreSQL", file=sys.stderr)
        return 2
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    recreate_database(url)
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.http import HttpResponse
        from django.test import Client
        from django.urls import clear_url_caches, path

        settings.DEBUG = False  # no query log growth during timing
        settings.ALLOWED_HOSTS = ["testserver"]
        settings.RATELIMIT_ENABLE = False
        started = time.perf_counter()
        call_command("migrate", verbosity=0, skip_checks=True)
        print(f"migrated in {time.perf_counter() - started:.1f} s")

        import config.urls

        config.urls.urlpatterns.insert(0, path("bench-bare/", lambda request: HttpResponse("ok")))
        clear_url_caches()

        rng = random.Random(10)
        survey, pages, questions, by_question, responses = seed(args.responses, rng)
        from django.db import transaction

        from foundation.models import Municipality
        from surveys.models import Recipient, RecipientGroup

        client = Client()
        rows: list[tuple[str, float, float, int | str]] = []

        def bare() -> None:
            assert client.get("/bench-bare/").status_code == 200

        rows.append(("bare Django view (test client)", *timed(bare, args.runs)))

        def insert_one() -> None:
            with transaction.atomic():
                RecipientGroup.objects.create(
                    survey=survey, name=f"bare {time.perf_counter_ns()}", position=99
                )

        rows.append(("bare one-row insert (ORM, transaction)", *timed(insert_one, args.runs)))

        if args.page_save == "view":
            page_save = lambda: save_page_via_view(client, rng.choice(responses), pages[0])  # noqa: E731
            label = "(a) page save through the answering view"
        else:

            def page_save() -> None:
                save_page_orm(rng.choice(responses), rng.choice(pages), questions, by_question, rng)

            label = "(a) page save: delete + bulk_create (ORM)"
        rows.append((label, *timed(page_save, args.runs * 2)))
        rows.append(
            (
                "(b) dashboard: states, groups, options",
                *timed(lambda: dashboard_queries(survey), args.runs // 2),
            )
        )
        rows.append(
            (
                "(b) dashboard, complete responses only",
                *timed(lambda: dashboard_queries(survey, complete_only=True), args.runs // 2),
            )
        )
        rows.append(
            (
                "(b) every question × recipient group",
                *timed(lambda: per_group_queries(survey), args.runs // 4),
            )
        )
        busiest = next(q for q in questions if q.kind == "matrix")
        rows.append(
            (
                "(b) per-question page (matrix)",
                *timed(lambda: question_page_queries(busiest), args.runs),
            )
        )
        text_question = next(q for q in questions if q.kind == "long_text")
        rows.append(
            (
                "(b) per-question page (free text)",
                *timed(lambda: question_page_queries(text_question), args.runs),
            )
        )

        groups = list(RecipientGroup.objects.filter(survey=survey).exclude(position=99))
        municipalities = list(Municipality.objects.all())
        seconds = [
            import_recipients(survey, groups, municipalities, 10_000, run)
            for run in range(args.import_runs)
        ]
        Recipient.objects.filter(email__startswith="import").delete()

        from surveys.models import Answer

        print(
            f"\n{Answer.objects.count():,} answers, {len(questions)} questions, "
            f"{len(responses):,} responses; runs per row: see --runs\n"
        )
        print(f"{'measured':46} {'p50 ms':>9} {'p95 ms':>9} {'queries':>8}")
        for name, p50, p95, queries in rows:
            print(f"{name:46} {p50:9.1f} {p95:9.1f} {queries:>8}")
        print(
            f"{'(c) import 10,000 recipients (s, each run)':46} "
            + "  ".join(f"{value:.2f}" for value in seconds)
        )
        targets = {
            label: 50,
            "(b) dashboard: states, groups, options": 300,
            "(b) per-question page (matrix)": 300,
        }
        missed = [name for name, _p50, p95, *_ in rows if name in targets and p95 >= targets[name]]
        if max(seconds) >= 30:
            missed.append("(c) import")
        print(
            "\ntargets (page save p95 < 50 ms, dashboard and question page p95 < 300 ms, "
            "import < 30 s):",
            "MISSED " + ", ".join(missed) if missed else "met",
        )
        return 1 if missed else 0
    finally:
        if not args.keep:
            drop_database(url)


if __name__ == "__main__":
    sys.exit(main())
