"""How a story tells a covered condition beside the disease asked about (batch 40's dev part): labels given up in
more words, labels typed with an alternative or an antibody before them, ages, causes and measurements."""

import pytest

from bot.models import AnswerKind, Question


def _answered(core, question: str) -> list[str]:
    return sorted({h.condition_id for h in core.matcher.find(question).matches})


def _kind(core, question: str) -> str:
    return core.answer(Question(text=question)).kind.value


@pytest.mark.parametrize("question", [
    # a first label given up, in words the roles did not read
    "38M foot drop, rimmed vacuoles - neuro initially said sporadic inclusion body myositis but GNE compound het "
    "-> GNE myopathy. any IVIG data?",
    "19yo sent as 'narcolepsy' but CSF hypocretin normal -> idiopathic hypersomnia. does IVIG help?",
    "we were thinking Rasmussen's but the MRI says cerebral venous sinus thrombosis. IVIG?",
    # ... or considered, and the asked disease named after it
    "CK 2400, biopsy dystrophic -> dysferlinopathy (LGMD R2). IMNM was top of the differential. IVIG?",
    # ... or typed with an alternative before a slash
    "58M referred as motor neurone disease/ALS, but CAG repeat expansion in AR gene -> Kennedy disease. IVIG?",
    "labelled ICU-acquired weakness / critical illness myopathy, but acid maltase low -> Pompe disease. IVIG?",  # spaced
    # a relative's, with an antibody typed before it
    "newborn with hereditary hyperekplexia. mum herself has anti-GAD stiff-person syndrome on monthly IVIG. any "
    "reason to use IVIG in the baby?",
    # the age it happened at
    "12F, sydenham chorea at 9, now rheumatic heart disease on echo. IVIG?",
    # ... and "on" a test says what showed the disease asked about, not what it is treated with
    "had sydenham chorea, now rheumatic heart disease on echo. IVIG?",
    # treated, or recovering from it
    "Treated her C diff with fidaxomicin in March. Now stool antigen positive for giardia. any data on IVIG?",
    # the conclusion of a work-up typed after an arrow, in words no list holds
    "had PLA2R+ membranous nephropathy 2016, remission after rituximab. now low C3 -> C3 glomerulopathy. IVIG?",
    # a word saying which kind of the condition it is may stand between a role word and its name
    "any evidence for ivig in sarcoidosis? 74F, long-standing seropos RA (erosive, on MTX)",
    # a cause typed right before the disease asked about
    "is there anything on IVIG for covid associated mucormycosis",
    "IVIG for covid-associated mucormycosis?",
])
def test_a_covered_condition_told_as_background_is_not_answered_beside_the_asked_disease(core, question):
    assert _answered(core, question) == []
    assert _kind(core, question) == AnswerKind.not_found.value


def test_an_uncovered_name_without_its_head_word_after_an_arrow_is_the_concluded_disease(core):
    """"-> Hailey-Hailey": the ontology's "Hailey-Hailey disease" less its head word; the pemphigus first thought of
    is not answered."""
    question = ("52F w flexural erosions groin/axillae, ?pemphigus vulgaris initially. DIF neg, dsg1/3 neg, biopsy "
                "suprabasal acantholysis dilapidated brick wall, mum had the same -> hailey hailey. any role for ivig?")
    assert not core.answer(Question(text=question)).conditions
    assert "hailey hailey" in core.matcher.find(question).not_found


