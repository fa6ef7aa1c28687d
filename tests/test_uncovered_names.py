"""Every disease the bot does not cover, as the Disease Ontology names it, is never answered as a covered one:
a sample drawn from the vocabulary, exact and with a typo, and the first question after an answer."""

import random

import pytest

from bot.models import Question

SAMPLE = 1_500
MAX_TYPO_WRONG = 0.01  # a misspelt uncovered name may lose the words that kept it apart; rarely, never often


@pytest.fixture(scope="module")
def names(core) -> list[str]:
    every = sorted({n.name for group in core.matcher.lexicon.uncovered.values() for n in group})
    assert len(every) > 10_000, "the uncovered-disease lexicon is missing (vocabulary not loaded)"
    return random.Random(20261130).sample(every, SAMPLE)


def _typo(name: str, rng: random.Random) -> str:
    words = name.split()
    long = [i for i, w in enumerate(words) if len(w) >= 5]
    if not long:
        return name
    i = rng.choice(long)
    w, j = words[i], rng.randrange(1, len(words[i]) - 1)
    words[i] = rng.choice([w[:j] + w[j + 1:], w[:j] + w[j + 1] + w[j] + w[j + 2:], w[:j] + "e" + w[j + 1:]])
    return " ".join(words)


def test_an_uncovered_name_is_never_answered_as_a_covered_condition(core, names):
    wrong = [(n, [c.id for c in a.conditions]) for n in names
             if (a := core.answer(Question(text=f"IVIG for {n}?"))).kind.value == "answer"]
    assert not wrong, wrong[:10]


def test_a_misspelt_uncovered_name_is_rarely_answered_as_a_covered_condition(core, names):
    rng = random.Random(7)
    wrong = [t for t in (_typo(n, rng) for n in names)
             if core.answer(Question(text=f"ivig for {t}?")).kind.value == "answer"]
    assert len(wrong) <= MAX_TYPO_WRONG * len(names), wrong[:10]


def test_an_uncovered_name_right_after_an_answer_is_not_the_previous_condition(core, names):
    for name in names[:300]:
        answer = core.answer(Question(text=f"what about {name}?", previous_condition_ids=("kawasaki-disease",)))
        assert "kawasaki-disease" not in [c.id for c in answer.conditions], name


def test_every_uncovered_line_is_keyed_by_todays_text_rules():
    """uncovered.tsv stores each name's canonical words; a change to the text rules (a stemming fix) must come with a
    rerun of scripts/import_vocabulary.py, or the lexicon keeps keys no question can produce any more."""
    from bot.paths import knowledge_dir
    from bot.vocabulary import UNCOVERED_FILE, uncovered_line

    lines = (knowledge_dir() / "vocabulary" / UNCOVERED_FILE).read_text(encoding="utf-8").splitlines()
    rows = [line for line in lines if line.strip() and not line.startswith("#")]
    stale = [row for row in rows if uncovered_line(row.split("\t")[3], row.split("\t")[2]) != row]
    assert len(rows) > 10_000
    assert not stale, f"{len(stale)} stale lines, e.g. {stale[:3]}; run scripts/import_vocabulary.py"


def test_a_misfiled_ontology_synonym_is_not_an_uncovered_disease(core):
    """The DO files "Auto-immune thrombocytopenia" under platelet alloimmunisation (import-rules.yaml, `misfiled`):
    it is immune thrombocytopenia's name, so the bot must not say it lacks it."""
    answer = core.answer(Question(text="ivig for autoimmune thrombocytopenia?"))
    assert not answer.not_found
    assert {"immune-thrombocytopenia-adults", "immune-thrombocytopenia-children"} <= {s.id for s in answer.suggestions}


def test_a_misfiled_name_needs_its_reason():
    from pydantic import ValidationError

    from bot.vocabulary import ImportRules

    with pytest.raises(ValidationError, match="why"):
        ImportRules.model_validate({"schema_version": 1, "misfiled": [{"text": "x name", "doid": "DOID:1"}]})


def test_an_uncovered_name_typed_in_another_order_claims_its_words(core):
    """"familial benign pemphigus" is Hailey-Hailey disease ("benign familial pemphigus"), not pemphigus; a covered
    name in another order is left to its own readings."""
    answer = core.answer(Question(text="Hailey-Hailey (familial benign pemphigus), flexural erosions - ivig?"))
    assert not answer.conditions and answer.not_found == ["familial benign pemphigus"]
    answer = core.answer(Question(text="thrombocytopenia heparin induced refractory ivig"))
    assert [c.id for c in answer.conditions] == ["heparin-induced-thrombocytopenia"]


@pytest.mark.parametrize(("question", "named"), [
    ("EB simplex in a baby with blisters since birth - ivig?", "EB simplex"),  # epidermolysis bullosa simplex
    ("biopsy: granulomatous vasculitis. IVIG for primary CNS vasculitis?", "CNS vasculitis"),
    ("recessive dystrophic EB in a 6yo, would ivig help the blistering?", "dystrophic EB"),  # the first word, then capitals
])
def test_an_uncovered_name_typed_with_its_first_words_as_capitals_claims_its_words(core, question, named):
    answer = core.answer(Question(text=question))
    assert not answer.conditions and answer.not_found == [named]


@pytest.mark.parametrize(("question", "named"), [
    ("ivig for parsonage-turner syndrome", "parsonage-turner syndrome"),  # not Turner syndrome
    ("any evidence for IVIG in post-streptococcal glomerulonephritis?", "post-streptococcal glomerulonephritis"),
])
def test_an_uncovered_name_is_named_with_the_words_hyphen_joined_before_it(core, question, named):
    answer = core.answer(Question(text=question))
    assert not answer.conditions and answer.not_found == [named]


