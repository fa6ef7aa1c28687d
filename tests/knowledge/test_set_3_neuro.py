"""The 17 neurology conditions of set 3 (facts file ivig-evidence-facts-3-neuro.yaml).

Three kinds of check: every condition is answered by its name and by each abbreviation while its ambiguous terms
only ask; neighbouring conditions (MOGAD and NMOSD, paraneoplastic syndromes and OMS or LEMS, IMNM and the other
myositides, vasculitic and diabetic radiculoplexus neuropathy, ...) are never read as each other; and the data
keeps the facts' findings, numbers, citations and the judgement calls made when writing them (active comparators,
IgM-enriched product, combined treatments, subgroups, the MOGAD ratio that does not fit its counts).
Lists are derived from the facts file and the condition files wherever possible.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from bot.knowledge import load_knowledge
from bot.schema import ComparatorKind, Direction, EvidenceBasis
from bot.text import canonical_phrase
from .reference import REFERENCE, ontology_terms

FACTS_FILE = REFERENCE / "ivig-evidence-facts-3-neuro.yaml"
PLAN_FILE = Path("/tmp/ivig-plan/new_conditions.txt")
REVIEWED = dt.date(2026, 11, 30)

# id -> heading of its item in the facts file (the rows marked 3-neuro in the plan's new_conditions.txt).
FACTS_HEADING = {
    "acute-disseminated-encephalomyelitis": "Acute disseminated encephalomyelitis",
    "mog-antibody-associated-disease": "MOG antibody-associated disease",
    "sydenham-chorea": "Sydenham chorea",
    "paraneoplastic-neurological-syndromes":
        "Paraneoplastic neurological syndromes (other than opsoclonus-myoclonus and LEMS)",
    "immune-mediated-necrotising-myopathy": "Immune-mediated necrotising myopathy",
    "autoimmune-autonomic-ganglionopathy": "Autoimmune autonomic ganglionopathy",
    "postural-orthostatic-tachycardia-syndrome": "Postural orthostatic tachycardia syndrome",
    "amyotrophic-lateral-sclerosis": "Amyotrophic lateral sclerosis",
    "critical-illness-polyneuropathy-and-myopathy": "Critical illness polyneuropathy and myopathy",
    "diabetic-lumbosacral-radiculoplexus-neuropathy": "Diabetic lumbosacral radiculoplexus neuropathy",
    "vasculitic-neuropathy": "Vasculitic neuropathy (non-systemic and secondary)",
    "steroid-responsive-encephalopathy-autoimmune-thyroiditis":
        "Steroid-responsive encephalopathy associated with autoimmune thyroiditis",
    "infantile-spasms": "Infantile spasms (West syndrome)",
    "landau-kleffner-syndrome": "Landau-Kleffner syndrome",
    "narcolepsy": "Narcolepsy (IVIG near onset)",
    "susac-syndrome": "Susac syndrome",
    "acute-flaccid-myelitis": "Acute flaccid myelitis",
}
MINE = sorted(FACTS_HEADING)


# --- fixtures and helpers ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kb():
    return load_knowledge()


@pytest.fixture(scope="module")
def facts():
    if not FACTS_FILE.is_file():
        pytest.skip("the shared reference facts are not available on this machine")
    return {item["condition"]: item for item in yaml.safe_load(FACTS_FILE.read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def ontology():
    return ontology_terms()


def _cond(kb, cid):
    assert cid in kb.conditions, f"{cid} is missing from the knowledge base"
    return kb.conditions[cid]


def _finding(kb, cid, reference):
    found = [f for f in _cond(kb, cid).findings if reference in f.references]
    assert len(found) == 1, (cid, reference, len(found))
    return found[0]


def _bare(name: str) -> str:
    """A display name without its bracketed qualifier, as the matcher also reads it."""
    return " ".join(re.sub(r"\([^)]*\)", " ", name).split())


def _answered(answer) -> list[str]:
    return [c.id for c in answer.conditions] if answer.kind.value == "answer" else []


def _shipped_conditions():
    """(id, Condition) of the shipped files, read at collection time so tests can be parametrised by term."""
    try:
        kb = load_knowledge()
    except Exception:  # noqa: BLE001 - a broken base fails test_all_17_files_present_and_loaded instead
        return {}
    return {cid: kb.conditions[cid] for cid in MINE if cid in kb.conditions}


_SHIPPED = _shipped_conditions()


def _terms(kind: str) -> list[tuple[str, str]]:
    out = []
    for cid, cond in sorted(_SHIPPED.items()):
        if kind == "name":
            out += [(cid, text) for text in dict.fromkeys([cond.name, _bare(cond.name)])]
        elif kind == "synonyms":
            out += [(cid, text) for text in cond.synonyms]
        elif kind == "abbreviations":
            out += [(cid, term.text) for term in cond.abbreviations]
        elif kind == "ambiguous":
            out += [(cid, term.text) for term in cond.ambiguous_terms]
        elif kind == "never_match":
            out += [(cid, text) for text in cond.never_match]
    return out


# --- the files ------------------------------------------------------------------------------------------------


def test_all_17_files_present_and_loaded(kb):
    if PLAN_FILE.is_file():
        planned = {row.split("|")[0].strip() for row in PLAN_FILE.read_text(encoding="utf-8").splitlines()
                   if "| 3-neuro |" in row}
        assert planned == set(MINE)
    for cid in MINE:
        cond = _cond(kb, cid)
        assert kb.files[cid].name == f"{cid}.yaml"
        assert cond.specialty == "neurology", cid
        assert cond.last_reviewed == REVIEWED, cid


@pytest.mark.parametrize("cid", MINE)
def test_one_finding_per_facts_finding_with_directions_designs_and_patients_kept(kb, facts, cid):
    """No finding dropped or merged; direction, design and patient number exactly as in the facts."""
    fact_findings = facts[FACTS_HEADING[cid]]["findings"]
    findings = _cond(kb, cid).findings
    assert len(findings) == len(fact_findings), cid
    assert Counter(f.direction.value for f in findings) == Counter(f["direction"] for f in fact_findings), cid
    assert Counter(f.design.value for f in findings) == Counter(f["design"] for f in fact_findings), cid
    assert Counter(f.patients for f in findings) == Counter(f["patients"] for f in fact_findings), cid


def test_every_item_and_finding_of_the_facts_file_is_covered(kb, facts):
    """The facts file holds exactly these items; all their findings (40 when written) are in the base."""
    assert set(facts) == set(FACTS_HEADING.values())
    wanted = sum(len(item["findings"]) for item in facts.values())
    assert sum(len(_cond(kb, cid).findings) for cid in MINE) == wanted


@pytest.mark.parametrize("cid", MINE)
def test_every_also_called_term_is_sorted_into_the_file(kb, facts, cid):
    """Each facts `also_called` term is the name, a synonym, an abbreviation or an ambiguous term."""
    cond = _cond(kb, cid)
    have = {canonical_phrase(text) for _, text in cond.terms()} | {canonical_phrase(_bare(cond.name))}
    missing = [t for t in facts[FACTS_HEADING[cid]]["also_called"] if canonical_phrase(t) not in have]
    assert not missing, f"{cid}: {missing}"


@pytest.mark.parametrize("cid", MINE)
def test_summary_and_key_figures_are_short_and_present(kb, cid):
    cond = _cond(kb, cid)
    assert len(cond.evidence_summary) <= 320, cid
    for finding in cond.findings:
        assert finding.key_figure, (cid, finding.statement[:60])
        for text in (finding.key_figure, finding.figures or "", finding.caveat or ""):
            assert not re.search(r"\b(?:OR|HR|RR)\b[^;]{0,30}\brange\b", text), (cid, text)


@pytest.mark.parametrize("cid", MINE)
def test_every_facts_finding_cites_its_work_with_the_facts_bibliography(kb, facts, cid):
    """Each facts finding's cited work is cited by a finding of the condition (matched by title), and the
    reference carries the facts' own verified flag, author, year, journal, volume, pages, PMID and DOI."""
    cited = {key for finding in _cond(kb, cid).findings for key in finding.references}
    assert all(key in kb.references for key in cited), cid
    by_title = {(kb.references[key].title or "").strip().lower(): kb.references[key] for key in cited}
    for fact in facts[FACTS_HEADING[cid]]["findings"]:
        work = fact["source"]["cited_work"]
        ref = by_title.get(work["title"].strip().lower())
        assert ref is not None, (cid, work["title"])
        assert ref.verified == work["verified"], work["title"]
        for field, value in (("year", work["year"]), ("journal", work["journal"]), ("doi", work["doi"]),
                             ("first_author", work["first_author"])):
            if field != "year" or value is not None:  # a key shared with another set may know the year
                assert getattr(ref, field) == value, (work["title"], field)
        for field in ("volume", "pages", "pmid"):
            value = work[field]
            assert getattr(ref, field) == (None if value is None else str(value)), (work["title"], field)


