"""Ambiguous terms read by their cue words: a term the curator gives to two covered conditions ("anti-GQ1b antibody
syndrome") is offered as both and settled by its own cues, in a question or in the reply to "did you mean"; a word
that picks a meaning the base does not cover ("congenital" von Willebrand disease) makes it a disease not found."""

import pytest

from bot.models import Question

GQ1B = ("bickerstaff-brainstem-encephalitis", "miller-fisher-syndrome")


def _shared_terms(core) -> dict[tuple[str, ...], set[str]]:
    """Ambiguous terms by their words, with the covered conditions that list them (from the data)."""
    owners: dict[tuple[str, ...], set[str]] = {}
    for entry in core.matcher.lexicon.entries:
        if entry.condition_id and entry.method.value == "ambiguous" and not entry.blocks:
            owners.setdefault(entry.words, set()).add(entry.condition_id)
    return {words: ids for words, ids in owners.items() if len(ids) > 1}


def test_the_gq1b_terms_are_shared_in_the_data(core):
    shared = _shared_terms(core)
    assert shared.get(("anti", "gq1b", "antibody", "syndrome")) == set(GQ1B)
    assert shared.get(("fisher", "bickerstaff", "syndrome")) == set(GQ1B)


@pytest.mark.parametrize("text", ["ivig for anti-GQ1b antibody syndrome",  # as listed
                                  "anti-GQ1b syndrome ivig",  # a word short: a loose reading
                                  "Fisher-Bickerstaff syndrome?"])
def test_a_shared_term_offers_every_condition_that_lists_it(core, text):
    answer = core.answer(Question(text=text))
    assert answer.kind.value == "clarify"
    assert {s.id for s in answer.suggestions} == set(GQ1B)


HIV = ("hiv-infection-in-adults", "paediatric-hiv-infection")


@pytest.mark.parametrize("text", ["recurrent bacterial infections in HIV, ivig?",
                                  "hiv pt with recurrent bacterial pneumonias, ivig evidence?"])  # a loose reading
def test_bacterial_infections_in_hiv_offer_the_adults_and_the_childrens_entries(core, text):
    """Both trials counted bacterial infections: without an age the question is either's."""
    assert _shared_terms(core).get(("recurrent", "bacterial", "infections", "in", "hiv")) == set(HIV)
    answer = core.answer(Question(text=text))
    assert answer.kind.value == "clarify" and {s.id for s in answer.suggestions} == set(HIV)


@pytest.mark.parametrize(("text", "expected"), [
    ("recurrent bacterial infections in HIV in a 4 year old", "paediatric-hiv-infection"),
    ("anti-GQ1b syndrome with ophthalmoplegia, ataxia and reduced consciousness - ivig?",
     "bickerstaff-brainstem-encephalitis"),
    ("anti-GQ1b positive, drowsy GCS 11, ivig?", "bickerstaff-brainstem-encephalitis"),
    ("Fisher-Bickerstaff syndrome with areflexia, ivig?", "miller-fisher-syndrome"),
    # "alloimmune thrombocytopenia": a pregnancy or a baby is FNAIT, a transfusion post-transfusion purpura
    ("alloimmune thrombocytopenia, she is 20 weeks pregnant, ivig from when?",
     "fetal-neonatal-alloimmune-thrombocytopenia"),
    ("alloimmune thrombocytopenia a week after a transfusion - ivig?", "post-transfusion-purpura"),
    # "secondary hypogammaglobulinaemia": myeloma or lymphoma, or CLL
    ("secondary hypogammaglobulinaemia after treatment for lymphoma, ivig?", "secondary-hypogammaglobulinaemia-myeloma"),
    # "iGAS": soft tissue and surgery, or toxic shock
    ("iGAS, debrided twice, ivig?", "necrotising-soft-tissue-infection"),
    # "AD": a memory test or an amnestic picture is Alzheimer disease
    ("74m, amnestic decline, MoCA 19, ivig for AD?", "alzheimer-disease"),
])
def test_the_shared_terms_cue_words_settle_it(core, text, expected):
    answer = core.answer(Question(text=text))
    assert [c.id for c in answer.conditions] == [expected]


