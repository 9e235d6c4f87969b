"""The documents of one nightly run, as the extraction subflow's parameter."""
from __future__ import annotations

import hashlib
from typing import Any

from pydantic import BaseModel, ConfigDict, model_serializer


class DocumentBatch(BaseModel):
    """Prefect records every flow run's parameters on its server, where they must stay under
    PREFECT_SERVER_API_MAX_PARAMETER_SIZE (512 KB by default): about 700 documents, fewer than
    three districts. A city's night holds thousands, so the record keeps a summary (how many, and
    a digest of their sha256s); the subflow runs in the flow's own process and gets the list."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)
    docs: list[Any]  # flows.pipeline.Document, passed as they are

    @model_serializer
    def _summary(self) -> dict:
        digest = hashlib.sha256("".join(sorted(d.sha256 for d in self.docs)).encode()).hexdigest()
        return {"documents": len(self.docs), "sha256_digest": digest}
