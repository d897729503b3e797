"""The usage ledger: what each model call cost, stored in SQLite, and the metrics read from it.

``CallRecord`` is one row (``records``), ``Ledger`` stores rows in a versioned
SQLite schema (``ledger``, ``schema``), and ``metrics`` computes cost per
token, per query and per user, cache hit rate, cached-token share and model
utilization from any list of records.
"""

from .ledger import Ledger
from .records import CallRecord, key_id
from .schema import SCHEMA_VERSION, LedgerSchemaError

__all__ = ["CallRecord", "Ledger", "LedgerSchemaError", "SCHEMA_VERSION", "key_id"]
