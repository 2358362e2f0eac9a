"""``bench/matching.py`` keeps running: a small instance of each kind prints, for the solver and
the greedy baseline, the time, the needs met and the cost, the gaps, and the targets' verdicts
(the full-size runs and their figures are in the README)."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "bench" / "matching.py"


def load_bench(monkeypatch):
    spec = importlib.util.spec_from_file_location("matching_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # its dataclasses look it up there
    monkeypatch.setattr(sys, "path", list(sys.path))  # it puts the repository first
    spec.loader.exec_module(module)
    return module


def test_the_bench_prints_both_solvers_the_gaps_and_the_verdicts(capsys, monkeypatch):
    bench = load_bench(monkeypatch)
    assert {"a", "b", "c"} <= set(bench.CASES)
    assert bench.CASES["a"].needs == 20_000 and bench.CASES["a"].volunteers == 200_000
    assert bench.CASES["b"].needs == 100_000 and bench.CASES["b"].volunteers == 1_000_000
    small = bench.Case("small", 400, 4_000, 20, (1, 3), 60.0, 4.0)
    tight = bench.Case("c", 400, 500, 4, (1, 2), None, None)
    for case in (small, tight):
        bench.run(case, seed=3)
    out = capsys.readouterr().out
    assert "ERROR" not in out and "MISSED" not in out
    flows = re.findall(r"optimal \(flow\)\s+[\d.]+ s\s+[\d.]+ s\s+[\d.]+ s\s+([\d,]+)", out)
    greedy = re.findall(r"greedy\s+[\d.]+ s\s+[\d.]+ s\s+[\d.]+ s\s+([\d,]+)", out)
    assert len(flows) == len(greedy) == 2
    for optimal, baseline in zip(flows, greedy, strict=True):
        assert int(optimal.replace(",", "")) >= int(baseline.replace(",", ""))
    assert out.count("gap: the optimum meets") == 2
    assert "target: optimal in < 60 s, candidates included: met" in out
    assert "target: < 4 GiB peak memory: met" in out
    assert "target: greedy leaves needs unmet that the optimum meets" in out
