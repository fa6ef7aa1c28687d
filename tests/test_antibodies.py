"""A question that names no disease but reports an antibody found reads the conditions whose curated `antibodies`
list it: one is answered and the answer says what it rests on, several are offered, a name always decides."""

import pytest
from pydantic import ValidationError

from bot.adapters.terminal import COMMANDS
from bot.models import MatchMethod, Question
from bot.present import page_text, present
from bot.schema import Condition


def _read(core, text: str) -> tuple[str, list[str]]:
    answer = core.answer(Question(text=text))
    ids = answer.conditions if answer.kind.value == "answer" else answer.suggestions
    return answer.kind.value, sorted(c.id for c in ids)


def _owners(core) -> dict[str, set[str]]:
    owners: dict[str, set[str]] = {}
    for cond in core.kb.conditions.values():
        for antibody in cond.antibodies:
            owners.setdefault(antibody, set()).add(cond.id)
    return owners


def test_every_antibody_of_one_condition_answers_it(core):
    owners = {ab: ids for ab, ids in _owners(core).items() if len(ids) == 1}
    assert len(owners) >= 10  # the data lists them; a field nobody fills would make this test empty
    for antibody, ids in owners.items():
        text = f"{antibody} positive - ivig?" if antibody.startswith("anti-") else f"{antibody} antibody positive - ivig?"
        assert _read(core, text) == ("answer", sorted(ids)), text


def test_an_antibody_of_several_conditions_asks_between_them(core):
    shared = {ab: ids for ab, ids in _owners(core).items() if len(ids) > 1}
    assert shared
    for antibody, ids in shared.items():
        assert _read(core, f"{antibody} antibody positive - ivig?") == ("clarify", sorted(ids)), antibody


def test_the_answer_says_it_was_read_from_the_antibody(core, ask):
    answer = ask("SRP antibody positive, CK 15000 - ivig?")
    assert [(c.id, c.method) for c in answer.conditions] == [("immune-mediated-necrotising-myopathy",
                                                                MatchMethod.antibody)]
    text = " ".join(page_text(present(answer, core.texts, COMMANDS).pages[0]).split())  # as wrapped, in one line
    assert "No disease was named, so I read the antibody “SRP” as Immune-mediated necrotising myopathy." in text


@pytest.mark.parametrize(("text", "expected"), [
    ("anti-PF4 positive after the vaccine, clots - ivig?", ["vaccine-induced-immune-thrombotic-thrombocytopenia"]),
    ("anti-PF4 positive on heparin - ivig?", ["heparin-induced-thrombocytopenia"]),
    ("LGI1 and CASPR2 positive - ivig?", ["autoimmune-encephalitis"]),  # the one condition both point to
    ("LGI1/CASPR2 antibodies, ivig?", ["autoimmune-encephalitis"]),  # what is said of the last is said of all
    ("antibodies to type VII collagen - does ivig work", ["epidermolysis-bullosa-acquisita"]),
    ("positive for AChR, ivig?", ["myasthenia-gravis"]),
    ("antiGAD65 pos, ivig", ["stiff-person-syndrome"]),
    ("GAD-65 titre over 2000 - ivig?", ["stiff-person-syndrome"]),
    ("PLA2R+ ivig?", ["membranous-nephropathy"]),
    ("ganglionic AChR antibodies positive - ivig?", ["autoimmune-autonomic-ganglionopathy"]),  # the longer one
    ("axial rigidity and painful spasms with very high anti-GAD, ivig?", ["stiff-person-syndrome"]),  # no "65"
    ("anti-CASPR positive, ivig?", ["autoimmune-encephalitis"]),
    ("MOG associated disease, adult with relapses - ivig?", ["mog-antibody-associated-disease"]),  # named by it
    ("ivig for AQP4-related disease", ["neuromyelitis-optica-spectrum-disorder"]),
    ("24f anti-NMDAR +ve, still catatonic - ivig?", ["autoimmune-encephalitis"]),  # "+ve" is positive
])
def test_antibody_readings(core, text, expected):
    assert _read(core, text) == ("answer", expected)


def test_a_name_word_that_is_denied_picks_nothing(core):
    assert _read(core, "CVST, anti-PF4 ELISA positive, never had heparin - ivig?") == (
        "clarify", ["heparin-induced-thrombocytopenia", "vaccine-induced-immune-thrombotic-thrombocytopenia"])


