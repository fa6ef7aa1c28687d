"""The shared store for several processes or machines: PostgreSQL through psycopg 3 and a connection pool.

Chosen by a `postgresql://` URL. Same tables and numbered migrations as SQLite (applied under an advisory lock,
tracked in `ivig_schema`); every write is one transaction with `synchronous_commit = on`, so an id is returned only
for a record the server has made durable. psycopg is imported only here, so the default install never needs it.
"""

from __future__ import annotations

import contextlib
import functools
import math
import secrets
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from bot.storage.common import BUSY_TIMEOUT_MS, StorageError, describe, redact_url
from bot.storage.pseudonyms import Pseudonyms, read_salt_file
from bot.storage.schema import MIGRATIONS, render
from bot.storage.sql import SQLStore

# pg_advisory_xact_lock key: one migrating process at a time per database, released with its transaction.
_MIGRATION_LOCK = zlib.crc32(b"ivig-chat schema migration")
POOL_SIZE = 4  # a Discord process saves feedback from a few worker threads at once


@functools.lru_cache(maxsize=256)
def _to_pyformat(sql: str) -> str:
    return sql.replace("?", "%s")  # the shared SQL has no other question marks and no percent signs


class PostgresStore(SQLStore):
    """A PostgreSQL database; opening connects, checks the server and migrates the schema."""

    dialect = "postgresql"

    def __init__(self, url: str, migrations: Sequence[Sequence[str]] | None = None, *,
                 data_dir: Path | None = None, busy_timeout: float = BUSY_TIMEOUT_MS / 1000,
                 read_only: bool = False, pool_size: int = POOL_SIZE):
        self.location = redact_url(url)
        self.read_only = read_only
        self.data_dir = data_dir
        self._wait = busy_timeout
        self._migrations = list(MIGRATIONS if migrations is None else migrations)
        self.pseudonym = Pseudonyms(self._load_salt, self.location)
        try:
            import psycopg
            from psycopg_pool import ConnectionPool
        except ImportError as exc:
            raise StorageError("a postgresql:// database URL needs psycopg: pip install 'ivig-chat[postgres]'") from exc
        self._psycopg = psycopg
        # libpq counts whole seconds and at least 2; the pool's own waits below follow busy_timeout exactly.
        connect = {"autocommit": True, "connect_timeout": max(2, math.ceil(busy_timeout))}
        try:
            with psycopg.connect(url, **connect) as first:  # one plain connection first: its error says why
                self._configure(first)
                if read_only:
                    self._check_version(self._version(first))
                else:
                    self._migrate(first)
        except StorageError:
            raise
        except psycopg.Error as exc:
            raise StorageError(f"cannot use the database {self.location} ({describe(exc)})") from exc
        check = getattr(ConnectionPool, "check_connection", None)  # a server restart costs no write (pool >= 3.2)
        self._pool = ConnectionPool(url, min_size=1, max_size=max(1, pool_size), kwargs=connect,
                                    configure=self._configure, open=False, timeout=busy_timeout,
                                    name="ivig-chat", **({"check": check} if check else {}))
        self._pool.open(wait=False)

    # --- set-up ----------------------------------------------------------------------------------------

    def _configure(self, conn: Any) -> None:
        settings = {"lock_timeout": f"{max(1, int(self._wait * 1000))}ms",
                    "synchronous_commit": "on",  # whatever the server's default: acknowledged means durable
                    "default_transaction_read_only": "on" if self.read_only else "off"}
        for name, value in settings.items():
            conn.execute("SELECT set_config(%s, %s, false)", (name, value))

    @staticmethod
    def _version(conn: Any) -> int | None:
        if conn.execute("SELECT to_regclass('ivig_schema')").fetchone()[0] is None:
            return None
        row = conn.execute("SELECT version FROM ivig_schema").fetchone()
        return None if row is None else int(row[0])

    def _check_version(self, version: int | None) -> None:
        if version is not None and version > len(self._migrations):
            raise StorageError(f"the database {self.location} has schema version {version}, newer than this "
                               f"ivig-chat understands ({len(self._migrations)}); upgrade ivig-chat")

    def _migrate(self, conn: Any) -> None:
        target = len(self._migrations)
        if self._version(conn) == target:
            return
        with conn.transaction():  # DDL is transactional here: a failed migration leaves the old version
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            conn.execute("CREATE TABLE IF NOT EXISTS ivig_schema (version INTEGER NOT NULL)")
            version = self._version(conn)
            if version is None:
                conn.execute("INSERT INTO ivig_schema (version) VALUES (0)")
                version = 0
            self._check_version(version)
            for number in range(version + 1, target + 1):
                for statement in self._migrations[number - 1]:
                    conn.execute(render(statement, self.dialect))
                conn.execute("UPDATE ivig_schema SET version = %s", (number,))

    def _load_salt(self) -> bytes:
        """The deployment's salt, kept in the database so every process makes the same pseudonyms. A new database
        takes the data folder's salt when there is one, so pseudonyms go on across a move from SQLite."""
        _, rows = self._reading("SELECT salt FROM pseudonym_salt WHERE id = 1")
        if not rows and not self.read_only:
            seed = (read_salt_file(self.data_dir) if self.data_dir else None) or secrets.token_bytes(32)
            with self._writing() as cursor:
                cursor.execute("INSERT INTO pseudonym_salt (id, salt) VALUES (1, %s) ON CONFLICT (id) DO NOTHING",
                               (seed.hex(),))
            _, rows = self._reading("SELECT salt FROM pseudonym_salt WHERE id = 1")
        if not rows:
            raise StorageError(f"no pseudonym salt in {self.location}")
        return bytes.fromhex(rows[0][0])

    # --- the SQLStore hooks ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[Any]:
        with self._pool.connection(timeout=self._wait) as conn, conn.transaction(), conn.cursor() as cursor:
            yield cursor

    def _query(self, sql: str, params: tuple = ()) -> tuple[list[str], list[tuple]]:
        with self._pool.connection(timeout=self._wait) as conn:
            try:
                cursor = conn.execute(sql, params or None)
            except self._psycopg.errors.UndefinedTable:
                return [], []  # an older or empty database read without migrating it (the report)
            return [column.name for column in cursor.description], cursor.fetchall()

    def _sql(self, sql: str) -> str:
        return _to_pyformat(sql)

    def _insert_id(self, cursor: Any, sql: str, params: tuple) -> int:
        cursor.execute(sql + " RETURNING id", params)
        return int(cursor.fetchone()[0])

    def _storage_error(self, exc: BaseException, doing: str) -> StorageError | None:
        psycopg = self._psycopg
        if not isinstance(exc, psycopg.Error):
            return None
        # A constraint or a value the server refuses is this record's fault; a lock timeout, a lost connection
        # or a full pool is the whole store's.
        state = getattr(exc, "sqlstate", None) or ""
        record_level = (isinstance(exc, (psycopg.IntegrityError, psycopg.DataError))
                        or state[:2] in ("22", "23") or state == "42804")  # data, constraint, datatype mismatch
        return StorageError(f"cannot {doing} the database {self.location} ({describe(exc)})",
                            record_level=record_level)

    # --- life ------------------------------------------------------------------------------------------

    def close(self) -> None:
        self._pool.close()
