"""The extraction store and the one extraction path: entries by (sha256, parser version),
written whole or not at all, on a local folder or any fsspec URL; a worker reads its input
by content from the raw store and returns references, not extractions."""
from __future__ import annotations

import hashlib
import json
import pickle
import uuid
from pathlib import Path

import fsspec
import pytest

from extractors.model import PARSER_VERSION, Extraction, Fact
from flows.documents import Document
from flows.extraction import ERROR_VERSION, Result, Results, batches, extract_batch, extract_to_store
from flows.extraction_store import ExtractionStore, entry_name

SHA = "ab" * 32


def memory_url(name: str) -> str:
    # the memory filesystem is one per process: a root of its own per test
    return f"memory://bw-{name}-{uuid.uuid4().hex[:8]}"


@pytest.fixture(params=["local", "memory"])
def store(request, tmp_path) -> ExtractionStore:
    return ExtractionStore(tmp_path / "cache" if request.param == "local" else memory_url("cache"))


def extraction(sha: str = SHA, amount: str = "12.5") -> Extraction:
    from decimal import Decimal

    return Extraction(sha256=sha, outcome="ok", pages=3, facts=[
        Fact(table_kind="T1", row_code="1", row_label="一般公共预算拨款收入", column_label="金额",
             amount_wan=Decimal(amount), printed_value=amount, printed_unit="万元", page=2, bbox=(1.0, 2.0, 3.0, 4.0))])


def test_entry_name_is_the_cache_layout_of_earlier_releases(tmp_path):
    assert entry_name(SHA) == f"{SHA}-{PARSER_VERSION}.json"
    # an entry written by an earlier release into data/cache is read as it is
    (tmp_path / entry_name(SHA)).write_text(json.dumps(extraction().to_dict()), "utf-8")
    got = ExtractionStore(tmp_path).get(SHA)
    assert (got.outcome, got.pages, got.facts[0].amount_wan) == ("ok", 3, extraction().facts[0].amount_wan)


def test_put_then_get_round_trips_and_leaves_no_temporary_key(store):
    store.put(extraction())
    fs, root = fsspec.core.url_to_fs(store.url)
    assert sorted(Path(p).name for p in fs.ls(root, detail=False)) == [entry_name(SHA)]
    assert store.get(SHA).to_dict() == extraction().to_dict()
    assert (store.has(SHA), store.has("cd" * 32)) == (True, False)


def test_a_half_written_temporary_key_is_never_read(store):
    """What a worker killed mid-write leaves behind: a temporary key, not an entry."""
    fs, root = fsspec.core.url_to_fs(store.url)
    fs.makedirs(root, exist_ok=True)
    fs.pipe_file(f"{root}/{entry_name(SHA)}.worker-1-2-dead.tmp", b'{"sha256": "' + SHA.encode())
    assert (store.has(SHA), store.get(SHA), store.cached([SHA])) == (False, None, set())


def test_cached_lists_once_and_sees_entries_written_after_a_listing(store):
    assert store.cached([SHA]) == set()
    store.put(extraction())
    assert store.cached([SHA, "cd" * 32]) == {SHA}


def test_an_other_parser_versions_entry_is_not_this_ones(tmp_path):
    (tmp_path / entry_name(SHA, "0.0.1")).write_text(json.dumps(extraction().to_dict()), "utf-8")
    assert (ExtractionStore(tmp_path).get(SHA), ExtractionStore(tmp_path).cached([SHA])) == (None, set())


def test_the_store_travels_as_its_url_alone(store):
    store.has(SHA)  # opens the client
    again = pickle.loads(pickle.dumps(store))
    assert (again.url, again._fs, again) == (store.url, None, store)


@pytest.mark.parametrize("n, workers, sizes", [
    (0, 2, []),
    (1, 2, [1]),
    (7, 2, [1] * 7),          # fewer than 4 a worker: one document a batch
    (20, 2, [3] * 6 + [2]),  # 20 / (2 × 4) → 3 a batch
    (270, 2, [16] * 16 + [14]),  # capped at 16, so a lost worker costs little work again
])
def test_batches(n, workers, sizes):
    docs = [Document(Path(f"{i}.pdf"), f"{i:064x}") for i in range(n)]
    got = batches(docs, workers)
    assert [len(b) for b in got] == sizes
    assert [d for b in got for d in b] == docs


def raw_store_with(content: bytes, suffix: str = ".pdf") -> tuple[str, str]:
    """A raw store (fsspec memory) holding `content` by its sha256; (store URL, sha256)."""
    from flows.rawstore import remote_path

    base = memory_url("raw")
    sha = hashlib.sha256(content).hexdigest()
    fsspec.filesystem("memory").pipe_file(remote_path(base, sha, suffix), content)
    return remote_path(base, sha, suffix), sha


def test_a_worker_without_the_file_reads_it_by_content_from_the_raw_store(tmp_path, store):
    remote, sha = raw_store_with(b"<html><body>not a budget</body></html>")
    doc = Document(tmp_path / "not-on-this-machine" / f"{sha}.pdf", sha, {"raw_url": remote})
    first = extract_to_store(doc, store)
    assert first == Result(sha, cached=False, outcome="not_pdf", pages=1)  # an HTML page counts one
    assert store.get(sha).outcome == "not_pdf"
    assert extract_batch([doc], store) == [Result(sha, cached=True)]
    assert not doc.path.parent.exists()  # nothing written where the flow's machine keeps files


