"""Pseudonymous user ids: HMAC-SHA256 of the raw id with a per-installation secret salt, cached per store."""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path

from bot.storage.common import SALT_BYTES, SALT_NAME, StorageError, describe

CACHE_SIZE = 65_536  # distinct users remembered; a fast --json stream has one, a busy Discord server thousands


def read_salt_file(data_dir: Path) -> bytes | None:
    """The data folder's salt, or None when there is none (nothing is created)."""
    try:
        salt = (data_dir / SALT_NAME).read_bytes()
    except OSError:
        return None
    return salt if len(salt) == SALT_BYTES else None


def load_or_create_salt_file(data_dir: Path) -> bytes:
    path = data_dir / SALT_NAME
    for _ in range(100):
        try:
            salt = path.read_bytes()
        except FileNotFoundError:
            _create_salt(path)
            continue
        if len(salt) == SALT_BYTES:
            return salt
        time.sleep(0.01)  # another process is writing it (only without hard links)
    raise StorageError(f"the salt file {path} is damaged: delete it (old pseudonyms will no longer match)")


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


class Pseudonyms:
    """Turns raw user ids into pseudonyms; the salt is fetched on first use, the results are cached."""

    def __init__(self, load_salt: Callable[[], bytes], where: str):
        self._load_salt = load_salt
        self._where = where
        self._salt: bytes | None = None
        self._lock = threading.Lock()
        self._cached = functools.lru_cache(maxsize=CACHE_SIZE)(self._compute)

    def _compute(self, raw: str) -> str:
        return hmac.new(self._get_salt(), raw.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()

    def _get_salt(self) -> bytes:
        if self._salt is None:
            with self._lock:
                if self._salt is None:
                    try:
                        self._salt = self._load_salt()
                    except OSError as exc:
                        raise StorageError(f"cannot create the salt in {self._where} ({describe(exc)})") from exc
        return self._salt

    def __call__(self, raw_user_id: str | int | None) -> str | None:
        """HMAC-SHA256 of the raw id with this installation's secret salt, hex; None stays None."""
        if raw_user_id is None:
            return None
        return self._cached(str(raw_user_id))
