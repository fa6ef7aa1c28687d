"""Question -> condition: names, synonyms, abbreviations, typos, chatter, several conditions, near-misses."""

import pytest

from bot.knowledge import load_knowledge
from bot.matcher import Matcher
from bot.models import Question
from bot.text import canonical_phrase

ANSWERED = [
    # seed conditions, by name, synonym, abbreviation and typo
    ("does ivig help myastenia gravis?", {"myasthenia-gravis"}),
    ("Is IVIG effective for myasthenia gravis", {"myasthenia-gravis"}),
    ("IVIG in MG?", {"myasthenia-gravis"}),
    ("what about myasthenic crisis", {"myasthenia-gravis"}),
    ("myasthenia gravs", {"myasthenia-gravis"}),
    ("Myasthenia Gravis", {"myasthenia-gravis"}),
    ("evidence for IVIG in systemic capillary leak syndrome", {"systemic-capillary-leak-syndrome"}),
    ("Clarkson disease ivig", {"systemic-capillary-leak-syndrome"}),
    ("IVIG for SCLS", {"systemic-capillary-leak-syndrome"}),
    ("systemic capilary leak syndrom", {"systemic-capillary-leak-syndrome"}),
    ("Miller Fisher syndrome", {"miller-fisher-syndrome"}),
    ("does ivig change the course of Miller-Fisher syndrome?", {"miller-fisher-syndrome"}),
    ("miller fischer syndrome", {"miller-fisher-syndrome"}),
    ("scleromyxedema", {"scleromyxedema"}),
    ("scleromyxoedema and IVIG", {"scleromyxedema"}),
    ("Arndt-Gottron syndrome", {"scleromyxedema"}),
    ("scleromixedema", {"scleromyxedema"}),
    ("pyoderma gangrenosum", {"pyoderma-gangrenosum"}),
    ("IVIG for pyoderma gangrenosum not responding to steroids", {"pyoderma-gangrenosum"}),
    ("pyoderma gangrenosm", {"pyoderma-gangrenosum"}),
    ("atopic dermatitis", {"atopic-dermatitis"}),
    ("does IVIG work for atopic eczema", {"atopic-dermatitis"}),
    ("atopic dermatits in children", {"atopic-dermatitis"}),
    ("pityriasis rubra pilaris", {"pityriasis-rubra-pilaris"}),
    ("type II PRP treated with IVIG", {"pityriasis-rubra-pilaris"}),
    ("pityriasis rubra pilaris type 2", {"pityriasis-rubra-pilaris"}),
    ("febrile ulceronecrotic Mucha-Habermann disease", {"febrile-ulceronecrotic-mucha-habermann-disease"}),
    ("FUMHD", {"febrile-ulceronecrotic-mucha-habermann-disease"}),
    ("febrile ulceronecrotic mucha habermann", {"febrile-ulceronecrotic-mucha-habermann-disease"}),
    ("EGPA neuropathy", {"eosinophilic-granulomatosis-with-polyangiitis"}),
    ("Churg Straus", {"eosinophilic-granulomatosis-with-polyangiitis"}),
    ("churg-strauss syndrome and ivig", {"eosinophilic-granulomatosis-with-polyangiitis"}),
    ("eosinophilic granulomatosis with polyangiitis", {"eosinophilic-granulomatosis-with-polyangiitis"}),
    ("IVIG for EGPA?", {"eosinophilic-granulomatosis-with-polyangiitis"}),
    # the rest of the first facts file
    ("recurrent miscarriage", {"recurrent-pregnancy-loss"}),
    ("IVIG for recurrent pregnancy loss", {"recurrent-pregnancy-loss"}),
    ("primary immunodeficiency", {"primary-immunodeficiency"}),
    ("pretibial myxedema", {"pretibial-myxedema"}),
    ("pretibial myxoedema", {"pretibial-myxedema"}),
    ("thyroid dermopathy", {"pretibial-myxedema"}),
    ("Graves ophthalmopathy", {"graves-ophthalmopathy"}),
    ("graves orbitopathy", {"graves-ophthalmopathy"}),
    ("thyroid eye disease", {"graves-ophthalmopathy"}),
    ("stiff person syndrome", {"stiff-person-syndrome"}),
    ("stiff-man syndrome", {"stiff-person-syndrome"}),
    ("chronic lymphocytic leukaemia", {"chronic-lymphocytic-leukemia"}),
    ("chronic lymphocytic leukemia", {"chronic-lymphocytic-leukemia"}),
    ("CLL", {"chronic-lymphocytic-leukemia"}),
    ("recurrent pericarditis", {"chronic-idiopathic-pericarditis"}),
    ("Guillain-Barre syndrome", {"guillain-barre-syndrome"}),
    ("guillain barré", {"guillain-barre-syndrome"}),
    ("AIDP", {"guillain-barre-syndrome"}),
    ("gullain barre syndrome", {"guillain-barre-syndrome"}),
    ("CIDP", {"chronic-inflammatory-demyelinating-polyneuropathy"}),
    ("chronic inflammatory demyelinating polyneuropathy", {"chronic-inflammatory-demyelinating-polyneuropathy"}),
    ("chronic inflamatory demyelinating polyneuropathy", {"chronic-inflammatory-demyelinating-polyneuropathy"}),
    ("multifocal motor neuropathy", {"multifocal-motor-neuropathy"}),
    ("MMN", {"multifocal-motor-neuropathy"}),
    ("Lambert-Eaton myasthenic syndrome", {"lambert-eaton-myasthenic-syndrome"}),
    ("IVIG for LEMS", {"lambert-eaton-myasthenic-syndrome"}),
    ("Lambert Eaton syndrome", {"lambert-eaton-myasthenic-syndrome"}),
    ("dermatomyositis", {"dermatomyositis"}),
    ("juvenile dermatomyositis", {"dermatomyositis"}),
    ("dermatomyosits", {"dermatomyositis"}),
    ("polymyositis", {"polymyositis"}),
    ("inclusion body myositis", {"inclusion-body-myositis"}),
    ("post-polio syndrome", {"post-polio-syndrome"}),
    ("postpolio syndrome", {"post-polio-syndrome"}),
    ("IgM paraproteinemic neuropathy", {"igm-paraproteinemic-neuropathy"}),
    ("Sjogren sensory neuronopathy", {"sjogren-sensory-neuronopathy"}),
    # the second facts file
    ("adult ITP", {"immune-thrombocytopenia-adults"}),
    ("childhood ITP", {"immune-thrombocytopenia-children"}),
    ("FNAIT", {"fetal-neonatal-alloimmune-thrombocytopenia"}),
    ("neonatal alloimmune thrombocytopenia", {"fetal-neonatal-alloimmune-thrombocytopenia"}),
    ("post-transfusion purpura", {"post-transfusion-purpura"}),
    ("autoimmune haemolytic anaemia", {"autoimmune-haemolytic-anaemia"}),
    ("autoimmune hemolytic anemia", {"autoimmune-haemolytic-anaemia"}),
    ("Evans syndrome", {"evans-syndrome"}),
    ("acquired haemophilia", {"acquired-haemophilia"}),
    ("acquired hemophilia A", {"acquired-haemophilia"}),
    ("acquired von Willebrand syndrome", {"acquired-von-willebrand-syndrome"}),
    ("Kawasaki disease", {"kawasaki-disease"}),
    ("kawasaki", {"kawasaki-disease"}),
    ("kawazaki disease", {"kawasaki-disease"}),
    ("MIS-C", {"multisystem-inflammatory-syndrome-in-children"}),
    ("PIMS-TS", {"multisystem-inflammatory-syndrome-in-children"}),
    ("paediatric HIV", {"paediatric-hiv-infection"}),
    ("pediatric HIV infection", {"paediatric-hiv-infection"}),
    ("allogeneic bone marrow transplant", {"allogeneic-stem-cell-transplantation"}),
    ("multiple myeloma", {"secondary-hypogammaglobulinaemia-myeloma"}),
    ("antibody-mediated rejection", {"solid-organ-transplant-desensitisation-rejection"}),
    ("toxic epidermal necrolysis", {"toxic-epidermal-necrolysis-stevens-johnson"}),
    ("Stevens-Johnson syndrome", {"toxic-epidermal-necrolysis-stevens-johnson"}),
    ("stevens johnson", {"toxic-epidermal-necrolysis-stevens-johnson"}),
    ("pemphigus vulgaris", {"pemphigus"}),
    ("bullous pemphigoid", {"bullous-pemphigoid"}),
    ("mucous membrane pemphigoid", {"mucous-membrane-pemphigoid"}),
    ("ocular cicatricial pemphigoid", {"mucous-membrane-pemphigoid"}),
    ("epidermolysis bullosa acquisita", {"epidermolysis-bullosa-acquisita"}),
    ("autoimmune encephalitis", {"autoimmune-encephalitis"}),
    ("anti-NMDA receptor encephalitis", {"autoimmune-encephalitis"}),
    ("multiple sclerosis", {"multiple-sclerosis"}),
    ("multiple sclerosys", {"multiple-sclerosis"}),
    ("neuromyelitis optica", {"neuromyelitis-optica-spectrum-disorder"}),
    ("NMOSD", {"neuromyelitis-optica-spectrum-disorder"}),
    ("PANDAS", {"pandas-pans"}),
    ("Alzheimer's disease", {"alzheimer-disease"}),
    ("alzheimers", {"alzheimer-disease"}),
    ("autism", {"autism-spectrum-disorder"}),
    ("chronic fatigue syndrome", {"chronic-fatigue-syndrome"}),
    ("myalgic encephalomyelitis", {"chronic-fatigue-syndrome"}),
    ("Rasmussen encephalitis", {"rasmussen-encephalitis"}),
    ("opsoclonus myoclonus syndrome", {"opsoclonus-myoclonus-syndrome"}),
    ("drug-resistant epilepsy", {"drug-resistant-epilepsy"}),
    ("complex regional pain syndrome", {"complex-regional-pain-syndrome"}),
    ("CRPS", {"complex-regional-pain-syndrome"}),
    ("small fiber neuropathy", {"small-fibre-neuropathy"}),
    ("small fibre neuropathy", {"small-fibre-neuropathy"}),
    ("septic shock in adults", {"sepsis-adults"}),
    ("neonatal sepsis", {"neonatal-sepsis"}),
    ("streptococcal toxic shock syndrome", {"streptococcal-toxic-shock-syndrome"}),
    ("necrotizing fasciitis", {"necrotising-soft-tissue-infection"}),
    ("necrotising fasciitis", {"necrotising-soft-tissue-infection"}),
    ("C. difficile", {"clostridioides-difficile-infection"}),
    ("clostridium difficile colitis", {"clostridioides-difficile-infection"}),
    ("measles post-exposure prophylaxis", {"measles-post-exposure-prophylaxis"}),
    ("parvovirus B19 pure red cell aplasia", {"parvovirus-b19-pure-red-cell-aplasia"}),
    ("COVID-19", {"covid-19"}),
    ("covid19", {"covid-19"}),
    ("long covid", {"long-covid"}),
    ("systemic lupus erythematosus", {"systemic-lupus-erythematosus"}),
    ("SLE", {"systemic-lupus-erythematosus"}),
    ("granulomatosis with polyangiitis", {"anca-associated-vasculitis"}),
    ("Wegener's granulomatosis", {"anca-associated-vasculitis"}),
    ("myocarditis", {"myocarditis-dilated-cardiomyopathy"}),
    ("haemophagocytic lymphohistiocytosis", {"haemophagocytic-lymphohistiocytosis"}),
    ("hemophagocytic lymphohistiocytosis", {"haemophagocytic-lymphohistiocytosis"}),
    ("HLH", {"haemophagocytic-lymphohistiocytosis"}),
    ("catastrophic antiphospholipid syndrome", {"catastrophic-antiphospholipid-syndrome"}),
    ("haemolytic disease of the newborn", {"haemolytic-disease-of-fetus-and-newborn"}),
    ("hemolytic disease of the fetus and newborn", {"haemolytic-disease-of-fetus-and-newborn"}),
    ("congenital heart block", {"congenital-heart-block"}),
    ("neonatal haemochromatosis", {"gestational-alloimmune-liver-disease"}),
    ("autoimmune neutropenia", {"autoimmune-neutropenia"}),
    ("VITT", {"vaccine-induced-immune-thrombotic-thrombocytopenia"}),
    ("erythromelalgia", {"erythromelalgia"}),
    # the reference's own title for major trauma: "infection prevention in critically injured patients"
    ("old trials gave immunoglobulin to critically injured patients to prevent pneumonia - anything solid?",
     {"major-trauma"}),
    # chatter around the name
    ("hi there, my colleague asked me whether there is any good evidence that IVIG helps in CIDP, thanks",
     {"chronic-inflammatory-demyelinating-polyneuropathy"}),
    ("Quick q: is ivig still used for kawasaki disease in 2026?", {"kawasaki-disease"}),
    ("<@123456> does IVIG help myasthenia gravis?", {"myasthenia-gravis"}),
    ("what's the evidence, if any, for intravenous immunoglobulin in stiff person syndrome??", {"stiff-person-syndrome"}),
    ("MYASTHENIA GRAVIS IVIG", {"myasthenia-gravis"}),
    # several conditions in one question
    ("IVIG for scleromyxedema and pyoderma gangrenosum", {"scleromyxedema", "pyoderma-gangrenosum"}),
    ("compare Guillain-Barre and CIDP", {"guillain-barre-syndrome", "chronic-inflammatory-demyelinating-polyneuropathy"}),
    ("Miller Fisher syndrome vs Guillain-Barré syndrome",
     {"miller-fisher-syndrome", "guillain-barre-syndrome"}),
    ("kawasaki disease, MIS-C and myocarditis",
     {"kawasaki-disease", "multisystem-inflammatory-syndrome-in-children", "myocarditis-dilated-cardiomyopathy"}),
    ("pretibial myxedema or scleromyxedema?", {"pretibial-myxedema", "scleromyxedema"}),
]