@pytest.mark.parametrize("cid", MINE)
def test_ontology_links_fit_the_disease_ontology(kb, ontology, cid):
    links = _cond(kb, cid).ontology
    children: dict[str, set[str]] = {}
    for term in ontology.values():
        for parent in term.get("parents", []):
            children.setdefault(parent, set()).add(term["id"])

    def descendants(doid):
        out, stack = set(), [doid]
        while stack:
            for child in children.get(stack.pop(), ()):
                if child not in out:
                    out.add(child)
                    stack.append(child)
        return out

    exact = set()
    below = set()
    for doid in links.doids:
        assert doid in ontology, (cid, doid)
        exact |= set(ontology[doid].get("exact_synonyms", []))
        below |= descendants(doid)
    for synonym in links.reject_synonyms:
        assert synonym in exact, (cid, synonym)
    if links.accept_subtypes != "all":
        for doid in links.accept_subtypes:
            assert doid in below, (cid, doid)


# --- matching: names, abbreviations, ambiguous terms ------------------------------------------------------------


@pytest.mark.parametrize("cid,name", _terms("name"))
def test_asked_by_name_answers_exactly_that_condition(ask, cid, name):
    answer = ask(f"IVIG for {name}?")
    assert answer.kind.value == "answer", (name, answer.kind.value)
    assert [c.id for c in answer.conditions] == [cid], name


