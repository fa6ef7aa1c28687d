"""The Recorder on both backends: a log that never blocks and counts what it drops, feedback that fails fast.

The unanswered log says exactly what it could not keep (a full queue, a record the database refuses, a broken or
locked database); feedback is committed before it returns and fails fast on a lock; button state goes through it
too. Then the CLI with an unusable data folder."""

import io
import json
import os
import threading
import time

import pytest

from bot.cli import main
from bot.storage import AnswerSnapshot, Recorder, StorageError
from bot.storage.sql import SQLStore

NOT_FOUND = AnswerSnapshot("ivig for zebra fever", "not_found", "evidence", (), (), "v1")
UNKNOWN = "ivig for zebra fever"  # a condition no knowledge base will have
POSIX = os.name == "posix"


def snap(question: str) -> AnswerSnapshot:
    return AnswerSnapshot(question, "not_found", "evidence", (), (), "v1")


def test_recorder_logs_only_not_found_and_clarify(backend, ask):
    recorder = backend.recorder(on_error=pytest.fail)
    for text in ("myasthenia gravis", "AD", UNKNOWN, "/help", ""):
        recorder.record_unanswered(ask(text), adapter="repl", user_id="ann")
    recorder.close()
    with backend.open() as store:
        rows = store.unanswered()
        assert store.log_gaps() == []
    assert [(r["question"], r["answer_kind"]) for r in rows] == [("AD", "clarify"), (UNKNOWN, "not_found")]
    assert rows[0]["suggestion_ids"] == ["alzheimer-disease", "atopic-dermatitis"]
    assert all(r["adapter"] == "repl" and r["user_hash"] and r["user_hash"] != "ann" for r in rows)


def test_recorder_touches_no_disk_until_something_is_recorded(tmp_path, ask):
    data = tmp_path / "never"
    Recorder(data).close()
    off = Recorder(data, log_unanswered=False)
    assert off.record_unanswered(ask(UNKNOWN), adapter="repl") is False
    off.close()
    assert not data.exists()


def test_feedback_through_the_recorder_is_committed_before_it_returns(backend, ask):
    with backend.recorder() as recorder:
        record_id = recorder.record_feedback(ask("IVIG for CIDP?"), "good", adapter="repl", user_id="ann")
        # another connection (as another process would) sees it at once
        assert backend.raw("SELECT rating FROM feedback WHERE id = ?", (record_id,)) == [("good",)]


def test_a_broken_database_is_reported_once_and_answers_go_on(backend, monkeypatch):
    def broken(self, items):
        raise StorageError("cannot write to the database (disk I/O error)")

    monkeypatch.setattr(SQLStore, "record_unanswered_many", broken)
    reports = []
    recorder = backend.recorder(on_error=reports.append)
    for _ in range(50):
        assert recorder.record_unanswered(NOT_FOUND, adapter="repl") is True  # queued, whatever the disk does
    recorder.close()
    assert len(reports) == 1 and "disk I/O error" in reports[0]
    assert recorder.dropped == 50 and recorder.written == 0 and recorder.not_logged == {"write_failed": 50}


