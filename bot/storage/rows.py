"""Records as rows: built for writing, checked when read back (a malformed row is skipped and counted, not fatal)."""

from __future__ import annotations

import dataclasses
import functools
import itertools
import json
import os
import secrets
from collections.abc import Iterable
from typing import Any

from bot.storage.common import RATINGS, AnswerSnapshot, cap, storable, utc_now

# One pending unanswered record: (snapshot, adapter, raw user id or None, created_at or None).
UnansweredItem = tuple[AnswerSnapshot, str, "str | int | None", "str | None"]


# Record keys: a random 96-bit prefix per process and a counter (a uuid4 per record costs a system call, and the log
# writer makes thousands a second). A forked child draws its own prefix, so no two processes share one.
_keys = {"prefix": "", "counter": itertools.count()}


def _new_prefix() -> None:
    _keys["prefix"], _keys["counter"] = secrets.token_hex(12), itertools.count()


_new_prefix()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_new_prefix)


def new_key() -> str:
    return f"{_keys['prefix']}{next(_keys['counter']):08x}"


# The short fields repeat from record to record (kinds, intents, versions, adapters, id lists): checked once each.
@functools.lru_cache(maxsize=4096)
def _label(text: str) -> str:
    return storable(text)


@functools.lru_cache(maxsize=4096)
def _ids_json(ids: tuple[str, ...]) -> str:
    return json.dumps([str(i) for i in ids])


def _ids(ids: Any) -> str:
    try:
        return _ids_json(tuple(ids))
    except TypeError:  # an id that cannot be hashed: encode it without the cache
        return json.dumps([str(i) for i in ids])


def snapshot_columns(snapshot: AnswerSnapshot) -> tuple[str, str, str, str, str, str]:
    """question, answer_kind, intent, condition_ids, suggestion_ids, knowledge_version, as stored."""
    return (cap(snapshot.question) or "", _label(str(snapshot.kind)), _label(str(snapshot.intent)),
            _ids(snapshot.condition_ids), _ids(snapshot.suggestion_ids), _label(str(snapshot.knowledge_version)))


def snapshot_from(question: str, kind: str, intent: str, condition_ids: str, suggestion_ids: str,
                  knowledge_version: str) -> AnswerSnapshot:
    return AnswerSnapshot(question, kind, intent, tuple(json.loads(condition_ids)), tuple(json.loads(suggestion_ids)),
                          knowledge_version)


def record_row(snapshot: AnswerSnapshot, adapter: str, user_hash: str | None, created_at: str | None) -> tuple:
    """The RECORD_COLUMNS of one record."""
    question, kind, intent, conditions, suggestions, version = snapshot_columns(snapshot)
    return (created_at or utc_now(), _label(str(adapter)), user_hash, question, kind, intent, conditions, suggestions,
            version)


def clean_comment(comment: str | None) -> str | None:
    return cap(comment.strip()) if comment and comment.strip() else None


# --- reading back ----------------------------------------------------------------------------------------

_TEXT = ("created_at", "adapter", "question", "answer_kind", "intent", "knowledge_version")


def _id_list(value: Any) -> list[str] | None:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def clean_record(row: dict[str, Any], table: str) -> dict[str, Any] | None:
    """The row with its id lists decoded, or None when it is not a record this version can use."""
    try:
        if any(not isinstance(row[name], str) for name in _TEXT):
            return None
        if row["user_hash"] is not None and not isinstance(row["user_hash"], str):
            return None
        conditions, suggestions = _id_list(row["condition_ids"]), _id_list(row["suggestion_ids"])
        if conditions is None or suggestions is None:
            return None
        if table == "feedback":
            if row["rating"] not in RATINGS or not (row["comment"] is None or isinstance(row["comment"], str)):
                return None
    except (KeyError, TypeError):
        return None
    return {**row, "condition_ids": conditions, "suggestion_ids": suggestions}


def clean_gap(row: dict[str, Any]) -> dict[str, Any] | None:
    try:
        ok = (isinstance(row["reason"], str) and isinstance(row["dropped"], int) and row["dropped"] >= 0
              and all(row[k] is None or isinstance(row[k], str) for k in ("adapter", "first_at", "last_at")))
    except (KeyError, TypeError):
        return None
    return dict(row) if ok else None


def clean_rows(rows: Iterable[dict[str, Any]], table: str) -> tuple[list[dict[str, Any]], int]:
    """The usable rows and how many were skipped as malformed."""
    good, skipped = [], 0
    check = clean_gap if table == "log_gaps" else lambda row: clean_record(row, table)
    for row in rows:
        cleaned = check(row) if isinstance(row, dict) else None
        if cleaned is None:
            skipped += 1
        else:
            good.append(cleaned)
    return good, skipped


@dataclasses.dataclass
class StoredRecords:
    """Everything the report reads from a store, with the count of malformed rows skipped per table."""

    unanswered: list[dict[str, Any]]
    feedback: list[dict[str, Any]]
    gaps: list[dict[str, Any]]
    skipped: dict[str, int]
    source: str

    @classmethod
    def empty(cls, source: str) -> "StoredRecords":
        return cls([], [], [], {"unanswered": 0, "feedback": 0, "log_gaps": 0}, source)
