"""Fuzz the PDF entry point the pipeline uses: ``extractors.run_isolated``.

    python -m benchmarks.fuzz_pdf [--n 500] [--seed 1] [--timeout 60] [--memory-mb 1024]
                                  [--workers 2] [--with-seed-filing] [--save DIR]

Each mutant is a small, well-formed or hostile PDF (``benchmarks.hostile``) or the seed
filing, with one to four mutations: bit flips, inserted PDF tokens (``0 R``, ``<<``,
``/Kids [2 0 R]``, huge and negative numbers, ``stream``), truncation, a deleted or
duplicated chunk, a number swapped for a huge one. The contract every mutant must keep:
run_isolated returns (never raises) an outcome code of ``extractors.model.OUTCOMES`` with a
message, within the time limit (plus start-up slack). A mutant that breaks it is saved to
``--save`` (default benchmarks/_build/fuzz/) and the command exits 1.

Mutants are a pure function of (--seed, index), so a failure is reproduced by its seed and
index. `make test` runs a short run (tests/test_hostile_pdfs.py); this command is the long
one, to run by hand.
"""
from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SLACK_S = 15  # interpreter start-up and imports of the child on a busy machine
TOKENS = (b" 0 R", b"<<", b">>", b"[", b"]", b"(", b")", b"/Kids [2 0 R]", b"/Parent 3 0 R", b"/Count -1",
          b"999999999999", b"-2147483649", b"/Length 99999999", b"stream\n", b"endstream", b"endobj",
          b"/Filter /FlateDecode", b"/Type /Pages", b"trailer << /Root 2 0 R >>", b"%%EOF", b"\x00" * 8,
          b"/Prev 0", b"xref\n0 1\n", b"BT /F1 1e30 Tf (x) Tj ET", b"1 0 obj", b"/W [1 99 1]")


@dataclass
class Result:
    index: int
    base: str
    mutations: list[str]
    outcome: str
    detail: str
    seconds: float
    problem: str = ""
    sha256: str = ""


def bases(with_seed_filing: bool) -> dict[str, bytes]:
    """The files mutants are made from: small ones, so that a run is mostly mutation, not parsing."""
    from benchmarks import hostile

    out = {"plain_page": hostile.plain_page(), "kids_self_loop": hostile.kids_loop(),
           "kids_two_node_loop": hostile.kids_loop(two_node=True), "xref_prev_loop": hostile.xref_prev_loop(),
           "huge_image": hostile.huge_image(), "huge_stream_length": hostile.huge_length(),
           "huge_page_count_claim": hostile.huge_page_count(),
           "nested_arrays": hostile.nested_arrays(depth=2000),
           "decompression_bomb_small": hostile.decompression_bomb(1, twice=True)}
    if with_seed_filing:
        from demo.render_pdf import build_seed_pdf

        with tempfile.TemporaryDirectory() as d:
            out["seed_filing"] = Path(build_seed_pdf(Path(d) / "seed.pdf")).read_bytes()
    return out


def mutate(data: bytes, rng: random.Random) -> tuple[bytes, list[str]]:
    buf = bytearray(data)
    done = []
    for _ in range(rng.randint(1, 4)):
        op = rng.choice(("flip", "token", "truncate", "delete", "duplicate", "number"))
        n = len(buf)
        if n < 2:
            break
        at = rng.randrange(n)
        if op == "flip":
            for _ in range(rng.randint(1, 16)):
                i = rng.randrange(n)
                buf[i] ^= 1 << rng.randrange(8)
        elif op == "token":
            buf[at:at] = rng.choice(TOKENS)
        elif op == "truncate":
            del buf[max(1, at):]
        elif op == "delete":
            del buf[at:at + rng.randint(1, 256)]
        elif op == "duplicate":
            chunk = bytes(buf[at:at + rng.randint(1, 512)])
            buf[rng.randrange(n):0] = chunk * rng.randint(1, 8)
        else:  # a number of the file (an offset, a length, a count, an object number) made huge
            digits = [i for i in range(n) if 48 <= buf[i] <= 57]
            if digits:
                i = rng.choice(digits)
                buf[i:i + 1] = rng.choice((b"9999999999", b"0", b"-1", b"4294967296"))
        done.append(f"{op}@{at}")
    return bytes(buf), done