def test_a_reply_is_read_by_the_shared_terms_cues_not_by_a_candidates_other_terms(core):
    """"ataxia" and "ophthalmoplegia" are cues of "MFS" against Marfan syndrome, and "ophthalmoplegia" is an
    uncovered disease name: a feature here. "drowsy" is a cue of the shared term: Bickerstaff's."""
    reply = core.answer(Question(text="she's drowsy with ophthalmoplegia and ataxia", offered_ids=GQ1B))
    assert [c.id for c in reply.conditions] == ["bickerstaff-brainstem-encephalitis"]


def test_a_reply_naming_a_feature_of_one_candidate_picks_it(core):
    """"scarring conjunctivitis" after "pemphigoid ivig": conjunctivitis is an uncovered disease name, and a cue of
    mucous membrane pemphigoid's "pemphigoid" (batch 122's and 146's dev parts), so a feature, not another disease."""
    offered = ("bullous-pemphigoid", "mucous-membrane-pemphigoid")
    reply = core.answer(Question(text="mostly eyes and mouth, scarring conjunctivitis", offered_ids=offered))
    assert [c.id for c in reply.conditions] == ["mucous-membrane-pemphigoid"]


@pytest.mark.parametrize("reply", ["adults with thrombotic thrombocytopenic purpura", "the adult one has psoriasis"])
def test_a_reply_naming_another_disease_picks_no_candidate(core, reply):
    offered = ("immune-thrombocytopenia-adults", "immune-thrombocytopenia-children")
    answer = core.answer(Question(text=reply, offered_ids=offered))
    assert not answer.conditions


@pytest.mark.parametrize(("text", "named"), [
    ("congenital von willebrand disease type 2A going for surgery - does ivig help?", "congenital von willebrand disease"),
    ("vWD type 2A ivig", "vWD type 2A"),
    ("congenital haemophilia A", "congenital haemophilia A"),
    ("hemophilia B congenital", "hemophilia B congenital"),
    ("her sister, 6, just diagnosed oligoarticular JIA - IVIG?", "oligoarticular JIA"),
    ("oligo JIA in both knees, ivig?", "oligo JIA"),
    # PNH is also peripheral nerve hyperexcitability (neuromyotonia); a haemolysis workup picks the haemoglobinuria
    ("treating it as Coombs-negative AIHA. Flow cytometry now shows a PNH clone. IVIG for PNH?", "PNH"),
    ("paroxysmal nocturnal haemoglobinuria is now the working diagnosis, so is IVIG of use in PNH?", "PNH"),
    ("VITT suspected last year, but now a 30% PNH clone on FLAER - IVIG in PNH?", "PNH"),
    # the chronic form of pityriasis lichenoides, not the febrile ulceronecrotic one
    ("pityriasis lichenoides chronica on the trunk for 2 years - ivig?", "pityriasis lichenoides chronica"),
    # an infection's adjective names the infectious uveitis the entry excludes; a virus, an infectious encephalitis
    ("RPR 1:512 - is IVIG any use in syphilitic uveitis?", "syphilitic uveitis"),
    ("herpetic panuveitis, ivig?", "herpetic panuveitis"),
    ("CSF HSV PCR positive, so HSV encephalitis - ivig?", "HSV encephalitis"),
    # CMV in a pregnancy or a newborn is not the transplant entry's
    ("she is 14 weeks pregnant with a primary CMV infection - would CMV hyperimmune globulin help?", "CMV infection"),
    ("newborn with symptomatic CMV, any role for Cytogam?", "Cytogam"),
])
def test_a_word_picking_an_uncovered_meaning_makes_the_term_not_found(core, text, named):
    """`other_cues`: "congenital", "type 2A" pick the inherited disease the acquired condition's term also names."""
    answer = core.answer(Question(text=text))
    assert not answer.conditions and not answer.suggestions
    assert named in answer.not_found


def test_art_beside_hiv_is_antiretroviral_therapy_not_assisted_reproduction(core):
    answer = core.answer(Question(text="44M with HIV, CD4 60 despite ART, 3 pneumonias in 18 months - ivig?"))
    assert [c.id for c in answer.conditions] == ["hiv-infection-in-adults"]
    assert not answer.suggestions  # not "did you mean recurrent implantation failure?"
    # ... nor a disease not found: a treatment ("other_not_a_disease")
    for text in ("adult HIV on ART, recurrent bacterial pneumonias - ivig?", "HIV on ART, recurrent infections, IVIG?"):
        assert "ART" not in core.answer(Question(text=text)).not_found


