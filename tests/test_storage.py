"""Storage: where it lives, WAL and migrations, pseudonyms, the non-blocking unanswered log, committed feedback,
several writer processes at once, a writer killed mid-stream, and a broken or unwritable data folder."""

import hashlib
import hmac
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from bot.cli import main
from bot.storage import (
    DB_NAME,
    MIGRATIONS,
    SALT_NAME,
    AnswerSnapshot,
    Recorder,
    Store,
    StorageError,
    default_data_dir,
    resolve_data_dir,
    unanswered_log_enabled,
)

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = AnswerSnapshot(question="does ivig help mg?", kind="answer", intent="evidence",
                          condition_ids=("myasthenia-gravis",), suggestion_ids=(), knowledge_version="abc123")
POSIX = os.name == "posix"


def child_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


# --- where ---------------------------------------------------------------------------------------------


def test_data_dir_option_beats_environment_beats_platform_default(monkeypatch, tmp_path):
    monkeypatch.setenv("IVIG_DATA_DIR", str(tmp_path / "from-env"))
    assert resolve_data_dir(tmp_path / "from-option") == tmp_path / "from-option"
    assert resolve_data_dir(None) == tmp_path / "from-env"
    monkeypatch.delenv("IVIG_DATA_DIR")
    assert resolve_data_dir(None) == default_data_dir()


def test_platform_defaults(monkeypatch, tmp_path):
    monkeypatch.setattr(Path, "home", staticmethod(lambda: tmp_path))
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    assert default_data_dir() == tmp_path / ".local" / "share" / "ivig-chat"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_data_dir() == tmp_path / "xdg" / "ivig-chat"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")  # the XDG spec: relative paths are invalid
    assert default_data_dir() == tmp_path / ".local" / "share" / "ivig-chat"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert default_data_dir() == tmp_path / "Library" / "Application Support" / "ivig-chat"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    assert default_data_dir() == tmp_path / "Roaming" / "ivig-chat"


@pytest.mark.parametrize("value, enabled", [(None, True), ("1", True), ("0", False), ("false", False),
                                            ("OFF", False), ("no", False), ("yes", True)])
def test_unanswered_log_switch(monkeypatch, value, enabled):
    if value is None:
        monkeypatch.delenv("IVIG_LOG_UNANSWERED", raising=False)
    else:
        monkeypatch.setenv("IVIG_LOG_UNANSWERED", value)
    assert unanswered_log_enabled() is enabled
    assert unanswered_log_enabled(no_log_flag=True) is False


# --- the database --------------------------------------------------------------------------------------


def test_a_new_store_is_wal_migrated_and_private(tmp_path):
    data = tmp_path / "data"
    with Store(data):
        pass
    conn = sqlite3.connect(data / DB_NAME)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # persistent in the file
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"feedback", "unanswered"} <= tables
    conn.close()
    if POSIX:
        assert (data / DB_NAME).stat().st_mode & 0o777 == 0o600
        assert data.stat().st_mode & 0o777 == 0o700


def test_migrations_run_in_order_once_and_keep_the_data(tmp_path):
    first = [MIGRATIONS[0]]
    with Store(tmp_path, migrations=first) as store:
        store.record_feedback(SNAPSHOT, "good", adapter="repl", user_id="ann")
    second = first + [("ALTER TABLE feedback ADD COLUMN reviewed INTEGER NOT NULL DEFAULT 0",
                       "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")]
    for _ in range(2):  # the second open must not re-run migration 2 (ALTER TABLE would fail)
        with Store(tmp_path, migrations=second) as store:
            (row,) = store.feedback()
            assert row["question"] == SNAPSHOT.question and row["reviewed"] == 0
    conn = sqlite3.connect(tmp_path / DB_NAME)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    conn.close()


def test_a_failed_migration_leaves_the_old_version(tmp_path):
    broken = [MIGRATIONS[0], ("CREATE TABLE fine (x)", "THIS IS NOT SQL")]
    with pytest.raises(StorageError):
        Store(tmp_path, migrations=broken)
    conn = sqlite3.connect(tmp_path / DB_NAME)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 0  # all or nothing
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'fine'").fetchone()[0] == 0
    conn.close()


def test_a_database_from_a_newer_version_is_refused(tmp_path):
    with Store(tmp_path):
        pass
    conn = sqlite3.connect(tmp_path / DB_NAME)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StorageError, match="newer"):
        Store(tmp_path)


def test_a_file_that_is_not_a_database_is_a_storage_error(tmp_path):
    (tmp_path / DB_NAME).write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StorageError, match=DB_NAME):
        Store(tmp_path)


# --- records and pseudonyms ----------------------------------------------------------------------------


