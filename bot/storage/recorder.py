"""Recorder: what an adapter holds. The unanswered log in the background, feedback and button state in the foreground.

`record_unanswered` never blocks and never raises: records go into a bounded queue that one writer thread drains
in batches (one transaction each). What cannot be kept (queue full, database refusing one record, database gone) is
counted, written to the store as a gap the report shows, and summed up at `close()` through `on_error`.
`record_feedback` and the button-state calls block until committed, with a short lock wait (1 s) so a locked
database costs a person one polite failure instead of stalling a stream; a StorageError is reported once.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

from bot.storage.common import (
    BATCH_SIZE,
    BUSY_TIMEOUT_MS,
    FEEDBACK_TIMEOUT_S,
    QUEUE_SIZE,
    UNANSWERED_KINDS,
    AnswerSnapshot,
    StorageError,
    describe,
    redact_url,
    resolve_data_dir,
    utc_now,
)

log = logging.getLogger("bot.storage")
_STOP = object()
T = TypeVar("T")


def _log_error(message: str) -> None:
    log.warning("%s", message)


@dataclasses.dataclass(frozen=True)
class _Pending:
    """An unanswered record waiting in the queue; the user id is pseudonymised by the writer."""

    snapshot: AnswerSnapshot
    adapter: str
    raw_user_id: str | None
    created_at: str


def _record_level(exc: BaseException) -> bool:
    """True when the failure is the record's (retry its neighbours alone), False when it is the store's."""
    return not isinstance(exc, StorageError) or exc.record_level


class _Gaps:
    """Unanswered records not logged, by (reason, adapter): pending ones await writing to the store; totals stay
    for the summary at close. Thread-safe (answers count overflow, the writer counts the rest)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: dict[tuple[str, str | None], list[Any]] = {}
        self.totals: Counter[str] = Counter()

    def add(self, reason: str, adapter: str | None, count: int, first_at: str | None = None,
            last_at: str | None = None) -> None:
        if count <= 0:
            return
        now = utc_now()
        with self._lock:
            self.totals[reason] += count
            entry = self._pending.setdefault((reason, adapter), [0, first_at or now, last_at or now])
            entry[0] += count
            entry[1] = min(entry[1], first_at or now)
            entry[2] = max(entry[2], last_at or now)

    def take(self) -> list[tuple[str, str | None, int, str, str]]:
        with self._lock:
            pending, self._pending = self._pending, {}
        return [(reason, adapter, n, first, last) for (reason, adapter), (n, first, last) in pending.items()]

    def put_back(self, entries: list[tuple[str, str | None, int, str, str]]) -> None:
        with self._lock:
            for reason, adapter, n, first, last in entries:
                entry = self._pending.setdefault((reason, adapter), [0, first, last])
                entry[0] += n
                entry[1], entry[2] = min(entry[1], first), max(entry[2], last)

    def has_pending(self) -> bool:
        return bool(self._pending)