@pytest.mark.parametrize("text", ["congenital haemophilia A with inhibitors - ivig?",
                                  "congenital haemophilia with inhibitors ivig"])
def test_congenital_haemophilia_with_inhibitors_asks_back_about_the_acquired_entry(core, text):
    """Australia's criteria for acquired inhibitors list it, but their evidence is for the acquired disease: the
    entry is offered, never answered, and the answer names the evidence it does not hold."""
    answer = core.answer(Question(text=text))
    assert not answer.conditions
    assert [s.id for s in answer.suggestions] == ["acquired-haemophilia"]


def test_a_cue_of_the_covered_reading_outweighs_a_word_for_another(core):
    answer = core.answer(Question(text="pregnant kidney transplant recipient with CMV viraemia, ivig?"))
    assert [c.id for c in answer.conditions] == ["cmv-prevention-solid-organ-transplant"]


def test_ev_sepsis_in_a_newborn_is_enteroviral_sepsis_not_bacterial_neonatal_sepsis(core):
    """"EV", the entry's abbreviation for enterovirus, before "sepsis" is its enteroviral sepsis, not the neonatal
    sepsis entry's; beyond the newborn period it is not the neonatal entry's."""
    answer = core.answer(Question(text="EV sepsis in a 6 day old, csf pcr positive, alt 1800, coagulopathic - ivig?"))
    assert [c.id for c in answer.conditions] == ["neonatal-enterovirus-infection"]
    answer = core.answer(Question(text="EV sepsis in a 40 year old - ivig?"))
    assert "neonatal-enterovirus-infection" not in {c.id for c in answer.conditions}


def test_an_inhibitor_since_childhood_is_no_acquired_haemophilia(core):
    """The acquired disease is one of later life: beside "since childhood" the inhibitor settles nothing."""
    answer = core.answer(Question(text="severe haemophilia A with a high-titre inhibitor since childhood - ivig to "
                                       "help immune tolerance?"))
    assert not answer.conditions
    assert [c.id for c in core.answer(Question(text="haemophilia A with an inhibitor, 78M - ivig?")).conditions] == [
        "acquired-haemophilia"]
    # "since birth" tells the inherited disease as "since childhood" does
    answer = core.answer(Question(text="boy of 6 with haemophilia A since birth, now an inhibitor to factor VIII - "
                                       "any place for ivig?"))
    assert not answer.conditions


def test_a_cue_and_a_word_for_another_meaning_both_said_settle_nothing(core):
    """A father's kidney transplant and a daughter's pregnancy: which CMV question is asked is not clear."""
    answer = core.answer(Question(text="her father had CMV prophylaxis after a kidney transplant; she is 20 weeks "
                                       "pregnant with primary CMV - does CMV immune globulin help?"))
    assert not answer.conditions
    # ... the entry's "CMV prophylaxis" too
    answer = core.answer(Question(text="mum is a kidney transplant recipient on CMV prophylaxis. her baby has "
                                       "congenital CMV, CMV-IG for the baby?"))
    assert not answer.conditions


def test_an_antibody_of_the_reading_outweighs_a_word_for_another_meaning_beside_the_term(core):
    """Anti-NMDAR encephalitis after HSV encephalitis: the antibody says which encephalitis is asked about."""
    answer = core.answer(Question(text="3 weeks after HSV encephalitis, new chorea, NMDAR antibodies positive - ivig?"))
    assert [c.id for c in answer.conditions] == ["autoimmune-encephalitis"]


def test_other_cues_need_other_meanings():
    from bot.schema import Term
    with pytest.raises(ValueError, match="other_meanings"):
        Term(text="VWD", match_case=False, other_cues=["congenital"])
    with pytest.raises(ValueError, match="other_cues"):
        Term(text="ART", match_case=True, other_meanings=["antiretroviral therapy"], other_not_a_disease=True)