@pytest.mark.parametrize("cid,abbreviation", _terms("abbreviations"))
def test_asked_by_abbreviation_answers_exactly_that_condition(ask, cid, abbreviation):
    answer = ask(f"IVIG for {abbreviation}?")
    assert answer.kind.value == "answer", (abbreviation, answer.kind.value)
    assert [c.id for c in answer.conditions] == [cid], abbreviation


@pytest.mark.parametrize("cid,synonym", _terms("synonyms"))
def test_asked_by_synonym_answers_exactly_that_condition(ask, cid, synonym):
    answer = ask(f"IVIG for {synonym}?")
    assert answer.kind.value == "answer", (synonym, answer.kind.value)
    assert [c.id for c in answer.conditions] == [cid], synonym


@pytest.mark.parametrize("cid,term", _terms("ambiguous"))
def test_ambiguous_term_alone_never_answers_confidently(ask, cid, term):
    answer = ask(f"IVIG for {term}?")
    noted = any(t.text == term and t.answer_with_note for t in _SHIPPED[cid].ambiguous_terms)
    if noted and answer.kind.value == "answer":  # the curator allowed it, with a note naming the other readings
        assert _answered(answer) == [cid] and answer.note_refs, term
        return
    assert answer.kind.value in {"clarify", "not_found"}, (term, answer.kind.value, _answered(answer))


@pytest.mark.parametrize("cid,phrase", _terms("never_match"))
def test_near_miss_names_never_answer_the_condition(ask, cid, phrase):
    assert cid not in _answered(ask(f"IVIG for {phrase}?")), phrase


