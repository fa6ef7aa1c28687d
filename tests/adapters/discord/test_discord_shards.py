"""Two bot processes with different shard ranges, one store: the feedback both save, one `ivig-chat report` shows.

Issue 14's "done when". Each process is a separate OS process (tests/adapters/shard_driver.py) that builds the bot
as `ivig-chat --discord` does, from its environment: DISCORD_SHARD_COUNT=2 with DISCORD_SHARD_IDS=0 in one and =1
in the other, and the same IVIG_DATABASE_URL (PostgreSQL) or the same IVIG_DATA_DIR (SQLite, the embedded default).

The fake gateway, and why not dpytest: dpytest refuses sharded bots (`dpytest.configure` raises "Sharded clients not
yet supported" for an AutoShardedClient), and building the plain bot for the harness would leave the sharded bot
these settings make untested. So each process keeps the real ShardedIvigBot with its own
AutoShardedConnectionState, and gateway events are real INTERACTION_CREATE payloads parsed by that state, exactly as
discord_fakes drives the plain bot (its command tree, dynamic buttons, form objects and `on_interaction`), with
discord_fakes.FakeDiscordHTTP answering the interaction and webhook requests. Only what READY would fill in (the bot
user, the application id) is set by hand; nothing logs in.

Which process receives an event is the test's choice: the press on process A's answer is delivered to process B,
as happens when a deployment's shard ranges move between processes (a re-shard, a rolling redeploy) or a process
restarts. Who may rate which answer lives in the store, so the receiving process must not matter.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from pg_server import pg_schema

from bot.storage import load_records, redact_url

ROOT = Path(__file__).resolve().parents[3]
DRIVER = ROOT / "tests" / "adapters" / "shard_driver.py"
QUESTION = "does IVIG help myasthenia gravis?"
CONDITION = "myasthenia-gravis"
COMMENT = "The 2007 crossover trial is missing"
ASKER, COLLEAGUE, CRITIC = 1_100_000_000_000_000_011, 1_100_000_000_000_000_012, 1_100_000_000_000_000_013
START_SECONDS = 180.0  # a cold start builds the core cache
STEP_SECONDS = 60.0


# --- the two processes ------------------------------------------------------------------------------------


class Step:
    """What one gateway event made a process do: its Discord calls, the feedback ids it committed, its warnings."""

    def __init__(self, line: dict):
        self.calls: list[dict] = line["calls"]
        self.saved: list[int] = line["saved"]
        self.problems: list[str] = line["problems"]

    @property
    def answer(self) -> dict:
        (call,) = [c for c in self.calls if c["kind"] == 4 and not c["ephemeral"]]
        return call

    @property
    def private(self) -> str:
        """The text of the one private reply (ephemeral) the user saw."""
        (text,) = [c["data"].get("content") for c in self.calls if c["ephemeral"] and c["data"].get("content")]
        return text

    @property
    def modal(self) -> dict:
        (form,) = [c["data"] for c in self.calls if c["kind"] == 9]
        return form


class BotProcess:
    """One bot process of the deployment behind the fake gateway (shard_driver.py), spoken to over its pipes."""

    def __init__(self, name: str, env: dict, cwd: Path):
        self.name = name
        self.log = cwd / f"{name}.stderr"
        with open(self.log, "wb") as err:
            self.proc = subprocess.Popen([sys.executable, str(DRIVER)], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=err, env=env, cwd=cwd, text=True)
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read_all, daemon=True).start()
        self.ready: dict | None = None

    def _read_all(self) -> None:
        for line in self.proc.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def _stderr(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""

    def _next(self, timeout: float) -> dict:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"process {self.name} did not answer in {timeout:g} s:\n{self._stderr()}") from None
        if line is None:
            raise AssertionError(f"process {self.name} exited ({self.proc.wait()}):\n{self._stderr()}")
        return json.loads(line)

    def wait_ready(self) -> dict:
        self.ready = self._next(START_SECONDS)["ready"]
        assert self.ready["problems"] == [], f"process {self.name} logged problems: {self.ready['problems']}"
        return self.ready

    def say(self, key: str) -> str:
        return self.ready["texts"][key]

    def send(self, **command) -> Step:
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()
        step = Step(self._next(STEP_SECONDS))
        assert step.problems == [], f"process {self.name} logged problems: {step.problems}"
        return step

    def slash(self, user: int, command: str, **options: str) -> Step:
        return self.send(op="slash", user=user, command=command, options=options)

    def click(self, user: int, custom_id: str, answer: dict) -> Step:
        return self.send(op="click", user=user, custom_id=custom_id, components=answer["data"]["components"],
                         message_id=answer["message_id"])

    def submit(self, user: int, form: dict, text: str) -> Step:
        return self.send(op="submit", user=user, form=form, text=text)

    def quit(self) -> None:
        self.proc.stdin.write(json.dumps({"op": "quit"}) + "\n")
        self.proc.stdin.close()
        status = self.proc.wait(timeout=STEP_SECONDS)
        assert status == 0, f"process {self.name} ended with {status}:\n{self._stderr()}"

    def stop(self) -> None:
        """After a failure: this process only, by its handle."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=STEP_SECONDS)