def test_words_after_an_arrow_ending_in_a_head_word_are_the_concluded_disease(core):
    """"-> hyperhaemolysis syndrome": no list has the name, but "syndrome" ends it; the sickle cell crisis told
    before it is offered at most, never answered, and the conclusion is named as not found."""
    question = "HbSS, admitted with VOC, transfused. day 8: Hb lower than before, LDH 2000 -> hyperhaemolysis syndrome. IVIG?"
    assert not core.answer(Question(text=question)).conditions
    assert "hyperhaemolysis syndrome" in core.matcher.find(question).not_found
    # ... or a word ending as the syndrome's own name does, with no head word after it ("haemolysis" alone is a
    # finding, and ends AIHA's "warm autoimmune haemolysis", which is still answered)
    question = "HbSS, 8 d after top up transfusion Hb 52 (below pre tx 68), DAT neg -> hyperhaemolysis. ivig, evidence?"
    assert not core.answer(Question(text=question)).conditions
    assert "hyperhaemolysis" in core.matcher.find(question).not_found
    answer = core.answer(Question(text="warm AIHA, DAT IgG+, on pred. would IVIG help in warm autoimmune haemolysis?"))
    assert [c.id for c in answer.conditions] == ["autoimmune-haemolytic-anaemia"]
    # ... or a movement disorder's ending ("dyskinesia"), asked for again by its initials: Tourette syndrome, told
    # before, is not asked back about
    question = "Tourette syndrome since 8 on haloperidol, now lip smacking and writhing -> tardive dyskinesia. IVIG for TD?"
    assert core.answer(Question(text=question)).kind is AnswerKind.not_found
    assert "tardive dyskinesia" in core.matcher.find(question).not_found
    # words after an arrow that name no disease conclude nothing
    answer = core.answer(Question(text="sickle cell pain crisis, opioids -> better. IVIG?"))
    assert [c.id for c in answer.conditions] == ["sickle-cell-pain-crisis"]


@pytest.mark.parametrize(("question", "expected"), [
    # without the uncovered disease, the same labels are still answered
    ("neuro initially said sporadic inclusion body myositis - IVIG?", ["inclusion-body-myositis"]),
    ("IMNM, anti-HMGCR positive. IVIG?", ["immune-mediated-necrotising-myopathy"]),
    ("mum has anti-GAD stiff-person syndrome on monthly IVIG - any evidence it works?", ["stiff-person-syndrome"]),
    # a time in weeks is no age: the exposure is the question
    ("Measles exposure at 28 weeks in a non-immune pregnant woman. IVIG, and how soon?",
     ["measles-post-exposure-prophylaxis"]),
    # the cause named after "by" or "with": the disease before it is asked about
    ("IVIG in haemophagocytic lymphohistiocytosis triggered by visceral leishmaniasis?",
     ["haemophagocytic-lymphohistiocytosis"]),
    ("IVIG for covid triggered Guillain-Barre syndrome?", ["guillain-barre-syndrome"]),
    ("CLL associated AIHA - IVIG?", ["autoimmune-haemolytic-anaemia"]),
])
def test_the_asked_condition_is_still_answered(core, question, expected):
    assert _answered(core, question) == expected


def test_a_clause_about_the_cause_still_asks_about_the_cause(core):
    """"the EBV that triggered his HLH" asks about the EBV; without "that", "covid triggered GBS" asks about GBS."""
    assert _kind(core, "and for the chronic active EBV that triggered his HLH?") == AnswerKind.not_found.value
    assert _answered(core, "GBS associated with covid, ivig?") == []  # covid is the cause; GBS itself is asked back


def test_a_reading_after_a_term_in_capitals_makes_it_a_measurement(core):
    """"BP 190/110" is blood pressure: nothing to ask back about; "widespread BP" on clobetasol is pemphigoid."""
    assert not core.matcher.find("9yo on cisplatin, BP 190/110, seizure, cortical blindness. IVIG?").ambiguous
    assert core.matcher.find("BP with tense blisters, IVIG?").matches or core.matcher.find(
        "BP with tense blisters, IVIG?").ambiguous
    assert _answered(core, "82F, widespread BP, failed clobetasol + doxy, cant have mtx. IVIG?") == ["bullous-pemphigoid"]