def test_shared_ambiguous_terms_offer_every_owner(ask):
    """A term two of these files share (or share with a neighbour) lists both conditions when it asks."""
    cases = {
        "lumbosacral radiculoplexus neuropathy": {"diabetic-lumbosacral-radiculoplexus-neuropathy",
                                                  "vasculitic-neuropathy"},
        "encephalomyelitis": {"acute-disseminated-encephalomyelitis", "paraneoplastic-neurological-syndromes"},
        "dysautonomia": {"autoimmune-autonomic-ganglionopathy", "postural-orthostatic-tachycardia-syndrome"},
        "sensory ganglionopathy": {"paraneoplastic-neurological-syndromes", "sjogren-sensory-neuronopathy"},
        "paraneoplastic limbic encephalitis": {"paraneoplastic-neurological-syndromes", "autoimmune-encephalitis"},
        "CIP": {"critical-illness-polyneuropathy-and-myopathy", "chronic-idiopathic-pericarditis"},
        "epileptic encephalopathy": {"drug-resistant-epilepsy", "infantile-spasms", "landau-kleffner-syndrome"},
        "inflammatory myopathy": {"immune-mediated-necrotising-myopathy", "polymyositis", "dermatomyositis"},
    }
    for term, owners in cases.items():
        answer = ask(f"IVIG for {term}?")
        assert answer.kind.value == "clarify", term
        assert owners <= {s.id for s in answer.suggestions}, term


# --- matching: neighbours are never crossed -----------------------------------------------------------------------

