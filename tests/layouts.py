"""The constructed portal layouts of spiders/portals.py with the real 重庆 TRS detail pages,
for the `--check` and `profile draft` tests; the pages are pinned and read in place."""
from __future__ import annotations

import pytest

from corpus import corpus_file
from spiders.portals import CQ_DIR, cq_entries, interleave, notices

FAST = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_START_DELAY": 0, "AUTOTHROTTLE_MAX_DELAY": 0.5}
CQ_SHA256 = {
    "2026年重庆市交通运输局部门预算.pdf": "39d924ca5419c6c52680a52fca3620bcb58fa9e2b4e51457133147fe2be11ff5",
    "2026年重庆市公安局部门预算.pdf": "b789e28c98c73588f2d7bbeabc5360d78db21c6072ff5b82fc8a822354cdca7d",
    "2026年重庆市发展和改革局部门预算.pdf": "c420d65bed0daee0fb5f95984e3c1d0ef7ed575a245e2b0c878177cc35970c0e",
    "2026年重庆市国有资产监督管理委员会部门预算.pdf": "09fc8473b9a660b89a011ab3e9cae396009979df0e5c95b54c3f67286afd5b2a",
    "2026年重庆市教育局部门预算.pdf": "173b53c8081ebecd888d09bf39cd215b4b3d9e347cb0b9362ac6dd3d377be2ce",
    "2026年重庆市民政局部门预算.pdf": "e88ad3a35c7410b544ddd7a951a6ff1a9b76999e7100de7df1ecb3648883a0d6",
}


@pytest.fixture(scope="session")
def cq():
    """The real 重庆 TRS detail pages, pinned; the layouts' budget entries."""
    for name, sha in CQ_SHA256.items():
        corpus_file(f"cities/{CQ_DIR.name}/{name}", sha)
    return interleave(cq_entries(), notices())


