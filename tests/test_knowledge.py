"""The knowledge base: the shipped data validates, and broken data is refused with file-and-field messages."""

import shutil
import textwrap
from pathlib import Path

import pytest
import yaml

from bot.knowledge import DataError, load_knowledge
from bot.paths import knowledge_dir

SEED_IDS = {
    "systemic-capillary-leak-syndrome",
    "miller-fisher-syndrome",
    "scleromyxedema",
    "myasthenia-gravis",
    "pyoderma-gangrenosum",
    "atopic-dermatitis",
    "pityriasis-rubra-pilaris",
    "febrile-ulceronecrotic-mucha-habermann-disease",
    "eosinophilic-granulomatosis-with-polyangiitis",
}


@pytest.fixture(scope="module")
def kb():
    return load_knowledge()


REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"


def facts_items() -> list[dict]:
    import yaml

    items = []
    for path in sorted(REFERENCE.glob("ivig-evidence-facts*.yaml")):
        items.extend(yaml.safe_load(path.read_text(encoding="utf-8")))
    return items


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="../shared/reference is not beside this checkout")
def test_shipped_knowledge_holds_every_condition_and_finding_of_the_facts(kb):
    items = facts_items()
    assert len(kb.conditions) == len(items)
    assert sum(len(c.findings) for c in kb.conditions.values()) == sum(len(item["findings"]) for item in items)


def test_seed_conditions_have_their_fixed_ids(kb):
    assert SEED_IDS <= set(kb.conditions)


def test_every_reference_key_resolves_and_every_reference_is_used(kb):
    used = {key for c in kb.conditions.values() for f in c.findings for key in f.references}
    assert used <= set(kb.references)
    assert set(kb.references) - used == set()


def test_every_condition_has_a_specialty_and_summary(kb):
    for cond in kb.conditions.values():
        assert cond.specialty and cond.evidence_summary.strip()