# (question, the condition it must answer or None when it need not answer, conditions it must never answer)
NEIGHBOURS = [
    ("IVIG for MOG antibody disease?", "mog-antibody-associated-disease",
     {"neuromyelitis-optica-spectrum-disorder", "multiple-sclerosis", "optic-neuritis"}),
    ("IVIG for MOGAD?", "mog-antibody-associated-disease", {"neuromyelitis-optica-spectrum-disorder"}),
    ("IVIG for MOG-positive optic neuritis?", "mog-antibody-associated-disease",
     {"optic-neuritis", "neuromyelitis-optica-spectrum-disorder"}),
    ("IVIG for neuromyelitis optica?", "neuromyelitis-optica-spectrum-disorder", {"mog-antibody-associated-disease"}),
    ("IVIG for NMOSD?", "neuromyelitis-optica-spectrum-disorder", {"mog-antibody-associated-disease"}),
    ("IVIG for optic neuritis?", None, {"mog-antibody-associated-disease"}),
    ("IVIG for paraneoplastic cerebellar degeneration?", "paraneoplastic-neurological-syndromes",
     {"opsoclonus-myoclonus-syndrome", "lambert-eaton-myasthenic-syndrome"}),
    ("IVIG for anti-Hu syndrome?", "paraneoplastic-neurological-syndromes",
     {"opsoclonus-myoclonus-syndrome", "lambert-eaton-myasthenic-syndrome", "autoimmune-encephalitis"}),
    ("IVIG for paraneoplastic sensory neuronopathy?", "paraneoplastic-neurological-syndromes",
     {"sjogren-sensory-neuronopathy"}),
    ("IVIG for paraneoplastic opsoclonus-myoclonus?", "opsoclonus-myoclonus-syndrome",
     {"paraneoplastic-neurological-syndromes"}),
    ("IVIG for opsoclonus-myoclonus syndrome?", "opsoclonus-myoclonus-syndrome",
     {"paraneoplastic-neurological-syndromes"}),
    ("IVIG for Lambert-Eaton myasthenic syndrome?", "lambert-eaton-myasthenic-syndrome",
     {"paraneoplastic-neurological-syndromes"}),
    ("IVIG for Sjogren sensory neuronopathy?", "sjogren-sensory-neuronopathy",
     {"paraneoplastic-neurological-syndromes"}),
    ("IVIG for limbic encephalitis?", None, {"paraneoplastic-neurological-syndromes"}),
    ("IVIG for paraneoplastic limbic encephalitis?", None,
     {"autoimmune-encephalitis", "paraneoplastic-neurological-syndromes"}),
    ("IVIG for anti-NMDA receptor encephalitis?", "autoimmune-encephalitis",
     {"paraneoplastic-neurological-syndromes", "steroid-responsive-encephalopathy-autoimmune-thyroiditis"}),
    ("IVIG for Hashimoto encephalopathy?", "steroid-responsive-encephalopathy-autoimmune-thyroiditis",
     {"autoimmune-encephalitis"}),
    ("IVIG for Hashimoto encephalitis?", "steroid-responsive-encephalopathy-autoimmune-thyroiditis",
     {"autoimmune-encephalitis", "rasmussen-encephalitis"}),
    ("IVIG for Hashimoto's thyroiditis?", None, {"steroid-responsive-encephalopathy-autoimmune-thyroiditis"}),
    ("IVIG for autoimmune encephalitis?", "autoimmune-encephalitis",
     {"steroid-responsive-encephalopathy-autoimmune-thyroiditis", "acute-disseminated-encephalomyelitis"}),
    ("IVIG for Rasmussen encephalitis?", "rasmussen-encephalitis",
     {"acute-disseminated-encephalomyelitis", "steroid-responsive-encephalopathy-autoimmune-thyroiditis"}),
    ("IVIG for ADEM?", "acute-disseminated-encephalomyelitis",
     {"multiple-sclerosis", "neuromyelitis-optica-spectrum-disorder", "mog-antibody-associated-disease"}),
    ("IVIG for multiple sclerosis?", "multiple-sclerosis",
     {"acute-disseminated-encephalomyelitis", "mog-antibody-associated-disease", "amyotrophic-lateral-sclerosis"}),
    ("IVIG for post-infectious encephalomyelitis?", "acute-disseminated-encephalomyelitis",
     {"chronic-fatigue-syndrome"}),
    ("IVIG for myalgic encephalomyelitis?", "chronic-fatigue-syndrome",
     {"acute-disseminated-encephalomyelitis", "paraneoplastic-neurological-syndromes"}),
    ("IVIG for immune-mediated necrotizing myopathy?", "immune-mediated-necrotising-myopathy",
     {"polymyositis", "dermatomyositis", "inclusion-body-myositis"}),
    ("IVIG for anti-HMGCR myopathy?", "immune-mediated-necrotising-myopathy", {"polymyositis"}),
    ("IVIG for polymyositis?", "polymyositis", {"immune-mediated-necrotising-myopathy"}),
    ("IVIG for dermatomyositis?", "dermatomyositis", {"immune-mediated-necrotising-myopathy"}),
    ("IVIG for inclusion body myositis?", "inclusion-body-myositis", {"immune-mediated-necrotising-myopathy"}),
    ("IVIG for necrotising fasciitis?", "necrotising-soft-tissue-infection",
     {"immune-mediated-necrotising-myopathy"}),
    ("IVIG for statin myopathy?", None, {"immune-mediated-necrotising-myopathy"}),
    ("IVIG for Churg-Strauss neuropathy?", "eosinophilic-granulomatosis-with-polyangiitis",
     {"vasculitic-neuropathy"}),
    ("IVIG for EGPA?", "eosinophilic-granulomatosis-with-polyangiitis", {"vasculitic-neuropathy"}),
    ("IVIG for non-systemic vasculitic neuropathy?", "vasculitic-neuropathy",
     {"eosinophilic-granulomatosis-with-polyangiitis", "anca-associated-vasculitis"}),
    ("IVIG for ANCA-associated vasculitis?", None, {"vasculitic-neuropathy"}),
    ("IVIG for non-diabetic lumbosacral radiculoplexus neuropathy?", "vasculitic-neuropathy",
     {"diabetic-lumbosacral-radiculoplexus-neuropathy"}),
    ("IVIG for nondiabetic lumbosacral radiculoplexus neuropathy?", None,
     {"diabetic-lumbosacral-radiculoplexus-neuropathy"}),
    ("IVIG for diabetic lumbosacral radiculoplexus neuropathy?", "diabetic-lumbosacral-radiculoplexus-neuropathy",
     {"vasculitic-neuropathy"}),
    ("IVIG for diabetic amyotrophy?", "diabetic-lumbosacral-radiculoplexus-neuropathy",
     {"vasculitic-neuropathy", "small-fibre-neuropathy", "amyotrophic-lateral-sclerosis"}),
    ("IVIG for diabetic polyneuropathy?", None, {"diabetic-lumbosacral-radiculoplexus-neuropathy"}),
    ("IVIG for CIDP?", "chronic-inflammatory-demyelinating-polyneuropathy",
     {"critical-illness-polyneuropathy-and-myopathy", "vasculitic-neuropathy",
      "diabetic-lumbosacral-radiculoplexus-neuropathy"}),
    ("IVIG for critical illness polyneuropathy?", "critical-illness-polyneuropathy-and-myopathy",
     {"chronic-inflammatory-demyelinating-polyneuropathy", "chronic-idiopathic-pericarditis",
      "guillain-barre-syndrome"}),
    ("IVIG for chronic idiopathic pericarditis?", "chronic-idiopathic-pericarditis",
     {"critical-illness-polyneuropathy-and-myopathy"}),
    ("IVIG for drug-resistant epilepsy?", "drug-resistant-epilepsy",
     {"infantile-spasms", "landau-kleffner-syndrome"}),
    ("IVIG for infantile spasms?", "infantile-spasms", {"drug-resistant-epilepsy"}),
    ("IVIG for West syndrome?", "infantile-spasms", {"west-nile-neuroinvasive-disease"}),
    ("IVIG for West Nile neuroinvasive disease?", None, {"infantile-spasms"}),
    ("IVIG for Landau-Kleffner syndrome?", "landau-kleffner-syndrome", {"drug-resistant-epilepsy"}),
    ("IVIG for epileptic encephalopathy?", None, {"landau-kleffner-syndrome", "infantile-spasms"}),
    ("IVIG for Sydenham chorea?", "sydenham-chorea", {"pandas-pans"}),
    ("IVIG for PANDAS?", "pandas-pans", {"sydenham-chorea"}),
    ("IVIG for Huntington's chorea?", None, {"sydenham-chorea"}),
    ("IVIG for Guillain-Barre syndrome?", "guillain-barre-syndrome",
     {"acute-flaccid-myelitis", "critical-illness-polyneuropathy-and-myopathy"}),
    ("IVIG for acute flaccid myelitis?", "acute-flaccid-myelitis", {"guillain-barre-syndrome", "post-polio-syndrome"}),
    ("IVIG for post-polio syndrome?", "post-polio-syndrome", {"acute-flaccid-myelitis"}),
    ("IVIG for transverse myelitis?", None, {"acute-flaccid-myelitis"}),
    ("IVIG for small fibre neuropathy?", "small-fibre-neuropathy",
     {"autoimmune-autonomic-ganglionopathy", "postural-orthostatic-tachycardia-syndrome"}),
    ("IVIG for autoimmune autonomic ganglionopathy?", "autoimmune-autonomic-ganglionopathy",
     {"small-fibre-neuropathy", "postural-orthostatic-tachycardia-syndrome"}),
    ("IVIG for POTS?", "postural-orthostatic-tachycardia-syndrome", {"autoimmune-autonomic-ganglionopathy"}),
    ("I keep my IVIG in pots?", None, {"postural-orthostatic-tachycardia-syndrome"}),
    ("IVIG for ALS?", "amyotrophic-lateral-sclerosis", {"multifocal-motor-neuropathy", "multiple-sclerosis"}),
    ("IVIG for multifocal motor neuropathy?", "multifocal-motor-neuropathy", {"amyotrophic-lateral-sclerosis"}),
    ("IVIG for primary lateral sclerosis?", None, {"amyotrophic-lateral-sclerosis", "multiple-sclerosis"}),
    ("IVIG for Susac syndrome?", "susac-syndrome", {"multiple-sclerosis", "autoimmune-inner-ear-disease"}),
    ("IVIG for Cogan syndrome?", None, {"susac-syndrome"}),
    ("IVIG for narcolepsy?", "narcolepsy", set()),
    ("IVIG for idiopathic hypersomnia?", None, {"narcolepsy"}),
]