class Recorder:
    """Feedback, the unanswered log and button state for one process; cheap to create (nothing is opened until
    used). `database_url` None: SQLite in `data_dir`; `postgresql://…`: PostgreSQL (the data folder then only
    seeds a new database's pseudonym salt). From async code, run the blocking calls in a thread."""

    def __init__(self, data_dir: str | os.PathLike[str] | None = None, *, database_url: str | None = None,
                 log_unanswered: bool = True, on_error: Callable[[str], None] | None = None,
                 queue_size: int = QUEUE_SIZE, batch_size: int = BATCH_SIZE,
                 feedback_timeout: float = FEEDBACK_TIMEOUT_S, log_timeout: float = BUSY_TIMEOUT_MS / 1000):
        self.data_dir = resolve_data_dir(data_dir)
        self.database_url = database_url or None
        self.location = redact_url(self.database_url) if self.database_url else str(self.data_dir)
        self.log_unanswered = log_unanswered
        self.queue_size = queue_size
        self._batch_size = max(1, batch_size)
        self._feedback_timeout = feedback_timeout
        self._log_timeout = log_timeout
        self._on_error = on_error or _log_error
        self._reported = False
        self._report_lock = threading.Lock()
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=queue_size)
        self._writer: threading.Thread | None = None
        self._writer_lock = threading.Lock()
        self._store: Any = None  # for feedback and button state
        self._store_lock = threading.Lock()
        self._gaps = _Gaps()
        self._offered = 0
        self._closed = False
        self.written = 0  # unanswered records committed by the writer (for tests, benchmarks and diagnostics)

    # --- reporting -------------------------------------------------------------------------------------

    def report(self, message: str) -> None:
        """Tell the operator about a storage problem, once per Recorder; later problems are only logged."""
        with self._report_lock:
            first, self._reported = not self._reported, True
        if first:
            self._tell(message)
        else:
            log.debug("%s", message)

    def _tell(self, message: str) -> None:
        try:
            self._on_error(message)
        except Exception:  # noqa: BLE001 - reporting must never take an answer down
            pass

    @property
    def dropped(self) -> int:
        """Unanswered records not logged, whatever the reason."""
        return sum(self._gaps.totals.values())

    @property
    def not_logged(self) -> dict[str, int]:
        """Unanswered records not logged, by reason (see bot.storage.GAP_REASONS)."""
        return dict(self._gaps.totals)

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
            with self._report_lock:
                self._offered += 1
            self._ensure_writer()
            self._queue.put_nowait(item)
            return True
        except queue.Full:
            self._gaps.add("queue_full", str(adapter), 1)
            self.report(f"the unanswered log in {self.location} is falling behind; some questions are not logged")
            return False
        except Exception as exc:  # noqa: BLE001 - the answer goes out whatever happens here
            self.report(f"cannot log unanswered questions ({describe(exc)})")
            return False

    def _ensure_writer(self) -> None:
        if self._writer is None:
            with self._writer_lock:
                if self._writer is None:
                    thread = threading.Thread(target=self._run_writer, name="ivig-unanswered-writer", daemon=True)
                    thread.start()
                    self._writer = thread

    def _open(self, timeout: float, pool_size: int | None = None) -> Any:
        from bot.storage import open_store  # the package imports this module

        return open_store(self.database_url, self.data_dir, busy_timeout=timeout, pool_size=pool_size)

    def _run_writer(self) -> None:
        store = None
        stopping = False
        try:
            while not stopping:
                batch = [self._queue.get()]
                while len(batch) < self._batch_size:
                    try:
                        batch.append(self._queue.get_nowait())
                    except queue.Empty:
                        break
                if _STOP in batch:
                    stopping = True
                    batch = [item for item in batch if item is not _STOP]
                if batch:
                    store = self._write(store, batch)
                if store is not None and self._gaps.has_pending():
                    store = self._write_gaps(store)
        finally:
            if store is not None:
                store.close()

    def _drop(self, items: list[_Pending], reason: str) -> None:
        for adapter in {item.adapter for item in items}:
            mine = [item.created_at for item in items if item.adapter == adapter]
            self._gaps.add(reason, adapter, len(mine), min(mine), max(mine))

    def _write(self, store: Any, batch: list[_Pending]) -> Any:
        """Write a batch in one transaction; returns the store to go on with (None after it failed)."""
        try:
            if store is None:
                store = self._open(self._log_timeout, pool_size=1)
            self.written += store.record_unanswered_many(
                [(p.snapshot, p.adapter, p.raw_user_id, p.created_at) for p in batch])
            return store
        except Exception as exc:  # noqa: BLE001 - counted and reported; answers go on
            if store is not None and _record_level(exc):
                return self._write_one_by_one(store, batch)  # one bad record must not cost its neighbours
            return self._give_up(store, batch, exc)

    def _write_one_by_one(self, store: Any, batch: list[_Pending]) -> Any:
        for i, item in enumerate(batch):
            try:
                self.written += store.record_unanswered_many(
                    [(item.snapshot, item.adapter, item.raw_user_id, item.created_at)])
            except Exception as exc:  # noqa: BLE001
                if not _record_level(exc):
                    return self._give_up(store, batch[i:], exc)
                self._drop([item], "bad_record")
                self.report(f"one unanswered question could not be logged ({describe(exc)}); the others were")
        return store

    def _give_up(self, store: Any, items: list[_Pending], exc: BaseException) -> None:
        self._drop(items, "write_failed")
        self.report(f"cannot log unanswered questions in {self.location}: {describe(exc)}. Answers are not affected.")
        if store is not None:
            store.close()  # reopen next time: the problem may pass
        return None

    def _write_gaps(self, store: Any) -> Any:
        entries = self._gaps.take()
        try:
            for reason, adapter, count, first, last in entries:
                store.record_gap(reason, count, adapter=adapter, first_at=first, last_at=last)
                entries = entries[1:]
            return store
        except Exception:  # noqa: BLE001 - kept for the next try; the summary at close still counts them
            self._gaps.put_back(entries)
            store.close()
            return None

    # --- feedback and button state: committed before they return -------------------------------------------

    def _call(self, doing: str, call: Callable[[Any], T]) -> T:
        store = None
        try:
            with self._store_lock:
                if self._store is None:
                    self._store = self._open(self._feedback_timeout)
                store = self._store
            return call(store)
        except StorageError as exc:
            self.report(f"cannot {doing}: {exc}")
            with self._store_lock:
                if store is not None and self._store is store:
                    self._store = None
                    store.close()  # reopen next time: the problem may pass
            raise

    def record_feedback(self, answer: Any, rating: str, comment: str | None = None, *, adapter: str,
                        user_id: str | int | None = None) -> int:
        """Save a rating; the record's id once committed. Raises StorageError (already reported)."""
        return self._call("save feedback", lambda s: s.record_feedback(answer, rating, comment, adapter=adapter,
                                                                       user_id=user_id))

    def user_key(self, raw_user_id: str | int) -> str:
        """The pseudonym button state is kept under (never the raw id)."""
        return self._call("make a pseudonym", lambda s: s.pseudonym(raw_user_id))

    def keep_rateable(self, token: str, snapshot: Any, capacity: int) -> bool:
        return self._call("keep the rating buttons",
                          lambda s: s.keep_rateable(token, AnswerSnapshot.of(snapshot), capacity))

    def rateable(self, token: str) -> AnswerSnapshot | None:
        return self._call("read the rating buttons", lambda s: s.rateable(token))

    def claim_rating(self, token: str, user_key: str) -> bool:
        return self._call("save feedback", lambda s: s.claim_rating(token, user_key))

    def rating_claimed(self, token: str, user_key: str) -> bool:
        return self._call("read the rating buttons", lambda s: s.rating_claimed(token, user_key))

    def release_rating(self, token: str, user_key: str) -> None:
        return self._call("save feedback", lambda s: s.release_rating(token, user_key))

    def open_comment_form(self, token: str, user_key: str, capacity: int) -> None:
        return self._call("keep the comment form", lambda s: s.open_comment_form(token, user_key, capacity))

    def take_comment_form(self, token: str, user_key: str, max_age: float | None = None) -> bool:
        return self._call("read the comment form", lambda s: s.take_comment_form(token, user_key, max_age))

    # --- shutdown --------------------------------------------------------------------------------------

    def close(self, timeout: float = 5.0) -> None:
        """Write what is queued (waiting at most `timeout` seconds), sum up what was not logged, close."""
        if self._closed:
            return
        self._closed = True
        writer = self._writer
        if writer is not None:
            deadline = time.monotonic() + timeout
            try:
                self._queue.put(_STOP, timeout=timeout)
            except queue.Full:
                pass
            writer.join(max(0.0, deadline - time.monotonic()))
            if writer.is_alive():
                left = self._queue.qsize()
                self._gaps.add("not_written_at_exit", None, left)
                self.report(f"{left} unanswered questions could not be logged before exit")
        self._summarize()
        with self._store_lock:
            if self._store is not None:
                self._store.close()
                self._store = None

    def _summarize(self) -> None:
        """One message with numbers when the log has holes a one-time report did not explain (overflow, refused
        records); a store that failed outright was reported already and its count goes along here."""
        totals = self._gaps.totals
        if not (totals["queue_full"] or totals["bad_record"]):
            return
        parts = []
        if totals["queue_full"]:
            parts.append(f"{totals['queue_full']:,} because the queue of {self.queue_size:,} was full")
        if totals["bad_record"]:
            parts.append(f"{totals['bad_record']:,} refused by the database")
        if totals["write_failed"]:
            parts.append(f"{totals['write_failed']:,} because the database could not be written")
        if totals["not_written_at_exit"]:
            parts.append(f"{totals['not_written_at_exit']:,} still queued at exit")
        self._tell(f"the unanswered log kept {self.written:,} of {self._offered:,} questions; not kept: "
                   f"{'; '.join(parts)}. `ivig-chat report` lists these gaps.")

    def __enter__(self) -> "Recorder":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