def test_raw_content_that_is_not_its_sha256_is_refused_and_not_cached(tmp_path, store):
    remote, sha = raw_store_with(b"some bytes")
    other = "0" * 64
    doc = Document(tmp_path / "x.pdf", other, {"raw_url": remote.replace(sha, other)})
    fsspec.filesystem("memory").pipe_file(fsspec.core.url_to_fs(doc.source["raw_url"])[1], b"some bytes")
    r = extract_to_store(doc, store)
    assert (r.outcome, r.cached, r.failure.parser_version) == ("parse_error", False, ERROR_VERSION)
    assert "does not match its sha256" in r.failure.outcome_detail
    assert store.has(other) is False


def test_results_read_each_extraction_from_the_store_when_asked(store):
    store.put(extraction())
    lost = Extraction(sha256="cd" * 32, outcome="parse_error", parser_version=ERROR_VERSION, outcome_detail="x")
    res = Results(store, [Result(SHA, cached=True), Result("cd" * 32, outcome="parse_error", failure=lost)])
    assert (len(res), list(res), res.outcomes) == (2, [SHA, "cd" * 32], {"cd" * 32: "parse_error"})
    assert res[SHA].facts[0].printed_value == "12.5"
    assert res["cd" * 32] is lost
    assert res.outcomes == {SHA: "ok", "cd" * 32: "parse_error"}
    assert res.parsed == [Result("cd" * 32, outcome="parse_error", failure=lost)]


def test_an_unreadable_entry_becomes_an_outcome_and_is_removed(store):
    fs, root = fsspec.core.url_to_fs(store.url)
    fs.makedirs(root, exist_ok=True)
    fs.pipe_file(f"{root}/{entry_name(SHA)}", b"{not json")
    got = Results(store, [Result(SHA, cached=True)])[SHA]
    assert (got.outcome, got.parser_version) == ("parse_error", ERROR_VERSION)
    assert store.has(SHA) is False  # the next run extracts it again


def test_membership_and_version_need_no_read(store):
    lost = Extraction(sha256="cd" * 32, outcome="parse_error", parser_version=ERROR_VERSION)
    res = Results(store, [Result(SHA, cached=True), Result("cd" * 32, outcome="parse_error", failure=lost)])
    # nothing is in the store: a read would give the 'missing' outcome and note it
    assert (SHA in res, "ef" * 32 in res) == (True, False)
    assert (res.version(SHA), res.version("cd" * 32)) == (PARSER_VERSION, ERROR_VERSION)
    assert res.outcomes == {"cd" * 32: "parse_error"}


def filing(sha: str) -> Extraction:
    from extractors.model import FilingMeta

    x = extraction(sha)
    x.meta = FilingMeta(region_code="420104", department="区财政局", department_code="118", unit_scope="部门",
                        fiscal_year=2025, kind="预算")
    return x


def test_a_document_loaded_before_is_seen_again_without_reading_the_store(store):
    from flows.pipeline import load_all
    from warehouse.db import connect

    store.put(filing(SHA))
    docs = [Document(Path("a.pdf"), SHA, {"source_url": "http://example.test/a.pdf"})]
    con = connect(":memory:")
    first = load_all(con, docs, Results(store, [Result(SHA, outcome="ok", pages=3)]))
    store.remove(SHA)  # a read now would find nothing: the second load must not read
    again = Results(store, [Result(SHA, cached=True)])
    docs2 = [Document(Path("b.pdf"), SHA, {"source_url": "http://example.test/b.pdf"})]
    assert load_all(con, docs2, again) == first == ["420104-118-2025-budget-dept-abababab"]
    assert again.outcomes == {}
    assert con.execute("SELECT source_url FROM doc_source ORDER BY 1").fetchall() == [
        ("http://example.test/a.pdf",), ("http://example.test/b.pdf",)]
    assert con.execute("SELECT count(*) FROM fact").fetchall() == [(1,)]


@pytest.mark.parametrize("last_rules, expected", [
    (None, ["a", "b"]),          # never checked: everything seen
    ("current", ["b"]),         # same rules: only what changed
    ("0123456789ab", ["a", "b"]),  # the rules changed since: everything seen, under the new rules
])
def test_check_scope(last_rules, expected):
    from flows.runs import check_scope
    from warehouse.db import connect, rules_version

    con = connect(":memory:")
    if last_rules:
        version = rules_version() if last_rules == "current" else last_rules
        con.execute("INSERT INTO check_run VALUES ('r', now(), now(), ?, 2, '{}')", [version])
    assert check_scope(con, ["a", "b"], ["b"]) == expected


@pytest.mark.parametrize("env, expected", [
    ("256MB", "244.1 MiB"),
    ("1GB", "953.6 MiB"),
    (None, "286.1 MiB"),   # unset: 300MB (flows.settings.DEFAULT_WRITE_MEMORY)
    ("", "286.1 MiB"),
    ("none", None),        # DuckDB's own default, left alone
])
def test_the_write_session_holds_duckdb_to_its_memory_limit(tmp_path, monkeypatch, env, expected):
    from flows.runs import open_for_update
    from warehouse.db import connect

    if env is None:
        monkeypatch.delenv("BUDGETWATCH_DUCKDB_MEMORY", raising=False)
    else:
        monkeypatch.setenv("BUDGETWATCH_DUCKDB_MEMORY", env)
    connect(tmp_path / "budget.duckdb").close()
    with open_for_update(tmp_path / "budget.duckdb") as con:
        got = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    if expected is None:
        assert got not in ("244.1 MiB", "953.6 MiB", "286.1 MiB")
    else:
        assert got == expected


@pytest.mark.parametrize("bad", ["lots", "1GB; DROP TABLE doc", "-5MB"])
def test_a_memory_limit_that_is_not_a_size_is_refused(monkeypatch, bad):
    from flows.settings import write_memory

    monkeypatch.setenv("BUDGETWATCH_DUCKDB_MEMORY", bad)
    with pytest.raises(ValueError, match="BUDGETWATCH_DUCKDB_MEMORY"):
        write_memory()
