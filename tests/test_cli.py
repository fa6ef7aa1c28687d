"""The command line: REPL through streams, --ask, the JSON contract, data errors, any working directory."""

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.paths import knowledge_dir


def run(argv, stdin_text=""):
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdin=io.StringIO(stdin_text), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_repl_answers_line_by_line_with_clean_output():
    code, out, err = run([], "does ivig help myastenia gravis?\n/quit\nnever read\n")
    assert code == 0 and err == ""
    assert out.startswith("Myasthenia gravis\n")
    assert "\x1b[" not in out  # no terminal escape codes when not on a terminal
    assert "never read" not in out


def test_repl_commands_and_eof():
    code, out, _ = run([], "/help\n/list neurology\n/sources\n/about\n/nope\n")
    assert code == 0
    assert "Commands:" in out
    assert "Neurology (" in out and "Dermatology (" not in out
    assert "References" in out
    assert "not medical advice" in out
    assert "Unknown command /nope" in out


@pytest.mark.parametrize("argument", ["not_recommended", "not recommended", "advised against"])
def test_repl_list_by_direction(argument):
    _, out, _ = run([], f"/list {argument}\n")
    assert "advises against IVIG" in out and "no specialty" not in out


def test_repl_list_by_mixed_results_filters_by_direction_not_specialty(core):
    """The drift bug: `/list mixed results` said there was no such specialty and listed everything."""
    _, out, _ = run([], "/list mixed results\n")
    assert "no specialty called" not in out and "reports mixed results" in out
    assert out.count("• ") < len(core.kb.conditions)


def test_repl_number_picks_a_did_you_mean_suggestion():
    _, out, _ = run([], "AD\n2\n")
    assert "Did you mean" in out and "type its number" in " ".join(out.split())
    assert "Atopic dermatitis\n" in out and "Details: type /more." in out


def test_ask_once():
    code, out, _ = run(["--ask", "IVIG for CIDP?"])
    assert code == 0 and out.startswith("Chronic inflammatory demyelinating polyneuropathy\n")


def test_ask_json_prints_one_object_with_the_contract_fields():
    code, out, _ = run(["--ask", "IVIG for MG", "--json"])
    assert code == 0
    (line,) = out.splitlines()
    check_contract(json.loads(line))


def check_contract(obj):
    assert isinstance(obj["question"], str) and isinstance(obj["intent"], str) and isinstance(obj["kind"], str)
    assert isinstance(obj["text"], str)
    for key in ("conditions", "suggestions"):
        for item in obj[key]:
            assert isinstance(item["id"], str) and isinstance(item["name"], str)
            assert isinstance(item["score"], float)
    for c in obj["citations"]:
        assert isinstance(c["key"], str) and isinstance(c["verified"], bool)
        for field in ("first_author", "pmid", "doi", "url"):
            assert c[field] is None or isinstance(c[field], str)
        assert c["year"] is None or isinstance(c["year"], int)


def test_json_mode_writes_exactly_one_object_per_input_line():
    lines = ["does ivig help myastenia gravis?", "", "the mg of ivig per kg", "AD", "hello", "\x00\u202e", "list"]
    code, out, _ = run(["--json"], "\n".join(lines) + "\n")
    assert code == 0
    objects = [json.loads(line) for line in out.splitlines()]
    assert [o["question"] for o in objects] == lines
    for obj in objects:
        check_contract(obj)
    assert objects[0]["conditions"][0]["id"] == "myasthenia-gravis"
    assert objects[1]["kind"] == "empty"
    assert objects[2]["conditions"] == []
    assert objects[3]["kind"] == "clarify" and objects[3]["suggestions"]


def test_invalid_knowledge_exits_2_with_one_line_per_problem(tmp_path):
    broken = tmp_path / "knowledge"
    shutil.copytree(knowledge_dir(), broken)
    (broken / "conditions" / "myasthenia-gravis.yaml").write_text("id: [\n", encoding="utf-8")
    (broken / "conditions" / "scleromyxedema.yaml").write_text("- a list\n", encoding="utf-8")
    code, out, err = run(["--knowledge", str(broken), "--ask", "MG"])
    assert code == 2 and out == ""
    assert "Traceback" not in err
    assert "myasthenia-gravis.yaml" in err and "scleromyxedema.yaml" in err


