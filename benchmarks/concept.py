"""Benchmark: the public concept of a published version with 144 measures on PostgreSQL.

    DEBUG=1 .venv/bin/python benchmarks/concept.py [--runs 60] [--keep]

Creates the database mitreden_bench_concept (CONCEPT_BENCH_DATABASE_URL may point elsewhere),
seeds the size of the real concept (8 Handlungsfelder, 37 goals, 144 measures), adopts and
publishes version 1, starts a Fortschreibung that rewords, moves and adds measures and
publishes it as version 2, then measures p50/p95 and queries of the concept page, the
monitoring page and the page of what changed, beside a bare view in the same run.
Target (issue 12): p95 < 100 ms with a fixed number of queries.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.fresh import fresh_site, timed  # noqa: E402 - the path above first

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/mitreden_bench_concept"
GOALS_PER_FIELD = [7, 2, 4, 6, 3, 2, 5, 8]  # 37 goals, as printed
MEASURES_PER_FIELD = [18, 10, 16, 20, 13, 10, 21, 36]  # 144 measures


def seed():  # noqa: ANN201
    from consultations.results import versions
    from consultations.results.models import ConceptGoal, ConceptMeasure
    from foundation.actors import SYSTEM
    from foundation.models import Consultation, Handlungsfeld

    consultation = Consultation.objects.create(
        title="Benchmark", slug="benchmark", is_published=True
    )
    for index, (goal_count, measure_count) in enumerate(
        zip(GOALS_PER_FIELD, MEASURES_PER_FIELD, strict=True), start=1
    ):
        field = Handlungsfeld.objects.create(number=index, name=f"Feld {index}", slug=f"f-{index}")
        consultation.handlungsfelder.add(field)
        goals = ConceptGoal.objects.bulk_create(
            ConceptGoal(
                consultation=consultation,
                handlungsfeld=field,
                position=p,
                title=f"Ziel {index}.{p}: Teilhabe ermöglichen und Angebote öffnen",
            )
            for p in range(1, goal_count + 1)
        )
        ConceptMeasure.objects.bulk_create(
            ConceptMeasure(
                goal=goals[number * goal_count // measure_count],
                consultation=consultation,
                handlungsfeld=field,
                number=number + 1,
                text=f"Maßnahme {index}.{number + 1}: Informationen mehrsprachig bereitstellen",
            )
            for number in range(measure_count)
        )
    first = versions.version_start(actor=SYSTEM, consultation=consultation, title="Fassung 1")
    versions.version_adopt(
        actor=SYSTEM, version=first, body="Regionsversammlung", on=date(2016, 12, 13)
    )
    versions.version_publish(actor=SYSTEM, version=first)
    second = versions.version_start(actor=SYSTEM, consultation=consultation, title="Fassung 2")
    for measure in ConceptMeasure.objects.filter(consultation=consultation, number__lte=3):
        versions.measure_reword(actor=SYSTEM, measure=measure, text=f"{measure.text} (neu)")
    goal = ConceptGoal.objects.filter(consultation=consultation, position=1).first()
    versions.measure_add(actor=SYSTEM, goal=goal, text="Neue Maßnahme")
    versions.version_adopt(
        actor=SYSTEM, version=second, body="Regionsversammlung", on=date(2026, 3, 12)
    )
    versions.version_publish(actor=SYSTEM, version=second)
    return consultation


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    with fresh_site("CONCEPT_BENCH_DATABASE_URL", DEFAULT_URL, keep=args.keep):
        from django.test import Client
        from django.urls import reverse

        consultation = seed()
        client = Client()
        pages = {
            "bare Django view": "/bench-bare/",
            "concept page (145 measures)": reverse("results:concept", args=[consultation.slug]),
            "monitoring page": reverse("results:monitoring", args=[consultation.slug]),
            "what changed in version 2": reverse(
                "results:version_changes", args=[consultation.slug, 2]
            ),
        }
        missed = False
        print(f"{'page':34} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
        for name, url in pages.items():

            def get(url: str = url) -> None:
                assert client.get(url).status_code == 200, url

            p50, p95, queries = timed(get, args.runs)
            target = "" if name.startswith("bare") else ("ok" if p95 < 100 else "MISSED")
            missed = missed or target == "MISSED"
            print(f"{name:34} {p50:8.1f} {p95:8.1f} {queries:8d} {target}")
        return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
