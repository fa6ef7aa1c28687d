"""`ivig-chat kb check`: the shipped base passes (CI runs this), broken copies fail with file-and-field lines."""

import datetime as dt
import io
import shutil

import pytest
import yaml

from bot.cli import main
from bot.kb_check import check_knowledge, run
from bot.paths import knowledge_dir

TODAY = dt.date(2026, 11, 25)


def kb_check(*args):
    out, err = io.StringIO(), io.StringIO()
    code = main(["kb", "check", *map(str, args)], stdin=io.StringIO(), stdout=out, stderr=err)
    assert err.getvalue() == ""
    return code, out.getvalue()


@pytest.fixture
def kb(tmp_path):
    copy = tmp_path / "knowledge"
    shutil.copytree(knowledge_dir(), copy)
    return copy


def edit(path, change):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def condition(kb, cid):
    return kb / "conditions" / f"{cid}.yaml"


def test_the_shipped_knowledge_base_is_valid():
    code, out = kb_check()  # the default folder is the shipped one
    assert code == 0
    assert "error:" not in out
    assert out.rstrip().endswith("OK")
    assert f"{len(list((knowledge_dir() / 'conditions').glob('*.yaml')))} conditions" in out
    result = check_knowledge(today=TODAY)
    assert result.errors == [] and result.ok()


def test_an_unchanged_copy_is_valid(kb):
    assert kb_check(kb)[0] == 0


@pytest.mark.parametrize("change, expected", [
    (lambda d: d["findings"][0].update(direction="works"), "myasthenia-gravis.yaml: findings[0].direction: Input should be"),
    (lambda d: d["findings"][1].update(references=["no-such-work"]),
     "myasthenia-gravis.yaml: findings[1].references: unknown reference key 'no-such-work'"),
    (lambda d: d.pop("evidence_summary"), "myasthenia-gravis.yaml: evidence_summary: Field required"),
    (lambda d: d.update(colour="blue"), "myasthenia-gravis.yaml: colour: Extra inputs are not permitted"),
    (lambda d: d.update(id="myasthenia"), "myasthenia-gravis.yaml: id: 'myasthenia' does not match the file name"),
    (lambda d: d["synonyms"].append("Guillain-Barré syndrome"),
     "myasthenia-gravis.yaml: synonyms: 'guillain barre syndrome' is also claimed by guillain-barre-syndrome"),
    (lambda d: d.update(last_reviewed="last week"), "myasthenia-gravis.yaml: last_reviewed: Input should be a valid date"),
])
def test_a_broken_condition_fails_with_file_and_field(kb, change, expected):
    edit(condition(kb, "myasthenia-gravis"), change)
    code, out = kb_check(kb)
    assert code == 1
    assert any(line.startswith("error: ") and expected in line for line in out.splitlines()), out
    assert out.rstrip().endswith("FAILED")


def test_broken_references_file(kb):
    def bad_pmid(data):
        key = next(iter(data["references"]))
        data["references"][key]["pmid"] = "PMID-12"

    edit(kb / "references" / "sets-1-2.yaml", bad_pmid)
    code, out = kb_check(kb)
    assert code == 1 and "sets-1-2.yaml: references." in out and ".pmid: String should match pattern" in out


def test_invalid_yaml_and_missing_files(kb):
    condition(kb, "pemphigus").write_text("id: [\n", encoding="utf-8")
    for path in (kb / "references").iterdir():
        path.unlink()
    code, out = kb_check(kb)
    assert code == 1
    assert "pemphigus.yaml: is not valid YAML at line" in out
    assert "references: no reference files (*.yaml)" in out


def test_a_missing_folder_fails(tmp_path):
    code, out = kb_check(tmp_path / "nowhere")
    assert code == 1 and "nowhere: folder not found" in out


def test_stale_and_future_reviews_are_warnings(kb):
    edit(condition(kb, "kawasaki-disease"), lambda d: d.update(last_reviewed=dt.date(2001, 1, 1)))
    edit(condition(kb, "pemphigus"), lambda d: d.update(last_reviewed=dt.date(2999, 1, 1)))
    code, out = kb_check(kb)
    assert code == 0
    assert "warning: " in out and "kawasaki-disease.yaml: last_reviewed: 2001-01-01 is " in out
    assert "pemphigus.yaml: last_reviewed: 2999-01-01 is in the future" in out
    assert kb_check(kb, "--strict")[0] == 1
    code, out = kb_check(kb, "--stale-days", "100000")
    assert "kawasaki-disease.yaml: last_reviewed" not in out


def test_close_aliases_unused_and_duplicate_references_and_stray_files_are_warnings(kb):
    edit(condition(kb, "lambert-eaton-myasthenic-syndrome"), lambda d: d["synonyms"].append("myasthenia graviss"))

    def extra_references(data):
        data["references"]["never-cited"] = {"title_of_work": "Nobody cites this", "verified": False}
        with_pmid = next(key for key, ref in data["references"].items() if ref.get("pmid"))
        data["references"]["same-work-again"] = {"verified": True, "pmid": data["references"][with_pmid]["pmid"]}

    edit(kb / "references" / "sets-1-2.yaml", extra_references)
    (kb / "conditions" / "notes.txt").write_text("draft", encoding="utf-8")
    result = check_knowledge(kb, today=TODAY)
    assert result.errors == []
    text = "\n".join(result.warnings)
    assert "lambert-eaton-myasthenic-syndrome.yaml: synonyms: 'myasthenia graviss' is close to the name " \
           "'Myasthenia gravis' of myasthenia-gravis" in text
    assert "sets-1-2.yaml: references.never-cited: not cited by any finding" in text
    assert "sets-1-2.yaml: references.same-work-again: not cited by any finding" in text
    assert "sets-1-2.yaml: references.same-work-again.pmid: " in text and "cite one key for one work" in text
    assert "notes.txt: ignored" in text
    out = io.StringIO()
    assert run(kb, out, today=TODAY) == 0 and run(kb, io.StringIO(), today=TODAY, strict=True) == 1
