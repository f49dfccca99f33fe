"""Field extraction: one module per document type, each exposing ``extract(pages) -> dict[str, Field]``
(a module serving several types may add ``extract_<type>`` for one of them).

``extract_fields`` dispatches on the document type. Modules are imported on first use, so one type's
extractor failing to import (or still being written) never blocks the others.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable

from pipeline.model import Field, Page

log = logging.getLogger(__name__)

Extractor = Callable[[list[Page]], dict[str, Field]]

# document type → module under extractors.fields exposing extract(pages)
_MODULES: dict[str, str] = {
    "loan_application": "loan_application",
    "tax_certificate_prefectural": "tax_certificate",
    "tax_certificate_consumption": "tax_certificate",
    "financial_statements": "financial_statements",
    "subsidy_decision_notice": "subsidy_notice",
    "approved_plan": "plans",
    "business_plan": "plans",
    "opinion_letter": "plans",
    "plan_approval_application": "plans",
    "funding_evidence": "funding_evidence",
    "income_expenditure_plan": "income_plan",
    "expert_support_certificate": "expert_support",
}


def extractor_for(doc_type: str) -> Extractor | None:
    """The ``extract`` function of a document type's module, or None for a type without fields."""
    name = _MODULES.get(doc_type)
    if name is None:
        return None
    module = importlib.import_module(f"{__name__}.{name}")
    fn: Extractor = getattr(module, f"extract_{doc_type}", None) or module.extract
    return fn


def extract_fields(doc_type: str, pages: list[Page]) -> dict[str, Field]:
    """Every field this document type defines that could be read from ``pages`` (absent if not read)."""
    fn = extractor_for(doc_type)
    if fn is None or not pages:
        return {}
    fields = fn(pages)
    log.debug("%s on %s pages %s: %d fields", doc_type, pages[0].file, [p.number for p in pages], len(fields))
    return fields
