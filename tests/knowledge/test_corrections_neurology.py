"""Corrections to the neurology, psychiatry and ophthalmology condition files (the 25 existing entries).

Each test would have caught one fault the audit found, or guards one correction made in these files: a missing
key figure or subgroup, an insurer's bulletin shown as a guideline, a loss to an active treatment shown as "no
benefit", a 95% confidence interval called a "range", a summary claiming more or less than its findings, a
dropped rating or subtype, and ontology links that do not fit the Disease Ontology.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest

from bot.knowledge import load_knowledge
from bot.schema import DESIGN_RANK, ComparatorKind, Design, Direction
from bot.text import canonical_phrase
from .reference import REFERENCE, ontology_terms, facts_items

FACTS_FILES = ["ivig-evidence-facts.yaml", "ivig-evidence-facts-2.yaml"]
REVIEWED = dt.date(2026, 11, 30)

# The files this group owns, with the heading of their item in the facts files.
FACTS_HEADING = {
    "alzheimer-disease": "Alzheimer disease",
    "autism-spectrum-disorder": "Autism spectrum disorder",
    "autoimmune-encephalitis": "Autoimmune encephalitis",
    "chronic-fatigue-syndrome": "Chronic fatigue syndrome",
    "chronic-inflammatory-demyelinating-polyneuropathy": "Chronic inflammatory demyelinating polyneuropathy",
    "complex-regional-pain-syndrome": "Complex regional pain syndrome",
    "drug-resistant-epilepsy": "Epilepsy (drug-resistant)",
    "erythromelalgia": "Erythromelalgia",
    "graves-ophthalmopathy": "Graves ophthalmopathy",
    "guillain-barre-syndrome": "Guillain-Barre syndrome",
    "igm-paraproteinemic-neuropathy": "IgM paraproteinemic neuropathy",
    "inclusion-body-myositis": "Inclusion body myositis",
    "lambert-eaton-myasthenic-syndrome": "Lambert-Eaton myasthenic syndrome",
    "miller-fisher-syndrome": "Miller Fisher syndrome",
    "multifocal-motor-neuropathy": "Multifocal motor neuropathy",
    "multiple-sclerosis": "Multiple sclerosis",
    "myasthenia-gravis": "Myasthenia gravis",
    "neuromyelitis-optica-spectrum-disorder": "Neuromyelitis optica spectrum disorder",
    "opsoclonus-myoclonus-syndrome": "Opsoclonus-myoclonus syndrome",
    "pandas-pans": "PANDAS and PANS",
    "post-polio-syndrome": "Post-polio syndrome",
    "rasmussen-encephalitis": "Rasmussen encephalitis",
    "sjogren-sensory-neuronopathy": "Ataxic sensory neuronopathy associated with Sjogren syndrome",
    "small-fibre-neuropathy": "Small fibre neuropathy",
    "stiff-person-syndrome": "Stiff person syndrome",
}
MINE = sorted(FACTS_HEADING)

# An effect estimate followed by its interval, where the interval is called a "range".
ESTIMATE_CALLED_RANGE = re.compile(
    r"\b(?:OR|HR|RR|IRR|WMD|SMD|MD|SMR|odds ratio|hazard ratio|risk ratio|rate ratio|mean difference|"
    r"difference in [A-Za-z]+)\b[^;()]{0,40}?[(,]\s*range\b",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def kb():
    return load_knowledge()


@pytest.fixture(scope="module")
def facts():
    return facts_items(*(REFERENCE / name for name in FACTS_FILES))


@pytest.fixture(scope="module")
def ontology():
    return ontology_terms()


def _cond(kb, cid):
    return kb.conditions[cid]


def _texts(finding) -> list[str]:
    return [t for t in (finding.statement, finding.figures, finding.key_figure, finding.caveat) if t]


def _is_payer_reference(kb, key: str) -> bool:
    ref = kb.references[key]
    return key.startswith("aetna") or (ref.first_author or "").lower() == "aetna"


def _is_payer_fact(fact) -> bool:
    cited = fact["source"]["cited_work"]
    return (cited.get("first_author") or "").lower() == "aetna"


# --- every file ----------------------------------------------------------------------------------------------


def test_all_owned_files_are_present_and_marked_reviewed(kb):
    for cid in MINE:
        assert cid in kb.conditions, cid
        assert kb.conditions[cid].last_reviewed == REVIEWED, cid


@pytest.mark.parametrize("cid", MINE)
def test_every_finding_has_a_key_figure(kb, cid):
    for index, finding in enumerate(_cond(kb, cid).findings):
        assert finding.key_figure, f"{cid} findings[{index}] has no key_figure"


@pytest.mark.parametrize("cid", MINE)
def test_summary_is_one_short_sentence_or_two(kb, cid):
    summary = _cond(kb, cid).evidence_summary
    assert len(summary) <= 250, f"{cid}: {len(summary)} characters"
    assert summary.count(". ") <= 1, cid


@pytest.mark.parametrize("cid", MINE)
def test_summary_does_not_lean_on_an_insurer(kb, cid):
    summary = _cond(kb, cid).evidence_summary.lower()
    assert "aetna" not in summary, cid


@pytest.mark.parametrize("cid", MINE)
def test_no_finding_dropped_or_merged_and_directions_kept(kb, facts, cid):
    """One finding per facts finding, same directions, except an insurer's bulletin, which becomes `unproven`."""
    fact_findings = facts[FACTS_HEADING[cid]]["findings"]
    expected = Counter("unproven" if _is_payer_fact(f) else f["direction"] for f in fact_findings)
    actual = Counter(f.direction.value for f in _cond(kb, cid).findings)
    assert actual == expected, cid