NOT_ANSWERED = [
    # near-misses of covered conditions
    "contact dermatitis",
    "seborrhoeic dermatitis",
    "pityriasis rosea",
    "the mg of IVIG per kg",
    "400 mg/kg for 5 days",
    "ivig 2g/kg mg dose",
    "myasthenic syndrome",
    "congenital myasthenic syndrome",
    "Is there any data for IVIG in congenital myasthenia?",  # the genetic syndromes, as the DO also names them
    "lichen myxedematosus localized",
    "papular mucinosis",
    "psoriasis",
    "psoriatic arthritis",
    "diabetes mellitus",
    "type 2 diabetes",
    "chronic obstructive pulmonary disease",
    "otitis externa",
    "endometriosis",
    "hepatitis A",
    "cytomegalovirus",
    "HPV",
    "SARS",
    "progressive supranuclear palsy",
    "Huntington disease",
    "Parkinson disease",
    "migraine",
    "symptoms",
    "my patient has symptoms of weakness",
    "is ivig safe",
    "hello",
    "",
    "   ",
    "?????",
    "asdfghjkl",
    "🙂🙂🙂",
    "lorem ipsum dolor sit amet",
    "1234567890",
    "DROP TABLE conditions;",
    "@everyone",
    "what is the weather today",
]

