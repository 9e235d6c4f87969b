"""Documents seen again are recorded in one batch (warehouse.load.record_sightings) with the
same result as one record_sighting each: fetch times move, the first sighting's metadata stays,
better publication evidence wins."""
from __future__ import annotations

import pytest

from fixtures.warehouse.seed_extraction import SEED_SOURCE, seed_extraction
from warehouse.db import connect
from warehouse.load import load_extraction, record_sighting, record_sightings

SEED_X = seed_extraction()
URL = SEED_SOURCE["source_url"]


def source(url=URL, fetched="2026-03-01T08:00:00+08:00", published=None, kind=None, title="again") -> dict:
    return {**SEED_SOURCE, "source_url": url, "fetched_at": fetched, "published_at": published,
            "published_at_source": kind, "title": title}


SIGHTINGS = {
    "fetched again later": [source()],
    "fetched at an earlier time": [source(fetched="2020-01-01T00:00:00")],
    "better publication evidence": [source(published="2026-01-29", kind="detail_page")],
    "worse publication evidence": [source(published="2026-02-20", kind="first_seen")],
    "a second address": [source(url="http://portal.example/moved.pdf", published="2026-02-02", kind="first_seen")],
    "two addresses at once": [source(url="http://a.example/1.pdf"), source(url="http://b.example/2.pdf")],
    "a local file": [{"path": "/tmp/x.pdf"}],
}


def warehouse():
    con = connect(":memory:")
    load_extraction(con, SEED_X, SEED_SOURCE)
    return con


def rows(con) -> list[tuple]:
    return con.execute("SELECT * FROM doc_source ORDER BY ALL").fetchall()


@pytest.mark.parametrize("seen", SIGHTINGS.values(), ids=SIGHTINGS.keys())
def test_a_batch_records_what_one_by_one_records(seen):
    one, batch = warehouse(), warehouse()
    fids = [record_sighting(one, SEED_X.sha256, s) for s in seen]
    assert record_sightings(batch, [(SEED_X.sha256, s) for s in seen]) == {SEED_X.sha256: fids[0]}
    assert fids[0] is not None
    assert rows(batch) == rows(one)
    assert len(rows(batch)) == 1 + sum(1 for s in seen if s.get("source_url") not in (None, URL))