@pytest.mark.parametrize("text", [
    "AQP4 and MOG negative - ivig?",  # what is said of the last is said of all: negative
    "MOG and AQP4 antibodies negative",
    "no AChR antibodies, ivig?",
    "NMDAR ab -ve, still catatonic - ivig?",  # "-ve" is negative
    "HMGCR - ivig?",  # the code alone is not a test result
    "GAD, ivig?",  # without its number, only after "anti": alone it is also generalised anxiety disorder
    "no anti-GAD, ivig?",
    "35 yo, ANA positive, ivig?",  # "yo" is an age: anti-Yo is read only after "anti"
    "Yo antibodies positive",
    "no anti-Yo, ivig?",
])
def test_an_antibody_not_reported_found_reads_nothing(core, text):
    assert _read(core, text)[0] == "not_found", text


def test_an_antibody_reported_negative_anywhere_reads_nothing(core):
    """A label given up ("first worried about anti-HMGCR IMNM, but") leaves the antibody's mention; reported negative
    later in the message, it points to no condition."""
    question = "CK 4000, first worried about anti-HMGCR IMNM, but HMGCR ab neg -> hypothyroid myopathy. any ivig?"
    assert _read(core, question)[0] != "answer"  # at most offered, as the label given up


def test_a_name_that_with_the_antibody_found_names_another_condition_is_that_condition(core):
    """"MOG-positive optic neuritis" is a name of MOGAD: optic neuritis told with a MOG antibody found is MOGAD, and
    the answer says so; with the antibody negative, or one of several conditions, the name stays."""
    answer = core.answer(Question(text="11yo, relapsing optic neuritis x3, MOG ab 1:1000 - monthly ivig?"))
    assert [c.id for c in answer.conditions] == ["mog-antibody-associated-disease"]
    [note] = [ref for ref in answer.note_refs if ref.key == "read_with_note"]
    assert note.params["words"] == "optic neuritis" and "MOG" in note.params["because"]
    assert note.params["others"] == "Optic neuritis"
    assert _read(core, "optic neuritis, MOG negative, AQP4 negative - ivig?") == ("answer", ["optic-neuritis"])
    assert _read(core, "optic neuritis, anti-PF4 positive - ivig?") == ("answer", ["optic-neuritis"])


def test_a_disease_named_decides_not_the_antibody(core):
    assert _read(core, "myasthenia gravis, anti-HMGCR+ - ivig?") == ("answer", ["myasthenia-gravis"])
    kind, ids = _read(core, "type 1 diabetes, GAD65 antibody positive - ivig?")  # a disease the base does not cover
    assert kind == "not_found" and ids == []


def test_an_uncovered_name_made_of_the_conditions_own_words_does_not_stop_it(core):
    """"myopathy" alone is a disease the base does not cover, but it is a word of "anti-SRP myopathy"."""
    assert _read(core, "SRP positive myopathy, CK 15000 - ivig?") == ("answer", ["immune-mediated-necrotising-myopathy"])
    assert _read(core, "myopathy - ivig?")[0] in ("not_found", "clarify")  # alone: not answered


def test_an_antibody_typed_as_a_word_of_a_name_told_in_a_role_belongs_to_that_name(core):
    """The sister's "anti-Jo1 antisynthetase ILD" is told as hers: her antibody does not bring her disease back as
    his; his own antibody, told apart, still reads it."""
    question = ("58M IPF, FVC 61%, on nintedanib. his sister has anti-Jo1 antisynthetase ILD doing well on IVIG, he's "
                "asking if it could help him - any evidence in IPF?")
    assert _read(core, question) == ("not_found", [])
    question = "his sister has antisynthetase ILD. he is anti-Jo1 positive, mechanic's hands, ILD. ivig?"
    assert _read(core, question) == ("answer", ["antisynthetase-syndrome-interstitial-lung-disease"])


def _condition(**fields) -> dict:
    return {"schema_version": 1, "id": "x-disease", "name": "Anti-Foo disease", "specialty": "neurology",
            "last_reviewed": "2026-01-01", "evidence_summary": "Some evidence summary.",
            "findings": [{"statement": "A finding statement.", "direction": "unproven", "design": "guideline",
                          "references": ["r"]}], **fields}


def test_an_antibody_must_be_written_in_the_conditions_names():
    Condition.model_validate(_condition(antibodies=["Foo", "anti-Foo"]))
    Condition.model_validate(_condition(synonyms=["GAD 65 syndrome"], antibodies=["GAD65"]))  # written either way
    with pytest.raises(ValidationError, match="antibodies: 'Bar' is in none of this condition's names"):
        Condition.model_validate(_condition(antibodies=["Bar"]))
    with pytest.raises(ValidationError, match="antibodies"):
        Condition.model_validate(_condition(antibodies=["Fo"]))  # whole words, not part of one
