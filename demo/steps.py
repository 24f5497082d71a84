"""The registry of demo-data steps (see demo/loader.py for how to add one).

A step is a function `step(ctx: DemoContext) -> None` that creates or updates its rows
idempotently (update_or_create on natural keys): running the loader twice must change and
duplicate nothing. Steps run in registration order inside one transaction; the context
carries the parsed JSON file and what earlier steps created, so later steps can link to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wagtail.models import Page

    from foundation.models import Consultation, Department, Handlungsfeld, Municipality

# Slugs other steps may rely on.
HISTORIC_CONSULTATION_SLUG = "integrationskonzept-region-hannover"
DEMO_CONSULTATION_SLUG = "integrationskonzept-fortschreibung-2027-demo"


@dataclass
class DemoContext:
    """What the steps share: the data file, today's date and the objects made so far."""

    data: dict[str, Any]
    today: date
    now: datetime
    log: Callable[[str], None] = print
    municipalities: dict[str, Municipality] = field(default_factory=dict)
    handlungsfelder: dict[str, Handlungsfeld] = field(default_factory=dict)
    departments: dict[str, Department] = field(default_factory=dict)
    # "historic" = the real Integrationskonzept 2016, "demo" = the current demo consultation.
    consultations: dict[str, Consultation] = field(default_factory=dict)
    # Pages by role: "home", "consultation:historic", "consultation:demo", "handlungsfelder",
    # "handlungsfeld:<slug>", "impressum", "datenschutz", "barrierefreiheit".
    pages: dict[str, Page] = field(default_factory=dict)
    # Free space for steps of other apps.
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def historic_consultation(self) -> Consultation:
        return self.consultations["historic"]

    @property
    def demo_consultation(self) -> Consultation:
        return self.consultations["demo"]


StepFunction = Callable[[DemoContext], None]


@dataclass(frozen=True)
class Step:
    name: str
    run: StepFunction
    stage: int


# Stages order the steps whatever order their modules are imported in (a test may import
# an app's step module before demo.core): reference data, then pages, then the apps' steps.
CORE, PAGES, APPS = 10, 20, 30

STEPS: list[Step] = []


def register(name: str, *, stage: int = APPS) -> Callable[[StepFunction], StepFunction]:
    """Decorator: add the function to STEPS under `name` (a second registration replaces).

    STEPS stays sorted by stage; within a stage, steps keep their registration order.
    """

    def decorator(function: StepFunction) -> StepFunction:
        for index, step in enumerate(STEPS):
            if step.name == name:
                STEPS[index] = Step(name, function, stage)
                break
        else:
            STEPS.append(Step(name, function, stage))
        STEPS.sort(key=lambda step: step.stage)  # stable: keeps the order within a stage
        return function

    return decorator