@pytest.mark.parametrize("reading", ["fine", "low", "normal", "up"])
def test_a_word_saying_how_a_measurement_reads_makes_it_a_measurement_too(core, reading):
    """Beside blisters, a cue of bullous pemphigoid, "BP fine" is still blood pressure (`measured_after`)."""
    text = f"3yo, blisters and peeling after a staph infection, BP {reading}. impetigo - ivig?"
    assert _answered(core, text) == []
    assert not core.matcher.find(text).ambiguous


def test_a_reading_set_apart_by_a_dash_measures_something_else(core):
    """"PID - low IgG and IgA": the dash closes the disease's clause; the IgG is what was measured."""
    text = "30F with PID — low igg and iga, absent vaccine responses, recurrent sinusitis — ivig evidence?"
    assert _answered(core, text) == ["primary-immunodeficiency"]


def test_the_words_of_a_names_bracketed_qualifier_carry_no_reading(core):
    """"Narcolepsy (IVIG near onset)": "given near onset" does not name narcolepsy; the name itself still does."""
    assert _kind(core, "she read IVIG works if given near onset, is that true?") != AnswerKind.answer.value
    assert _answered(core, "IVIG near onset of narcolepsy?") == ["narcolepsy"]


def test_an_arrow_names_the_conclusion_only_in_words_no_reading_took(core):
    """After an arrow, a covered condition is still read as itself, and a word of no disease concludes nothing."""
    assert _answered(core, "weakness, areflexia, CSF protein high -> CIDP. IVIG?") == [
        "chronic-inflammatory-demyelinating-polyneuropathy"]
    assert not core.matcher.find("membranous nephropathy, PLA2R high -> rituximab started. IVIG?").not_found



def test_initials_slash_joined_to_a_body_before_a_year_name_a_guideline(core):
    """"meets EAN/PNS 2021 for typical CIDP": the bodies' guideline, not paraneoplastic syndromes; PNS alone before
    a year, and two diseases' initials joined by a slash, are still read."""
    assert _answered(core, "NCS demyelinating, meets EAN/PNS 2021 for typical CIDP. evidence for IVIG?") == [
        "chronic-inflammatory-demyelinating-polyneuropathy"]
    assert _answered(core, "PNS 2021 criteria met, anti-Hu positive. IVIG?") == ["paraneoplastic-neurological-syndromes"]
    assert _answered(core, "PM/DM 2019 ivig?") == ["dermatomyositis", "polymyositis"]


def test_topical_treatment_cues_pemphigoid_for_bp(core):
    """"BP in 88M, bedbound, failed topical steroids": a skin disease's treatment settles BP as bullous pemphigoid."""
    assert _answered(core, "BP in 88M, bedbound, failed topical steroids, IVIG?") == ["bullous-pemphigoid"]


