"""A night whose every document is in the extraction store runs no extraction sub-flow."""
from __future__ import annotations

import pytest

from flows.documents import Document
from flows.extraction_store import entry_name
from flows.nightly import all_cached

SHAS = ["a" * 64, "b" * 64, "c" * 64]


def doc(sha: str, url: str) -> Document:
    return Document(path=f"/raw/{sha}.pdf", sha256=sha, source={"source_url": url})


@pytest.mark.parametrize("stored, docs, expected", [
    (SHAS, [doc(s, f"http://x/{i}.pdf") for i, s in enumerate(SHAS)], SHAS),
    # a file posted twice is one document
    (SHAS[:1], [doc(SHAS[0], "http://x/1.pdf"), doc(SHAS[0], "http://x/2.pdf")], SHAS[:1]),
    (SHAS[:2], [doc(s, f"http://x/{i}.pdf") for i, s in enumerate(SHAS)], None),
    (SHAS, [], None),
])
def test_only_a_night_with_everything_stored_skips_the_subflow(tmp_path, stored, docs, expected):
    for sha in stored:
        (tmp_path / entry_name(sha)).write_text("{}")
    got = all_cached(docs, str(tmp_path))
    if expected is None:
        assert got is None
    else:
        assert (sorted(got["extractions"]), got["parsed"], got["pages"], got["runner"]) == (expected, 0, 0, None)