@pytest.mark.parametrize("question,expected,never", NEIGHBOURS, ids=[q for q, _, _ in NEIGHBOURS])
def test_neighbours_are_never_crossed(ask, question, expected, never):
    answered = _answered(ask(question))
    assert not (set(answered) & never), (question, answered)
    if expected is not None:
        assert answered == [expected], (question, answered)


# --- the judgement calls in the data ---------------------------------------------------------------------------


# (condition, reference key, what IVIG was compared with) for findings whose comparison was with another treatment
ACTIVE_COMPARISONS = [
    ("sydenham-chorea", "treatment-sydenham-chorea-2005", ("plasma exchange", "prednisone")),
    ("mog-antibody-associated-disease", "treatment-response-relapsing-mogad-2025", ("immunotherapy",)),
    ("postural-orthostatic-tachycardia-syndrome", "vernino-2024", ("albumin",)),
]


@pytest.mark.parametrize("cid,reference,words", ACTIVE_COMPARISONS)
def test_comparison_with_another_treatment_carries_an_active_comparator(kb, cid, reference, words):
    finding = _finding(kb, cid, reference)
    assert finding.comparator is not None and finding.comparator.kind is ComparatorKind.active
    assert all(word in finding.comparator.treatment for word in words), finding.comparator.treatment


