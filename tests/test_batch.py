"""The extraction subflow's parameter: a city's night of documents, recorded on the Prefect
server as a summary that fits its parameter limit (issue 17: 1 076 documents of 4 districts
were 791 583 bytes, over the 524 288 allowed)."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from flows.batch import DocumentBatch
from flows.nightly import extract_documents
from flows.pipeline import Document


def docs(n: int) -> list[Document]:
    return [Document(path=Path(f"/data/raw/{i:064d}.pdf"), sha256=f"{i:064d}",
                     source={"source_url": f"http://127.0.0.1:8000/zwgk/czyjs/202601/P0202601{i:012d}.pdf",
                             "title": "硚口区城市运行管理中心2026年部门预算公开"}) for i in range(n)]


@pytest.mark.parametrize("n", [0, 1, 4000])
def test_the_recorded_parameter_is_a_summary(n):
    recorded = extract_documents.serialize_parameters({"batch": DocumentBatch(docs=docs(n)), "cache_dir": "/c"})
    digest = hashlib.sha256("".join(f"{i:064d}" for i in range(n)).encode()).hexdigest()
    assert recorded == {"batch": {"documents": n, "sha256_digest": digest}, "cache_dir": "/c"}


def test_the_subflow_gets_the_documents_themselves():
    batch = DocumentBatch(docs=docs(3))
    assert batch.docs[2] == docs(3)[2] and all(isinstance(d, Document) for d in batch.docs)