def test_an_uncovered_name_typed_with_capitals_is_no_follow_up_of_the_condition_they_share(core):
    """"and dystrophic EB?" right after an EBA answer asks about the inherited disease, not about EBA again; capitals
    that are a covered term of their own are still that term ("chronic ITP")."""
    answer = core.answer(Question(text="and dystrophic EB in a 3yo?",
                                  previous_condition_ids=("epidermolysis-bullosa-acquisita",)))
    assert not answer.conditions and answer.not_found == ["dystrophic EB"]
    assert not core.matcher.find("chronic ITP ivig").not_found


def test_capitals_before_a_word_name_nothing_when_too_many_names_fit(core):
    """A head word after the capitals fits too many names ("CV disease" is cardiovascular disease far more often than
    the one ontology name it spells, conjunctival vascular disease); the covered abbreviation alone is still read."""
    assert "CV disease" not in core.matcher.find("known CV disease, now ITP - ivig?").not_found
    assert [c.id for c in core.answer(Question(text="my EBA pt asks, ivig?")).conditions] == [
        "epidermolysis-bullosa-acquisita"]


@pytest.mark.parametrize(("word", "names_a_disease"), [
    ("castleman", True), ("raynaud", True),  # words of uncovered names only
    ("nuerofibromatosis", True),  # one such word, misspelt
    ("syndrome", False), ("study", False),  # words of covered names too
    ("thought", False), ("biggest", False),  # no disease's word
])
def test_a_word_that_names_an_uncovered_disease_by_itself(core, word, names_a_disease):
    assert core.matcher.uncovered_words.names_a_disease(word) is names_a_disease


def test_the_plural_of_an_uncovered_one_word_name_is_that_disease(core):
    """"for the migraines": the disease asked about, named as typed; the POTS patient is who has them."""
    answer = core.answer(Question(text="POTS patient with chronic migrane - any ivig evidence for the migraines?"))
    assert answer.kind.value == "not_found" and not answer.conditions
    assert core.matcher.find("ivig for migraines?").not_found == ["migraines"]



def test_an_uncovered_disease_s_initialism_the_do_files_as_related_is_its_name(core):
    """The DO files "PML" as a related synonym of progressive multifocal leukoencephalopathy; spelling its label's
    initials, it is imported as that disease's abbreviation (scripts/import_vocabulary.py, `initialisms`)."""
    import importlib.util

    from bot.paths import knowledge_dir

    spec = importlib.util.spec_from_file_location("import_vocabulary",
                                                  knowledge_dir().parent / "scripts" / "import_vocabulary.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    term = {"label": "progressive multifocal leukoencephalopathy", "related_synonyms": ["PML", "JC virus", "PMLE"]}
    assert script.initialisms(term) == ["PML"]
    question = ("Myeloma pt on monthly IVIG replacement. New cognitive decline, JC virus PCR positive in CSF. Is there "
                "any evidence IVIG does anything for PML?")
    answer = core.answer(Question(text=question))
    assert answer.kind.value == "not_found" and answer.not_found == ["PML"]


@pytest.mark.parametrize(("question", "lower_read"), [
    ("CLL on ibrutinib, now PML. any evidence ivig helps in pml?", True),  # typed in capitals before: the disease
    ("CLL on ibrutinib. any evidence ivig helps in pml?", False),  # only in lower case: a word, not read
])
def test_an_uncovered_abbreviation_typed_in_capitals_is_read_in_lower_case_in_the_same_message(
        core, question, lower_read):
    result = core.matcher.find(question)
    words = [t.original for t in result.tokens]
    assert any(words[s] == "pml" for s, _ in result.uncovered_spans) is lower_read
    assert not result.matches if lower_read else [h.condition_id for h in result.matches] == [
        "chronic-lymphocytic-leukemia"]


def test_no_covered_name_or_term_is_also_listed_as_uncovered(core):
    """A name or term added to a condition leaves the uncovered list only when scripts/import_vocabulary.py is rerun
    (CI's --check); a covered reading also listed as uncovered means that rerun was forgotten."""
    from bot.paths import knowledge_dir
    from bot.vocabulary import UNCOVERED_FILE

    lines = (knowledge_dir() / "vocabulary" / UNCOVERED_FILE).read_text(encoding="utf-8").splitlines()
    listed = {line.split("\t")[0] for line in lines if line.strip() and not line.startswith("#")}
    covered = {" ".join(e.words) for e in core.matcher.lexicon.entries if e.condition_id and not e.blocks}
    both = sorted(listed & covered)
    assert not both, f"{both[:5]}: run scripts/import_vocabulary.py"


def test_a_blocked_phrase_the_ontology_names_is_that_uncovered_disease(core):
    """"neuralgic amyotrophy" is a near miss the curator blocked for diabetic amyotrophy and an ontology name: the
    question tells an uncovered disease (so the roles around it see one), and the answer still says what it is not."""
    result = core.matcher.find("known MMN, now neuralgic amyotrophy - ivig?")
    assert result.uncovered_spans and "neuralgic amyotrophy" in result.not_found
    assert [cid for _, cid in result.blocked] == ["diabetic-lumbosacral-radiculoplexus-neuropathy"]


def test_the_last_words_of_an_uncovered_name_end_it(core):
    """`ends_a_name`: an uncovered name of two words or more, whole or its last words, at word boundaries; never one
    word alone."""
    ends = core.matcher.uncovered_words.ends_a_name
    assert ends(("lichen", "sclerosus")) and ends(("penile", "lichen", "sclerosus"))
    assert not ends(("sclerosus",)) and not ends(("fornix", "sclerosus")) and not ends(("en", "lichen", "sclerosus"))
