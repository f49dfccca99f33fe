"""Files → pages → text → normalised text → document types → fields with evidence.

pdfminer (under pdfplumber) logs page content-stream tokens at DEBUG, i.e. document text. Its loggers
are capped at WARNING here so that no verbosity setting of an application can put a packet's text in a log.
"""

from __future__ import annotations

import logging

for _name in ("pdfminer", "pdfplumber", "PIL"):
    logging.getLogger(_name).setLevel(logging.WARNING)
