"""Feedback and the unanswered-question log, kept in SQLite in a per-user data directory.

Two layers:

* `Store`: one SQLite database (`ivig-chat.sqlite3`) in the data directory; WAL mode, a busy timeout, ordered
  schema migrations tracked in `PRAGMA user_version`. Every write is its own `BEGIN IMMEDIATE` transaction,
  committed with `synchronous=FULL`, so several processes (the REPL and the Discord bot) can write at once and a
  returned row id is on disk. Thread-safe (one connection behind a lock).
* `Recorder`: what an adapter holds. `record_unanswered` never blocks and never raises: it queues the record for
  a background writer thread (bounded queue; overflow is dropped and reported once). `record_feedback` blocks
  until the record is committed and returns its id, so a "thanks" is only said for a saved record. Storage
  problems are reported once per Recorder through `on_error`, never per message.

User ids are never stored: a record holds HMAC-SHA256(salt, raw id), where the salt is a per-installation
secret file in the data directory (created on first use, mode 0600).

This module imports only the standard library, so importing it is cheap.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import queue
import secrets
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

APP_NAME = "ivig-chat"
DATA_DIR_ENV = "IVIG_DATA_DIR"
LOG_UNANSWERED_ENV = "IVIG_LOG_UNANSWERED"
DB_NAME = "ivig-chat.sqlite3"
SALT_NAME = "pseudonym-salt"
SALT_BYTES = 32
BUSY_TIMEOUT_MS = 10_000
QUEUE_SIZE = 1_000
BATCH_SIZE = 200
MAX_TEXT_CHARS = 2_000  # questions are capped at this length by the core; comments too
UNANSWERED_KINDS = frozenset({"not_found", "clarify"})
RATINGS = ("good", "bad")

log = logging.getLogger(__name__)


class StorageError(Exception):
    """The data directory or database cannot be used; the message is fit to show a user."""


# --- where ---------------------------------------------------------------------------------------------


def default_data_dir() -> Path:
    """The platform's per-user data directory for ivig-chat (no third-party dependency)."""
    home = Path.home()
    if sys.platform.startswith("win"):
        base = os.environ.get("APPDATA")
        return (Path(base) if base else home / "AppData" / "Roaming") / APP_NAME
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / APP_NAME
    xdg = os.environ.get("XDG_DATA_HOME", "")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".local" / "share"  # per the XDG spec
    return base / APP_NAME


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--data-dir, else $IVIG_DATA_DIR, else the platform default."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(DATA_DIR_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    return default_data_dir()


def unanswered_log_enabled(no_log_flag: bool = False) -> bool:
    """Off with --no-log or IVIG_LOG_UNANSWERED=0 (also false/no/off)."""
    if no_log_flag:
        return False
    return os.environ.get(LOG_UNANSWERED_ENV, "1").strip().lower() not in {"0", "false", "no", "off"}


def data_files(data_dir: Path) -> list[Path]:
    """Every file ivig-chat keeps in the data directory (the database, its WAL files, the salt)."""
    return [data_dir / name for name in (DB_NAME, DB_NAME + "-wal", DB_NAME + "-shm", DB_NAME + "-journal",
                                         SALT_NAME)]


# --- what ----------------------------------------------------------------------------------------------


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _cap(text: str | None) -> str | None:
    return None if text is None else str(text)[:MAX_TEXT_CHARS]


@dataclasses.dataclass(frozen=True)
class AnswerSnapshot:
    """The parts of an Answer a record keeps; small enough to hold per Discord message until a button press."""

    question: str
    kind: str
    intent: str
    condition_ids: tuple[str, ...]
    suggestion_ids: tuple[str, ...]
    knowledge_version: str

    @classmethod
    def of(cls, answer: Any) -> "AnswerSnapshot":
        """From a bot.models.Answer (or an AnswerSnapshot, returned as is)."""
        if isinstance(answer, AnswerSnapshot):
            return answer
        kind = getattr(answer.kind, "value", answer.kind)
        return cls(
            question=_cap(answer.question) or "",
            kind=str(kind),
            intent=str(answer.intent),
            condition_ids=tuple(c.id for c in answer.conditions),
            suggestion_ids=tuple(s.id for s in answer.suggestions),
            knowledge_version=str(answer.knowledge_version),
        )


@dataclasses.dataclass(frozen=True)
class _Pending:
    """An unanswered record waiting in the queue; the user id is already pseudonymous or None."""

    snapshot: AnswerSnapshot
    adapter: str
    raw_user_id: str | None
    created_at: str


# --- schema --------------------------------------------------------------------------------------------

