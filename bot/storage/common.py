"""What is stored and where: settings names, limits, the answer snapshot, the data folder and its files.

Standard library only: importing it costs nothing an answer would notice.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

APP_NAME = "ivig-chat"
DATA_DIR_ENV = "IVIG_DATA_DIR"
LOG_UNANSWERED_ENV = "IVIG_LOG_UNANSWERED"
DATABASE_URL_ENV = "IVIG_DATABASE_URL"
DB_NAME = "ivig-chat.sqlite3"
SALT_NAME = "pseudonym-salt"
SALT_BYTES = 32
BUSY_TIMEOUT_MS = 10_000  # the background log writer may wait this long for a lock
FEEDBACK_TIMEOUT_S = 1.0  # feedback answers a person (or a --json stream) waiting in line: fail fast instead
QUEUE_SIZE = 10_000  # about 2 s of a fast --json pipe (5,000 answers/s): room to ride out a slow commit
BATCH_SIZE = 500
MAX_TEXT_CHARS = 2_000  # questions are capped at this length by the core; comments too
UNANSWERED_KINDS = frozenset({"not_found", "clarify"})
RATINGS = ("good", "bad")
POSTGRES_SCHEMES = ("postgresql", "postgres")


class StorageError(Exception):
    """The data directory or database cannot be used; the message is fit to show a user.

    `record_level` is True when the database refused this record (a constraint, a value it cannot hold) rather
    than failing as a whole (locked, unreachable, disk full): only then is retrying the neighbours one by one
    worth it.
    """

    def __init__(self, message: str, *, record_level: bool = False):
        super().__init__(message)
        self.record_level = record_level


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


def resolve_database_url(explicit: str | None = None) -> str | None:
    """The given URL, else $IVIG_DATABASE_URL; None (SQLite in the data folder) when neither is set.

    Storage itself never reads this variable: whoever composes the program passes `database_url` on.
    """
    value = (explicit if explicit is not None else os.environ.get(DATABASE_URL_ENV, "")).strip()
    return value or None


def unanswered_log_enabled(no_log_flag: bool = False) -> bool:
    """Off with --no-log or IVIG_LOG_UNANSWERED=0 (also false/no/off)."""
    if no_log_flag:
        return False
    return os.environ.get(LOG_UNANSWERED_ENV, "1").strip().lower() not in {"0", "false", "no", "off"}


def salt_leftovers(data_dir: Path) -> list[Path]:
    """Temporary salt files a process killed while creating the salt left behind (`.pseudonym-salt.*.tmp`)."""
    try:
        return sorted(data_dir.glob(f".{SALT_NAME}.*.tmp"))
    except OSError:
        return []


def data_files(data_dir: Path) -> list[Path]:
    """Every file ivig-chat keeps in the data directory (the database, its WAL files, the salt, salt leftovers)."""
    names = (DB_NAME, DB_NAME + "-wal", DB_NAME + "-shm", DB_NAME + "-journal", SALT_NAME)
    return [data_dir / name for name in names] + salt_leftovers(data_dir)


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


def is_postgres_url(url: str | None) -> bool:
    return bool(url) and urlsplit(url).scheme.lower() in POSTGRES_SCHEMES


def redact_url(url: str) -> str:
    """The URL without its password, fit for messages and the report's "source"."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(an unreadable database URL)"
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    user = parts.username or ""
    return urlunsplit((parts.scheme, f"{user}:***@{host}", parts.path, parts.query, parts.fragment))


# --- what ----------------------------------------------------------------------------------------------


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


# Lone surrogates (from bytes decoded with surrogateescape) cannot be encoded for either database, and PostgreSQL
# text cannot hold NUL: both become U+FFFD so the record is kept, the same way in both backends.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(text: Any) -> str:
    text = str(text)
    return _UNSTORABLE.sub("\ufffd", text)


def cap(text: str | None) -> str | None:
    return None if text is None else storable(str(text)[:MAX_TEXT_CHARS])


def describe(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return " ".join(str(exc).split()) or type(exc).__name__


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
            question=cap(answer.question) or "",
            kind=str(kind),
            intent=str(answer.intent),
            condition_ids=tuple(c.id for c in answer.conditions),
            suggestion_ids=tuple(s.id for s in answer.suggestions),
            knowledge_version=str(answer.knowledge_version),
        )