@pytest.mark.parametrize("question", [
    # batch 41's dev part: more words for a label given up or a differential, and an "=" that concludes
    "54F T1DM, plaques on both shins. GP letter says pretibial myxoedema but she's euthyroid, TRAb neg, bx "
    "palisading granulomas = necrobiosis lipoidica. ivig??",
    "34M burning feet, skin biopsy IENFD low, labelled idiopathic SFN. now angiokeratomas, GLA variant -> Fabry. "
    "any role for IVIG?",
    "CABG day 7, plt 18. HIT top of the list but PF4 ELISA neg; now aplastic anaemia on the marrow. IVIG?",
    "treated as seroneg autoimmune encephalitis w IVMP, no change. now RT-QuIC pos, sporadic CJD. family asking "
    "about IVIG, anything to it?",
    # batch 51's dev part: a first diagnosis, shorthand too ("dx'd")
    "17F, sudden tics for 3 weeks, initially dx'd Tourette but really functional tic-like attacks - ivig?",
    "originally diagnosed as myasthenia gravis but repetitive stimulation and genetics say congenital myasthenic "
    "syndrome. ivig?",
    # batch 66's dev part: a first diagnosis, a label chased, and a label corrected in a later sentence
    "17F sudden onset complex tics, first diagnosed Tourette's, but abrupt onset, no childhood tics -> functional "
    "tic-like behaviours. family asking about IVIG",
    "24F gum bleeds, VWF lowish so we chased acquired vWS, but repeats normal -> Glanzmann. now refractory to "
    "platelet transfusion. IVIG for that?",
    '55M on IVIG for "CIDP" 2 yrs, never really responded. TTR V30M pos -> hATTR amyloid polyneuropathy not CIDP. '
    "any point continuing IVIG for the amyloid neuropathy?",
    # batch 90's and 87's dev parts: how the patient came in, a label carried for years
    "iTTP, ADAMTS13 <5%, inhibitor +, plt 12, on PEX + steroids + caplacizumab. any role for ivig in refractory TTP? "
    "(came in as ?CAPS with multiorgan thrombosis but aPL neg x2)",
    "evidence for ivig in kennedy disease (SBMA)? 66M, CAG repeat 47 confirmed. had polio at 4 and carried a "
    "post-polio syndrome label for 10 yrs until gynaecomastia + CK 900 prompted genetics",
    # a biopsy's first report
    "shin plaques, initially reported as necrobiotic xantho granuloma but re-review says necrobiosis lipoidica. ivig?",
    # batch 147's dev part: a label the patient was told, set aside in a bracket after the question
    "34F with T1DM, bx = necrobiosis lipoidica. any evidence for ivig?? (she was first told it was pretibial "
    "myxoedema but TSH, TRAb normal, no graves ever)",
])
def test_more_labels_given_up_are_background(core, question):
    assert _answered(core, question) == []


def test_a_label_said_by_someone_is_given_up_only_in_a_letter_or_a_referral(core):
    """"my neuro reg says CIDP responds to IVIG but I want to see the trials" still asks about CIDP."""
    assert _answered(core, "so my neuro reg says CIDP responds to IVIG but I want to see the trials") == [
        "chronic-inflammatory-demyelinating-polyneuropathy"]


@pytest.mark.parametrize(("question", "expected"), [
    ("routine ivig after allo sct, still recommended?", ["allogeneic-stem-cell-transplantation"]),
    ("bx-proven PM (CD8 endomysial invasion), CK 9000, steroid refractory. IVIG?", ["polymyositis"]),
])
def test_short_forms_and_cues_of_batch_41(core, question, expected):
    assert _answered(core, question) == expected


def test_a_treatment_received_is_told_as_past(core):
    """"She got VZIG at 12 weeks after a chickenpox exposure ... IVIG to prevent rubella?": the rubella is asked."""
    assert _answered(core, "She got VZIG at 12 weeks after a chickenpox exposure. Now 16 weeks, rubella IgG negative, "
                           "and exposed to rubella at work. IVIG to prevent rubella?") == []


def test_an_uncovered_abbreviation_after_a_spaced_dash_is_the_diagnosis(core):
    """"pneumatosis on AXR - NEC. IVIG for it?" asks about NEC, not the sepsis treated at birth; a test typed so
    ("- MRI.", "-> EMG") names no disease."""
    assert _answered(core, "Ex-27 weeker, treated for early-onset GBS sepsis at birth, now day 12 with pneumatosis on "
                           "AXR - NEC. Should we give IVIG for it?") == []
    for question in ("CIDP - MRI. IVIG?", "weakness, areflexia -> MRI. IVIG for CIDP?", "IVIG for CIDP -> EMG, NCS."):
        result = core.matcher.find(question)
        assert not result.not_found and [h.condition_id for h in result.matches] == [
            "chronic-inflammatory-demyelinating-polyneuropathy"]


@pytest.mark.parametrize("question", ["how strong is the evidence for IVIG in GBS?", "gbs ivig evidence", "IVIG in GBS?"])
def test_gbs_alone_is_answered_as_guillain_barre_with_a_note(core, question):
    answer = core.answer(Question(text=question))
    assert [c.id for c in answer.conditions] == ["guillain-barre-syndrome"]
    assert any("group B streptococcus" in ref.params.get("others", "") for ref in answer.note_refs)