CLARIFY = [
    ("AD", {"atopic-dermatitis", "alzheimer-disease"}),
    ("ITP", {"immune-thrombocytopenia-adults", "immune-thrombocytopenia-children"}),
    ("inflammatory myopathy", {"dermatomyositis", "polymyositis"}),
    ("pemphigoid", {"bullous-pemphigoid", "mucous-membrane-pemphigoid"}),
    ("DM", {"dermatomyositis"}),
]


@pytest.fixture(scope="module")
def matcher():
    return Matcher(load_knowledge())


@pytest.mark.parametrize("question, expected", ANSWERED)
def test_question_maps_to_conditions(ask, question, expected):
    answer = ask(question)
    assert answer.kind.value == "answer", (answer.kind, answer.suggestions)
    assert {c.id for c in answer.conditions} == expected


@pytest.mark.parametrize("question", NOT_ANSWERED)
def test_near_misses_and_unknowns_get_no_confident_answer(ask, question):
    answer = ask(question)
    assert answer.conditions == [], [c.id for c in answer.conditions]


@pytest.mark.parametrize("question, expected", CLARIFY)
def test_ambiguous_terms_ask_instead_of_guessing(ask, question, expected):
    answer = ask(question)
    assert answer.kind.value == "clarify"
    assert expected <= {s.id for s in answer.suggestions}