@pytest.mark.parametrize("cid", MINE)
def test_every_also_called_term_of_the_facts_is_present(kb, facts, cid):
    """Each `also_called` term is a name, synonym, abbreviation or ambiguous term (spelling-normalised)."""
    have = {canonical_phrase(text) for _, text in _cond(kb, cid).terms()}
    missing = []
    for raw in facts[FACTS_HEADING[cid]]["also_called"]:
        term = re.sub(r"\s+-\s+subtype$", "", raw)  # "acute motor axonal neuropathy (AMAN) - subtype"
        bracketed = re.match(r"^(.*?)\s*\(([^)]+)\)$", term)
        parts = [bracketed.group(1), bracketed.group(2)] if bracketed else [term]
        missing += [part for part in parts if canonical_phrase(part) not in have]
    assert not missing, f"{cid}: {missing}"


@pytest.mark.parametrize("cid", MINE)
def test_every_randomised_trial_names_its_comparator(kb, cid):
    for finding in _cond(kb, cid).findings:
        if finding.design is Design.randomized_controlled_trial:
            assert finding.comparator is not None, f"{cid}: {finding.statement[:60]}"


@pytest.mark.parametrize("cid", MINE)
def test_losing_to_an_active_treatment_is_not_called_no_benefit(kb, cid):
    for finding in _cond(kb, cid).findings:
        if finding.comparator and finding.comparator.kind is ComparatorKind.active:
            assert "no benefit" not in finding.statement.lower(), cid
            if finding.direction is Direction.not_effective:
                assert re.search(r"less effective than|not better than", finding.statement), cid


# --- base-wide rules (every curator's files) ------------------------------------------------------------------


def test_no_confidence_interval_is_called_a_range_anywhere(kb):
    offenders = [
        f"{cid}: {match.group(0)!r}"
        for cid, cond in kb.conditions.items()
        for finding in cond.findings
        for text in _texts(finding)
        for match in ESTIMATE_CALLED_RANGE.finditer(text)
    ]
    assert not offenders, offenders