@pytest.mark.parametrize(("offered", "reply", "expected"), [
    # "neuropathy" offers other conditions: "neuro" names no specialty and "ICU" is no cue here
    (("alzheimer-disease", "atopic-dermatitis"), "ICU neuropathy", []),
    (("catastrophic-antiphospholipid-syndrome", "obstetric-antiphospholipid-syndrome"), "ICU neuropathy", []),
    # ... but a word of a candidate's own names still picks it
    (("chronic-idiopathic-pericarditis", "critical-illness-polyneuropathy-and-myopathy"), "ICU neuropathy",
     ["critical-illness-polyneuropathy-and-myopathy"]),
    (("alzheimer-disease", "atopic-dermatitis"), "the neuro one", ["alzheimer-disease"]),
])
def test_a_reply_that_offers_other_conditions_picks_only_by_names(core, offered, reply, expected):
    answer = core.answer(Question(text=reply, offered_ids=offered))
    assert [c.id for c in answer.conditions] == expected


AAV, EGPA = "anca-associated-vasculitis", "eosinophilic-granulomatosis-with-polyangiitis"


@pytest.mark.parametrize("text", ["ivig for ANCA vasculitis", "ANCA associated vasculitis, ivig?", "ANCA vasculitis?"])
def test_a_shared_term_one_curator_answers_first_is_answered_with_a_note_naming_the_other(core, text):
    """"ANCA vasculitis" is listed by GPA/MPA and by EGPA; its GPA/MPA curator answers it first, noting EGPA."""
    answer = core.answer(Question(text=text))
    assert [c.id for c in answer.conditions] == [AAV]
    noted = [n for n in answer.note_refs if n.key == "read_with_note"]
    assert noted and "Eosinophilic granulomatosis with polyangiitis" in noted[0].params["others"]


def test_the_other_readings_cues_still_settle_a_term_answered_first(core):
    answer = core.answer(Question(text="ANCA vasculitis with asthma and eosinophilia - ivig?"))
    assert [c.id for c in answer.conditions] == [EGPA]


def test_a_word_after_a_term_that_an_uncovered_name_shares_makes_it_ask(core):
    """"lupus discoid" is discoid lupus typed the other way round: not answered as SLE; "lupus - ivig?" is."""
    assert not core.matcher.find("lupus discoid, ivig evidence").matches
    assert [h.condition_id for h in core.matcher.find("lupus - ivig?").matches] == ["systemic-lupus-erythematosus"]


def test_igas_with_toxic_shock_is_the_streptococcal_one(core):
    """The toxic shock words pick the streptococcal syndrome; the staphylococcal one is only offered beside it."""
    answer = core.answer(Question(text="iGAS with toxic shock - ivig?"))
    assert [c.id for c in answer.conditions] == ["streptococcal-toxic-shock-syndrome"]


def test_a_lymphoma_word_settles_secondary_antibody_deficiency(core):
    """"Secondary antibody deficiency" is also CLL's: a lymphoma, or its treatment, told beside it settles it as the
    haematological-malignancy entry's, as myeloma does; alone it is still asked back."""
    answer = core.answer(Question(text="secondary antibody deficiency after R-CHOP for DLBCL - ivig replacement?"))
    assert [c.id for c in answer.conditions] == ["secondary-hypogammaglobulinaemia-myeloma"]
    assert not core.answer(Question(text="secondary antibody deficiency, ivig?")).conditions


TRANSPLANT = ["bk-virus-nephropathy", "cmv-prevention-solid-organ-transplant",
              "solid-organ-transplant-desensitisation-rejection"]


@pytest.mark.parametrize("text", ["ivig for kidney transplant pt", "ivig in renal transplant - evidence?"])
def test_a_kidney_transplant_alone_asks_which_of_its_questions(core, text):
    """Batch 170's dev part: the base answers three questions for kidney transplant recipients."""
    answer = core.answer(Question(text=text))
    assert answer.kind.value == "clarify" and sorted(s.id for s in answer.suggestions) == TRANSPLANT


@pytest.mark.parametrize(("text", "expected"), [
    ("positive crossmatch kidney transplant", "solid-organ-transplant-desensitisation-rejection"),
    ("kidney transplant, BK viraemia rising - ivig?", "bk-virus-nephropathy"),
    ("kidney transplant on valganciclovir, ivig to prevent it?", "cmv-prevention-solid-organ-transplant"),
])
def test_a_kidney_transplant_is_settled_by_its_questions_words(core, text, expected):
    assert [c.id for c in core.answer(Question(text=text)).conditions] == [expected]


