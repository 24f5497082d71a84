from pathlib import Path

import pytest

from demo.loader import load_demo, read_data

SMALL_DATA = Path(__file__).resolve().parents[1] / "demo" / "region_hannover_small.json"


@pytest.fixture
def demo_site(db):
    """The demo page tree built from a small extract of the data file (3 Handlungsfelder)."""
    return load_demo(data=read_data(SMALL_DATA), log=lambda message: None)
