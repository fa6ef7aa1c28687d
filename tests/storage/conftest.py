"""Storage fixtures: every `backend` test runs twice, on SQLite and on a real PostgreSQL server.

The server is the session fixture `pg_url` of tests/conftest.py: IVIG_TEST_DATABASE_URL (what .ci/run sets),
else a throwaway one started from Debian's binaries; without either the PostgreSQL half is skipped with the reason,
never passed silently. Each test gets its own PostgreSQL schema (dropped afterwards), so tests never see each
other's records.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from pg_server import pg_schema

from bot.storage import Recorder, open_store

@dataclasses.dataclass
class Backend:
    """One store location for a test: SQLite in `data_dir`, or PostgreSQL at `database_url` (its own schema)."""

    name: str
    data_dir: Path
    database_url: str | None

    def open(self, **kwargs):
        return open_store(self.database_url, self.data_dir, **kwargs)

    def recorder(self, **kwargs) -> Recorder:
        return Recorder(self.data_dir, database_url=self.database_url, **kwargs)

    def raw(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Run SQL on the database directly (another connection, as another process would)."""
        if self.database_url is None:
            import sqlite3

            conn = sqlite3.connect(self.data_dir / "ivig-chat.sqlite3", isolation_level=None)
            try:
                return conn.execute(sql, params).fetchall()
            finally:
                conn.close()
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as conn:
            cursor = conn.execute(sql.replace("?", "%s"), params or None)
            return cursor.fetchall() if cursor.description else []

    def poison(self, question: str) -> None:
        """Make the database refuse unanswered records with this question (a record-level failure)."""
        if self.database_url is None:
            self.raw("CREATE TRIGGER poison BEFORE INSERT ON unanswered WHEN NEW.question = "
                     f"'{question}' BEGIN SELECT RAISE(ABORT, 'poisoned record'); END")
        else:
            self.raw(f"ALTER TABLE unanswered ADD CONSTRAINT poison CHECK (question <> '{question}')")


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, tmp_path):
    data_dir = tmp_path / "data"
    if request.param == "sqlite":
        yield Backend("sqlite", data_dir, None)
        return
    url = request.getfixturevalue("pg_url")
    with pg_schema(url) as schema_url:
        yield Backend("postgresql", data_dir, schema_url)


@pytest.fixture
def pg_backend(pg_url, tmp_path):
    with pg_schema(pg_url) as schema_url:
        yield Backend("postgresql", tmp_path / "data", schema_url)
