"""The extraction fork server starts warm: it has read the warm-up filing once, so its
children inherit the compiled patterns and caches instead of building them per document."""
import gc
import sys

from extractors.isolate import _fork_server
from extractors.pdf import extract_file
from extractors.warmup import WARMUP_PDF, warm_up


def test_the_warm_up_filing_reads_as_a_whole_budget():
    # A warm-up that stopped reading tables would stop warming their readers: keep it a full filing.
    ex = extract_file(WARMUP_PDF)
    assert (ex.outcome, ex.pages, ex.meta.template, ex.meta.kind) == ("ok", 22, "wuhan-2026-budget", "预算")
    assert sorted({f.table_kind for f in ex.facts}) == [
        "T1", "T10", "T11", "T12", "T2", "T3", "T4", "T5-1", "T5-2", "T6", "T7"]
    assert len(ex.facts) == 251


def test_a_failed_warm_up_is_not_an_error(tmp_path):
    bad = tmp_path / "warm.pdf"
    bad.write_bytes(b"%PDF-1.7\n garbage")
    assert warm_up(tmp_path / "missing.pdf") == "parse_error"
    assert warm_up(bad) in {"parse_error", "truncated"}


def _child_state(conn):
    conn.send(("extractors.preload" in sys.modules, gc.get_freeze_count()))


def test_forked_children_inherit_the_warm_server():
    ctx = _fork_server()
    assert ctx is not None
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child_state, args=(sender,))
    proc.start()
    preloaded, frozen = receiver.recv()
    proc.join(30)
    assert preloaded
    assert frozen > 10_000  # the imported libraries' objects, kept out of the child's collections


def test_the_fork_servers_own_cpu_is_counted():
    # The benchmarks add it to the children's: it lives until the caller exits, so no
    # RUSAGE_CHILDREN holds its imports and warm-up (a 22-page filing read once).
    from extractors.isolate import child_usage

    test_forked_children_inherit_the_warm_server()  # the server is up and has warmed
    assert child_usage()["server_cpu_s"] > 0.05