def test_every_randomised_trial_names_its_comparator(kb):
    for cid in MINE:
        for finding in _cond(kb, cid).findings:
            if finding.design.value == "randomized controlled trial":
                assert finding.comparator is not None, (cid, finding.references)


def test_pots_loss_to_albumin_is_not_called_evidence_of_no_benefit_against_nothing(kb):
    finding = _finding(kb, "postural-orthostatic-tachycardia-syndrome", "vernino-2024")
    assert finding.direction is Direction.not_effective  # the facts' direction is kept ...
    assert "albumin" in finding.statement and "albumin" in finding.caveat  # ... and the comparison is named
    assert "active comparator" in finding.caveat


def test_special_immunoglobulin_products_are_named_in_the_statement(kb, facts):
    """A finding about an IgM-enriched or hyperimmune product says so in its own statement, not only in a note."""
    markers = ("IgM-enriched", "hyperimmune", "high-titre", "Pentaglobin")
    checked = 0
    for cid in MINE:
        fact_findings = facts[FACTS_HEADING[cid]]["findings"]
        special = [f for f in fact_findings
                   if any(m.lower() in (f["summary"] + " " + (f.get("note") or "")).lower() for m in markers)]
        for fact in special:
            title = fact["source"]["cited_work"]["title"].lower()
            finding = next(f for f in _cond(kb, cid).findings
                           if any((kb.references[k].title or "").lower() == title for k in f.references))
            assert "IgM-enriched" in finding.statement or "hyperimmune" in finding.statement, cid
            assert "not standard" in finding.statement, cid
            checked += 1
    assert checked >= 1


# (condition, reference key) of findings where IVIG was given with, or in sequence with, other immunotherapy
COMBINED = [
    ("paraneoplastic-neurological-syndromes", "keime-guibert-2000"),
    ("amyotrophic-lateral-sclerosis", "meucci-1996"),
    ("autoimmune-autonomic-ganglionopathy", "iodice-2009"),
    ("autoimmune-autonomic-ganglionopathy", "effectiveness-treatment-31-aag-nd"),
]


@pytest.mark.parametrize("cid,reference", COMBINED)
def test_combined_treatment_says_ivig_share_cannot_be_separated(kb, cid, reference):
    caveat = _finding(kb, cid, reference).caveat or ""
    assert re.search(r"cannot be (separated|put down to IVIG)|share is unknown", caveat), caveat


