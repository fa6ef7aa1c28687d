"""One store, both backends: migrations, records and pseudonyms, gaps, malformed rows, unstorable text.

Then what only SQLite (files, WAL, read-only folders) or only PostgreSQL (salt in the database, a URL) has."""

import hashlib
import hmac
import os
import sqlite3
import sys
import time

import pytest

from bot.storage import (
    DB_NAME,
    MIGRATIONS,
    SALT_NAME,
    AnswerSnapshot,
    RecordStore,
    StorageError,
    Store,
    load_records,
    open_store,
)

SNAPSHOT = AnswerSnapshot(question="does ivig help mg?", kind="answer", intent="evidence",
                          condition_ids=("myasthenia-gravis",), suggestion_ids=(), knowledge_version="abc123")
POSIX = os.name == "posix"


def schema_version(backend) -> int:
    if backend.database_url is None:
        return backend.raw("PRAGMA user_version")[0][0]
    return backend.raw("SELECT version FROM ivig_schema")[0][0]


def set_schema_version(backend, version: int) -> None:
    if backend.database_url is None:
        backend.raw(f"PRAGMA user_version = {version}")
    else:
        backend.raw("UPDATE ivig_schema SET version = ?", (version,))


# --- migrations ------------------------------------------------------------------------------------------


def test_a_new_store_is_migrated_and_is_a_record_store(backend):
    with backend.open() as store:
        assert isinstance(store, RecordStore)
    assert schema_version(backend) == len(MIGRATIONS)


def test_migrations_run_in_order_once_and_keep_the_data(backend):
    with backend.open() as store:
        store.record_feedback(SNAPSHOT, "good", adapter="repl", user_id="ann")
    more = MIGRATIONS + [("ALTER TABLE feedback ADD COLUMN reviewed INTEGER NOT NULL DEFAULT 0",
                          "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")]
    for _ in range(2):  # the second open must not re-run the new migration (ALTER TABLE would fail)
        with backend.open(migrations=more) as store:
            (row,) = store.feedback()
            assert row["question"] == SNAPSHOT.question and row["reviewed"] == 0
    assert schema_version(backend) == len(MIGRATIONS) + 1


def test_a_failed_migration_leaves_the_old_version(backend):
    with backend.open():
        pass
    broken = MIGRATIONS + [("CREATE TABLE fine (x TEXT)", "THIS IS NOT SQL")]
    with pytest.raises(StorageError):
        backend.open(migrations=broken)
    assert schema_version(backend) == len(MIGRATIONS)  # all or nothing
    with pytest.raises(Exception, match="fine"):  # the driver's own "no such table" error
        backend.raw("SELECT * FROM fine")


def test_a_database_from_a_newer_version_is_refused(backend):
    with backend.open():
        pass
    set_schema_version(backend, 99)
    with pytest.raises(StorageError, match="newer"):
        backend.open()
    with pytest.raises(StorageError, match="newer"):
        backend.open(read_only=True)


def test_records_written_before_record_keys_get_one(tmp_path):
    """A database of the first schema version (today's installations) is upgraded in place, keys filled in."""
    with Store(tmp_path, migrations=MIGRATIONS[:1]) as old:
        old._conn.execute("INSERT INTO feedback (created_at, adapter, question, answer_kind, intent, condition_ids,"
                          " suggestion_ids, knowledge_version, rating) VALUES ('t', 'repl', 'q', 'answer', 'e', '[]',"
                          " '[]', 'v', 'good')")
    with Store(tmp_path) as store:
        store.record_feedback(SNAPSHOT, "bad", adapter="repl")
        keys = [r["record_key"] for r in store.feedback()]
    assert len(keys) == 2 and all(keys) and len(set(keys)) == 2


# --- records and pseudonyms ------------------------------------------------------------------------------


def test_feedback_record_holds_the_answer_and_a_pseudonym_never_the_raw_id(backend):
    with backend.open() as store:
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
    assert len(row["user_hash"]) == 64 and "123456789012" not in row["user_hash"]
    assert rows[1]["user_hash"] == row["user_hash"] != rows[2]["user_hash"]
    assert rows[1]["comment"] is None


def test_the_salt_is_per_installation(backend, tmp_path):
    with backend.open() as a, open_store(None, tmp_path / "other") as b:
        assert a.pseudonym("ann") != b.pseudonym("ann")
        assert a.pseudonym("ann") == a.pseudonym("ann")
        assert a.pseudonym(None) is None
    with backend.open() as again:  # the same installation after a restart: the same pseudonym
        with backend.open() as a:
            assert again.pseudonym("ann") == a.pseudonym("ann")


