"""The embedded default: one SQLite file in the data folder, WAL mode, every write one durable transaction.

Every write is its own `BEGIN IMMEDIATE` transaction committed with `synchronous=FULL`, so several processes (the
REPL, a --json pipe, the Discord bot) can write at once and a returned id is on disk. Thread-safe: one connection
behind a lock. Read-only opening (for the report) never creates, migrates or writes anything.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import quote

from bot.storage.common import BUSY_TIMEOUT_MS, DB_NAME, StorageError, describe
from bot.storage.pseudonyms import Pseudonyms, load_or_create_salt_file, read_salt_file
from bot.storage.schema import MIGRATIONS, render
from bot.storage.sql import SQLStore


class SQLiteStore(SQLStore):
    """The SQLite database in one data directory. Opening creates the directory and migrates the schema."""

    dialect = "sqlite"

    def __init__(self, data_dir: str | os.PathLike[str], migrations: Sequence[Sequence[str]] | None = None, *,
                 busy_timeout: float = BUSY_TIMEOUT_MS / 1000, read_only: bool = False):
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / DB_NAME
        self.location = str(self.path)
        self.read_only = read_only
        self._busy_timeout = busy_timeout
        self._migrations = list(MIGRATIONS if migrations is None else migrations)
        self._lock = threading.RLock()
        where = str(self.data_dir)
        self.pseudonym = Pseudonyms(self._read_only_salt if read_only else
                                    (lambda: load_or_create_salt_file(self.data_dir)), where)
        try:
            self._conn = self._open_read_only() if read_only else self._open()
        except StorageError:
            raise
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(f"cannot open the data directory {self.data_dir} ({describe(exc)})") from exc
        try:
            if read_only:
                self._check_version(self._user_version())
            else:
                self._configure()
                self._migrate()
        except StorageError:
            self._conn.close()
            raise
        except sqlite3.Error as exc:
            self._conn.close()
            raise StorageError(f"cannot use the database {self.path} ({describe(exc)})") from exc

    # --- set-up ----------------------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not self.path.exists():  # the database holds questions: readable by its owner only
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        return sqlite3.connect(self.path, timeout=self._busy_timeout, isolation_level=None, check_same_thread=False)

    def _open_read_only(self) -> sqlite3.Connection:
        """mode=ro reads the WAL too but needs to write the -shm index; a read-only folder without one needs
        immutable=1, which reads the main file only (records not yet checkpointed are not seen)."""
        if not self.path.is_file():
            raise StorageError(f"there is no database at {self.path}")
        uri = "file:" + quote(str(self.path.resolve()))
        last: sqlite3.Error | None = None
        for query, note in (("?mode=ro", ""), ("?immutable=1", " (read-only folder: read without its WAL)")):
            conn = None
            try:
                conn = sqlite3.connect(uri + query, uri=True, timeout=self._busy_timeout, isolation_level=None,
                                       check_same_thread=False)
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # opening is lazy: touch it
            except sqlite3.Error as exc:
                if conn is not None:
                    conn.close()
                last = exc
                if "not a database" in str(exc) or "malformed" in str(exc):
                    break
                continue
            self.location = str(self.path) + note
            return conn
        raise StorageError(f"cannot read the database {self.path} ({describe(last)})")

    def _configure(self) -> None:
        conn = self._conn
        conn.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout * 1000)}")
        deadline = time.monotonic() + self._busy_timeout
        attempt = 0
        while True:  # switching to WAL can meet a lock the busy handler does not wait for
            try:
                mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
                if str(mode).lower() != "wal":
                    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                break
            except sqlite3.OperationalError as exc:
                attempt += 1
                if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(min(0.02 * attempt, 0.2))
        if str(mode).lower() != "wal":
            raise StorageError(f"the database {self.path} cannot use WAL mode (journal mode {mode})")
        conn.execute("PRAGMA synchronous = FULL")  # a commit that returned is on disk
        conn.execute("PRAGMA foreign_keys = ON")  # forgetting an answer forgets who rated it

    def _user_version(self) -> int:
        return self._conn.execute("PRAGMA user_version").fetchone()[0]

    def _check_version(self, version: int) -> None:
        if version > len(self._migrations):
            raise StorageError(f"the database {self.path} has schema version {version}, newer than this ivig-chat "
                               f"understands ({len(self._migrations)}); upgrade ivig-chat")

    def _migrate(self) -> None:
        conn = self._conn
        target = len(self._migrations)
        if self._user_version() == target:
            return
        conn.execute("BEGIN IMMEDIATE")  # one process migrates; the others wait, then see the new version
        try:
            version = self._user_version()
            self._check_version(version)
            for number in range(version + 1, target + 1):
                for statement in self._migrations[number - 1]:
                    conn.execute(render(statement, self.dialect))
                conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _read_only_salt(self) -> bytes:
        salt = read_salt_file(self.data_dir)
        if salt is None:
            raise StorageError(f"no pseudonym salt in {self.data_dir} (opened read-only)")
        return salt

    # --- the SQLStore hooks ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Cursor]:
        if self.read_only:
            raise StorageError(f"the database {self.path} is open read-only")
        with self._lock:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn.cursor()
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def _query(self, sql: str, params: tuple = ()) -> tuple[list[str], list[tuple]]:
        with self._lock:
            try:
                cursor = self._conn.execute(sql, params)
            except sqlite3.OperationalError as exc:
                if "no such table" in str(exc):
                    return [], []  # an older database read without migrating it (the report)
                raise
            return [d[0] for d in cursor.description], cursor.fetchall()

    def _insert_id(self, cursor: sqlite3.Cursor, sql: str, params: tuple) -> int:
        cursor.execute(sql, params)
        return int(cursor.lastrowid)

    def _storage_error(self, exc: BaseException, doing: str) -> StorageError | None:
        if not isinstance(exc, sqlite3.Error):
            return None
        # A constraint or a value the database cannot bind is this record's fault; anything else (locked, disk
        # full, not a database) is the whole store's.
        record_level = isinstance(exc, (sqlite3.IntegrityError, sqlite3.InterfaceError, sqlite3.DataError))
        return StorageError(f"cannot {doing} the database {self.path} ({describe(exc)})", record_level=record_level)

    # --- life ------------------------------------------------------------------------------------------

    def integrity_check(self) -> str:
        with self._lock:
            return self._conn.execute("PRAGMA integrity_check").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._conn.close()


Store = SQLiteStore  # the name adapters and tests have always used