def test_every_insurer_finding_in_the_base_is_a_payer_position(kb):
    for cid, cond in kb.conditions.items():
        for finding in cond.findings:
            if finding.references and all(_is_payer_reference(kb, key) for key in finding.references):
                assert finding.design is Design.payer_coverage, cid
                assert finding.direction is Direction.unproven, cid
            if finding.design is Design.payer_coverage:
                assert finding.direction is Direction.unproven, cid


# --- the faults named by the audit ----------------------------------------------------------------------------


@pytest.mark.parametrize("cid", ["alzheimer-disease", "multiple-sclerosis"])
def test_insurer_bulletin_is_shown_as_a_payer_position_not_a_guideline(kb, cid):
    cond = _cond(kb, cid)
    payer = [f for f in cond.findings if "aetna-nd" in f.references]
    assert len(payer) == 1
    finding = payer[0]
    assert finding.design is Design.payer_coverage
    assert finding.direction is Direction.unproven
    assert finding.grade is None
    assert "insurer" in finding.statement and "not a clinical guideline" in finding.statement
    # Ranked below every trial of the condition.
    trials = [f for f in cond.findings if f.design is Design.randomized_controlled_trial]
    assert trials and all(DESIGN_RANK[finding.design] > DESIGN_RANK[t.design] for t in trials)
    assert "no source supports" not in cond.evidence_summary.lower()


def test_pandas_summary_does_not_claim_the_only_placebo_controlled_trial(kb):
    summary = _cond(kb, "pandas-pans").evidence_summary.lower()
    assert "only placebo-controlled" not in summary
    assert "the only" not in summary


def test_autism_evaluator_finding_keeps_its_mildly_hazardous_rating(kb):
    graded = [f for f in _cond(kb, "autism-spectrum-disorder").findings if "research-autism-nd" in f.references]
    assert len(graded) == 1
    assert "Mildly Hazardous" in graded[0].grade
    assert "Strong negative evidence" in graded[0].grade
    assert "hazardous" in graded[0].statement.lower()
    assert "hazardous" in _cond(kb, "autism-spectrum-disorder").evidence_summary.lower()


def test_guillain_barre_lists_the_aman_and_amsan_subtypes(kb):
    cond = _cond(kb, "guillain-barre-syndrome")
    ambiguous = {t.text for t in cond.ambiguous_terms}
    for text in ["AMAN", "AMSAN", "acute motor axonal neuropathy", "acute motor-sensory axonal neuropathy"]:
        assert text in ambiguous, text
    assert {t.text: t.match_case for t in cond.ambiguous_terms}["AMAN"] is True  # "Aman" is also a name


def test_guillain_barre_negative_finding_is_about_mild_disease_only(kb):
    cond = _cond(kb, "guillain-barre-syndrome")
    negative = [f for f in cond.findings if f.direction is Direction.not_effective]
    assert negative
    for finding in negative:
        assert finding.subgroup and "mild" in finding.subgroup.lower()
        assert finding.comparator is not None and finding.comparator.kind is ComparatorKind.standard_care


def test_guillain_barre_figures_call_the_interval_a_95_percent_ci(kb):
    verboon = next(f for f in _cond(kb, "guillain-barre-syndrome").findings if "verboon-nd" in f.references)
    assert "95% CI" in verboon.key_figure and "95% CI" in verboon.figures
    assert "up to" not in verboon.figures


def test_multiple_sclerosis_findings_are_labelled_by_form_of_ms(kb):
    by_reference = {f.references[0]: f for f in _cond(kb, "multiple-sclerosis").findings}
    assert "relapsing-remitting" in by_reference["fazekas-1997"].subgroup
    assert "relapsing-remitting" in by_reference["intravenous-immunoglobulin-treatment-1998"].subgroup
    assert "secondary progressive" in by_reference["hommes-2004"].subgroup
    assert "childbirth" in by_reference["pmid-36687367"].subgroup
    # The only finding without a subgroup is the insurer's position, which takes no side.
    unlabelled = [f for f in by_reference.values() if not f.subgroup]
    assert [f.design for f in unlabelled] == [Design.payer_coverage]


