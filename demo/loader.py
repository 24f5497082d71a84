"""Load the demo data: the Integrationskonzept der Region Hannover (2016) and a live demo.

    python manage.py load_demo            # or: from demo.loader import load_demo; load_demo()

How it works
------------
`load_demo()` reads demo/data/region_hannover.json and runs the registered steps in order,
all in one transaction. Each step is `step(ctx: DemoContext) -> None` (see demo/steps.py):
`ctx.data` is the parsed file, `ctx.today` today's date, and earlier steps leave what they
made in `ctx.municipalities`, `ctx.handlungsfelder`, `ctx.departments`,
`ctx.consultations["historic" | "demo"]` and `ctx.pages[...]` (e.g. "consultation:historic").

Every step must be idempotent: find rows by their natural key (slug, number, ...) with
update_or_create, so running the loader twice changes and duplicates nothing
(tests/demo/ counts every model before and after a second run).

Adding a step from another app
------------------------------
Write the step in your app (e.g. consultations/results/demo.py) and register it:

    from demo.steps import DemoContext, register

    @register("results.concept")
    def load_concept(ctx: DemoContext) -> None:
        ...

then add ONE import line for your module in the block "Steps of other apps" below. Steps
run by stage (demo.steps: CORE, then PAGES, then APPS, the default), so consultations and
pages exist before an app's step runs, whatever order the modules were imported in.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

import demo.core  # registers the core steps
import demo.pages  # registers the page tree after them
from demo.steps import STEPS, DemoContext

# --- Steps of other apps: one import line each (the module registers its steps) ----------
# isort: split
import demo.forums_discussion  # forums: example threads (the demo events come from core)
import demo.proposals  # consultations: example proposals, supports and comments
import demo.results_concept  # results: the annex as the adopted concept
import demo.results_monitoring  # results: demo progress, notes and indicators of the 2016 measures
import demo.review_cases  # review: the demo consultation's cases in every state, demo meetings
import demo.review_meetings  # review: workshops, Fachgespräche, Rücksprachen
import demo.survey_steps  # noqa: F401  (surveys: the Bedarfsanalyse and an open resident survey)

# ------------------------------------------------------------------------------------------

DATA_FILE = Path(__file__).resolve().parent / "data" / "region_hannover.json"


def read_data(path: Path | str = DATA_FILE) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def load_demo(
    *,
    data: dict[str, Any] | None = None,
    path: Path | str = DATA_FILE,
    log: Callable[[str], None] = print,
    only: Iterable[str] | None = None,
) -> DemoContext:
    """Run every registered step in one transaction; returns the context.

    `only` names a subset (tests use the core steps alone); later steps may need earlier ones.
    """
    wanted = set(only) if only is not None else None
    now = timezone.now()
    ctx = DemoContext(
        data=data if data is not None else read_data(path),
        today=timezone.localdate(now),
        now=now,
        log=log,
    )
    with transaction.atomic():
        for step in STEPS:
            if wanted is not None and step.name not in wanted:
                continue
            log(f"· {step.name}")
            step.run(ctx)
    return ctx
