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
    assert out.startswith("Myasthenia gravis: ")
    assert "\x1b[" not in out  # no terminal escape codes when not on a terminal
    assert "never read" not in out


def test_repl_commands_and_eof():
    code, out, _ = run([], "/help\n/list neurology\n/sources\n/about\n/nope\n")
    assert code == 0
    assert "Commands:" in out
    assert "Neurology:" in out and "Dermatology:" not in out
    assert "References:" in out
    assert "not medical advice" in out
    assert "Unknown command /nope" in out


def test_repl_list_by_direction():
    _, out, _ = run([], "/list not_recommended\n")
    assert "not recommended" in out


def test_repl_number_picks_a_did_you_mean_suggestion():
    _, out, _ = run([], "AD\n2\n")
    assert "Did you mean" in out and "Type a number to pick." in out
    assert out.count("References:") == 1


def test_ask_once():
    code, out, _ = run(["--ask", "IVIG for CIDP?"])
    assert code == 0 and out.startswith("Chronic inflammatory demyelinating polyneuropathy")


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
    assert "Patient numbers for Myasthenia gravis: 51" in out