def test_multiple_sclerosis_cochrane_interval_is_not_called_a_range(kb):
    for finding in _cond(kb, "multiple-sclerosis").findings:
        for text in _texts(finding):
            assert "range" not in text.lower()


def test_myasthenia_summary_does_not_deny_maintenance_use(kb):
    cond = _cond(kb, "myasthenia-gravis")
    summary = cond.evidence_summary.lower()
    assert "no source supports it for stable disease" not in summary
    assert "maintenance" in summary
    australia = next(f for f in cond.findings if "au-criteria-2336" in f.references)
    assert "maintenance" in australia.subgroup


def test_myasthenia_findings_name_the_phase_of_disease(kb):
    cond = _cond(kb, "myasthenia-gravis")
    for key in ["zinman-2007", "gajdos-2012", "patwa-2012", "donofrio-2009", "tavee-nd", "au-criteria-2336"]:
        finding = next(f for f in cond.findings if key in f.references)
        assert finding.subgroup, key
    aanem = next(f for f in cond.findings if "tavee-nd" in f.references)
    assert "stable" in aanem.subgroup


def test_nmosd_attack_finding_is_a_loss_to_steroids_not_evidence_of_no_benefit(kb):
    finding = next(f for f in _cond(kb, "neuromyelitis-optica-spectrum-disorder").findings
                   if f.direction is Direction.not_effective)
    assert finding.comparator.kind is ComparatorKind.active
    assert "steroid" in finding.comparator.treatment
    assert "less effective than high-dose steroids" in finding.statement
    assert "no benefit" not in finding.statement.lower()
    assert finding.subgroup and "attack" in finding.subgroup


def test_graves_trial_was_against_prednisolone_not_placebo(kb):
    finding = next(f for f in _cond(kb, "graves-ophthalmopathy").findings
                   if f.design is Design.randomized_controlled_trial)
    assert finding.comparator.kind is ComparatorKind.active
    assert "prednisolone" in finding.comparator.treatment


@pytest.mark.parametrize("cid, reference, words", [
    ("graves-ophthalmopathy", "kahaly-1996", "active"),
    ("graves-ophthalmopathy", "au-criteria-2544", "severe"),
    ("pandas-pans", "williams-2016", "PANDAS"),
    ("pandas-pans", "au-criteria-2683", "antibiotics"),
    ("opsoclonus-myoclonus-syndrome", "intravenous-immunoglobulin-prednisone-2018", "neuroblastoma"),
    ("complex-regional-pain-syndrome", "goebel-2010", "refractory"),
    ("autoimmune-encephalitis", "dubey-2020", "LGI1"),
    ("stiff-person-syndrome", "au-criteria-2689", "baclofen"),
    ("rasmussen-encephalitis", "au-criteria-2751", "steroids"),
    ("small-fibre-neuropathy", "geerts-2021", "idiopathic"),
    ("chronic-inflammatory-demyelinating-polyneuropathy", "patwa-2012", "long-term"),
])
def test_findings_about_part_of_a_condition_carry_a_subgroup(kb, cid, reference, words):
    finding = next(f for f in _cond(kb, cid).findings if reference in f.references)
    assert finding.subgroup and words in finding.subgroup


def test_rasmussen_says_the_treatment_was_combined(kb):
    finding = _cond(kb, "rasmussen-encephalitis").findings[0]
    assert "combined" in finding.caveat.lower() and "cannot be separated" in finding.caveat