def test_gbs_in_a_story_of_the_bacterium_is_not_the_neuropathy(core):
    for question in ("GBS sepsis in a neonate, IVIG?", "mum GBS positive on swab, IVIG for the baby?"):
        assert "guillain-barre-syndrome" not in [c.id for c in core.answer(Question(text=question)).conditions]


def test_a_disease_asked_about_in_anothers_story_makes_an_earlier_statement_background(core):
    """"my brother has AQP4+ NMO ... his son (19) now ... -> LHON ... anything for Leber hereditary optic
    neuropathy?": the NMO is the brother's. A relative's disease told after the patient's, and a question that names
    none, leave the patient's condition the question."""
    assert _answered(core, "my brother has AQP4+ NMO, well on eculizumab. his son (19) now bilateral painless vision "
                           "loss, m.11778 mutation -> LHON. neuro-oph asked about IVIG, is there anything for Leber "
                           "hereditary optic neuropathy?") == []
    assert _answered(core, "6yo with quotidian fever, salmon rash, arthritis and ferritin 4000, systemic JIA. Brother "
                           "has type 1 diabetes. Is IVIG any use?") == ["systemic-jia-and-adult-onset-still-disease"]
    assert _answered(core, "IVIG for a 4yo with vertically acquired HIV and recurrent bacterial pneumonias despite "
                           "ART? Mum was treated for syphilis in pregnancy.") == ["paediatric-hiv-infection"]


def test_a_protocol_treated_with_is_past(core):
    """"She had HLH at 24, treated with HLH-94 etoposide. ... Castleman disease. Would IVIG help this?"."""
    assert _answered(core, "She had HLH at 24, treated with HLH-94 etoposide. Now 29, node biopsy shows idiopathic "
                           "multicentric Castleman disease. Would IVIG help this?") == []


def test_a_word_of_the_other_meaning_right_before_a_term_outweighs_a_cue_elsewhere(core):
    """"my AVWS pt (IgG-k MGUS) ... her daughter ... type 1 von Willebrand disease": the inherited disease, though
    MGUS cues the acquired syndrome; MGUS still settles the term with nothing beside it."""
    result = core.matcher.find("my AVWS pt (IgG-k MGUS) gets IVIG before procedures. her daughter 19 was just "
                               "diagnosed type 1 von Willebrand disease, heavy periods. any evidence?")
    assert "type 1 von Willebrand disease" in result.not_found
    assert _answered(core, "MGUS with von Willebrand disease and bleeding, IVIG?") == ["acquired-von-willebrand-syndrome"]


def test_two_capitals_after_an_arrow_can_conclude(core):
    """"treated as Crohn's for 6 mo, biopsy caseating granulomas -> intestinal TB. ivig?": the TB is the question."""
    assert _answered(core, "ileocaecal ulcers, treated as Crohn's for 6 mo, biopsy caseating granulomas and TB PCR + "
                           "→ intestinal TB. ivig?") == []
    assert core.matcher.find("weakness -> CT head normal. IVIG for CIDP?").not_found == []


def test_a_condition_told_before_a_concluded_uncovered_disease_is_offered(core):
    """"posterior uveitis treated as non-infectious ... -> ocular toxoplasmosis. would ivig have any role": the work-up
    started from the uveitis and concluded a disease the bot lacks, so the uveitis is offered, not answered. A covered
    conclusion is answered; an arrow that concludes nothing leaves the condition answered."""
    question = ("posterior uveitis treated as non-infectious (ada + MMF) 6 mo, then new focal retinochoroiditis next to a "
                "pigmented scar, aqueous PCR toxo + -> ocular toxoplasmosis. would ivig have any role")
    assert _answered(core, question) == []
    assert [h.condition_id for h in core.matcher.find(question).suggestions] == ["non-infectious-uveitis"]
    assert _answered(core, "posterior uveitis -> MRI normal. would ivig have any role") == ["non-infectious-uveitis"]
    assert _answered(core, "posterior uveitis, then fatigable weakness -> MG. ivig?") == ["myasthenia-gravis"]