def hold_lock(backend):
    """Another process holding the write lock; returns a function that lets go."""
    if backend.database_url is None:
        import sqlite3

        holder = sqlite3.connect(backend.data_dir / "ivig-chat.sqlite3", isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
    else:
        import psycopg

        holder = psycopg.connect(backend.database_url)
        holder.execute("LOCK TABLE feedback, unanswered, rateable IN ACCESS EXCLUSIVE MODE")

    def release():
        holder.rollback() if backend.database_url else holder.execute("ROLLBACK")
        holder.close()

    return release


def test_feedback_on_a_locked_database_fails_fast(backend, ask):
    with backend.open():
        pass  # create and migrate first
    release = hold_lock(backend)
    reports = []
    try:
        recorder = backend.recorder(on_error=reports.append)
        for _ in range(3):  # every try fails within about the 1 s lock wait, never the log writer's 10 s
            started = time.monotonic()
            with pytest.raises(StorageError):
                recorder.record_feedback(ask("IVIG for CIDP?"), "good", adapter="json")
            assert time.monotonic() - started < 3.5
        with pytest.raises(StorageError):
            recorder.keep_rateable("tok", NOT_FOUND, 10)
    finally:
        release()
    assert recorder.record_feedback(ask("IVIG for CIDP?"), "good", adapter="json") >= 1  # and it recovers
    recorder.close()
    assert len(reports) == 1 and "cannot save feedback" in reports[0]


def test_a_locked_database_costs_the_log_but_never_an_answer(backend):
    with backend.open():
        pass
    release = hold_lock(backend)
    try:
        reports = []
        recorder = backend.recorder(on_error=reports.append, log_timeout=0.05)
        started = time.monotonic()
        assert all(recorder.record_unanswered(NOT_FOUND, adapter="repl") for _ in range(5))  # never waits
        assert time.monotonic() - started < 0.5
        recorder.close()
    finally:
        release()
    assert len(reports) == 1 and ("lock" in reports[0].lower())
    assert recorder.written == 0


def test_a_full_queue_drops_without_blocking_counts_and_writes_down_the_gap(backend, monkeypatch):
    release = threading.Event()
    original = SQLStore.record_unanswered_many

    def slow(self, items):
        release.wait()
        return original(self, items)

    monkeypatch.setattr(SQLStore, "record_unanswered_many", slow)
    reports = []
    recorder = backend.recorder(on_error=reports.append, queue_size=2)
    queued = [recorder.record_unanswered(NOT_FOUND, adapter="json") for _ in range(20)]  # returns: never waits
    release.set()
    recorder.close()
    dropped = queued.count(False)
    assert dropped >= 17 and recorder.not_logged == {"queue_full": dropped}
    assert len(reports) == 2 and "falling behind" in reports[0]
    assert f"kept {queued.count(True)} of 20" in reports[1]
    assert f"{dropped} because the queue of 2 was full" in reports[1]
    with backend.open() as store:
        records = store.records()
    assert len(records.unanswered) == queued.count(True) == recorder.written
    assert [(g["reason"], g["adapter"], g["dropped"]) for g in records.gaps] == [("queue_full", "json", dropped)]
    assert records.gaps[0]["first_at"] <= records.gaps[0]["last_at"]


def test_one_bad_record_never_costs_its_neighbours(backend):
    with backend.open():
        pass
    backend.poison("poison")
    reports = []
    recorder = backend.recorder(on_error=reports.append)
    for question in ["one", "two", "poison", "three", "bad \udcff bytes", "four"]:
        recorder.record_unanswered(snap(question), adapter="json")
    recorder.close()
    with backend.open() as store:
        records = store.records()
    assert [r["question"] for r in records.unanswered] == ["one", "two", "three", "bad \ufffd bytes", "four"]
    assert recorder.not_logged == {"bad_record": 1} and recorder.written == 5
    assert [(g["reason"], g["dropped"]) for g in records.gaps] == [("bad_record", 1)]
    assert len(reports) == 2 and "the others were" in reports[0] and "1 refused by the database" in reports[1]


def test_the_log_keeps_up_with_a_fast_pipe(backend):
    """5,000 answers a second for two seconds through a queue of only 1,000: nothing may be dropped."""
    recorder = backend.recorder(on_error=pytest.fail, queue_size=1_000)
    rate, total = 5_000, 10_000
    started = time.perf_counter()
    for n in range(total):
        recorder.record_unanswered(snap(f"question {n % 50}"), adapter="json", user_id="local")
        if n % 100 == 99:  # pace the producer at `rate`
            ahead = (n + 1) / rate - (time.perf_counter() - started)
            if ahead > 0:
                time.sleep(ahead)
    recorder.close(timeout=30)
    assert recorder.dropped == 0 and recorder.written == total


def test_button_state_through_the_recorder(backend):
    with backend.recorder() as recorder:
        user = recorder.user_key(123456789012)
        assert len(user) == 64 and user == recorder.user_key("123456789012")
        assert recorder.keep_rateable("tok", NOT_FOUND, capacity=5) is True
        assert recorder.rateable("tok") == NOT_FOUND
        assert recorder.claim_rating("tok", user) is True and recorder.claim_rating("tok", user) is False
        assert recorder.rating_claimed("tok", user) is True
        recorder.release_rating("tok", user)
        recorder.open_comment_form("tok", user, capacity=5)
        assert recorder.take_comment_form("tok", user) is True and recorder.take_comment_form("tok", user) is False


# --- the CLI with an unusable data folder --------------------------------------------------------------


def test_unwritable_data_dir_does_not_block_answers_and_is_reported_once(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    questions = [UNKNOWN, "AD", "myasthenia gravis", "/good", "ivig for xyzzy", "/bad why"] * 5
    out, err = io.StringIO(), io.StringIO()
    code = main(["--data-dir", str(blocker / "data")], stdin=io.StringIO("\n".join(questions) + "\n"),
                stdout=out, stderr=err)
    assert code == 0
    text = out.getvalue()
    assert text.count("Myasthenia gravis") >= 5  # the answers went out
    assert text.lower().count("could not be saved") == 10
    assert "Traceback" not in text + err.getvalue()
    assert len(err.getvalue().splitlines()) == 1 and "a-file" in err.getvalue()

    out, err = io.StringIO(), io.StringIO()
    main(["--json", "--data-dir", str(blocker / "data")], stdin=io.StringIO("\n".join(questions) + "\n"),
         stdout=out, stderr=err)
    objects = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(objects) == len(questions)
    assert [o["feedback"]["saved"] for o in objects if o["kind"] == "feedback"] == [False] * 10
    assert len(err.getvalue().splitlines()) == 1


@pytest.mark.skipif(not POSIX or os.geteuid() == 0, reason="needs POSIX permissions and a non-root user")
def test_read_only_data_dir(tmp_path):
    data = tmp_path / "ro"
    data.mkdir()
    data.chmod(0o500)
    try:
        out, err = io.StringIO(), io.StringIO()
        main(["--data-dir", str(data), "--json"], stdin=io.StringIO(f"{UNKNOWN}\nAD\n/good\n"),
             stdout=out, stderr=err)
        assert len(out.getvalue().splitlines()) == 3
        assert len(err.getvalue().splitlines()) == 1
    finally:
        data.chmod(0o700)
