"""Several processes on both backends: 8 writers at once, and a writer killed mid-stream, lose nothing acknowledged.

After a SIGKILL the database is intact and takes writes."""

import signal
import subprocess
import sys
import textwrap

import pytest
from storage_support import child_env

from bot.storage import AnswerSnapshot

SNAPSHOT = AnswerSnapshot("does ivig help mg?", "answer", "evidence", ("myasthenia-gravis",), (), "abc123")

WRITER = textwrap.dedent("""
    import os, sys, time
    from bot.storage import AnswerSnapshot, Recorder, open_store

    url, data, name, count, go = sys.argv[1] or None, sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
    print("ready", flush=True)
    while not os.path.exists(go):  # start together: open, migrate and write at the same time as the others
        time.sleep(0.002)
    snap = AnswerSnapshot("ivig for zebra fever", "not_found", "evidence", (), (), "v1")
    recorder = Recorder(data, database_url=url, on_error=lambda message: print("ERROR", message, flush=True))
    store = open_store(url, data)
    for i in range(count):
        recorder.record_unanswered(snap, adapter=name, user_id=name)
        record_id = store.record_feedback(snap, "bad", f"{name}-{i}", adapter=name, user_id=name)
        print("ack", record_id, f"{name}-{i}", flush=True)
    recorder.close()
    store.close()
    print("done", flush=True)
""")


def test_eight_writer_processes_at_once_lose_nothing(backend, tmp_path):
    writers, count, go = 8, 60, tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, backend.database_url or "", str(backend.data_dir),
                               f"w{n}", str(count), str(go)],
                              env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for n in range(writers)]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready"
    go.touch()
    acked = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert "ERROR" not in out and out.rstrip().endswith("done")
        acked += [line.split()[2] for line in out.splitlines() if line.startswith("ack")]
    with backend.open() as store:
        feedback, unanswered = store.feedback(), store.unanswered()
        assert store.integrity_check() == "ok"
        assert store.log_gaps() == []
    expected = sorted(f"w{n}-{i}" for n in range(writers) for i in range(count))
    assert sorted(acked) == expected
    assert sorted(r["comment"] for r in feedback) == expected
    assert len({r["id"] for r in feedback}) == writers * count
    assert sorted(r["adapter"] for r in unanswered) == sorted(f"w{n}" for n in range(writers) for _ in range(count))


KILLED = textwrap.dedent("""
    import sys
    from bot.storage import AnswerSnapshot, Recorder, open_store

    url, data = sys.argv[1] or None, sys.argv[2]
    snap = AnswerSnapshot("ivig for zebra fever", "not_found", "evidence", (), (), "v1")
    recorder = Recorder(data, database_url=url)
    store = open_store(url, data)
    i = 0
    while True:  # until killed
        recorder.record_unanswered(snap, adapter="killed")
        record_id = store.record_feedback(snap, "good", f"n{i}", adapter="killed")
        sys.stdout.write(f"ack {record_id} n{i}\\n")  # one write: a kill between print's pieces leaves half a line
        sys.stdout.flush()
        i += 1
""")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
@pytest.mark.parametrize("kill_after", [1, 37, 150])
def test_a_writer_killed_mid_stream_loses_no_acknowledged_record(backend, kill_after):
    proc = subprocess.Popen([sys.executable, "-c", KILLED, backend.database_url or "", str(backend.data_dir)],
                            env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    acked = []
    for line in proc.stdout:
        acked.append(line.split()[2])
        if len(acked) == kill_after:
            proc.send_signal(signal.SIGKILL)  # while it is writing the next records
            break
    # printed before the kill landed; a line the kill cut short was never a whole acknowledgement
    acked += [line.split()[2] for line in proc.stdout if line.startswith("ack ") and line.endswith("\n")]
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read()
    with backend.open() as store:
        assert store.integrity_check() == "ok"
        stored = {r["comment"] for r in store.feedback()}
        store.record_feedback(SNAPSHOT, "good", adapter="repl")  # and it still takes writes
    assert set(acked) <= stored
    assert len(acked) >= kill_after
