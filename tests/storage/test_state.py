"""Button state in the store, both backends: rateable answers, who rated them, open 👎 comment forms.

Bounded (oldest first), surviving a restart, and atomic across processes."""

import subprocess
import sys
import textwrap
import time

from storage_support import child_env

from bot.storage import AnswerSnapshot

SNAP = AnswerSnapshot("does ivig help mg?", "answer", "evidence", ("myasthenia-gravis",), (), "v1")


def test_a_rateable_answer_survives_a_restart(backend):
    with backend.open() as store:
        assert store.keep_rateable("tok1", SNAP, capacity=10) is True
        assert store.keep_rateable("tok1", SNAP, capacity=10) is False  # taken: the caller draws another token
    with backend.open() as restarted:
        assert restarted.rateable("tok1") == SNAP
        assert restarted.rateable("never") is None


def test_rateable_answers_stay_bounded_oldest_first(backend):
    with backend.open() as store:
        for n in range(10):
            store.keep_rateable(f"t{n}", SNAP, capacity=3)
        assert [store.rateable(f"t{n}") is not None for n in range(10)] == [False] * 7 + [True] * 3
        assert backend.raw("SELECT count(*) FROM rateable")[0][0] == 3


def test_one_rating_per_user_per_answer(backend):
    with backend.open() as store:
        store.keep_rateable("tok", SNAP, capacity=10)
        assert store.rating_claimed("tok", "user-a") is False
        assert store.claim_rating("tok", "user-a") is True
        assert store.rating_claimed("tok", "user-a") is True and store.rating_claimed("tok", "user-b") is False
        assert store.claim_rating("tok", "user-a") is False  # a double click, or a second form
        assert store.claim_rating("tok", "user-b") is True
        store.release_rating("tok", "user-a")  # the save failed: they may try again
        assert store.claim_rating("tok", "user-a") is True
        assert store.claim_rating("gone", "user-a") is False  # an answer never kept (or forgotten) is not rated


def test_forgetting_an_answer_forgets_its_claims(backend):
    with backend.open() as store:
        store.keep_rateable("old", SNAP, capacity=1)
        store.claim_rating("old", "user-a")
        store.keep_rateable("new", SNAP, capacity=1)
        assert store.rateable("old") is None
        assert backend.raw("SELECT count(*) FROM rating_claims")[0][0] == 0


def test_a_comment_form_is_taken_once_by_its_user(backend):
    with backend.open() as store:
        store.open_comment_form("tok", "user-a", capacity=10)
    with backend.open() as other_process:  # submitted after a restart, or to another shard's process
        assert other_process.take_comment_form("tok", "user-b") is False
        assert other_process.take_comment_form("tok", "user-a") is True
        assert other_process.take_comment_form("tok", "user-a") is False


def test_comment_forms_stay_bounded_and_can_expire(backend):
    with backend.open() as store:
        for n in range(5):
            store.open_comment_form(f"t{n}", "user-a", capacity=2)
        assert [store.take_comment_form(f"t{n}", "user-a") for n in range(5)] == [False, False, False, True, True]
        store.open_comment_form("late", "user-a", capacity=2)
        backend.raw("UPDATE comment_forms SET opened_at = ?", (time.time() - 3600,))
        assert store.take_comment_form("late", "user-a", max_age=1800) is False


CLAIMER = textwrap.dedent("""
    import os, sys, time
    from bot.storage import open_store

    url, data, go = sys.argv[1] or None, sys.argv[2], sys.argv[3]
    store = open_store(url, data)
    print("ready", flush=True)
    while not os.path.exists(go):
        time.sleep(0.002)
    print("won" if store.claim_rating("tok", "same-user") else "lost", flush=True)
    store.close()
""")


def test_a_claim_is_atomic_across_processes(backend, tmp_path):
    with backend.open() as store:
        store.keep_rateable("tok", SNAP, capacity=10)
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", CLAIMER, backend.database_url or "", str(backend.data_dir),
                               str(go)], env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(8)]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
    go.touch()
    outcomes = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        outcomes.append(out.strip())
    assert sorted(outcomes) == ["lost"] * 7 + ["won"]