def test_every_name_synonym_and_abbreviation_maps_to_its_condition(core):
    for cond in core.kb.conditions.values():
        for term in [cond.name, *cond.synonyms, *(a.text for a in cond.abbreviations)]:
            result = core.matcher.find(term)
            assert [h.condition_id for h in result.matches] == [cond.id], (cond.id, term, result)


def test_every_ambiguous_term_asks_for_its_condition(core):
    """Alone, a term asks; unless a curator chose to answer it alone too, in that condition's reading, with a note
    naming the other conditions that list it and its other meanings."""
    listing: dict[tuple[str, ...], list[tuple[str, object]]] = {}
    for cond in core.kb.conditions.values():
        for term in cond.ambiguous_terms:
            listing.setdefault(canonical_phrase(term.text), []).append((cond.id, term))
    for cond in core.kb.conditions.values():
        for term in cond.ambiguous_terms:
            result = core.matcher.find(term.text)
            sharers = listing[canonical_phrase(term.text)]
            first = [(cid, t) for cid, t in sharers if t.answer_alone]
            if first:
                cid, marked = first[0]
                others = tuple(c for c, _ in sharers if c != cid) + tuple(marked.other_meanings)
                assert [h.condition_id for h in result.matches] == [cid], (cond.id, term.text)
                assert result.matches[0].note_others == others, (cond.id, term.text)
                continue
            assert not result.matches, (cond.id, term.text)
            assert cond.id in {h.condition_id for h in result.ambiguous}, (cond.id, term.text)


