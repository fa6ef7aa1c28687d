"""Storage benchmark: records per second and write latency for SQLite and PostgreSQL under 1 and 8 writer processes.

Workloads: feedback (one durable transaction per record, what a 👍 costs) and unanswered batches (500 records per
transaction, what the log writer does); then the unanswered log end to end through a Recorder, flat out and paced at
5,000 answers/s through its default queue. PostgreSQL comes from IVIG_DATABASE_URL or IVIG_TEST_DATABASE_URL, else a
throwaway server started here (Debian's binaries), else it is left out and the table says so.

    .venv/bin/python benchmarks/bench_storage.py            # print the table
    .venv/bin/python benchmarks/bench_storage.py --write    # and put it in benchmarks/RESULTS.md (between markers)
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "storage"))  # the throwaway-server helper of the storage tests

from bot.storage import QUEUE_SIZE, AnswerSnapshot, Recorder, open_store  # noqa: E402

RESULTS = ROOT / "benchmarks" / "RESULTS.md"
BEGIN, END = "<!-- storage:begin -->", "<!-- storage:end -->"
SNAP = AnswerSnapshot("ivig for zebra fever", "not_found", "evidence", (), ("x-condition",), "bench")
FEEDBACK_PER_RUN = 800  # records per configuration, split over the writers
BATCHES_PER_RUN = 80  # batches of BATCH rows per configuration
BATCH = 500


# --- one writer process ----------------------------------------------------------------------------------


def worker(url: str | None, data: str, workload: str, count: int, go: str) -> None:
    store = open_store(url or None, data)
    store.pseudonym("warm-up")  # the salt is read once per store, not per record
    print("ready", flush=True)
    while not os.path.exists(go):
        time.sleep(0.001)
    latencies, started = [], time.time()
    for i in range(count):
        t0 = time.perf_counter()
        if workload == "feedback":
            store.record_feedback(SNAP, "bad", f"comment {i}", adapter="bench", user_id=f"user{i % 50}")
        else:
            store.record_unanswered_many([(SNAP, "bench", f"user{j % 50}", None) for j in range(BATCH)])
        latencies.append(time.perf_counter() - t0)
    print(json.dumps({"start": started, "end": time.time(), "latencies": latencies}), flush=True)
    store.close()


# --- the driver ------------------------------------------------------------------------------------------


def fresh_location(backend: str, base_url: str | None, scratch: Path) -> tuple[str | None, Path, callable]:
    data = scratch / uuid.uuid4().hex[:8]
    if backend == "sqlite":
        return None, data, lambda: shutil.rmtree(data, ignore_errors=True)
    import psycopg
    from pg_server import with_schema

    schema = "bench_" + uuid.uuid4().hex[:8]
    with psycopg.connect(base_url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")

    def drop() -> None:
        with psycopg.connect(base_url, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        shutil.rmtree(data, ignore_errors=True)

    return with_schema(base_url, schema), data, drop


def run_writers(backend: str, base_url: str | None, scratch: Path, workload: str, writers: int) -> dict:
    total = FEEDBACK_PER_RUN if workload == "feedback" else BATCHES_PER_RUN
    url, data, cleanup = fresh_location(backend, base_url, scratch)
    try:
        with open_store(url, data):
            pass  # create and migrate before the clock starts
        go = scratch / f"go-{uuid.uuid4().hex[:8]}"
        procs = [subprocess.Popen([sys.executable, __file__, "--worker", url or "", str(data), workload,
                                   str(total // writers), str(go)], stdout=subprocess.PIPE, text=True)
                 for _ in range(writers)]
        for proc in procs:
            assert proc.stdout.readline().strip() == "ready"
        go.touch()
        outs = [json.loads(proc.communicate(timeout=900)[0]) for proc in procs]
    finally:
        cleanup()
    latencies = sorted(x for out in outs for x in out["latencies"])
    wall = max(o["end"] for o in outs) - min(o["start"] for o in outs)
    rows = len(latencies) * (1 if workload == "feedback" else BATCH)
    return {"backend": backend, "workload": workload, "writers": writers, "records": rows, "wall": wall,
            "per_second": rows / wall, "p50": statistics.median(latencies) * 1000,
            "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000}


def run_recorder(backend: str, base_url: str | None, scratch: Path, paced: bool, queue_size: int) -> dict:
    """Flat out: 50,000 records as fast as one thread can queue them (a queue that holds them all: what the writer
    manages while competing for the interpreter). Paced: 5,000/s for 4 s."""
    url, data, cleanup = fresh_location(backend, base_url, scratch)
    try:
        with open_store(url, data):
            pass
        total, rate = (20_000, 5_000) if paced else (50_000, None)
        recorder = Recorder(data, database_url=url, on_error=lambda message: None, queue_size=queue_size)
        started = time.perf_counter()
        for n in range(total):
            recorder.record_unanswered(SNAP, adapter="bench", user_id=f"user{n % 50}")
            if rate and n % 100 == 99:
                ahead = (n + 1) / rate - (time.perf_counter() - started)
                if ahead > 0:
                    time.sleep(ahead)
        queued = time.perf_counter() - started
        recorder.close(timeout=600)
        wall = time.perf_counter() - started
    finally:
        cleanup()
    return {"backend": backend, "paced": paced, "queue": queue_size, "offered": total, "written": recorder.written,
            "dropped": recorder.dropped, "queue_s": queued, "wall": wall, "per_second": recorder.written / wall}


def postgres_url() -> tuple[str | None, object, str]:
    for name in ("IVIG_DATABASE_URL", "IVIG_TEST_DATABASE_URL"):
        if os.environ.get(name, "").strip():
            return os.environ[name].strip(), None, f"${name}"
    from pg_server import ThrowawayServer, find_binaries

    bin_dir, why = find_binaries()
    if bin_dir is None:
        return None, None, why
    server = ThrowawayServer(bin_dir)
    try:
        url = server.start()
    except (RuntimeError, OSError) as exc:
        server.stop()
        return None, None, f"a throwaway server did not start: {exc}"
    version = subprocess.run([str(bin_dir / "postgres"), "--version"], capture_output=True, text=True).stdout
    return url, server, f"a throwaway server ({version.split(')')[-1].strip() or version.strip()}, fsync on)"


def machine() -> str:
    import sqlite3

    try:
        import psycopg

        pg = f"psycopg {psycopg.__version__}"
    except ImportError:
        pg = "psycopg not installed"
    code = hashlib.sha256(b"".join(p.read_bytes() for p in sorted((ROOT / "bot" / "storage").glob("*.py"))))
    return (f"nproc {os.cpu_count()} (shared); Python {platform.python_version()}; SQLite {sqlite3.sqlite_version}; "
            f"{pg}; {platform.platform()}; code measured: sha256 of bot/storage/*.py = `{code.hexdigest()[:12]}`")


def table(results: list[dict], recorders: list[dict], pg_note: str, took: float) -> str:
    lines = [BEGIN, "## Storage: SQLite and PostgreSQL", "",
             f"Generated by `.venv/bin/python benchmarks/bench_storage.py --write` on "
             f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC (total run {took:.0f} s). {machine()}. "
             f"SQLite: a fresh database in a temporary folder on the same ext4 disk as the data folder "
             f"(WAL, synchronous=FULL). PostgreSQL: {pg_note}, over loopback TCP.",
             "", "Writers are separate processes started together; records/s is all records over the wall time "
             "from the first start to the last finish; latency is per commit (one feedback record, or one batch "
             f"of {BATCH} unanswered records), as the writer sees it.", "",
             "| backend | workload | writers | records | wall s | records/s | p50 ms | p99 ms |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        what = "feedback (1 per commit)" if r["workload"] == "feedback" else f"unanswered (batches of {BATCH})"
        lines.append(f"| {r['backend']} | {what} | {r['writers']} | {r['records']:,} | {r['wall']:.2f} | "
                     f"{r['per_second']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f} |")
    lines += ["", "The unanswered log end to end through `Recorder.record_unanswered` (one process; the queue is "
              "drained by the background writer in batches of up to 500; wall time includes `close()` "
              "writing what was still queued):", "",
              "| backend | offered | how | written | dropped | queueing s | wall s | rows/s written |",
              "|---|---:|---|---:|---:|---:|---:|---:|"]
    for r in recorders:
        how = f"paced at 5,000/s, queue {r['queue']:,}" if r["paced"] else f"flat out, queue {r['queue']:,}"
        lines.append(f"| {r['backend']} | {r['offered']:,} | {how} | {r['written']:,} | {r['dropped']:,} | "
                     f"{r['queue_s']:.2f} | {r['wall']:.2f} | {r['per_second']:,.0f} |")
    lines += ["", " ".join([
        "Reading the figures: the machine has 2 cores shared with other work, so 8 writer processes (plus the",
        "PostgreSQL server) contend for CPU, and their p99 shows waiting for a core or the write lock, not for the",
        "disk. This VM's disk acknowledges a flush quickly (an SQLite commit with synchronous=FULL takes about",
        "0.1 ms); on a physical disk a commit costs a real flush and the feedback rates fall accordingly, while",
        "batches of 500 hide it. PostgreSQL pays a loopback round trip per statement and commit. A paced run's",
        "rows/s is the offered rate: what matters there is `dropped` (the log keeps up at 5,000 answers/s even",
        "through the old 1,000-slot queue; before batching it managed about 500 rows/s, issue 15)."])]
    lines.append(END)
    return "\n".join(lines)


def write_results(block: str) -> None:
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    if BEGIN in text and END in text:
        before, rest = text.split(BEGIN, 1)
        after = rest.split(END, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    RESULTS.write_text(text, encoding="utf-8")


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"put the table into {RESULTS.relative_to(ROOT)}")
    args = parser.parse_args()
    started = time.perf_counter()
    url, server, pg_note = postgres_url()
    backends = ["sqlite"] + (["postgresql"] if url else [])
    scratch = Path(tempfile.mkdtemp(prefix="ivig-bench-"))
    results, recorders = [], []
    try:
        for backend in backends:
            for workload in ("feedback", "unanswered"):
                for writers in (1, 8):
                    results.append(run_writers(backend, url, scratch, workload, writers))
                    print(json.dumps(results[-1]), file=sys.stderr, flush=True)
            for paced, queue_size in ((False, 50_000), (True, QUEUE_SIZE), (True, 1_000)):
                recorders.append(run_recorder(backend, url, scratch, paced, queue_size))
                print(json.dumps(recorders[-1]), file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if server is not None:
            server.stop()
    if not url:
        pg_note = f"not measured ({pg_note})"
    block = table(results, recorders, pg_note, time.perf_counter() - started)
    print(block)
    if args.write:
        write_results(block)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
