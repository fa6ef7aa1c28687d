"""What keeps the chat service fast without changing an answer: a bounded conversation store, details built only
when read, and an `--ask` that neither builds the autocomplete index nor imports storage."""

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.adapters.collecting import COMMANDS
from bot.app import LazyRecorder, make_service
from bot.core import collector_paused
from bot.conversation import ConversationState, Conversations
from bot.models import Question
from bot.present import pages_text, present
from bot.settings import DEFAULT_MAX_CONVERSATIONS, Settings

ROOT = Path(__file__).resolve().parent.parent


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


# --- the conversation store ----------------------------------------------------------------------------------------


def test_the_store_never_holds_more_than_its_cap():
    store = Conversations(idle_seconds=600, clock=Clock(), max_conversations=3)
    for key in range(10):
        store.put(key, ConversationState(condition_ids=(str(key),)))
    assert len(store) == 3
    assert store.get(0).condition_ids == () and store.get(9).condition_ids == ("9",)


def test_idle_conversations_are_dropped_as_new_ones_arrive():
    clock = Clock()
    store = Conversations(idle_seconds=60, clock=clock, max_conversations=1000)
    for key in range(5):
        store.put(key, ConversationState(condition_ids=("x",)))
    clock.now = 30
    store.put("fresh", ConversationState())
    assert len(store) == 6  # nobody idle yet
    clock.now = 61
    store.put("later", ConversationState())
    assert len(store) == 2  # the five from time 0 went idle; "fresh" (time 30) and "later" stay
    assert store.get("fresh") is not None and store.get(0).condition_ids == ()


def test_a_conversation_kept_active_is_not_dropped_as_idle():
    clock = Clock()
    store = Conversations(idle_seconds=60, clock=clock, max_conversations=1000)
    store.put("a", ConversationState())
    store.put("b", ConversationState())
    clock.now = 50
    store.put("a", ConversationState(condition_ids=("kept",)))  # "a" spoke again
    clock.now = 100
    store.put("c", ConversationState())
    assert store.get("a").condition_ids == ("kept",) and len(store) == 2  # "b" went idle


def test_the_cap_is_a_setting(core, monkeypatch):
    assert Settings.defaults().ivig_max_conversations == DEFAULT_MAX_CONVERSATIONS
    monkeypatch.setenv("IVIG_MAX_CONVERSATIONS", "2")
    from bot.settings import load_settings

    service = make_service(core, load_settings(), adapter="t", commands=COMMANDS)
    for user in ("a", "b", "c"):
        service.ask(user, "myasthenia gravis")
    assert len(service.conversations) == 2


# --- details built when read -----------------------------------------------------------------------------------------


QUESTIONS = ["myasthenia gravis", "kawasaki disease and ITP in children", "ivig for psoriasis", "ITP",
             "myasthenia gravis, kawasaki disease, pemphigus and CIDP", "how many patients in kawasaki disease?",
             "sources for guillain barre"]


@pytest.mark.parametrize("text", QUESTIONS)
def test_details_read_later_are_the_details_built_at_once(core, text):
    lazy = present(core.answer(Question(text=text)), core.texts, COMMANDS)
    eager = present(core.answer(Question(text=text)), core.texts, COMMANDS)
    eager_details = eager.details  # read at once, as every presentation used to be built
    assert callable(lazy._details) or lazy._details == []  # not built yet
    assert lazy.has_details == bool(eager_details)
    assert pages_text(lazy.details) == pages_text(eager_details) and lazy == eager


def test_only_the_details_asked_for_are_built(core):
    service = make_service(core, Settings.defaults(), adapter="t", commands=COMMANDS)
    reply = service.handle_line("u", "myasthenia gravis")
    assert callable(reply.presentation._details)  # the short answer alone was built
    assert reply.presentation.details and not callable(reply.presentation._details)


# --- --ask start-up --------------------------------------------------------------------------------------------------