@pytest.mark.parametrize(("question", "answered"), [
    ("ivig in RA, is there anything", ["rheumatoid-arthritis"]),  # answered, its note naming the other meanings
    # told as what the patient lives with, beside an uncovered disease named, it is background: no answer
    ("disseminated shingles in a 68F on tofacitinib for RA, on IV aciclovir - does adding ivig help?", []),
    ("60M on rituximab for RA, now PML on MRI - IVIG?", []),
])
def test_a_noted_term_told_as_background_to_an_uncovered_disease_is_not_answered(core, question, answered):
    assert [h.condition_id for h in core.matcher.find(question).matches] == answered


def test_a_term_answered_with_a_note_still_asks_alone_unless_marked(core):
    """answer_with_note needs a medical word in the question; answer_alone also takes the bare term."""
    noted = [(c, t) for c in core.kb.conditions.values() for t in c.ambiguous_terms
             if t.answer_with_note and not t.answer_alone
             and len({o.id for o in core.kb.conditions.values() for u in o.ambiguous_terms
                      if u.text.lower() == t.text.lower()}) == 1]
    assert noted
    for cond, term in noted:
        if core.matcher.find(term.text).matches:
            continue  # settled another way (a cue inside the term itself)
        result = core.matcher.find(f"IVIG for {term.text}?")
        assert cond.id in [h.condition_id for h in result.matches], (cond.id, term.text)


@pytest.mark.parametrize("question", ["dancing eye syndrome in a toddler - evidence for ivig?",
                                      "dancing eyes syndrome, ivig?"])
def test_the_usual_short_name_of_dancing_eyes_dancing_feet_is_read(core, question):
    """The reference's "dancing eyes dancing feet syndrome" is said shorter: seven dev questions named it so."""
    assert [c.id for c in core.answer(Question(text=question)).conditions] == ["opsoclonus-myoclonus-syndrome"]


def test_match_reports_score_and_the_words_it_matched(matcher):
    result = matcher.find("Does IVIG help myastenia  gravis?")
    (hit,) = result.matches
    assert hit.matched_text == "myastenia  gravis"
    assert 88 <= hit.score < 100
    assert hit.method.value == "fuzzy"


def test_case_rule_keeps_milligrams_apart_from_myasthenia(matcher):
    assert not matcher.find("give 400 mg per kg").matches
    assert not matcher.find("400 MG per kg").matches
    assert [h.condition_id for h in matcher.find("IVIG for MG").matches] == ["myasthenia-gravis"]


