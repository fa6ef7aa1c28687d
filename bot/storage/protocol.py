"""RecordStore: what adapters, the Recorder, the report and export/import need from a store, and nothing more.

Two implementations: bot.storage.sqlite.SQLiteStore (the embedded default) and bot.storage.postgres.PostgresStore;
`bot.storage.open_store` picks one. Every write is one transaction and returns only once committed; every failure
is a StorageError (with `record_level` set when the database refused that record rather than failing as a whole).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, runtime_checkable

from bot.storage.common import AnswerSnapshot
from bot.storage.rows import StoredRecords, UnansweredItem


@runtime_checkable
class RecordStore(Protocol):
    location: str  # where the records are, for messages and the report (a URL is shown without its password)

    # --- records: feedback, the unanswered log, and the log's gaps -------------------------------------------

    def pseudonym(self, raw_user_id: str | int | None) -> str | None:
        """HMAC-SHA256 of the raw id with the installation's secret salt; None stays None."""

    def record_feedback(self, answer: Any, rating: str, comment: str | None = None, *, adapter: str,
                        user_id: str | int | None = None, created_at: str | None = None) -> int:
        """Save a rating ("good" or "bad") of an answer; the record's id once committed."""

    def record_unanswered(self, answer: Any, *, adapter: str, user_id: str | int | None = None,
                          created_at: str | None = None) -> int:
        """Save one not_found or clarify question; its id once committed."""

    def record_unanswered_many(self, items: Iterable[UnansweredItem]) -> int:
        """Save a batch in one transaction, all or none; how many were saved."""

    def record_gap(self, reason: str, dropped: int, *, adapter: str | None = None, first_at: str | None = None,
                   last_at: str | None = None) -> int:
        """Write down that `dropped` unanswered questions were not logged, and why."""

    # --- reading -------------------------------------------------------------------------------------------

    def records(self) -> StoredRecords:
        """Unanswered, feedback and gap records, oldest first; malformed rows skipped and counted."""

    def unanswered(self) -> list[dict[str, Any]]: ...

    def feedback(self) -> list[dict[str, Any]]: ...

    def log_gaps(self) -> list[dict[str, Any]]: ...

    def raw_rows(self, table: str) -> list[dict[str, Any]]:
        """Every column of a record table as stored (for export)."""

    def import_rows(self, table: str, rows: list[dict[str, Any]]) -> tuple[int, int]:
        """Add rows whose record_key is new, in one transaction; (added, already there)."""

    # --- state shared by every process of a deployment, surviving restarts (bounded, oldest first) ----------

    def keep_rateable(self, token: str, snapshot: AnswerSnapshot, capacity: int) -> bool:
        """Remember an answer whose 👍/👎 may be pressed; False when the token is taken (draw another)."""

    def rateable(self, token: str) -> AnswerSnapshot | None:
        """The answer behind a token, or None when unknown or forgotten."""

    def claim_rating(self, token: str, user_key: str) -> bool:
        """Atomically mark that this user (a pseudonym) rates this answer; False if they did or are doing so."""

    def rating_claimed(self, token: str, user_key: str) -> bool:
        """Whether this user has rated or is rating this answer (a look; claim_rating decides)."""

    def release_rating(self, token: str, user_key: str) -> None:
        """Undo a claim whose rating could not be saved."""

    def open_comment_form(self, token: str, user_key: str, capacity: int) -> None:
        """Remember an open 👎 comment form."""

    def take_comment_form(self, token: str, user_key: str, max_age: float | None = None) -> bool:
        """True once for a form this user opened for this token (and not older than max_age seconds)."""

    # --- life ----------------------------------------------------------------------------------------------

    def integrity_check(self) -> str: ...

    def close(self) -> None: ...

    def __enter__(self) -> "RecordStore": ...

    def __exit__(self, *exc_info: object) -> None: ...
