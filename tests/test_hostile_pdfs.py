"""Hostile and fuzzed PDFs through the pipeline's PDF entry point (extractors.run_isolated).

Each file must end with an outcome code and a message, within the time limit and under the
memory limit of the extraction child. The files are built from code (benchmarks/hostile.py);
the fuzz run is the short CI run of benchmarks/fuzz_pdf.py (the long one is run by hand).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from benchmarks.hostile import HOSTILE
from extractors.model import OUTCOMES

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_S = 30
MEMORY_MB = 1024

# One extraction in a process of its own, so that the largest child's resident set is this
# file's alone (RUSAGE_CHILDREN of the test process would mix in every earlier test).
PROBE = textwrap.dedent("""
    import json, resource, sys, time
    from pathlib import Path
    from extractors import run_isolated
    t0 = time.monotonic()
    ext = run_isolated(Path(sys.argv[1]), timeout_s=float(sys.argv[2]), memory_mb=int(sys.argv[3]))
    print(json.dumps({"outcome": ext.outcome, "detail": ext.outcome_detail, "seconds": time.monotonic() - t0,
                      "child_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
""")


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_pdf_ends_with_an_outcome_within_limits(tmp_path, name):
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(HOSTILE[name]())
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    # The probe's own timeout is the hang guard: run_isolated must end the child at TIMEOUT_S.
    proc = subprocess.run([sys.executable, "-c", PROBE, str(path), str(TIMEOUT_S), str(MEMORY_MB)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=TIMEOUT_S + 60)
    assert proc.returncode == 0, proc.stderr[-2000:]  # run_isolated never raises
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    assert res["outcome"] in OUTCOMES
    assert res["outcome"] != "ok", "a hostile file is no budget filing"
    assert res["detail"].strip()
    assert res["child_rss_mb"] <= MEMORY_MB


def test_short_fuzz_run_keeps_the_contract():
    from benchmarks.fuzz_pdf import report, run

    results = run(n=16, seed=20261203, timeout_s=20, workers=2, progress=False)
    assert len(results) == 16
    assert [r for r in results if r.problem] == [], report(results, 20261203)
    assert all(r.outcome in OUTCOMES for r in results)


def test_fuzz_mutants_are_reproducible():
    from benchmarks.fuzz_pdf import bases, make

    b = bases(with_seed_filing=False)
    assert make(5, 42, b) == make(5, 42, b)
    assert make(5, 42, b)[1] != make(6, 42, b)[1]