def test_feedback_record_holds_the_answer_and_a_pseudonym_never_the_raw_id(tmp_path):
    with Store(tmp_path) as store:
        first = store.record_feedback(SNAPSHOT, "bad", "  too vague  ", adapter="discord", user_id=123456789012)
        second = store.record_feedback(SNAPSHOT, "good", adapter="repl", user_id="123456789012")
        store.record_feedback(SNAPSHOT, "good", adapter="repl", user_id="someone-else")
        rows = store.feedback()
    assert second == first + 1
    row = rows[0]
    assert row["rating"] == "bad" and row["comment"] == "too vague"
    assert row["question"] == "does ivig help mg?" and row["answer_kind"] == "answer"
    assert row["condition_ids"] == ["myasthenia-gravis"] and row["knowledge_version"] == "abc123"
    assert row["adapter"] == "discord" and row["created_at"].endswith("+00:00")
    salt = (tmp_path / SALT_NAME).read_bytes()
    assert len(salt) == 32
    assert row["user_hash"] == hmac.new(salt, b"123456789012", hashlib.sha256).hexdigest()
    assert rows[1]["user_hash"] == row["user_hash"] != rows[2]["user_hash"]
    assert rows[1]["comment"] is None
    if POSIX:
        assert (tmp_path / SALT_NAME).stat().st_mode & 0o777 == 0o600
    for name in (DB_NAME, DB_NAME + "-wal"):
        if (tmp_path / name).exists():
            assert b"123456789012" not in (tmp_path / name).read_bytes()


def test_the_salt_is_per_installation(tmp_path):
    with Store(tmp_path / "a") as a, Store(tmp_path / "b") as b:
        assert a.pseudonym("ann") != b.pseudonym("ann")
        assert a.pseudonym("ann") == a.pseudonym("ann")
        assert a.pseudonym(None) is None


def test_a_rating_is_good_or_bad(tmp_path):
    with Store(tmp_path) as store, pytest.raises(ValueError):
        store.record_feedback(SNAPSHOT, "meh", adapter="repl")


def test_snapshot_of_an_answer(ask):
    snap = AnswerSnapshot.of(ask("AD"))
    assert snap.kind == "clarify" and snap.condition_ids == ()
    assert set(snap.suggestion_ids) == {"alzheimer-disease", "atopic-dermatitis"}
    assert AnswerSnapshot.of(snap) is snap


# --- the recorder --------------------------------------------------------------------------------------


def test_recorder_logs_only_not_found_and_clarify(tmp_path, ask):
    recorder = Recorder(tmp_path, on_error=pytest.fail)
    for text in ("myasthenia gravis", "AD", "ivig for narcolepsy", "/help", ""):
        recorder.record_unanswered(ask(text), adapter="repl", user_id="ann")
    recorder.close()
    with Store(tmp_path) as store:
        rows = store.unanswered()
    assert [(r["question"], r["answer_kind"]) for r in rows] == [("AD", "clarify"), ("ivig for narcolepsy", "not_found")]
    assert rows[0]["suggestion_ids"] == ["alzheimer-disease", "atopic-dermatitis"]
    assert all(r["adapter"] == "repl" and r["user_hash"] and r["user_hash"] != "ann" for r in rows)


def test_recorder_touches_no_disk_until_something_is_recorded(tmp_path, ask):
    data = tmp_path / "never"
    Recorder(data).close()
    off = Recorder(data, log_unanswered=False)
    assert off.record_unanswered(ask("ivig for narcolepsy"), adapter="repl") is False
    off.close()
    assert not data.exists()


def test_feedback_through_the_recorder_is_committed_before_it_returns(tmp_path, ask):
    with Recorder(tmp_path) as recorder:
        record_id = recorder.record_feedback(ask("IVIG for CIDP?"), "good", adapter="repl", user_id="ann")
        conn = sqlite3.connect(tmp_path / DB_NAME)  # another connection sees it at once
        assert conn.execute("SELECT rating FROM feedback WHERE id = ?", (record_id,)).fetchone() == ("good",)
        conn.close()


def test_a_broken_disk_is_reported_once_and_answers_go_on(tmp_path, ask, monkeypatch):
    def broken(self, items):
        raise StorageError("cannot write to the database (disk I/O error)")

    monkeypatch.setattr(Store, "record_unanswered_many", broken)
    reports = []
    recorder = Recorder(tmp_path, on_error=reports.append)
    answer = ask("ivig for narcolepsy")
    for _ in range(50):
        assert recorder.record_unanswered(answer, adapter="repl") is True  # queued, whatever the disk does
    recorder.close()
    assert len(reports) == 1 and "disk I/O error" in reports[0]
    assert recorder.dropped == 50 and recorder.written == 0