@pytest.mark.parametrize(("text", "expected"), [
    ("ivig 4 PANDAS", ["pandas-pans"]),  # "4" for "for": PANDAS is no unit
    ("2 CIDP pts on ivig", ["chronic-inflammatory-demyelinating-polyneuropathy"]),
    ("400 MG per kg", []),  # a dose
    ("ivig at 4 PM", []),  # a time, not polymyositis
])
def test_only_a_unit_after_a_number_is_read_as_that_unit(matcher, text, expected):
    assert [h.condition_id for h in matcher.find(text).matches] == expected


def test_an_age_is_no_word_of_a_name(matcher):
    """The Disease Ontology has "schizophrenia 13" (a genetic locus); "13 yo" is an age, so the typo reads the
    covered name, not that uncovered one with "in a 13" read around it."""
    result = matcher.find("schitzophrenia in a 13 yo, treatment resistant - ivig?")
    assert [h.condition_id for h in result.matches] == ["childhood-onset-schizophrenia"] and not result.not_found


@pytest.mark.parametrize("text", ["now super-refractory status on day 3 - FIRES? ivig?", "day 3, FIRES?"])
def test_a_number_ends_its_sentence_part_before_an_abbreviation(matcher, text):
    """Only a number right before it makes a capitalised term a unit ("400 MG"); a dash or comma between does not."""
    assert [h.condition_id for h in matcher.find(text).matches] == ["norse-and-fires"]


def test_all_capitals_message_asks_about_short_abbreviations(matcher):
    result = matcher.find("DOES IVIG HELP MG")
    assert not result.matches and result.ambiguous


def test_abbreviations_match_only_whole_words(matcher):
    assert not matcher.find("symptoms").matches  # MS inside a word
    assert not matcher.find("imaging").matches  # MG inside a word


def test_never_match_phrases_block_the_near_miss(matcher):
    result = matcher.find("pityriasis rosea")
    assert not result.matches and not result.suggestions
    assert result.blocked


def test_a_never_match_phrase_after_a_prefix_is_never_offered(ask):
    """"hereditary neuralgic amyotrophy": a word that makes a name another disease, before a phrase the curator
    blocked, offered the condition the phrase is a near miss of (diabetic amyotrophy's)."""
    answer = ask("ivig for hereditary neuralgic amyotrophy?")
    assert answer.kind.value == "not_found" and not answer.suggestions
    assert answer.not_found == ["hereditary neuralgic amyotrophy"]


def test_long_input_is_capped_and_still_answers(ask):
    answer = ask("filler words " * 400 + "myasthenia gravis")
    assert [ref.key for ref in answer.note_refs] == ["truncated"]  # says the message was cut
    long_tail = ask("myasthenia gravis " + "blah " * 3000)
    assert [c.id for c in long_tail.conditions] == ["myasthenia-gravis"]


def test_canonical_phrase_of_every_name_is_not_empty(core):
    assert all(canonical_phrase(c.name) for c in core.kb.conditions.values())


@pytest.mark.parametrize(
    "british, american, expected",
    [
        ("acquired haemophilia", "acquired hemophilia", "acquired-haemophilia"),
        ("autoimmune haemolytic anaemia", "autoimmune hemolytic anemia", "autoimmune-haemolytic-anaemia"),
        ("chronic lymphocytic leukaemia", "chronic lymphocytic leukemia", "chronic-lymphocytic-leukemia"),
        ("paediatric HIV infection", "pediatric HIV infection", "paediatric-hiv-infection"),
        ("foetal and neonatal alloimmune thrombocytopenia", "fetal and neonatal alloimmune thrombocytopenia",
         "fetal-neonatal-alloimmune-thrombocytopenia"),
        ("pretibial myxoedema", "pretibial myxedema", "pretibial-myxedema"),
        ("necrotising soft tissue infection", "necrotizing soft tissue infection", "necrotising-soft-tissue-infection"),
        ("haemophagocytic lymphohistiocytosis", "hemophagocytic lymphohistiocytosis",
         "haemophagocytic-lymphohistiocytosis"),
    ],
)
def test_british_and_us_spellings_both_match(ask, british, american, expected):
    for question in (british, american):
        assert [c.id for c in ask(question).conditions] == [expected], question


