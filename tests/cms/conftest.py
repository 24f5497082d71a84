from pathlib import Path

import pytest

from demo.loader import load_demo, read_data

# The loader's own steps; the steps of other apps are tested in their areas.
CORE_STEPS = [
    "municipalities",
    "handlungsfelder",
    "departments",
    "consultations",
    "forum_events",
    "forums",
    "pages",
]
SMALL_DATA = Path(__file__).resolve().parents[1] / "demo" / "region_hannover_small.json"


@pytest.fixture
def demo_site(db):
    """The demo page tree built from a small extract of the data file (3 Handlungsfelder)."""
    return load_demo(data=read_data(SMALL_DATA), log=lambda message: None, only=CORE_STEPS)
