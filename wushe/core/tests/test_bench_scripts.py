"""The bench scripts run as ``python bench/NAME.py``, which puts ``bench/`` first on
``sys.path``: a script named like a standard-library module hides that module from every
library the benches import (``bench/statistics.py`` once broke SQLite's backend, which
imports ``statistics.pstdev``)."""

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "bench"


def test_no_bench_script_shadows_the_standard_library():
    names = {path.stem for path in BENCH.glob("*.py")}
    assert names, "the bench directory was not found"
    assert not names & set(sys.stdlib_module_names)