@pytest.mark.parametrize(
    "broader, members",
    [
        ("vasculitis", {"anca-associated-vasculitis", "eosinophilic-granulomatosis-with-polyangiitis"}),
        ("neuropathy", {"chronic-inflammatory-demyelinating-polyneuropathy", "multifocal-motor-neuropathy",
                        "small-fibre-neuropathy"}),
        ("thrombocytopenia", {"immune-thrombocytopenia-adults", "immune-thrombocytopenia-children",
                              "fetal-neonatal-alloimmune-thrombocytopenia"}),
        ("encephalitis", {"autoimmune-encephalitis", "rasmussen-encephalitis"}),
        ("immunodeficiency", {"primary-immunodeficiency", "secondary-hypogammaglobulinaemia-myeloma"}),
        ("sepsis", {"sepsis-adults", "neonatal-sepsis"}),
        # CLL's infection prevention is for its hypogammaglobulinaemia too
        ("hypogammaglobulinaemia", {"primary-immunodeficiency", "secondary-hypogammaglobulinaemia-myeloma",
                                    "chronic-lymphocytic-leukemia"}),
    ],
)
def test_broader_terms_list_the_covered_members_and_ask(ask, broader, members):
    answer = ask(f"does IVIG help {broader}?")
    assert answer.kind.value == "clarify" and not answer.conditions
    assert members <= {s.id for s in answer.suggestions}


def test_a_covered_other_meaning_is_suggested_not_called_uncovered(ask):
    answer = ask("AD")
    assert {"atopic-dermatitis", "alzheimer-disease"} <= {s.id for s in answer.suggestions}
    assert answer.message_ref.key == "clarify_uncovered"
    assert "Alzheimer disease" not in answer.message_ref.params["others"]


def test_an_accepted_ontology_subtype_answers_its_parent_with_a_note(ask):
    answer = ask("ulcerative colitis")
    (cond,) = answer.conditions
    assert cond.id == "crohns-disease-and-ibd" and cond.subtype == "ulcerative colitis" and cond.method.value == "subtype"


def test_a_subtype_taken_for_one_of_its_names_is_noted_by_the_name_typed(ask):
    """Crohn's disease accepts DO's "ileitis" for its synonym "Crohn's ileitis" only (bare ileitis may be infective):
    the note names what was typed, and bare ileitis is still a disease not found."""
    answer = ask("coeliac patient, now crohn's ileitis refractory to adalimumab - any ivig data?")
    (cond,) = answer.conditions
    assert cond.id == "crohns-disease-and-ibd" and cond.subtype == "Crohn's ileitis" and not answer.not_found
    assert ask("ivig for ileitis?").not_found == ["ileitis"]


def test_names_near_a_word_kept_across_questions_change_no_answer_and_stay_bounded(core, monkeypatch):
    """The words near each typed word are kept from one question to the next (a pure function of the word); a
    question reads the same with them kept or not, and once they pass the bound they start again."""
    import bot.match.matcher as matcher_module

    questions = ["ivig for guillan bare?", "myasthenia gravs crisis", "evidence for ivig in kawasaki disese",
                 "pemfigus vulgaris, ivig?", "ivig for guillan bare?"]
    matcher = core.matcher
    monkeypatch.setattr(matcher, "_near", {})
    kept = [matcher.find(q) for q in questions]
    monkeypatch.setattr(matcher_module, "NEAR_MEMO", 3)
    for question, before in zip(questions, kept):
        monkeypatch.setattr(matcher, "_near", {})  # nothing kept: as the first question of a process
        fresh = matcher.find(question)
        assert [(h.condition_id, h.start_token, h.end_token) for h in fresh.matches + fresh.suggestions] == [
            (h.condition_id, h.start_token, h.end_token) for h in before.matches + before.suggestions]
    monkeypatch.setattr(matcher, "_near", {})
    monkeypatch.setattr(matcher_module, "NEAR_MEMO", 10**9)
    for question in questions:
        matcher.find(question)
    unbounded = len(matcher._near)
    monkeypatch.setattr(matcher, "_near", {})
    monkeypatch.setattr(matcher_module, "NEAR_MEMO", 3)
    for question in questions:
        matcher.find(question)
    assert len(matcher._near) < unbounded  # restarted once past the bound
