"""Alert precision (issue 13): every failing finding on the real corpus carries a verdict checked
on the page, in tests/fixtures/corpus_finding_labels.tsv (python -m benchmarks.precision
--write-missing appends the new ones with '?' for a person to fill in)."""
from __future__ import annotations

from collections import Counter

import pytest

from benchmarks.precision import DEFAULT_LABELS, LABEL_FIELDS, VERDICTS, measure, read_labels
from tests.corpus import CORPUS, extraction_cache_dir



def test_the_labels_file_is_well_formed():
    lines = DEFAULT_LABELS.read_text(encoding="utf-8").splitlines()
    assert tuple(lines[0].split("\t")) == LABEL_FIELDS
    rows = [line.split("\t") for line in lines[1:]]
    assert all(len(r) == len(LABEL_FIELDS) for r in rows)
    assert {r[3] for r in rows} <= set(VERDICTS)
    # a verdict says why, as checked on the page
    assert [r for r in rows if r[3] != "?" and not r[4].strip()] == []
    keys = Counter((r[0], r[1], r[2]) for r in rows)
    assert [k for k, n in keys.items() if n > 1] == []
    assert len(read_labels(DEFAULT_LABELS)) == len(rows)


@pytest.mark.slow
@pytest.mark.corpus
def test_every_failing_finding_on_the_corpus_is_labelled():
    if not (CORPUS / "INDEX.tsv").exists():
        pytest.skip(f"{CORPUS} is absent (../shared not mounted)")
    # the extractions the pinned corpus tests made are reused; only the other files are parsed
    con, findings = measure(CORPUS, extraction_cache_dir())
    con.close()
    labels = read_labels(DEFAULT_LABELS)
    unlabelled = sorted({(f["path"], f["rule_id"], f["subject"]) for f in findings
                         if labels.get((f["sha256"], f["rule_id"], f["subject"]), {}).get("verdict", "?") == "?"})
    assert unlabelled == [], ("label them: python -m benchmarks.precision --write-missing, then fill in "
                              "the verdicts from the pages", unlabelled[:20])