# Ordered; migration N (1-based) brings the database from user_version N-1 to N. Append, never edit.
MIGRATIONS: list[tuple[str, ...]] = [
    (
        """CREATE TABLE unanswered (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,            -- UTC, ISO 8601
            adapter TEXT NOT NULL,               -- repl, json, ask, discord
            user_hash TEXT,                      -- HMAC-SHA256 of the raw user id with the installation salt
            question TEXT NOT NULL,
            answer_kind TEXT NOT NULL,           -- not_found or clarify
            intent TEXT NOT NULL,
            condition_ids TEXT NOT NULL,         -- JSON array
            suggestion_ids TEXT NOT NULL,        -- JSON array: the did-you-mean candidates
            knowledge_version TEXT NOT NULL
        )""",
        """CREATE TABLE feedback (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            adapter TEXT NOT NULL,
            user_hash TEXT,
            question TEXT NOT NULL,
            answer_kind TEXT NOT NULL,
            intent TEXT NOT NULL,
            condition_ids TEXT NOT NULL,
            suggestion_ids TEXT NOT NULL,
            knowledge_version TEXT NOT NULL,
            rating TEXT NOT NULL CHECK (rating IN ('good', 'bad')),
            comment TEXT
        )""",
        "CREATE INDEX unanswered_created ON unanswered (created_at)",
        "CREATE INDEX feedback_created ON feedback (created_at)",
    ),
]

_RECORD_COLUMNS = ("created_at", "adapter", "user_hash", "question", "answer_kind", "intent", "condition_ids",
                   "suggestion_ids", "knowledge_version")


def schema_version() -> int:
    return len(MIGRATIONS)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc) or type(exc).__name__


