"""What both databases do alike: records, log gaps, rateable answers, comment forms, reads and bulk moves.

A subclass supplies the connection (`_transaction`, `_query`), the salt and the error mapping; the SQL here is
written once with `?` placeholders, which the PostgreSQL store turns into `%s`.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Iterator
from typing import Any

from bot.storage.common import RATINGS, AnswerSnapshot, StorageError, storable, utc_now
from bot.storage.pseudonyms import Pseudonyms
from bot.storage.rows import (
    StoredRecords,
    UnansweredItem,
    clean_comment,
    clean_rows,
    new_key,
    record_row,
    snapshot_columns,
    snapshot_from,
)
from bot.storage.schema import RECORD_TABLES, TABLE_COLUMNS, insert_sql

_SNAPSHOT_COLUMNS = "question, answer_kind, intent, condition_ids, suggestion_ids, knowledge_version"


class SQLStore:
    """The RecordStore operations over a DB-API connection; see bot.storage.protocol for the contract."""

    dialect: str
    location: str  # where the records are, for messages and the report (a URL without its password)
    pseudonym: Pseudonyms

    # --- what a backend supplies -------------------------------------------------------------------------

    def _transaction(self) -> contextlib.AbstractContextManager[Any]:
        """A cursor inside one write transaction, committed (durably) when the block ends without an error."""
        raise NotImplementedError

    def _query(self, sql: str, params: tuple = ()) -> tuple[list[str], list[tuple]]:
        """Column names and rows of a read; ([], []) when the table does not exist (an older database)."""
        raise NotImplementedError

    def _sql(self, sql: str) -> str:
        return sql

    def _insert_id(self, cursor: Any, sql: str, params: tuple) -> int:
        raise NotImplementedError

    def _storage_error(self, exc: BaseException, doing: str) -> StorageError | None:
        """The driver's error as a StorageError; None for an exception that is not the database's."""
        raise NotImplementedError

    @contextlib.contextmanager
    def _writing(self, doing: str = "write to") -> Iterator[Any]:
        try:
            with self._transaction() as cursor:
                yield cursor
        except StorageError:
            raise
        except Exception as exc:
            mapped = self._storage_error(exc, doing)
            if mapped is None:
                raise
            raise mapped from exc

    def _reading(self, sql: str, params: tuple = ()) -> tuple[list[str], list[tuple]]:
        try:
            return self._query(sql, params)
        except StorageError:
            raise
        except Exception as exc:
            mapped = self._storage_error(exc, "read")
            if mapped is None:
                raise
            raise mapped from exc

    # --- records -----------------------------------------------------------------------------------------

    def record_feedback(self, answer: Any, rating: str, comment: str | None = None, *, adapter: str,
                        user_id: str | int | None = None, created_at: str | None = None) -> int:
        """Save a good/bad rating of an answer; returns the record's id once it is committed."""
        if rating not in RATINGS:
            raise ValueError(f"rating must be one of {RATINGS}, not {rating!r}")
        row = record_row(AnswerSnapshot.of(answer), adapter, self.pseudonym(user_id), created_at)
        row += (rating, clean_comment(comment), new_key())
        with self._writing() as cursor:
            return self._insert_id(cursor, self._sql(insert_sql("feedback")), row)

    def record_unanswered(self, answer: Any, *, adapter: str, user_id: str | int | None = None,
                          created_at: str | None = None) -> int:
        """Save a not_found or clarify question synchronously (adapters use Recorder, which does not block)."""
        row = record_row(AnswerSnapshot.of(answer), adapter, self.pseudonym(user_id), created_at) + (new_key(),)
        with self._writing() as cursor:
            return self._insert_id(cursor, self._sql(insert_sql("unanswered")), row)

    def record_unanswered_many(self, items: Iterable[UnansweredItem]) -> int:
        """Save a batch of unanswered records in one transaction (all or none); returns how many."""
        rows = [record_row(snap, adapter, self.pseudonym(user), at) + (new_key(),) for snap, adapter, user, at in items]
        if rows:
            with self._writing() as cursor:
                cursor.executemany(self._sql(insert_sql("unanswered")), rows)
        return len(rows)

    def record_gap(self, reason: str, dropped: int, *, adapter: str | None = None, first_at: str | None = None,
                   last_at: str | None = None) -> int:
        """Write down that `dropped` unanswered questions were not logged, and why."""
        row = (utc_now(), reason, None if adapter is None else storable(adapter), int(dropped), first_at, last_at,
               new_key())
        with self._writing() as cursor:
            return self._insert_id(cursor, self._sql(insert_sql("log_gaps")), row)

    # --- reads -------------------------------------------------------------------------------------------

    def raw_rows(self, table: str) -> list[dict[str, Any]]:
        """Every column of every row of a record table, as stored, oldest first."""
        if table not in RECORD_TABLES:
            raise ValueError(f"not a record table: {table!r}")
        names, rows = self._reading(f"SELECT * FROM {table} ORDER BY id")  # noqa: S608 - a fixed name
        return [dict(zip(names, row, strict=True)) for row in rows]

    def records(self) -> StoredRecords:
        """All three record tables, malformed rows skipped and counted."""
        tables = {table: clean_rows(self.raw_rows(table), table) for table in RECORD_TABLES}
        return StoredRecords(tables["unanswered"][0], tables["feedback"][0], tables["log_gaps"][0],
                             {table: skipped for table, (_, skipped) in tables.items()}, self.location)

    def unanswered(self) -> list[dict[str, Any]]:
        return clean_rows(self.raw_rows("unanswered"), "unanswered")[0]

    def feedback(self) -> list[dict[str, Any]]:
        return clean_rows(self.raw_rows("feedback"), "feedback")[0]

    def log_gaps(self) -> list[dict[str, Any]]:
        return clean_rows(self.raw_rows("log_gaps"), "log_gaps")[0]

    def import_rows(self, table: str, rows: list[dict[str, Any]]) -> tuple[int, int]:
        """Add rows (every column but the id) in one transaction; a row whose record_key is already here is left
        alone. Returns (added, already there)."""
        columns = TABLE_COLUMNS[table]
        values = [tuple(row.get(c) for c in columns) for row in rows]
        with self._writing() as cursor:
            cursor.executemany(self._sql(insert_sql(table, on_conflict_ignore=True)), values)
            added = cursor.rowcount  # both drivers sum the rows each statement added
        return added, len(values) - added

    # --- answers that may be rated, and who rated them ------------------------------------------------------

    def keep_rateable(self, token: str, snapshot: AnswerSnapshot, capacity: int) -> bool:
        """Remember an answer under its button token, forgetting the oldest beyond `capacity`; False (nothing
        kept) when the token is already in use, so the caller draws another."""
        row = (token, utc_now(), *snapshot_columns(AnswerSnapshot.of(snapshot)))
        with self._writing() as cursor:
            cursor.execute(self._sql(f"INSERT INTO rateable (token, created_at, {_SNAPSHOT_COLUMNS}) "
                                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (token) DO NOTHING"), row)
            kept = cursor.rowcount == 1
            self._trim(cursor, "rateable", capacity)
        return kept

    def rateable(self, token: str) -> AnswerSnapshot | None:
        """The answer behind a button token, or None when it was never kept or has been forgotten."""
        _, rows = self._reading(self._sql(f"SELECT {_SNAPSHOT_COLUMNS} FROM rateable WHERE token = ?"), (token,))
        if not rows:
            return None
        try:
            return snapshot_from(*rows[0])
        except (ValueError, TypeError):
            return None  # a damaged row rates nothing

    def claim_rating(self, token: str, user_key: str) -> bool:
        """Mark that this user is rating this answer; False when they already did or are doing so (or the answer
        is forgotten). Atomic across processes: of two concurrent claims exactly one wins."""
        with self._writing() as cursor:
            cursor.execute(self._sql("INSERT INTO rating_claims (token, user_key, claimed_at) "
                                     "SELECT token, ?, ? FROM rateable WHERE token = ? ON CONFLICT DO NOTHING"),
                           (user_key, utc_now(), token))
            return cursor.rowcount == 1

    def rating_claimed(self, token: str, user_key: str) -> bool:
        """Whether this user has rated (or is rating) this answer: a look, not a claim (say "already rated" before
        opening a comment form; claim_rating still decides)."""
        _, rows = self._reading(self._sql("SELECT 1 FROM rating_claims WHERE token = ? AND user_key = ?"),
                                (token, user_key))
        return bool(rows)

    def release_rating(self, token: str, user_key: str) -> None:
        """Undo a claim whose rating could not be saved, so the user may try again."""
        with self._writing() as cursor:
            cursor.execute(self._sql("DELETE FROM rating_claims WHERE token = ? AND user_key = ?"), (token, user_key))

    # --- 👎 comment forms ---------------------------------------------------------------------------------

    def open_comment_form(self, token: str, user_key: str, capacity: int) -> None:
        """Remember that this user has a comment form open for this answer; bounded, the oldest go first."""
        with self._writing() as cursor:
            cursor.execute(self._sql("INSERT INTO comment_forms (token, user_key, opened_at) VALUES (?, ?, ?) "
                                     "ON CONFLICT (token, user_key) DO UPDATE SET opened_at = excluded.opened_at"),
                           (token, user_key, time.time()))
            self._trim(cursor, "comment_forms", capacity)

    def take_comment_form(self, token: str, user_key: str, max_age: float | None = None) -> bool:
        """True once per opened form (the first submit wins, in any process); False when none is open, or it is
        older than `max_age` seconds."""
        oldest = float("-inf") if max_age is None else time.time() - max_age
        with self._writing() as cursor:
            cursor.execute(self._sql("DELETE FROM comment_forms WHERE token = ? AND user_key = ? AND opened_at >= ?"),
                           (token, user_key, oldest))
            return cursor.rowcount == 1

    def _trim(self, cursor: Any, table: str, capacity: int) -> None:
        """Keep the newest `capacity` rows (by seq): one index walk of `capacity` entries, whatever the table size."""
        cursor.execute(self._sql(f"DELETE FROM {table} WHERE seq <= "  # noqa: S608 - fixed names
                                 f"(SELECT seq FROM {table} ORDER BY seq DESC LIMIT 1 OFFSET ?)"),
                       (max(0, int(capacity)),))

    # --- life ------------------------------------------------------------------------------------------

    def integrity_check(self) -> str:
        return "ok"

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self):
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.location}>"
