"""Benchmark: a department's queue of 1,000 cases as XLSX, and the upload of 1,000 assessments.

    DEBUG=1 .venv/bin/python benchmarks/transfer.py [--rows 1000] [--runs 3] [--keep]

Creates the database mitreden_tr_bench (TRANSFER_BENCH_DATABASE_URL may point elsewhere; it is
dropped afterwards unless --keep), seeds 3,000 proposals, 1,000 of them in review for one
department (half with a draft assessment already), the rest with five other departments.
Then it measures, beside a bare Django view in the same run:
(a) building the department's XLSX (`transfer.queue_workbook`, what the download view sends);
(b) the worker's upload of that file with every row filled in (`transfer.import_run`: reading,
    row checks, one `assessment_save` per row with its revision of the wording). Each run
    changes every row (two versions of the texts alternate), so nothing is skipped as unchanged;
(c) the same file checked with one bad row (the whole file is checked, nothing saved).
Target (issue 12): the upload of 1,000 rows < 10 s in the worker.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.fresh import fresh_site, timed  # noqa: E402 - the path above first

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/mitreden_tr_bench"
RATIONALE = (
    "Die Maßnahme ist teilweise umsetzbar: Sprachkurse gibt es bereits, die Kinderbetreuung "
    "fehlt noch in vielen Kommunen; die Region prüft eine Förderung ab 2028."
)


def seed(rows: int):  # noqa: ANN201
    from django.db import connection, transaction

    from consultations.models import Proposal, ProposalStatus
    from consultations.review.models import Assessment, ReviewCase, ReviewState
    from foundation.models import (
        Consultation,
        Department,
        DepartmentMembership,
        Handlungsfeld,
        User,
    )
    from foundation.roles import Role, ensure_roles

    started = time.perf_counter()
    with transaction.atomic():
        groups = ensure_roles()
        fields = [
            Handlungsfeld.objects.create(number=i + 1, name=f"Handlungsfeld {i + 1}", slug=f"f{i}")
            for i in range(8)
        ]
        departments = [
            Department.objects.create(name=f"Fachbereich {i + 1}", slug=f"fb-{i + 1}")
            for i in range(6)
        ]
        reviewer = User.objects.create_user(
            username="reviewer", email="reviewer@example.org", password="x" * 12
        )
        reviewer.groups.add(groups[Role.REVIEWER])
        DepartmentMembership.objects.create(department=departments[0], user=reviewer)
        consultation = Consultation.objects.create(title="Bench", slug="bench", is_published=True)
        author = User.objects.create_user(username="author", email="a@example.org")
        proposals = Proposal.objects.bulk_create(
            [
                Proposal(
                    consultation=consultation,
                    handlungsfeld=fields[i % 8],
                    title=f"Sprachkurse mit Kinderbetreuung in Kommune {i}",
                    body="<p>Mehr Sprachkurse mit Kinderbetreuung anbieten.</p>" * 5,
                    author=author,
                    status=ProposalStatus.IN_REVIEW,
                )
                for i in range(rows * 3)
            ],
            batch_size=2000,
        )
        cases = ReviewCase.objects.bulk_create(
            [
                ReviewCase(
                    proposal=proposal,
                    state=ReviewState.IN_REVIEW,
                    lead_department=departments[0] if i < rows else departments[1 + i % 5],
                )
                for i, proposal in enumerate(proposals)
            ],
            batch_size=2000,
        )
        Assessment.objects.bulk_create(
            [
                Assessment(
                    proposal_id=case.proposal_id,
                    department_id=case.lead_department_id,
                    feasibility="feasible",
                    responsibility=["region"],
                    public_rationale="Entwurf",
                )
                for i, case in enumerate(cases)
                if i % 2
            ],
            batch_size=2000,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"seeded {len(proposals)} proposals, {len(cases)} cases in {time.perf_counter() - started:.1f} s"
    )
    return reviewer


def filled(content: bytes, version: int, *, bad_row: bool = False) -> bytes:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]

    def column(name: str) -> int:
        return headers.index(name) + 1

    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, column("Umsetzbarkeit"), "Teilweise umsetzbar" if version else "Umsetzbar")
        sheet.cell(row, column("Zuständigkeit"), "Region; Kommune")
        sheet.cell(row, column("Kostenschätzung"), 50_000 + version)
        sheet.cell(row, column("Zeitrahmen"), "ab 2028")
        sheet.cell(row, column("Öffentliche Begründung"), f"{RATIONALE} ({version})")
        sheet.cell(row, column("Überarbeiteter Titel"), f"Sprachkurse, Fassung {version}")
    if bad_row:
        sheet.cell(sheet.max_row, column("Umsetzbarkeit"), "vielleicht")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    with fresh_site("TRANSFER_BENCH_DATABASE_URL", DEFAULT_URL, keep=args.keep):
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.test import Client
        from django.utils import translation

        from consultations.review import transfer
        from consultations.review.models import AssessmentRevision, ImportStatus

        reviewer = seed(args.rows)
        client = Client()
        bare = timed(lambda: client.get("/bench-bare/"), 200)
        with translation.override("de"):
            download = timed(lambda: transfer.queue_workbook(user=reviewer), args.runs, warmup=1)
            content = transfer.queue_workbook(user=reviewer)
            uploads = []
            for run in range(args.runs):
                data = filled(content, run % 2)
                job = transfer.import_request(
                    actor=reviewer, upload=SimpleUploadedFile("queue.xlsx", data)
                )
                started = time.perf_counter()
                job = transfer.import_run(job_id=job.pk)
                uploads.append(time.perf_counter() - started)
                assert job.status == ImportStatus.DONE, job.errors[:3]
                assert job.saved_count == args.rows, (job.saved_count, job.unchanged_count)
            bad = filled(content, 0, bad_row=True)
            job = transfer.import_request(actor=reviewer, upload=SimpleUploadedFile("b.xlsx", bad))
            started = time.perf_counter()
            job = transfer.import_run(job_id=job.pk)
            rejected = time.perf_counter() - started
            assert job.status == ImportStatus.REJECTED and len(job.errors) == 1
        revisions = AssessmentRevision.objects.count()

        print(
            f"\n{args.rows} rows in the department's file, {len(content):,} bytes; runs: {args.runs}\n"
        )
        print(f"{'measured':58} {'p50':>10} {'p95/max':>10} {'queries':>8}")
        print(
            f"{'bare Django view (test client)':58} {bare[0]:8.2f}ms {bare[1]:8.2f}ms {bare[2]:8d}"
        )
        print(
            f"{'(a) the department XLSX (download)':58} {download[0]:8.0f}ms {download[1]:8.0f}ms "
            f"{download[2]:8d}"
        )
        print(
            f"{'(b) the worker: upload of every row filled in':58} "
            f"{statistics.median(uploads):9.2f}s {max(uploads):9.2f}s"
        )
        print(f"{'(c) the worker: the same file with one bad row (rejected)':58} {rejected:9.2f}s")
        print(f"\nrevisions of the wording recorded: {revisions}")
        met = max(uploads) < 10
        print(
            f"target (upload of {args.rows} rows < 10 s in the worker):", "met" if met else "MISSED"
        )
        return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