class Store:
    """The SQLite database in one data directory. Opening creates the directory and migrates the schema."""

    def __init__(self, data_dir: str | os.PathLike[str], migrations: Sequence[Sequence[str]] | None = None):
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / DB_NAME
        self._migrations = list(MIGRATIONS if migrations is None else migrations)
        self._lock = threading.RLock()
        self._salt: bytes | None = None
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not self.path.exists():  # the database holds questions: readable by its owner only
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            self._conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                         check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(f"cannot open the data directory {self.data_dir} ({_describe(exc)})") from exc
        try:
            self._configure()
            self._migrate()
        except StorageError:
            self._conn.close()
            raise
        except sqlite3.Error as exc:
            self._conn.close()
            raise StorageError(f"cannot use the database {self.path} ({_describe(exc)})") from exc

    # --- set-up ----------------------------------------------------------------------------------------

    def _configure(self) -> None:
        conn = self._conn
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        for attempt in range(50):  # switching to WAL can meet a lock the busy handler does not wait for
            try:
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc) or attempt == 49:
                    raise
                time.sleep(0.02 * (attempt + 1))
        if str(mode).lower() != "wal":
            raise StorageError(f"the database {self.path} cannot use WAL mode (journal mode {mode})")
        conn.execute("PRAGMA synchronous = FULL")  # a commit that returned is on disk

    def _migrate(self) -> None:
        conn = self._conn
        target = len(self._migrations)
        if conn.execute("PRAGMA user_version").fetchone()[0] == target:
            return
        conn.execute("BEGIN IMMEDIATE")  # one process migrates; the others wait, then see the new version
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > target:
                raise StorageError(
                    f"the database {self.path} has schema version {version}, newer than this ivig-chat "
                    f"understands ({target}); upgrade ivig-chat"
                )
            for number in range(version + 1, target + 1):
                for statement in self._migrations[number - 1]:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    # --- pseudonyms ------------------------------------------------------------------------------------

    def _load_salt(self) -> bytes:
        path = self.data_dir / SALT_NAME
        for _ in range(100):
            try:
                salt = path.read_bytes()
            except FileNotFoundError:
                self._create_salt(path)
                continue
            if len(salt) == SALT_BYTES:
                return salt
            time.sleep(0.01)  # another process is writing it (only without hard links)
        raise StorageError(f"the salt file {path} is damaged: delete it (old pseudonyms will no longer match)")

    @staticmethod
    def _create_salt(path: Path) -> None:
        """Write the salt to a private temporary file, then link it into place: readers never see it half-written."""
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        try:
            os.write(fd, secrets.token_bytes(SALT_BYTES))
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process won; use its salt
        except OSError:  # no hard links on this file system: exclusive create, written in one call
            try:
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            except FileExistsError:
                pass
            else:
                try:
                    os.write(fd, tmp.read_bytes())
                    os.fsync(fd)
                finally:
                    os.close(fd)
        finally:
            tmp.unlink(missing_ok=True)

    def pseudonym(self, raw_user_id: str | int | None) -> str | None:
        """HMAC-SHA256 of the raw id with this installation's secret salt, hex; None stays None."""
        if raw_user_id is None:
            return None
        with self._lock:
            if self._salt is None:
                try:
                    self._salt = self._load_salt()
                except OSError as exc:
                    raise StorageError(f"cannot create the salt in {self.data_dir} ({_describe(exc)})") from exc
            salt = self._salt
        return hmac.new(salt, str(raw_user_id).encode("utf-8"), hashlib.sha256).hexdigest()

    # --- writes ----------------------------------------------------------------------------------------

    def _row(self, snapshot: AnswerSnapshot, adapter: str, user_id: str | int | None, created_at: str | None):
        return (created_at or utc_now(), str(adapter), self.pseudonym(user_id), _cap(snapshot.question) or "",
                snapshot.kind, snapshot.intent, json.dumps(list(snapshot.condition_ids)),
                json.dumps(list(snapshot.suggestion_ids)), snapshot.knowledge_version)

    def _write(self, sql: str, rows: list[tuple]) -> list[int]:
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    ids = [conn.execute(sql, row).lastrowid for row in rows]
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
            except sqlite3.Error as exc:
                raise StorageError(f"cannot write to the database {self.path} ({_describe(exc)})") from exc
        return ids

    def record_feedback(self, answer: Any, rating: str, comment: str | None = None, *, adapter: str,
                        user_id: str | int | None = None, created_at: str | None = None) -> int:
        """Save a good/bad rating of an answer; returns the row id once the record is committed to disk."""
        if rating not in RATINGS:
            raise ValueError(f"rating must be one of {RATINGS}, not {rating!r}")
        comment = _cap(comment.strip()) if comment and comment.strip() else None
        row = self._row(AnswerSnapshot.of(answer), adapter, user_id, created_at) + (rating, comment)
        sql = (f"INSERT INTO feedback ({', '.join(_RECORD_COLUMNS)}, rating, comment) "
               f"VALUES ({', '.join('?' * (len(_RECORD_COLUMNS) + 2))})")
        return self._write(sql, [row])[0]

    def record_unanswered(self, answer: Any, *, adapter: str, user_id: str | int | None = None,
                          created_at: str | None = None) -> int:
        """Save a not_found or clarify question synchronously (adapters use Recorder, which does not block)."""
        return self.record_unanswered_many([(AnswerSnapshot.of(answer), adapter, user_id, created_at)])[0]

    def record_unanswered_many(self, items: Iterable[tuple[AnswerSnapshot, str, str | int | None, str | None]]
                               ) -> list[int]:
        rows = [self._row(snapshot, adapter, user, at) for snapshot, adapter, user, at in items]
        sql = f"INSERT INTO unanswered ({', '.join(_RECORD_COLUMNS)}) VALUES ({', '.join('?' * len(_RECORD_COLUMNS))})"
        return self._write(sql, rows) if rows else []

    # --- reads -----------------------------------------------------------------------------------------

    def _read(self, table: str) -> list[dict[str, Any]]:
        with self._lock:
            try:
                cursor = self._conn.execute(f"SELECT * FROM {table} ORDER BY id")  # noqa: S608 - fixed names
                names = [d[0] for d in cursor.description]
                rows = [dict(zip(names, row)) for row in cursor.fetchall()]
            except sqlite3.Error as exc:
                raise StorageError(f"cannot read the database {self.path} ({_describe(exc)})") from exc
        for row in rows:
            row["condition_ids"] = json.loads(row["condition_ids"])
            row["suggestion_ids"] = json.loads(row["suggestion_ids"])
        return rows

    def unanswered(self) -> list[dict[str, Any]]:
        return self._read("unanswered")

    def feedback(self) -> list[dict[str, Any]]:
        return self._read("feedback")

    def integrity_check(self) -> str:
        with self._lock:
            return self._conn.execute("PRAGMA integrity_check").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def delete_data(data_dir: Path) -> list[Path]:
    """Remove every ivig-chat file from the data directory (and the directory if then empty); returns the removed."""
    removed = []
    for path in data_files(data_dir):
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        removed.append(path)
    try:
        data_dir.rmdir()
    except OSError:
        pass  # not empty (other files), or already gone
    return removed


# --- what adapters hold --------------------------------------------------------------------------------

_STOP = object()


def _log_error(message: str) -> None:
    log.warning("%s", message)