def test_a_rating_is_good_or_bad(backend):
    with backend.open() as store, pytest.raises(ValueError):
        store.record_feedback(SNAPSHOT, "meh", adapter="repl")


def test_unanswered_batches_and_gaps(backend):
    snap = AnswerSnapshot("ivig for narcolepsy", "not_found", "evidence", (), ("x",), "v1")
    with backend.open() as store:
        assert store.record_unanswered_many([(snap, "json", "ann", None)] * 3) == 3
        assert store.record_unanswered_many([]) == 0
        store.record_gap("queue_full", 12, adapter="json", first_at="2026-01-01T00:00:00+00:00",
                         last_at="2026-01-01T00:00:02+00:00")
        records = store.records()
    assert [r["suggestion_ids"] for r in records.unanswered] == [["x"]] * 3
    assert len({r["user_hash"] for r in records.unanswered}) == 1
    (gap,) = records.gaps
    assert (gap["reason"], gap["dropped"], gap["adapter"]) == ("queue_full", 12, "json")
    assert records.skipped == {"unanswered": 0, "feedback": 0, "log_gaps": 0}


def test_text_neither_database_can_hold_is_kept_with_a_replacement_character(backend):
    snap = AnswerSnapshot("bad \udcff byte and a \x00 nul", "not_found", "evidence", (), (), "v1")
    with backend.open() as store:
        store.record_unanswered_many([(snap, "json", "\udcff", None)])
        store.record_feedback(snap, "bad", "comment \ud800 here", adapter="json")
        (unanswered,), (feedback,) = store.unanswered(), store.feedback()
    assert unanswered["question"] == "bad \ufffd byte and a \ufffd nul"
    assert feedback["comment"] == "comment \ufffd here"


def test_malformed_rows_are_skipped_and_counted(backend):
    with backend.open() as store:
        store.record_unanswered(AnswerSnapshot("fine", "not_found", "e", (), (), "v"), adapter="repl")
        store.record_feedback(SNAPSHOT, "good", adapter="repl")
    for ids in ("not json", "[1, 2]", '{"a": 1}'):
        backend.raw("INSERT INTO unanswered (created_at, adapter, question, answer_kind, intent, condition_ids, "
                    "suggestion_ids, knowledge_version) VALUES ('t', 'repl', 'q', 'not_found', 'e', ?, '[]', 'v')",
                    (ids,))
    backend.raw("INSERT INTO feedback (created_at, adapter, question, answer_kind, intent, condition_ids, "
                "suggestion_ids, knowledge_version, rating) VALUES ('t', 'repl', 'q', 'answer', 'e', '[', '[]', 'v', "
                "'bad')")
    with backend.open(read_only=True) as store:
        records = store.records()
    assert [r["question"] for r in records.unanswered] == ["fine"] and len(records.feedback) == 1
    assert records.skipped == {"unanswered": 3, "feedback": 1, "log_gaps": 0}


def test_read_only_opening_changes_nothing(backend):
    with backend.open() as store:
        store.record_feedback(SNAPSHOT, "good", adapter="repl")
    with backend.open(read_only=True) as store:
        assert len(store.feedback()) == 1
        with pytest.raises(StorageError):
            store.record_feedback(SNAPSHOT, "good", adapter="repl")


# --- SQLite only -------------------------------------------------------------------------------------------


def test_a_new_sqlite_store_is_wal_and_private(tmp_path):
    data = tmp_path / "data"
    with Store(data):
        pass
    conn = sqlite3.connect(data / DB_NAME)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # persistent in the file
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"feedback", "unanswered", "log_gaps", "rateable", "rating_claims", "comment_forms"} <= tables
    conn.close()
    if POSIX:
        assert (data / DB_NAME).stat().st_mode & 0o777 == 0o600
        assert data.stat().st_mode & 0o777 == 0o700


def test_sqlite_pseudonyms_use_the_salt_file(tmp_path):
    with Store(tmp_path) as store:
        store.record_feedback(SNAPSHOT, "bad", adapter="discord", user_id=123456789012)
        (row,) = store.feedback()
    salt = (tmp_path / SALT_NAME).read_bytes()
    assert len(salt) == 32
    assert row["user_hash"] == hmac.new(salt, b"123456789012", hashlib.sha256).hexdigest()
    if POSIX:
        assert (tmp_path / SALT_NAME).stat().st_mode & 0o777 == 0o600
    for name in (DB_NAME, DB_NAME + "-wal"):
        if (tmp_path / name).exists():
            assert b"123456789012" not in (tmp_path / name).read_bytes()


def test_a_file_that_is_not_a_database_is_a_storage_error(tmp_path):
    (tmp_path / DB_NAME).write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StorageError, match=DB_NAME):
        Store(tmp_path)
    with pytest.raises(StorageError, match=DB_NAME):
        load_records(tmp_path)