def test_broad_terms_ask_instead_of_answering(kb):
    """Terms wider than the condition (or shared with new ones) are ambiguous terms, never synonyms."""
    cases = {
        "autoimmune-encephalitis": ["limbic encephalitis"],
        "drug-resistant-epilepsy": ["epileptic encephalopathy", "childhood epileptic encephalopathy"],
        "igm-paraproteinemic-neuropathy": ["anti-MAG neuropathy"],
        "alzheimer-disease": ["mild cognitive impairment due to Alzheimer disease", "GAP trial"],
    }
    for cid, texts in cases.items():
        cond = _cond(kb, cid)
        ambiguous = {t.text for t in cond.ambiguous_terms}
        for text in texts:
            assert text in ambiguous, (cid, text)
            assert text not in cond.synonyms, (cid, text)


def test_near_miss_names_never_answer(kb):
    assert "neonatal myasthenia gravis" in _cond(kb, "myasthenia-gravis").never_match
    assert "congenital stiff man syndrome" in _cond(kb, "stiff-person-syndrome").never_match
    assert "Usher syndrome" in _cond(kb, "miller-fisher-syndrome").never_match


# --- ontology --------------------------------------------------------------------------------------------------


def _descendants(ontology, doid: str) -> set[str]:
    children: dict[str, list[str]] = {}
    for term in ontology.values():
        for parent in term.get("parents", []):
            children.setdefault(parent, []).append(term["id"])
    out: set[str] = set()
    stack = list(children.get(doid, []))
    while stack:
        child = stack.pop()
        if child not in out:
            out.add(child)
            stack.extend(children.get(child, []))
    return out


@pytest.mark.parametrize("cid", MINE)
def test_ontology_links_fit_the_disease_ontology(kb, ontology, cid):
    links = _cond(kb, cid).ontology
    exact = set()
    for doid in links.doids:
        assert doid in ontology, (cid, doid)
        exact |= set(ontology[doid].get("exact_synonyms", []))
    below = set().union(*(_descendants(ontology, d) for d in links.doids)) if links.doids else set()
    if links.accept_subtypes != "all":
        for doid in links.accept_subtypes:
            assert doid in below, (cid, doid)
    else:
        assert below, f"{cid}: accept_subtypes 'all' but its DOIDs have no descendants"
    for synonym in links.reject_synonyms:
        assert synonym in exact, (cid, synonym)


def test_expected_doids(kb):
    expected = {
        "alzheimer-disease": ["DOID:10652"],
        "autism-spectrum-disorder": ["DOID:0060041"],
        "chronic-fatigue-syndrome": ["DOID:8544"],
        "chronic-inflammatory-demyelinating-polyneuropathy": ["DOID:5213", "DOID:2536"],
        "complex-regional-pain-syndrome": ["DOID:3223"],
        "erythromelalgia": ["DOID:9240"],
        "graves-ophthalmopathy": ["DOID:0081120"],
        "guillain-barre-syndrome": ["DOID:12842"],
        "inclusion-body-myositis": ["DOID:3429"],
        "lambert-eaton-myasthenic-syndrome": ["DOID:0050214"],
        "miller-fisher-syndrome": ["DOID:12889"],
        "multifocal-motor-neuropathy": ["DOID:683"],
        "multiple-sclerosis": ["DOID:2377"],
        "myasthenia-gravis": ["DOID:437"],
        "neuromyelitis-optica-spectrum-disorder": ["DOID:8869"],
        "post-polio-syndrome": ["DOID:4952"],
        "small-fibre-neuropathy": ["DOID:0070701"],
        "stiff-person-syndrome": ["DOID:13366"],
    }
    for cid in MINE:
        assert list(_cond(kb, cid).ontology.doids) == expected.get(cid, []), cid
    # Miller Fisher syndrome sits under GBS in the ontology but has its own entry and evidence.
    assert _cond(kb, "guillain-barre-syndrome").ontology.accept_subtypes == ()
    # Primary progressive MS was never studied: only the two studied forms answer with MS evidence.
    assert sorted(_cond(kb, "multiple-sclerosis").ontology.accept_subtypes) == ["DOID:0050783", "DOID:2378"]