class Recorder:
    """Feedback and the unanswered log for one process; cheap to create (nothing touches the disk until used).

    `record_unanswered(answer, adapter=..., user_id=...)`: call after every answer; records only not_found and
    clarify answers, when the log is enabled. Never blocks, never raises.
    `record_feedback(answer, rating, comment, adapter=..., user_id=...)`: blocks until committed; returns the row
    id; raises StorageError (already reported through `on_error`). From async code, run it in a thread
    (`await asyncio.to_thread(...)`).
    `close()`: flush the unanswered queue (waits at most `timeout` seconds) and close the database.
    """

    def __init__(self, data_dir: str | os.PathLike[str] | None = None, *, log_unanswered: bool = True,
                 on_error: Callable[[str], None] | None = None, queue_size: int = QUEUE_SIZE):
        self.data_dir = resolve_data_dir(data_dir)
        self.log_unanswered = log_unanswered
        self._on_error = on_error or _log_error
        self._reported = False
        self._report_lock = threading.Lock()
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=queue_size)
        self._writer: threading.Thread | None = None
        self._writer_lock = threading.Lock()
        self._feedback_store: Store | None = None
        self._feedback_lock = threading.Lock()
        self._dropped = 0
        self._closed = False
        self.written = 0  # unanswered records committed by the writer (for tests and diagnostics)

    # --- reporting -------------------------------------------------------------------------------------

    def report(self, message: str) -> None:
        """Tell the operator about a storage problem, once per Recorder; later problems are only logged."""
        with self._report_lock:
            first, self._reported = not self._reported, True
        if first:
            try:
                self._on_error(message)
            except Exception:  # noqa: BLE001 - reporting must never take an answer down
                pass
        else:
            log.debug("%s", message)

    def _count_dropped(self, count: int) -> None:
        with self._report_lock:
            self._dropped += count

    # --- unanswered: queue + background writer --------------------------------------------------------

    def record_unanswered(self, answer: Any, *, adapter: str, user_id: str | int | None = None) -> bool:
        """Queue a not_found / clarify answer for the log; True when queued. Never blocks, never raises."""
        try:
            if not self.log_unanswered or self._closed:
                return False
            kind = str(getattr(answer.kind, "value", answer.kind))
            if kind not in UNANSWERED_KINDS:
                return False
            item = _Pending(AnswerSnapshot.of(answer), adapter, None if user_id is None else str(user_id), utc_now())
            self._ensure_writer()
            self._queue.put_nowait(item)
            return True
        except queue.Full:
            self._count_dropped(1)
            self.report(f"the unanswered log in {self.data_dir} is falling behind; some questions are not logged")
            return False
        except Exception as exc:  # noqa: BLE001 - the answer goes out whatever happens here
            self.report(f"cannot log unanswered questions ({_describe(exc)})")
            return False

    def _ensure_writer(self) -> None:
        if self._writer is None:
            with self._writer_lock:
                if self._writer is None:
                    thread = threading.Thread(target=self._run_writer, name="ivig-unanswered-writer", daemon=True)
                    thread.start()
                    self._writer = thread

    def _run_writer(self) -> None:
        store: Store | None = None
        stopping = False
        try:
            while not stopping:
                batch = [self._queue.get()]
                while len(batch) < BATCH_SIZE:
                    try:
                        batch.append(self._queue.get_nowait())
                    except queue.Empty:
                        break
                if _STOP in batch:
                    stopping = True
                    batch = [item for item in batch if item is not _STOP]
                if not batch:
                    continue
                try:
                    if store is None:
                        store = Store(self.data_dir)
                    store.record_unanswered_many(
                        (item.snapshot, item.adapter, item.raw_user_id, item.created_at) for item in batch)
                    self.written += len(batch)
                except Exception as exc:  # noqa: BLE001 - report once, keep serving
                    self._count_dropped(len(batch))
                    self.report(f"cannot log unanswered questions in {self.data_dir}: {_describe(exc)}. "
                                "Answers are not affected.")
                    if store is not None:
                        store.close()
                        store = None  # reopen next time: the problem may pass
        finally:
            if store is not None:
                store.close()

    # --- feedback: committed before it is acknowledged -------------------------------------------------

    def record_feedback(self, answer: Any, rating: str, comment: str | None = None, *, adapter: str,
                        user_id: str | int | None = None) -> int:
        with self._feedback_lock:
            try:
                if self._feedback_store is None:
                    self._feedback_store = Store(self.data_dir)
                return self._feedback_store.record_feedback(answer, rating, comment, adapter=adapter,
                                                            user_id=user_id)
            except StorageError as exc:
                self.report(f"cannot save feedback: {exc}")
                if self._feedback_store is not None:
                    self._feedback_store.close()
                    self._feedback_store = None
                raise

    # --- shutdown --------------------------------------------------------------------------------------

    @property
    def dropped(self) -> int:
        return self._dropped

    def close(self, timeout: float = 5.0) -> None:
        """Write what is queued (waiting at most `timeout` seconds), then close. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        writer = self._writer
        if writer is not None:
            try:
                self._queue.put(_STOP, timeout=timeout)
            except queue.Full:
                pass
            writer.join(timeout)
            if writer.is_alive():
                self.report(f"{self._queue.qsize()} unanswered questions could not be logged before exit")
        with self._feedback_lock:
            if self._feedback_store is not None:
                self._feedback_store.close()
                self._feedback_store = None

    def __enter__(self) -> "Recorder":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