def deployment_env(**settings: str) -> dict:
    """This machine's environment without its DISCORD_* and IVIG_* settings (a developer's token or database must
    not leak in), plus the deployment's settings; the test session's core cache is kept."""
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(("DISCORD_", "IVIG_"))}
    if os.environ.get("IVIG_CACHE_DIR"):
        env["IVIG_CACHE_DIR"] = os.environ["IVIG_CACHE_DIR"]
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(settings)
    return env


@pytest.fixture
def start_processes(tmp_path):
    """start(env_a, env_b) -> two bot processes, started together and ready; stopped after the test whatever
    happens."""
    started: list[BotProcess] = []

    def start(env_a: dict, env_b: dict) -> tuple[BotProcess, BotProcess]:
        pair = (BotProcess("A", env_a, tmp_path), BotProcess("B", env_b, tmp_path))
        started.extend(pair)
        for process in pair:
            process.wait_ready()
        return pair

    yield start
    for process in started:
        process.stop()


# --- the scenario, on either backend ------------------------------------------------------------------------


def rating_ids(answer: dict) -> dict[str, str]:
    """"good"/"bad" -> the custom id of that button under the answer."""
    ids = [b["custom_id"] for row in answer["data"]["components"] for b in row["components"]]
    return {cid.split(":")[2]: cid for cid in ids if cid.startswith("ivig:rate:")}


def rate_across_processes(a: BotProcess, b: BotProcess) -> list[int]:
    """A answers and its asker presses 👍; B takes a colleague's 👍 on A's answer and refuses the asker's second
    press; a 👎 form opened in A is submitted in B (and a second submission of it, in A, is refused). The ids of
    every feedback record either process committed."""
    for process, shard in ((a, 0), (b, 1)):
        assert process.ready["bot"] == "ShardedIvigBot" and process.ready["state"] == "AutoShardedConnectionState"
        assert process.ready["shard_count"] == 2 and process.ready["shard_ids"] == [shard]

    answer = a.slash(ASKER, "ivig", question=QUESTION).answer
    ids = rating_ids(answer)
    assert set(ids) == {"good", "bad"}

    up = a.click(ASKER, ids["good"], answer)
    assert up.private == a.say("feedback_saved_short") and len(up.saved) == 1

    colleague = b.click(COLLEAGUE, ids["good"], answer)  # B never saw this answer: the store knows it
    assert colleague.private == b.say("feedback_saved_short") and len(colleague.saved) == 1

    again = b.click(ASKER, ids["good"], answer)  # rated in A: B knows from the store
    assert again.private == b.say("feedback_already") and again.saved == []

    opened = a.click(CRITIC, ids["bad"], answer)
    form = opened.modal
    assert opened.saved == [] and form["custom_id"].startswith("ivig:comment:")

    submitted = b.submit(CRITIC, form, COMMENT)  # no form object waits in B: the store has the open form
    assert submitted.private == b.say("feedback_saved_short") and len(submitted.saved) == 1

    twice = a.submit(CRITIC, form, COMMENT)  # A's form object still waits; the store says it was answered
    assert twice.private == a.say("feedback_already") and twice.saved == []

    a.quit()
    b.quit()
    return up.saved + colleague.saved + submitted.saved