def _ask_probe(tmp_path, question):
    code = ("import json, sys, bot.cli; from bot import service as s; built = []; real = s.NameIndex; "
            "s.NameIndex = lambda kb: built.append(1) or real(kb); "
            f"bot.cli.main(['--ask', {question!r}, '--json']); "
            "print(json.dumps({'storage': 'bot.storage' in sys.modules, 'index': bool(built)}))")
    env = {"IVIG_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_ask_neither_builds_the_name_index_nor_imports_storage(tmp_path):
    assert _ask_probe(tmp_path, "ivig for myasthenia gravis") == {"storage": False, "index": False}


def test_ask_imports_storage_when_it_logs_an_unanswered_question(tmp_path):
    assert _ask_probe(tmp_path, "ivig for psoriasis")["storage"] is True
    assert (tmp_path / "data").exists()


def test_the_lazy_recorder_knows_the_kinds_storage_logs():
    from bot.storage.common import UNANSWERED_KINDS

    assert LazyRecorder._UNANSWERED_KINDS == UNANSWERED_KINDS


def test_a_lazy_recorder_closed_unused_opens_nothing(tmp_path):
    recorder = LazyRecorder(Settings.defaults(ivig_data_dir=tmp_path / "data"), print)
    recorder.close()
    assert recorder._recorder is None and not (tmp_path / "data").exists()


# --- parts of answers built once and shared --------------------------------------------------------------------------


def test_answers_sharing_built_parts_show_what_fresh_ones_would(core):
    """Finding views and citations of an answer numbered from [1] are built once and shared by every such answer:
    presenting, dumping and answering other questions change nothing any of them shows."""
    first = core.answer(Question(text="myasthenia gravis"))
    before = first.model_dump(mode="json")
    service = make_service(core, Settings.defaults(), adapter="t", commands=COMMANDS)
    for text in ("myasthenia gravis", "compare GBS, CIDP and myasthenia gravis", "/more", "how many patients?",
                 "sources?", "/next"):
        pages_text(service.handle_line("shared", text).presentation.pages)
    pair = core.answer(Question(text="guillain-barre syndrome and myasthenia gravis"))
    later = next(c for c in pair.conditions if c.id == "myasthenia-gravis")
    assert pair.conditions[0].id != "myasthenia-gravis"  # answered second, so numbered after the first: its own views
    assert [f.citations for f in later.findings] != [f.citations for f in first.conditions[0].findings]
    assert not any(f is g for f in later.findings for g in first.conditions[0].findings)
    again = core.answer(Question(text="myasthenia gravis"))
    assert again.conditions[0].findings[0] is first.conditions[0].findings[0]  # shared, not built again
    assert again.model_dump(mode="json") == before == first.model_dump(mode="json")


# --- the build and the cyclic garbage collector ----------------------------------------------------------------------


@pytest.fixture
def heap_thawed():
    """A heap no one froze, for the length of a test (make_service's `settle_heap` freezes it once per process)."""
    was_frozen = gc.get_freeze_count() > 0
    gc.unfreeze()
    yield
    if was_frozen:
        gc.freeze()


def _in_oldest_generation(objects) -> bool:
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    return all(id(o) in oldest for o in objects)


def test_what_a_build_makes_is_filed_as_old_not_left_young_nor_frozen(heap_thawed):
    """The indexes are filed in the oldest generation at the end of a build, so that no collection of the young
    generations walks them after it; without a process's `settle_heap`, nothing stays frozen (garbage cycles among
    them can still be collected)."""
    assert gc.isenabled()
    with collector_paused():
        built = [[index] for index in range(5000)]
    assert gc.get_freeze_count() == 0
    assert _in_oldest_generation(built[::500])


def test_a_core_built_after_the_heap_was_frozen_is_frozen_too(heap_thawed):
    """A reload after `settle_heap` builds a new core: it joins the frozen heap, out of every collection's way."""
    gc.freeze()
    before = gc.get_freeze_count()
    with collector_paused():
        built = [[index] for index in range(5000)]
    assert gc.get_freeze_count() >= before + len(built)