def test_sync_commands_without_discord_is_a_usage_error():
    code, _, err = run(["--sync-commands"])
    assert code == 2 and "--discord" in err


def _installed_script() -> str | None:
    candidate = Path(sys.executable).parent / "ivig-chat"
    return str(candidate) if candidate.exists() else shutil.which("ivig-chat")


@pytest.mark.skipif(_installed_script() is None, reason="ivig-chat is not installed in this environment")
def test_installed_command_works_from_any_directory_without_importing_discord(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [_installed_script(), "--ask", "pyoderma gangrenosum", "--json"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, env=env,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["conditions"][0]["id"] == "pyoderma-gangrenosum"
    probe = subprocess.run(
        [sys.executable, "-c", "import sys, bot.cli; bot.cli.main(['--ask', 'MG']); print('discord' in sys.modules)"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, env=env,
    )
    assert probe.stdout.strip().endswith("False")


def test_json_stream_keeps_conversation_context():
    _, out, _ = run(["--json"], "myasthenia gravis\nhow many patients?\n")
    first, second = (json.loads(line) for line in out.splitlines())
    assert second["intent"] == "follow_up"
    assert [c["id"] for c in second["conditions"]] == ["myasthenia-gravis"]


def test_repl_follow_up():
    _, out, _ = run([], "myasthenia gravis\nhow many patients?\n")
    assert "Patient numbers for Myasthenia gravis: 51 patients" in out
    assert out.count("References") == 0  # the counts and nothing else


# --- feedback, the unanswered log, curator commands (issue 5) -------------------------------------------


from bot.storage import DB_NAME, Store  # noqa: E402


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    """Every test here records into its own folder, never the user's real data folder."""
    folder = tmp_path / "ivig-data"
    monkeypatch.setenv("IVIG_DATA_DIR", str(folder))
    monkeypatch.delenv("IVIG_LOG_UNANSWERED", raising=False)
    return folder


def stored(folder):
    if not (folder / DB_NAME).exists():
        return [], []
    with Store(folder) as store:
        return store.unanswered(), store.feedback()


def test_repl_good_and_bad_rate_the_last_answer(data_dir):
    code, out, err = run([], "IVIG for CIDP?\n/good\nAD\n2\n/bad   the  trial is missing \n")
    assert code == 0 and err == ""
    assert "Thanks, your feedback is saved: good, about “IVIG for CIDP?”." in out
    assert "Thanks, your feedback is saved: bad (“the trial is missing”), about “AD -> 2 (Atopic dermatitis)”." in out
    unanswered, feedback = stored(data_dir)
    good, bad = feedback
    assert good["condition_ids"] == ["chronic-inflammatory-demyelinating-polyneuropathy"]
    assert good["answer_kind"] == "answer" and good["adapter"] == "repl" and good["comment"] is None
    assert bad["condition_ids"] == ["atopic-dermatitis"] and bad["comment"] == "the trial is missing"
    assert good["knowledge_version"] == bad["knowledge_version"] and len(good["knowledge_version"]) == 12
    assert good["user_hash"] and good["user_hash"] == bad["user_hash"]
    assert [(r["question"], r["answer_kind"]) for r in unanswered] == [("AD", "clarify")]


def test_repl_feedback_before_any_answer(data_dir):
    code, out, err = run([], "/good\n/BAD nothing to rate\n\n/bad\n")
    assert code == 0 and err == ""
    assert out.count("There is no answer to rate yet.") == 3
    assert "Unknown command" not in out
    assert not data_dir.exists()  # nothing recorded, nothing created


def test_repl_logs_not_found_and_clarify(data_dir):
    run([], "ivig for psoriasis\nmyasthenia gravis\nITP\n/help\n")
    unanswered, feedback = stored(data_dir)
    assert [(r["question"], r["answer_kind"], r["adapter"]) for r in unanswered] == [
        ("ivig for psoriasis", "not_found", "repl"), ("ITP", "clarify", "repl")]
    assert feedback == []


@pytest.mark.parametrize("argv, env", [(["--no-log"], None), ([], "0")])
def test_the_unanswered_log_can_be_turned_off(data_dir, monkeypatch, argv, env):
    if env is not None:
        monkeypatch.setenv("IVIG_LOG_UNANSWERED", env)
    run(argv, "ivig for psoriasis\n")
    run(argv + ["--json"], "AD\n")
    assert not data_dir.exists()
    run(argv, "ivig for psoriasis\n/bad not covered\n")  # feedback is explicit: still saved
    unanswered, feedback = stored(data_dir)
    assert unanswered == [] and [f["comment"] for f in feedback] == ["not covered"]


def test_data_dir_option(tmp_path, data_dir):
    other = tmp_path / "elsewhere"
    run(["--data-dir", str(other)], "ivig for psoriasis\n/good\n")
    assert stored(other)[0] and stored(other)[1]
    assert not data_dir.exists()


def test_json_stream_logs_unanswered_and_takes_feedback(data_dir):
    code, out, _ = run(["--json"], "/good\nivig for psoriasis\nAD\n/bad  wrong \nmyasthenia gravis\n\n/good\n")
    objects = [json.loads(line) for line in out.splitlines()]
    assert len(objects) == 7
    for obj in objects:
        check_contract(obj)
    first, bad, good = objects[0], objects[3], objects[6]
    assert first["kind"] == "feedback" and first["feedback"]["saved"] is False
    assert "no answer to rate" in first["text"]
    assert bad["kind"] == "feedback" and bad["feedback"] == {
        "saved": True, "id": bad["feedback"]["id"], "rating": "bad", "comment": "wrong", "about": "AD"}
    assert good["feedback"]["saved"] and good["feedback"]["about"] == "myasthenia gravis"  # the empty line is skipped
    unanswered, feedback = stored(data_dir)
    assert [(r["question"], r["adapter"]) for r in unanswered] == [("ivig for psoriasis", "json"), ("AD", "json")]
    assert [(f["rating"], f["answer_kind"], f["adapter"]) for f in feedback] == [
        ("bad", "clarify", "json"), ("good", "answer", "json")]
    assert feedback[0]["suggestion_ids"] == ["alzheimer-disease", "atopic-dermatitis"]


def test_ask_logs_an_unanswered_question(data_dir):
    code, out, _ = run(["--ask", "ivig for psoriasis", "--json"])
    assert code == 0 and json.loads(out)["kind"] == "not_found"
    assert [r["adapter"] for r in stored(data_dir)[0]] == ["ask"]


def test_report_command(data_dir):
    # "ivig for pyoderma" with no word telling the ulcer asks "did you mean pyoderma gangrenosum?": logged under it.
    # Asked again right after, the same words would pick the offer, so another question stands between.
    run([], "ivig for pyoderma ulcers\nmyasthenia gravis\nivig for pyoderma ulcers\n/bad no dosing\n")
    code, out, err = run(["report"])
    assert code == 0 and err == ""
    assert out.startswith("# ivig-chat curator report")
    assert "### Pyoderma gangrenosum: 2" in out and "no dosing" in out
    code, out, _ = run(["report", "--format", "json", "--stale-days", "0", "--top", "1"])
    report = json.loads(out)
    assert report["totals"]["unanswered"] == 2 and report["totals"]["bad"] == 1
    assert report["unanswered"][0]["conditions"][0]["id"] == "pyoderma-gangrenosum"


def test_report_without_data_creates_nothing(data_dir):
    code, out, _ = run(["report"])
    assert code == 0 and "None recorded." in out
    assert not data_dir.exists()


def test_report_on_a_broken_database_exits_2(data_dir):
    data_dir.mkdir()
    (data_dir / DB_NAME).write_bytes(b"garbage" * 200)
    code, out, err = run(["report"])
    assert code == 2 and out == "" and DB_NAME in err and "Traceback" not in err


def test_kb_check_command_on_the_shipped_base():
    code, out, _ = run(["kb", "check"])
    assert code == 0 and out.rstrip().endswith("OK")


def test_subcommands_do_not_mix_with_answer_modes():
    code, _, err = run(["--ask", "MG", "report"])
    assert code == 2 and "report" in err
    with pytest.raises(SystemExit) as exit_info:
        main(["kb"], stdin=io.StringIO(), stdout=io.StringIO(), stderr=io.StringIO())
    assert exit_info.value.code == 2


def test_data_path_and_delete(data_dir):
    assert run(["data", "path"])[1].strip() == str(data_dir)
    run([], "ivig for psoriasis\n/good\n")
    assert (data_dir / DB_NAME).exists()
    code, _, err = run(["data", "delete"])  # not a terminal: needs --yes
    assert code == 2 and "--yes" in err and (data_dir / DB_NAME).exists()
    code, out, _ = run(["data", "delete", "--yes"])
    assert code == 0 and "Deleted" in out
    assert not data_dir.exists()
    assert "Nothing to delete" in run(["data", "delete", "--yes"])[1]


def test_storage_is_not_imported_by_importing_the_cli():
    probe = subprocess.run(
        [sys.executable, "-c", "import sys, bot.cli; print('sqlite3' in sys.modules, 'discord' in sys.modules)"],
        capture_output=True, text=True, timeout=60, cwd=Path(__file__).resolve().parent.parent,
    )
    assert probe.stdout.split() == ["False", "False"], probe.stderr


def test_a_start_from_the_cached_core_answers_as_a_fresh_build(tmp_path, monkeypatch):
    """bot.startup keeps the built core between runs; a second run answers exactly as the first, and a damaged
    cache entry is rebuilt, never trusted."""
    monkeypatch.setenv("IVIG_CACHE_DIR", str(tmp_path / "cache"))
    first = run(["--ask", "myastenia gravis", "--json"])[1]
    (entry,) = (tmp_path / "cache").glob("core-*.pickle")
    assert run(["--ask", "myastenia gravis", "--json"])[1] == first
    entry.write_bytes(b"not a pickle")
    assert run(["--ask", "myastenia gravis", "--json"])[1] == first
    monkeypatch.setenv("IVIG_CACHE_DIR", "off")
    assert run(["--ask", "myastenia gravis", "--json"])[1] == first


def test_ask_reads_invalid_utf8_and_json_lines_stay_valid_utf8():
    import subprocess

    script = Path(sys.executable).parent / "ivig-chat"
    if not script.exists():
        pytest.skip("ivig-chat is not installed in this environment")
    result = subprocess.run([str(script), "--json"], input=b"myasthenia gravis\nbad \xff\xfe bytes\nline\xe2\x80\xa8sep\n",
                            capture_output=True, timeout=60, env={**os.environ, "LC_ALL": "C"})
    lines = result.stdout.split(b"\n")[:-1]
    assert result.returncode == 0 and len(lines) == 3
    objects = [json.loads(line.decode("utf-8")) for line in lines]
    assert objects[1]["undecodable_sequences"] >= 1 and "\ufffd" in objects[1]["question"]
    assert "\u2028" not in lines[2].decode("utf-8")


def test_a_broken_pipe_and_ctrl_c_end_quietly():
    import signal
    import subprocess

    script = Path(sys.executable).parent / "ivig-chat"
    if not script.exists():
        pytest.skip("ivig-chat is not installed in this environment")
    piped = subprocess.run(f"yes 'myasthenia gravis' | head -3000 | {script} --json | head -1", shell=True,
                           capture_output=True, timeout=120)
    assert piped.returncode == 0 and b"Traceback" not in piped.stderr and piped.stdout.count(b"\n") == 1
    process = subprocess.Popen([str(script), "--json"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    process.stdin.write(b"myasthenia gravis\n")
    process.stdin.flush()
    process.stdout.readline()
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=60)
    assert b"Traceback" not in err and process.returncode in (0, 130)


def test_a_typed_superscript_digit_is_a_question_not_a_crash():
    code, out, err = run([], "²\n")
    assert code == 0 and "Sorry" not in out and "ValueError" not in out