def test_mogad_strategies_are_labelled_by_subgroup(kb):
    """MOGAD evidence differs by strategy (maintenance vs a limited early course): every finding names its own."""
    subgroups = [f.subgroup for f in _cond(kb, "mog-antibody-associated-disease").findings]
    assert all(subgroups)
    assert any("maintenance" in s for s in subgroups) and any("6-month" in s for s in subgroups)


def test_mogad_limited_course_is_unproven_after_the_audit(kb):
    finding = _finding(kb, "mog-antibody-associated-disease", "macrae-2025")
    assert finding.direction is Direction.unproven
    assert finding.comparator is not None and finding.comparator.kind is ComparatorKind.standard_care


def test_mogad_ratio_that_conflicts_with_its_counts_is_not_the_headline(kb):
    finding = _finding(kb, "mog-antibody-associated-disease", "treatment-response-relapsing-mogad-2025")
    assert "RR" not in finding.key_figure and "6/46" in finding.key_figure and "8/24" in finding.key_figure
    assert "does not fit" in finding.caveat and "0.39" in finding.caveat


def test_narcolepsy_findings_name_the_subgroup(kb):
    for finding in _cond(kb, "narcolepsy").findings:
        assert finding.subgroup and "children" in finding.subgroup
        assert finding.direction is Direction.mixed


def test_aag_negative_finding_is_about_the_seronegative_form_only(kb):
    finding = _finding(kb, "autoimmune-autonomic-ganglionopathy", "golden-nd")
    assert finding.direction is Direction.not_effective
    assert "seronegative" in finding.subgroup


def test_paraneoplastic_level_a_wording_is_kept_possible_and_explained(kb):
    """The facts' deliberate exception: an EFNS level-A sentence recorded as possibly effective, with the reason."""
    finding = _finding(kb, "paraneoplastic-neurological-syndromes", "elovaara-2008")
    assert finding.direction is Direction.possibly_effective
    assert "level A" in finding.grade and ("exception" in finding.caveat or "deliberately" in finding.caveat)


def test_paraneoplastic_entry_says_oms_and_lems_are_elsewhere(kb):
    cond = _cond(kb, "paraneoplastic-neurological-syndromes")
    assert "OMS" in cond.name and "LEMS" in cond.name
    assert "separate" in cond.evidence_summary


def test_sreat_declares_its_case_report_basis(kb):
    assert _cond(kb, "steroid-responsive-encephalopathy-autoimmune-thyroiditis").evidence_basis \
        is EvidenceBasis.case_reports


def test_infantile_spasms_add_on_pilot_says_it_was_mostly_lennox_gastaut(kb):
    finding = _finding(kb, "infantile-spasms", "west-lennox-gastaut-add-on-1994")
    assert "Lennox-Gastaut" in finding.subgroup and "3 of the 15" in finding.caveat


def test_vasculitic_findings_keep_non_systemic_and_secondary_apart(kb):
    assert "non-systemic" in _finding(kb, "vasculitic-neuropathy", "cochrane-cd006050").subgroup
    assert "secondary" in _finding(kb, "vasculitic-neuropathy", "levy-2003").subgroup


def test_critical_illness_trial_was_placebo_controlled_with_an_igm_enriched_product(kb):
    finding = _finding(kb, "critical-illness-polyneuropathy-and-myopathy", "brunner-2013")
    assert finding.comparator.kind is ComparatorKind.placebo
    assert finding.direction is Direction.not_effective and finding.patients == 38


def test_guideline_grades_are_given_where_the_facts_have_one(kb, facts):
    for cid in MINE:
        graded = sum(1 for f in facts[FACTS_HEADING[cid]]["findings"] if f.get("grade"))
        assert sum(1 for f in _cond(kb, cid).findings if f.grade) >= graded, cid


def test_superseded_australian_page_is_flagged(kb):
    assert kb.references["au-criteria-2452"].superseded
    assert not kb.references["au-criteria-2690"].superseded
