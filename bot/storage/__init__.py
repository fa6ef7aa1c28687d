"""Feedback, the unanswered-question log and shared button state, in SQLite (default) or PostgreSQL.

* `open_store(database_url, data_dir)`: a RecordStore (bot.storage.protocol). No URL: SQLite in the data folder
  (`ivig-chat.sqlite3`, WAL, durable commits). A `postgresql://` URL: PostgreSQL through psycopg 3 and a pool, for
  several processes or machines. Same schema and numbered migrations in both.
* `Recorder`: what an adapter holds. `record_unanswered` never blocks and never raises (a background writer batches
  the log; what it cannot keep is counted and written down as a gap); `record_feedback` blocks until committed and
  returns the id, or raises StorageError quickly (1 s) when the database is locked or gone.
* `export_records` / `import_records`: JSON lines, every column, idempotent re-import (by record_key).

User ids are never stored: a record holds HMAC-SHA256(salt, raw id). SQLite keeps the salt in a private file
beside the database; PostgreSQL in the database, so every process of a deployment agrees.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from bot.storage.common import (
    APP_NAME,
    BATCH_SIZE,
    BUSY_TIMEOUT_MS,
    DATA_DIR_ENV,
    DATABASE_URL_ENV,
    DB_NAME,
    FEEDBACK_TIMEOUT_S,
    LOG_UNANSWERED_ENV,
    MAX_TEXT_CHARS,
    QUEUE_SIZE,
    RATINGS,
    SALT_BYTES,
    SALT_NAME,
    UNANSWERED_KINDS,
    AnswerSnapshot,
    StorageError,
    data_files,
    default_data_dir,
    delete_data,
    is_postgres_url,
    redact_url,
    resolve_data_dir,
    resolve_database_url,
    unanswered_log_enabled,
    utc_now,
)
from bot.storage.protocol import RecordStore
from bot.storage.recorder import Recorder
from bot.storage.rows import StoredRecords
from bot.storage.schema import GAP_REASONS, MIGRATIONS, schema_version
from bot.storage.sqlite import SQLiteStore, Store
from bot.storage.transfer import export_records, import_records

__all__ = [
    "APP_NAME", "BATCH_SIZE", "BUSY_TIMEOUT_MS", "DATA_DIR_ENV", "DATABASE_URL_ENV", "DB_NAME", "FEEDBACK_TIMEOUT_S",
    "GAP_REASONS", "LOG_UNANSWERED_ENV", "MAX_TEXT_CHARS", "MIGRATIONS", "QUEUE_SIZE", "RATINGS", "SALT_BYTES",
    "SALT_NAME", "UNANSWERED_KINDS", "AnswerSnapshot", "RecordStore", "Recorder", "SQLiteStore", "Store",
    "StorageError", "StoredRecords", "data_files", "default_data_dir", "delete_data", "export_records",
    "import_records", "is_postgres_url", "load_records", "open_store", "redact_url", "resolve_data_dir",
    "resolve_database_url", "schema_version", "unanswered_log_enabled", "utc_now",
]


def open_store(database_url: str | None = None, data_dir: str | os.PathLike[str] | None = None, *,
               busy_timeout: float = BUSY_TIMEOUT_MS / 1000, read_only: bool = False,
               migrations: Sequence[Sequence[str]] | None = None, pool_size: int | None = None) -> RecordStore:
    """The store for a database URL: None or "" is SQLite in the data folder (--data-dir, $IVIG_DATA_DIR, else the
    platform's); `postgresql://user:password@host:port/database` is PostgreSQL. Raises StorageError."""
    folder = resolve_data_dir(data_dir)
    if not database_url:
        return SQLiteStore(folder, migrations, busy_timeout=busy_timeout, read_only=read_only)
    if not is_postgres_url(database_url):
        raise StorageError(f"unsupported database URL {redact_url(database_url)!r}: use postgresql://user@host/db, "
                           "or no URL for SQLite in the data folder")
    from bot.storage.postgres import POOL_SIZE, PostgresStore  # psycopg is optional: imported only when asked for

    return PostgresStore(database_url, migrations, data_dir=folder, busy_timeout=busy_timeout, read_only=read_only,
                         pool_size=pool_size or POOL_SIZE)


def load_records(data_dir: str | os.PathLike[str] | None = None, database_url: str | None = None) -> StoredRecords:
    """Everything the report needs, read without creating or changing anything (a read-only folder is fine):
    no SQLite database yet means no records. Raises StorageError."""
    if not database_url:
        path = Path(resolve_data_dir(data_dir)) / DB_NAME
        if not path.exists():
            return StoredRecords.empty(str(path))
    with open_store(database_url, data_dir, read_only=True) as store:
        return store.records()