@pytest.mark.parametrize(("text", "expected", "offered"), [
    ("CIDP in a renal transplant pt - ivig?", ["chronic-inflammatory-demyelinating-polyneuropathy"], []),
    ("ITP in a kidney transplant recipient, ivig?", [], ["immune-thrombocytopenia-adults",
                                                       "immune-thrombocytopenia-children"]),
])
def test_a_kidney_transplant_beside_another_condition_is_the_setting(core, text, expected, offered):
    """Where the patient is offers nothing beside what is asked about: no list of transplant questions under it."""
    answer = core.answer(Question(text=text))
    assert [c.id for c in answer.conditions] == expected and sorted(s.id for s in answer.suggestions) == offered


@pytest.mark.parametrize("text", ["CMV after allo SCT, ivig?", "CMV after allogeneic stem cell transplant, ivig?"])
def test_cmv_after_a_stem_cell_transplant_is_not_the_solid_organ_entry(core, text):
    """"transplant" settled CMV as the solid organ entry's; a stem cell transplant's words pick the meaning the base
    does not cover, so the bot says so or asks, never answers the organ entry."""
    assert not core.answer(Question(text=text)).conditions
    assert [c.id for c in core.answer(Question(text="CMV in a lung transplant recipient - ivig?")).conditions] == [
        "cmv-prevention-solid-organ-transplant"]


@pytest.mark.parametrize("text", [
    "9yo severe congenital haemophilia A with high-titre inhibitor (25 BU), ITI failing after 14 months. I've read "
    "ivig was used in acquired haemophilia to knock inhibitors down - anything for ivig in congenital haemophilia "
    "with inhibitors?",
    "we used ivig years ago in an acquired haemophilia pt with some success. now a different one: 6yo severe "
    "haemophilia A, high titre inhibitor 45 BU, failing ITI after 18 mo. any evidence for adding ivig to ITI (malmo "
    "style) in congenital haemophilia with inhibitors?",
])
def test_a_term_holding_a_word_of_its_other_meaning_is_never_settled(core, text):
    """The term names its uncovered meaning itself ("congenital"): acquired haemophilia named beside it, or a cue,
    does not make it the acquired disease."""
    answer = core.answer(Question(text=text))
    assert answer.kind.value != "answer" and not answer.conditions


def test_the_term_naming_its_other_meaning_has_that_word_among_its_other_cues(core):
    entry = next(e for e in core.matcher.lexicon.entries
                 if e.condition_id == "acquired-haemophilia" and e.text == "congenital haemophilia with inhibitors")
    assert ("congenital",) in entry.other_cues


def test_a_regimen_for_either_disease_is_answered_with_a_note_alone_and_set_aside_beside_the_other(core):
    """The Malmo protocol serves inhibitors of both kinds: asked alone it is answered as acquired haemophilia with a
    note; beside the inherited disease's words it is that disease's treatment, set aside unnamed."""
    alone = core.answer(Question(text="malmo protocol ivig?"))
    assert [c.id for c in alone.conditions] == ["acquired-haemophilia"]
    beside = core.answer(Question(text="severe congenital haemophilia A with an inhibitor, planning ITI, the malmo "
                                       "protocol includes ivig - does it add anything?"))
    assert not beside.conditions and "malmo protocol" not in [n.lower() for n in beside.not_found]


def test_pcd_beside_situs_inversus_is_primary_ciliary_dyskinesia(core):
    """"PCD" is paraneoplastic cerebellar degeneration to the curator, and primary ciliary dyskinesia beside a word
    of the ontology's names for that disease (batch 213's dev part): then it is a disease not found."""
    answer = core.answer(Question(text="6yo, situs inversus on CXR, nasal NO 12 ppb -> PCD. any role for ivig?"))
    assert not answer.conditions and not answer.suggestions
    assert "PCD" in answer.not_found
    answer = core.answer(Question(text="ovarian cancer, anti-Yo positive, PCD - ivig?"))
    assert [c.id for c in answer.conditions] == ["paraneoplastic-neurological-syndromes"]