def test_a_condition_told_before_a_stated_uncovered_diagnosis_is_offered(core):
    """"nephew of my MG patient ... has been diagnosed with congenital myasthenic syndrome, ...": the diagnosis stated
    concludes; a guess ("looks like pharyngitis") or a clause that goes on about it ("so diabetic autonomic
    neuropathy was the first thought") does not."""
    question = ("nephew of my MG patient (AChR+, on maintenance IVIG) has been diagnosed with congenital myasthenic "
                "syndrome, antibodies neg. parents want to know if IVIG would work for him")
    assert _answered(core, question) == []
    assert [h.condition_id for h in core.matcher.find(question).suggestions] == ["myasthenia-gravis"]
    question = ("drug-resistant focal epilepsy on 4 ASMs, carbamazepine added 5 weeks ago, fever, rash, RegiSCAR 7. "
                "DRESS. some people use IVIG - evidence?")  # an abbreviation as a sentence of its own states it too
    assert [h.condition_id for h in core.matcher.find(question).suggestions] == ["drug-resistant-epilepsy"]
    assert _answered(core, "Toxic shock syndrome 24F, group A strep in blood cultures, source looks like pharyngitis, on "
                           "pen + clinda and norad. Add IVIG?") == ["streptococcal-toxic-shock-syndrome"]
    assert _answered(core, "autoimmune autonomic ganglionopathy, ganglionic AChR ab high titre. pt has type 1 diabetes so "
                           "diabetic autonomic neuropathy was the first thought. IVIG evidence?") == [
        "autoimmune-autonomic-ganglionopathy"]


def test_a_relatives_condition_told_with_with_is_theirs(core):
    """"has a cousin with GPA on ritux maintenance. anti-GBM disease - evidence for IVIG?": the GPA is the cousin's;
    "Mum with beta thal trait, first baby had GALD" asks about GALD; "my son with CIDP" is still the question."""
    assert _answered(core, "RPGN, ANCA negative x2, anti-GBM 180. has a cousin with GPA on ritux maintenance. anti-GBM "
                           "disease - evidence for IVIG alongside PLEX?") == []
    assert _answered(core, "my son with CIDP, is IVIG worth it?") == ["chronic-inflammatory-demyelinating-polyneuropathy"]


@pytest.mark.parametrize(("question", "expected"), [
    # only the same name ruled out in a later sentence corrects the label: a form of it ruled out does not
    ("MG on IVIG for years. Not in MG crisis now. Should maintenance IVIG go on?", ["myasthenia-gravis"]),
])
def test_a_label_is_corrected_only_by_its_own_name_ruled_out_later(core, question, expected):
    assert _answered(core, question) == expected


def test_it_would_help_names_the_treatment_again(core):
    """"mum read IVIG helped kids with autism and asks if it would help ADHD": ADHD is what IVIG is asked for."""
    assert _answered(core, "older brother has autism. this one, 8yo, has ADHD. mum read online IVIG helped kids with "
                           "autism and asks if it would help ADHD. anything?") == []



@pytest.mark.parametrize(("question", "expected"), [
    # another illness told after the question, after "also" or "bg", is the patient's, not what IVIG is asked for
    ("alzheimer disease, 72F, MMSE 21, family asking about ivig after reading online. also osteoporosis, hip "
     "fracture 2024, on alendronate. what did the trials show?", "alzheimer-disease"),
    ("refractory myasthenia gravis, failed aza and mmf, asking about ivig maintenance. bg osteoporosis, hip fracture "
     "2024. what did the trials show?", "myasthenia-gravis"),
    # a vaccine named by its disease is no disease ("despite pneumovax + flu vax")
    ("78F with chronic lymphocytic leukaemia, IgG 3.1, 3 pneumonias this yr despite pneumovax + flu vax. should we "
     "start ivig for infection prevention?", "chronic-lymphocytic-leukemia"),
])
def test_an_illness_told_beside_the_asked_condition_leaves_it_answered(core, question, expected):
    assert _answered(core, question) == [expected]


