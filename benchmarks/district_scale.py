"""N budget filings from the sample-district generator, for the scaling benchmark.

The generator (``demo.district``) describes one district: 64 departments × 3 years. For
N beyond that, departments are replicated with new department codes (200, 201, …; unit
codes follow, so project codes and unit rows differ too), and the generator's own model
gives each replica its own figures (its random streams are keyed by the department code).
Every filing is the Wuhan 12-table PDF (no failure variants, no injected faults), so the
size is the only thing that changes between N = 60, 200 and 1 000.

Files are rendered once per (generator source, seed) into ``<out>/<key>/`` and reused.
"""
from __future__ import annotations

import os
import random
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

REPLICA_FIRST_CODE = 200


def plan(n: int) -> list[tuple[str, int, int]]:
    """(department code or 'r<k>:<base code>' for a replica, year) for the first n filings."""
    from demo.district import catalogue as cat
    from demo.district.model import YEARS

    base = [d.code for d in cat.departments()]
    out: list[tuple[str, int, int]] = []
    years = sorted(YEARS, reverse=True)
    for y in years:
        out += [(c, y, -1) for c in base]
    k = 0
    while len(out) < n:
        for y in years:
            out.append((base[k % len(base)], y, k))
        k += 1
    return out[:n]


def _department(code: str, replica: int):
    from demo.district import catalogue as cat

    d = next(x for x in cat.departments() if x.code == code)
    if replica < 0:
        return d
    new = str(REPLICA_FIRST_CODE + replica)
    suffix = f"第{replica + 1}分中心"
    units = tuple(replace(u, code=new + u.code[3:], name=u.name.replace(d.name, d.name + suffix))
                  for u in d.units)
    return replace(d, code=new, name=d.name + suffix, formal=d.formal + suffix, units=units)


def _history(dept, year: int, seed: int) -> dict:
    from demo.district.compose import summary
    from demo.district.model import YEARS, dept_year

    h = {}
    first = min(YEARS)
    for yy in range(year - 2, year):
        if yy in YEARS:
            h[yy] = summary(dept_year(dept, yy, seed))
        else:  # before the generator's first year: the same size, a little smaller
            base = summary(dept_year(dept, first, seed))
            k = 1 - 0.03 * (first - yy) + random.Random(f"{dept.code}|{yy}").uniform(-0.04, 0.04)
            h[yy] = {key: (int(v * k) if isinstance(v, int) else v) for key, v in base.items()}
    return h


def render_one(job: tuple[str, int, int, int, str]) -> str:
    code, year, replica, seed, out = job
    from demo.district import formats
    from demo.district.compose import Composer, Layout
    from demo.district.model import dept_year

    path = Path(out)
    if path.exists():
        return out
    dept = _department(code, replica)
    filing = Composer(dept_year(dept, year, seed), _history(dept, year, seed), Layout()).filing()
    filing["meta"]["pdf_created"] = f"{year}-01-20T09:30:00+08:00"
    filing["render"] = {"compact_forms": True, "landscape": False, "repeat_headers": True}
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    formats.write_pdf(filing, tmp)
    tmp.replace(path)
    return out


def scale_filings(n: int, out_dir: Path, seed: int = 2026, workers: int = 2) -> list[Path]:
    """The first n filings of the scale set as PDF paths (rendered when missing)."""
    from demo.district.district import _src_hash

    folder = Path(out_dir) / f"{_src_hash()}-{seed}"
    folder.mkdir(parents=True, exist_ok=True)
    jobs = []
    for code, year, replica in plan(n):
        name = f"{code}-{year}.pdf" if replica < 0 else f"{REPLICA_FIRST_CODE + replica}-{year}.pdf"
        jobs.append((code, year, replica, seed, str(folder / name)))
    todo = [j for j in jobs if not Path(j[4]).exists()]
    if todo:
        with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
            for i, _ in enumerate(pool.map(render_one, todo, chunksize=4), 1):
                if i % 20 == 0 or i == len(todo):
                    print(f"\r[render] {i}/{len(todo)} filings", end="", flush=True,
                          file=__import__("sys").stderr)
        print(file=__import__("sys").stderr)
    return [Path(j[4]) for j in jobs]