@pytest.fixture
def kb_copy(tmp_path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(knowledge_dir(), target)
    return target


def write(path: Path, text: str) -> None:
    path.write_text(textwrap.dedent(text), encoding="utf-8")


MINIMAL = """\
    schema_version: 1
    id: {id}
    name: {name}
    specialty: neurology
    last_reviewed: 2026-11-25
    evidence_summary: A test entry with one finding.
    synonyms: [{synonym}]
    findings:
      - statement: A finding written for the test.
        direction: effective
        design: cohort
        references: [{ref}]
"""


def problems_for(directory: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_knowledge(directory)
    return caught.value.problems


def test_malformed_yaml_names_the_file_and_line(kb_copy):
    (kb_copy / "conditions" / "myasthenia-gravis.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    problems = problems_for(kb_copy)
    assert any("myasthenia-gravis.yaml: is not valid YAML at line" in p for p in problems)


def test_wrong_type_names_the_field(kb_copy):
    path = kb_copy / "conditions" / "myasthenia-gravis.yaml"
    path.write_text(path.read_text().replace("patients: 51", "patients: many", 1), encoding="utf-8")
    problems = problems_for(kb_copy)
    assert any("myasthenia-gravis.yaml: findings[0].patients:" in p for p in problems)


def test_unknown_direction_is_refused(kb_copy):
    path = kb_copy / "conditions" / "myasthenia-gravis.yaml"
    path.write_text(path.read_text().replace("direction: mixed", "direction: great", 1), encoding="utf-8")
    assert any(".direction:" in p for p in problems_for(kb_copy))


def test_unresolved_reference_is_refused(kb_copy):
    write(kb_copy / "conditions" / "test-entry.yaml",
          MINIMAL.format(id="test-entry", name="Test entry", synonym="testing entry", ref="no-such-key"))
    assert any("test-entry.yaml: findings[0].references: unknown reference key 'no-such-key'" in p
               for p in problems_for(kb_copy))


def test_duplicate_id_is_refused(kb_copy):
    write(kb_copy / "conditions" / "zz-copy.yaml",
          MINIMAL.format(id="myasthenia-gravis", name="Other", synonym="other thing", ref="zinman-2007"))
    assert any("id: 'myasthenia-gravis' is already used" in p for p in problems_for(kb_copy))


def test_alias_claimed_by_two_conditions_is_refused(kb_copy):
    write(kb_copy / "conditions" / "test-entry.yaml",
          MINIMAL.format(id="test-entry", name="Test entry", synonym="myasthenia", ref="zinman-2007"))
    problems = problems_for(kb_copy)
    assert any("test-entry.yaml: synonyms: 'myasthenia' is also claimed by myasthenia-gravis" in p for p in problems)


def test_empty_findings_are_refused(kb_copy):
    write(kb_copy / "conditions" / "test-entry.yaml", """\
        schema_version: 1
        id: test-entry
        name: Test entry
        specialty: neurology
        last_reviewed: 2026-11-25
        evidence_summary: A test entry with no finding.
        findings: []
    """)
    assert any("test-entry.yaml: findings:" in p for p in problems_for(kb_copy))


def test_unknown_field_is_refused(kb_copy):
    path = kb_copy / "conditions" / "myasthenia-gravis.yaml"
    path.write_text(path.read_text() + "favourite_colour: blue\n", encoding="utf-8")
    assert any("myasthenia-gravis.yaml: favourite_colour:" in p for p in problems_for(kb_copy))


def test_missing_references_file_and_empty_folder(kb_copy, tmp_path):
    shutil.rmtree(kb_copy / "references")
    assert any("references: folder not found" in p for p in problems_for(kb_copy))
    empty = tmp_path / "empty"
    (empty / "conditions").mkdir(parents=True)
    assert any("no condition files" in p for p in problems_for(empty))


def test_all_problems_are_reported_at_once_and_nothing_is_half_loaded(kb_copy):
    (kb_copy / "conditions" / "scleromyxedema.yaml").write_text("- just a list\n", encoding="utf-8")
    (kb_copy / "conditions" / "myasthenia-gravis.yaml").write_text("id: [\n", encoding="utf-8")
    problems = problems_for(kb_copy)
    assert any("scleromyxedema.yaml" in p for p in problems)
    assert any("myasthenia-gravis.yaml" in p for p in problems)


def test_unreadable_condition_file_is_named(kb_copy):
    (kb_copy / "conditions" / "broken.yaml").mkdir()  # a folder where a file should be: cannot be read
    assert any("broken.yaml: is not a regular file" in p for p in problems_for(kb_copy))


def test_missing_conditions_folder(tmp_path):
    assert any("folder not found" in p for p in problems_for(tmp_path))


def test_non_utf8_file_is_named(kb_copy):
    (kb_copy / "conditions" / "myasthenia-gravis.yaml").write_bytes(b"id: \xff\xfe bad\n")
    assert any("myasthenia-gravis.yaml: is not UTF-8 text" in p for p in problems_for(kb_copy))


def test_empty_file_is_named(kb_copy):
    (kb_copy / "conditions" / "myasthenia-gravis.yaml").write_text("", encoding="utf-8")
    assert any("myasthenia-gravis.yaml: is empty" in p for p in problems_for(kb_copy))


def test_file_name_must_match_id(kb_copy):
    source = kb_copy / "conditions" / "myasthenia-gravis.yaml"
    source.rename(kb_copy / "conditions" / "mg.yaml")
    assert any("mg.yaml: id: 'myasthenia-gravis' does not match the file name" in p for p in problems_for(kb_copy))


def test_a_reference_key_defined_in_two_files_names_both(kb_copy):
    first = kb_copy / "references" / "sets-1-2.yaml"
    key = next(iter(load_knowledge(kb_copy).references))
    write(kb_copy / "references" / "zz-extra.yaml", f"""\
        schema_version: 1
        references:
          {key}:
            verified: false
        """)
    problems = problems_for(kb_copy)
    assert any(f"zz-extra.yaml: references.{key}: already defined in" in p and "references/" in p for p in problems)
    assert first.exists()


@pytest.mark.parametrize("finding, problem", [
    ("direction: effective, design: payer coverage position", "never stronger than 'unproven'"),
    ("direction: not_effective, design: randomized controlled trial, comparator: {kind: active}",
     "an active comparator names its treatment"),
    ("direction: not_effective, design: randomized controlled trial, comparator: {kind: placebo, treatment: saline}",
     "only for kind 'active'"),
])
def test_finding_rules_are_enforced(kb_copy, finding, problem):
    write(kb_copy / "conditions" / "test-condition.yaml", """\
        schema_version: 1
        id: test-condition
        name: Test condition
        specialty: neurology
        last_reviewed: 2026-11-25
        evidence_summary: A test entry with one finding.
        findings:
          - {statement: A finding written for the test., %s, references: [patwa-2012]}
        """ % finding)
    assert any("test-condition.yaml: findings[0]" in p and problem in p for p in problems_for(kb_copy))


def test_thin_evidence_must_say_why(kb_copy):
    write(kb_copy / "conditions" / "test-condition.yaml", """\
        schema_version: 1
        id: test-condition
        name: Test condition
        specialty: neurology
        last_reviewed: 2026-11-25
        evidence_summary: A test entry with one finding.
        findings:
          - statement: One patient improved, the report says.
            direction: possibly_effective
            design: case report
            references: [patwa-2012]
        """)
    assert any("test-condition.yaml: (top level)" in p and "evidence_basis" in p for p in problems_for(kb_copy))


def test_part_of_names_another_condition(kb_copy):
    path = kb_copy / "conditions" / "myasthenia-gravis.yaml"
    text = path.read_text()
    path.write_text(text.replace("\nfindings:", "\npart_of: [no-such-condition, myasthenia-gravis]\nfindings:", 1),
                    encoding="utf-8")
    problems = problems_for(kb_copy)
    assert any("myasthenia-gravis.yaml: part_of: 'no-such-condition' is no condition's id" in p for p in problems)
    assert any("myasthenia-gravis.yaml: part_of: 'myasthenia-gravis' is this condition itself" in p for p in problems)


def test_follows_names_another_condition(kb_copy):
    path = kb_copy / "conditions" / "long-covid.yaml"
    path.write_text(path.read_text().replace("condition: covid-19", "condition: covid-91", 1), encoding="utf-8")
    assert any("long-covid.yaml: follows: 'covid-91' is no condition's id" in p for p in problems_for(kb_copy))


def test_follows_needs_the_words_that_tell_it(kb_copy):
    path = kb_copy / "conditions" / "long-covid.yaml"
    text = path.read_text()
    start = text.index("  told_by:")
    path.write_text(text[:start] + "  told_by: []\n" + text[text.index("ontology:"):], encoding="utf-8")
    assert any("long-covid.yaml" in p and "follows.told_by" in p for p in problems_for(kb_copy))


# --- memory: what the loaded conditions share ------------------------------------------------------------------------


def test_models_given_the_same_fields_share_one_record_of_them(kb):
    """pydantic's record of the fields each model was given (a set per model, 120 MB at 100,000 conditions) is shared
    by the models given the same fields, and each still says exactly what its own input gave."""
    conditions = list(kb.conditions.values())
    assert len({id(c.__pydantic_fields_set__) for c in conditions}) < len(conditions) / 4
    findings = [f for c in conditions for f in c.findings]
    assert len({id(f.__pydantic_fields_set__) for f in findings}) < len(findings) / 4
    raw = yaml.safe_load(kb.files["kawasaki-disease"].read_text(encoding="utf-8"))
    kawasaki = kb.conditions["kawasaki-disease"]
    assert kawasaki.model_fields_set == set(raw)
    assert [f.model_fields_set for f in kawasaki.findings] == [set(f) for f in raw["findings"]]


def test_a_copy_with_a_change_records_it_and_leaves_the_shared_record_alone(kb):
    conditions = list(kb.conditions.values())
    sharing = [c for c in conditions if c.__pydantic_fields_set__ is conditions[0].__pydantic_fields_set__]
    before = set(conditions[0].model_fields_set)
    changed = sharing[0].model_copy(update={"headline": "A headline for this test only."})
    assert "headline" in changed.model_fields_set
    assert all(c.model_fields_set == before for c in sharing)


def test_empty_lists_of_a_condition_are_the_one_shared_empty_tuple(kb):
    """A list per empty field was 5 MB more at 100,000 conditions, for each such field; so was an Ontology each."""
    from bot.schema import NO_ONTOLOGY, Condition

    empty = tuple()
    conditions = list(kb.conditions.values())
    empties = [c.never_match for c in conditions if not c.never_match]
    assert empties and all(e is empty for e in empties)
    data = yaml.safe_load(kb.files["kawasaki-disease"].read_text(encoding="utf-8"))
    data.pop("ontology", None)
    assert Condition.model_validate(data).ontology is NO_ONTOLOGY