def make(index: int, seed: int, base_files: dict[str, bytes]) -> tuple[str, bytes, list[str]]:
    rng = random.Random(f"{seed}:{index}")
    name = rng.choice(sorted(base_files))
    data, ops = mutate(base_files[name], rng)
    return name, data, ops


def check_one(index: int, seed: int, base_files: dict[str, bytes], work: Path, timeout_s: float,
              memory_mb: int) -> tuple[Result, bytes]:
    from extractors import run_isolated
    from extractors.model import OUTCOMES

    name, data, ops = make(index, seed, base_files)
    path = work / f"mutant-{index}.pdf"
    path.write_bytes(data)
    sha = hashlib.sha256(data).hexdigest()
    t0 = time.monotonic()
    try:
        ext = run_isolated(path, timeout_s=timeout_s, memory_mb=memory_mb)
    except Exception as exc:  # noqa: BLE001 - that is exactly what the fuzzer looks for
        return Result(index, name, ops, "-", "", time.monotonic() - t0, f"raised {type(exc).__name__}: {exc}",
                      sha), data
    finally:
        path.unlink(missing_ok=True)
    seconds = time.monotonic() - t0
    problem = ""
    if ext.outcome not in OUTCOMES:
        problem = f"outcome {ext.outcome!r} is not an outcome code"
    elif ext.outcome != "ok" and not (ext.outcome_detail or "").strip():
        problem = "an outcome other than ok without a message"
    elif seconds > timeout_s + SLACK_S:
        problem = f"took {seconds:.1f} s (limit {timeout_s:g} s)"
    return Result(index, name, ops, ext.outcome, ext.outcome_detail or "", seconds, problem, sha), data


def run(n: int, seed: int = 1, timeout_s: float = 60, memory_mb: int = 1024, workers: int = 2,
        with_seed_filing: bool = False, save: Path | None = None, progress: bool = True) -> list[Result]:
    base_files = bases(with_seed_filing)
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="bw-fuzz-") as d, ThreadPoolExecutor(max_workers=workers) as pool:
        futs = [pool.submit(check_one, i, seed, base_files, Path(d), timeout_s, memory_mb) for i in range(n)]
        t0 = time.monotonic()
        for k, fut in enumerate(futs, 1):
            res, data = fut.result()
            results.append(res)
            if res.problem and save is not None:
                save.mkdir(parents=True, exist_ok=True)
                (save / f"seed{seed}-{res.index}-{res.sha256[:12]}.pdf").write_bytes(data)
            if progress:
                print(f"\r[fuzz] {k}/{n} mutants, {sum(bool(r.problem) for r in results)} contract violations, "
                      f"{k / max(time.monotonic() - t0, 1e-6):.1f} mutants/s", end="", file=sys.stderr, flush=True)
    if progress:
        print(file=sys.stderr)
    return results


def report(results: list[Result], seed: int) -> str:
    lines = [f"fuzz: {len(results)} mutants (seed {seed})",
             "outcomes: " + ", ".join(f"{k} {v}" for k, v in Counter(r.outcome for r in results).most_common())]
    slow = sorted(results, key=lambda r: -r.seconds)[:3]
    lines.append("slowest: " + ", ".join(f"#{r.index} {r.base} {r.seconds:.1f}s {r.outcome}" for r in slow))
    bad = [r for r in results if r.problem]
    for r in bad:
        lines.append(f"VIOLATION #{r.index} ({r.base}, {' '.join(r.mutations)}): {r.problem}")
    lines.append(f"contract_violations: {len(bad)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.fuzz_pdf", description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--memory-mb", type=int, default=1024)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--with-seed-filing", action="store_true", help="also mutate the seed filing (slower)")
    ap.add_argument("--save", type=Path, default=ROOT / "benchmarks" / "_build" / "fuzz")
    args = ap.parse_args(argv)
    results = run(args.n, args.seed, args.timeout, args.memory_mb, args.workers, args.with_seed_filing, args.save)
    print(report(results, args.seed))
    return 1 if any(r.problem for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
