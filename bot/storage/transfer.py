"""Moving records between stores (e.g. SQLite to PostgreSQL) as JSON lines: every column, re-import adds nothing twice.

The first line is a header; then one object per row: `{"table": "feedback", "row": {...every column...}}`, oldest
first. Import keys each row by its `record_key` (a row without one gets a key derived from its content), so running
the same import twice, or importing into a store that already has some of the rows, adds each record once. Ids are
the target's own. Button state (rateable answers, claims, open forms) is short-lived and does not move.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any, TextIO

from bot.storage.common import StorageError, utc_now
from bot.storage.protocol import RecordStore
from bot.storage.schema import RECORD_TABLES, TABLE_COLUMNS

FORMAT = "ivig-chat-records"
FORMAT_VERSION = 1
CHUNK = 1_000  # rows per import transaction


def export_records(store: RecordStore, out: TextIO) -> dict[str, int]:
    """Write every record of every record table to `out`; returns rows written per table."""
    out.write(json.dumps({"format": FORMAT, "version": FORMAT_VERSION, "exported_at": utc_now(),
                          "source": store.location, "tables": list(RECORD_TABLES)}) + "\n")
    counts = {}
    for table in RECORD_TABLES:
        rows = store.raw_rows(table)
        for row in rows:
            out.write(json.dumps({"table": table, "row": row}, ensure_ascii=False, default=_plain) + "\n")
        counts[table] = len(rows)
    return counts


def _plain(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()  # SQLite may hold a blob where text was meant: keep it, visibly
    return str(value)


def _content_key(table: str, row: dict[str, Any]) -> str:
    """A stable key for a row exported without one: the same row always gets the same key."""
    body = json.dumps([table, [row.get(c) for c in TABLE_COLUMNS[table] if c != "record_key"]], default=str)
    return "c" + hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()[:31]


def _prepared(table: str, row: dict[str, Any]) -> dict[str, Any]:
    row = dict(row)
    for column in ("condition_ids", "suggestion_ids"):
        if isinstance(row.get(column), (list, tuple)):  # a hand-written file may give the lists themselves
            row[column] = json.dumps(list(row[column]))
    if not row.get("record_key"):
        row["record_key"] = _content_key(table, row)
    return row


def import_records(store: RecordStore, inp: Iterable[str]) -> dict[str, dict[str, int]]:
    """Add the records of an export to `store`. Returns per table: added, already there, and rejected (lines the
    store refused or could not read; the rest still go in). Raises StorageError when the input is not an export."""
    counts = {table: {"added": 0, "already_there": 0, "rejected": 0} for table in RECORD_TABLES}
    pending: dict[str, list[dict[str, Any]]] = {table: [] for table in RECORD_TABLES}
    lines = iter(inp)
    header = next(lines, "")
    try:
        head = json.loads(header)
    except ValueError:
        head = None
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise StorageError("not an ivig-chat records export (the first line is not its header)")
    if int(head.get("version", 0)) > FORMAT_VERSION:
        raise StorageError(f"the export is format version {head['version']}, newer than this ivig-chat reads")
    for line in lines:
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            table, row = item["table"], item["row"]
            if table not in pending or not isinstance(row, dict):
                raise ValueError(table)
        except (ValueError, KeyError, TypeError):
            _reject_unreadable(counts)
            continue
        pending[table].append(_prepared(table, row))
        if len(pending[table]) >= CHUNK:
            _flush(store, table, pending, counts)
    for table in RECORD_TABLES:
        _flush(store, table, pending, counts)
    return counts


def _reject_unreadable(counts: dict[str, dict[str, int]]) -> None:
    counts.setdefault("unreadable", {"added": 0, "already_there": 0, "rejected": 0})["rejected"] += 1


def _flush(store: RecordStore, table: str, pending: dict[str, list[dict[str, Any]]],
           counts: dict[str, dict[str, int]]) -> None:
    rows, pending[table] = pending[table], []
    if not rows:
        return
    try:
        added, there = store.import_rows(table, rows)
    except StorageError as exc:
        if not exc.record_level:
            raise
        added = there = 0
        for row in rows:  # one refused row must not keep the others out
            try:
                a, t = store.import_rows(table, [row])
            except StorageError as again:
                if not again.record_level:
                    raise
                counts[table]["rejected"] += 1
                continue
            added, there = added + a, there + t
    counts[table]["added"] += added
    counts[table]["already_there"] += there