def report_json(env: dict, cwd: Path) -> dict:
    """`ivig-chat report --format json`, run as its own process with the deployment's settings."""
    done = subprocess.run([sys.executable, "-m", "bot.cli", "report", "--format", "json"], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=START_SECONDS)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def assert_report_holds_exactly(report: dict, saved: list[int], data_dir: Path, database_url: str | None) -> None:
    records = load_records(data_dir, database_url).feedback
    assert sorted(r["id"] for r in records) == sorted(saved)  # every acknowledged record, and nothing else
    assert all(r["adapter"] == "discord" and r["question"] == QUESTION and r["condition_ids"] == [CONDITION]
               and r["answer_kind"] == "answer" for r in records)
    assert sorted((r["rating"], r["comment"]) for r in records) == [("bad", COMMENT), ("good", None),
                                                                     ("good", None)]
    assert len({r["user_hash"] for r in records}) == 3  # one pseudonym per clinician, whichever process saved

    assert report["totals"]["feedback"] == 3 and report["totals"]["good"] == 2 and report["totals"]["bad"] == 1
    (entry,) = report["feedback"]
    assert entry["condition"]["id"] == CONDITION and (entry["good"], entry["bad"]) == (2, 1)
    (comment,) = entry["comments"]
    assert (comment["rating"], comment["comment"], comment["question"], comment["adapter"]) == (
        "bad", COMMENT, QUESTION, "discord")
    assert entry["bad_questions"] == []  # the one 👎 is listed with its comment


def test_two_shard_processes_on_one_postgresql_feed_one_report(pg_url, start_processes, tmp_path):
    with pg_schema(pg_url) as url:
        # Two machines: each process its own data folder; the shared state is the database's alone.
        env_a = deployment_env(DISCORD_SHARD_COUNT="2", DISCORD_SHARD_IDS="0", IVIG_DATABASE_URL=url,
                               IVIG_DATA_DIR=str(tmp_path / "machine-a"))
        env_b = deployment_env(DISCORD_SHARD_COUNT="2", DISCORD_SHARD_IDS="1", IVIG_DATABASE_URL=url,
                               IVIG_DATA_DIR=str(tmp_path / "machine-b"))
        saved = rate_across_processes(*start_processes(env_a, env_b))

        curator = tmp_path / "curator"
        report = report_json(deployment_env(IVIG_DATABASE_URL=url, IVIG_DATA_DIR=str(curator)), tmp_path)
        assert report["source"] == redact_url(url)
        assert_report_holds_exactly(report, saved, curator, url)
        assert not (tmp_path / "machine-a" / "ivig-chat.sqlite3").exists()  # nothing went to a local SQLite


def test_two_shard_processes_on_one_sqlite_data_folder_feed_one_report(start_processes, tmp_path):
    data = tmp_path / "data"
    env_a = deployment_env(DISCORD_SHARD_COUNT="2", DISCORD_SHARD_IDS="0", IVIG_DATA_DIR=str(data))
    env_b = deployment_env(DISCORD_SHARD_COUNT="2", DISCORD_SHARD_IDS="1", IVIG_DATA_DIR=str(data))
    saved = rate_across_processes(*start_processes(env_a, env_b))

    report = report_json(deployment_env(IVIG_DATA_DIR=str(data)), tmp_path)
    assert Path(report["source"]).parent == data
    assert_report_holds_exactly(report, saved, data, None)