def test_a_locked_database_is_reported_once_and_answers_go_on(tmp_path, ask, monkeypatch):
    import bot.storage as storage

    monkeypatch.setattr(storage, "BUSY_TIMEOUT_MS", 50)  # give up on the lock quickly, as a long wait would
    with Store(tmp_path):
        pass  # create and migrate the database first
    holder = sqlite3.connect(tmp_path / "ivig-chat.sqlite3", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
    try:
        reports = []
        recorder = Recorder(tmp_path, on_error=reports.append)
        answer = ask("ivig for narcolepsy")
        assert all(recorder.record_unanswered(answer, adapter="repl") for _ in range(5))  # never waits
        recorder.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert len(reports) == 1 and "lock" in reports[0].lower()
    assert recorder.written == 0


def test_a_full_queue_drops_without_blocking_and_reports_once(tmp_path, ask, monkeypatch):
    release = threading.Event()
    original = Store.record_unanswered_many

    def slow(self, items):
        release.wait()
        return original(self, items)

    monkeypatch.setattr(Store, "record_unanswered_many", slow)
    reports = []
    recorder = Recorder(tmp_path, on_error=reports.append, queue_size=2)
    answer = ask("ivig for narcolepsy")
    queued = [recorder.record_unanswered(answer, adapter="repl") for _ in range(20)]  # returns: never waits
    release.set()
    recorder.close()
    assert False in queued and len(reports) == 1 and "falling behind" in reports[0]
    with Store(tmp_path) as store:
        assert len(store.unanswered()) == queued.count(True) == recorder.written


def test_unwritable_data_dir_does_not_block_answers_and_is_reported_once(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    questions = ["ivig for narcolepsy", "AD", "myasthenia gravis", "/good", "ivig for parkinson", "/bad why"] * 5
    out, err = io.StringIO(), io.StringIO()
    code = main(["--data-dir", str(blocker / "data")], stdin=io.StringIO("\n".join(questions) + "\n"),
                stdout=out, stderr=err)
    assert code == 0
    text = out.getvalue()
    assert text.count("I could not find that condition") == 10
    assert text.count("Did you mean") == 5 and text.count("Myasthenia gravis:") >= 5
    assert text.count("Sorry, your feedback could not be saved.") == 10
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
        main(["--data-dir", str(data), "--json"], stdin=io.StringIO("ivig for narcolepsy\nAD\n/good\n"),
             stdout=out, stderr=err)
        assert len(out.getvalue().splitlines()) == 3
        assert len(err.getvalue().splitlines()) == 1
    finally:
        data.chmod(0o700)


# --- several processes ---------------------------------------------------------------------------------

WRITER = textwrap.dedent("""
    import os, sys, time
    from bot.storage import AnswerSnapshot, Recorder, Store

    data, name, count, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    print("ready", flush=True)
    while not os.path.exists(go):  # start together: open, migrate and write at the same time as the others
        time.sleep(0.002)
    snap = AnswerSnapshot("ivig for narcolepsy", "not_found", "evidence", (), (), "v1")
    recorder = Recorder(data, on_error=lambda message: print("ERROR", message, flush=True))
    store = Store(data)
    for i in range(count):
        recorder.record_unanswered(snap, adapter=name, user_id=name)
        record_id = store.record_feedback(snap, "bad", f"{name}-{i}", adapter=name, user_id=name)
        print("ack", record_id, f"{name}-{i}", flush=True)
    recorder.close()
    print("done", flush=True)
""")


def test_several_writer_processes_at_once_lose_nothing(tmp_path):
    data, writers, count, go = tmp_path / "shared", 4, 150, tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(data), f"w{n}", str(count), str(go)],
                              env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for n in range(writers)]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready"
    go.touch()
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert "ERROR" not in out and out.rstrip().endswith("done")
    with Store(data) as store:
        feedback, unanswered = store.feedback(), store.unanswered()
        assert store.integrity_check() == "ok"
    assert sorted(r["comment"] for r in feedback) == sorted(f"w{n}-{i}" for n in range(writers) for i in range(count))
    assert len({r["id"] for r in feedback}) == writers * count
    assert sorted(r["adapter"] for r in unanswered) == sorted(f"w{n}" for n in range(writers) for _ in range(count))


KILLED = textwrap.dedent("""
    import sys
    from bot.storage import AnswerSnapshot, Recorder, Store

    snap = AnswerSnapshot("ivig for narcolepsy", "not_found", "evidence", (), (), "v1")
    recorder = Recorder(sys.argv[1])
    store = Store(sys.argv[1])
    i = 0
    while True:  # until killed
        recorder.record_unanswered(snap, adapter="killed")
        record_id = store.record_feedback(snap, "good", f"n{i}", adapter="killed")
        print("ack", record_id, f"n{i}", flush=True)
        i += 1
""")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
@pytest.mark.parametrize("kill_after", [1, 37, 150])
def test_a_writer_killed_mid_stream_loses_no_acknowledged_record(tmp_path, kill_after):
    data = tmp_path / "data"
    proc = subprocess.Popen([sys.executable, "-c", KILLED, str(data)], env=child_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    acked = []
    for line in proc.stdout:
        acked.append(line.split()[2])
        if len(acked) == kill_after:
            proc.send_signal(signal.SIGKILL)  # while it is writing the next records
            break
    acked += [line.split()[2] for line in proc.stdout if line.startswith("ack")]  # printed before the kill landed
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    with Store(data) as store:
        assert store.integrity_check() == "ok"
        stored = {r["comment"] for r in store.feedback()}
        store.record_feedback(SNAPSHOT, "good", adapter="repl")  # and it still takes writes
    assert set(acked) <= stored
    assert len(acked) >= kill_after