def test_a_read_only_folder_is_read_without_its_wal_when_it_must(tmp_path, monkeypatch):
    """mode=ro needs to write the -shm index; when it cannot, immutable=1 reads the main file."""
    with Store(tmp_path) as store:
        store.record_feedback(SNAPSHOT, "good", adapter="repl")  # closing checkpoints it into the main file
    real_connect = sqlite3.connect

    def refuse_mode_ro(target, *args, **kwargs):
        if "mode=ro" in str(target):
            raise sqlite3.OperationalError("attempt to write a readonly database")
        return real_connect(target, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", refuse_mode_ro)
    records = load_records(tmp_path)
    assert len(records.feedback) == 1 and "without its WAL" in records.source


@pytest.mark.skipif(not POSIX or not hasattr(os, "geteuid"), reason="needs POSIX permissions")
def test_the_report_reads_a_folder_it_cannot_write(tmp_path):
    """Really read-only: as a user who may not write the folder (nobody, when the tests run as root)."""
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    root = Path(tempfile.mkdtemp(prefix="ivig-ro-"))  # pytest's tmp_path is private to its user
    root.chmod(0o755)
    data = root / "data"
    try:
        with Store(data) as store:
            store.record_feedback(SNAPSHOT, "good", adapter="repl")
            store.record_unanswered(SNAPSHOT, adapter="repl")
        probe = ("import sys; from bot.storage import load_records; r = load_records(sys.argv[1]); "
                 "print(len(r.feedback), len(r.unanswered))")
        env = {"PYTHONPATH": str(Path(__file__).resolve().parents[2]), "PATH": os.environ.get("PATH", "")}
        prefix: list[str] = []
        if os.geteuid() == 0:  # root may write anywhere: read as nobody, in a folder only root may write
            prefix = ["runuser", "-u", "nobody", "--"]
            for path in [data, *data.iterdir()]:
                path.chmod(0o755 if path.is_dir() else 0o644)
            usable = [exe for exe in (sys.executable, "/usr/bin/python3") if subprocess.run(
                [*prefix, exe, "-c", "import sqlite3"], capture_output=True, env=env, cwd="/").returncode == 0]
            if not usable or shutil.which("runuser") is None:
                pytest.skip("running as root, and no interpreter the 'nobody' user may run")
            if subprocess.run([*prefix, usable[0], "-c", "import bot.storage"], capture_output=True, env=env,
                              cwd="/").returncode:
                pytest.skip("the repository is not readable by the 'nobody' user")
            executable = usable[0]
        else:
            data.chmod(0o500)
            executable = sys.executable
        done = subprocess.run([*prefix, executable, "-c", probe, str(data)], capture_output=True, text=True,
                              timeout=60, env=env, cwd="/")
        assert done.returncode == 0, done.stderr
        assert done.stdout.split() == ["1", "1"]
        assert not (data / (DB_NAME + "-wal")).exists()  # nothing written
    finally:
        data.chmod(0o700)
        shutil.rmtree(root, ignore_errors=True)


# --- PostgreSQL only ---------------------------------------------------------------------------------------


def test_postgres_keeps_the_salt_in_the_database_seeded_from_the_data_folder(pg_backend):
    with Store(pg_backend.data_dir) as sqlite_store:  # a machine that ran SQLite before
        before = sqlite_store.pseudonym("ann")
    with pg_backend.open() as store:
        assert store.pseudonym("ann") == before  # pseudonyms go on across the move
    with open_store(pg_backend.database_url, pg_backend.data_dir / "elsewhere") as other_process:
        assert other_process.pseudonym("ann") == before  # every process of the deployment agrees
    assert pg_backend.raw("SELECT count(*) FROM pseudonym_salt")[0][0] == 1


def test_an_unreachable_server_is_a_storage_error_without_the_password(tmp_path):
    pytest.importorskip("psycopg")
    started = time.monotonic()
    with pytest.raises(StorageError) as raised:
        open_store("postgresql://ivig:s3cret-pw@127.0.0.1:1/ivig", tmp_path, busy_timeout=1)
    assert "s3cret-pw" not in str(raised.value) and "127.0.0.1" in str(raised.value)
    assert time.monotonic() - started < 10


def test_an_unknown_url_scheme_is_refused(tmp_path):
    with pytest.raises(StorageError, match="unsupported database URL"):
        open_store("mysql://root:pw@localhost/db", tmp_path)


def test_postgres_without_psycopg_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if it were not installed
    with pytest.raises(StorageError, match=r"ivig-chat\[postgres\]"):
        open_store("postgresql://localhost/ivig", tmp_path)