@pytest.mark.parametrize("question", [
    "TRALI after a platelet transfusion, 55M, she had post-transfusion purpura years ago - ivig?",
    "is there any ivig evidence for functional tic-like behaviours? her brother has tourette's",
    "12yo, brain biopsy shows PACNS, on cyclophosphamide - any evidence for ivig?",
    "is there ivig evidence in MCAS? she also has fibromyalgia",
])
def test_a_near_neighbour_the_curator_blocked_is_asked_about_not_the_condition_beside_it(core, question):
    """Transfusion-related lung injury is not post-transfusion purpura, nor are functional tic-like behaviours
    Tourette's, nor PACNS (a vasculitis of the brain) a slip of PANS, nor MCAS (a mast cell disorder) the macrophage
    activation syndrome: they are what is asked, and not covered."""
    answer = core.answer(Question(text=question))
    assert not answer.conditions and answer.not_found


def test_a_treatment_only_planned_tells_no_story_of_treatment_given(core):
    """"Considering" or "a paper on" before IVIG says it is not yet given: the condition it is planned for is the
    question, though an uncovered illness is told in a sentence after it."""
    answer = core.answer(Question(text="cPRA 98%, on dialysis 6 yrs, the team is considering desensitisation with "
                                       "ivig. he also had hepatitis B years ago and has gout. evidence?"))
    assert [c.id for c in answer.conditions] == ["solid-organ-transplant-desensitisation-rejection"]
    # ... where the treatment given before an uncovered disease told later is still the story, and offered
    given = core.answer(Question(text="Her first baby died of GALD and she had weekly IVIG in this pregnancy. The "
                                      "baby now has biliary atresia. Does IVIG help after Kasai?"))
    assert not given.conditions and "gestational-alloimmune-liver-disease" in {c.id for c in given.suggestions}


def test_a_term_ending_an_uncovered_name_told_before_names_it_again(core):
    """Batch 147's dev part: "chorea since age 2" after "benign hereditary chorea" is that chorea, so the streptococcal
    cue in the aside settles nothing, and the Sydenham label set aside is not answered either."""
    question = ("benign hereditary chorea (NKX2-1 variant), 7yo, chorea since age 2, non-progressive - any evidence for "
                "ivig? asking bc it was treated as sydenham chorea at first (ASO was high) and got penicillin")
    assert _answered(core, question) == [] and _kind(core, question) == "not_found"
    # told alone, the same term is still settled by its cue
    assert _answered(core, "7yo, chorea after a strep throat, ASO high - ivig?") == ["sydenham-chorea"]


@pytest.mark.parametrize(("question", "offered"), [
    # history, told by a word before it, in a sentence after the one naming the disease asked about: offered
    ("40M, sudden painful shoulder then winging -> neuralgic amyotrophy. background of ITP in 2015. ivig?",
     ["immune-thrombocytopenia-adults"]),
    ("40M, sudden painful shoulder then winging -> neuralgic amyotrophy. pmh kawasaki disease as a child. ivig?",
     ["kawasaki-disease"]),
])
def test_history_told_after_the_uncovered_disease_is_offered_not_answered(core, question, offered):
    answer = core.answer(Question(text=question))
    assert not answer.conditions
    assert [s.id for s in answer.suggestions] == offered


def test_a_condition_treated_now_after_the_uncovered_name_is_still_answered(core):
    """"STSS on pen + clinda": the illness treated now; "on" after it gives no history to offer it for."""
    question = ("48F alcohol related cirrhosis, GAS bacteraemia from a leg ulcer, BP 75/40, creat 250. STSS on pen + "
                "clinda. IVIG - any evidence?")
    assert [c.id for c in core.answer(Question(text=question)).conditions] == ["streptococcal-toxic-shock-syndrome"]
