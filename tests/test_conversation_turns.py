"""Second turns after an answer, through the chat service: a disease the bot does not know is never answered as the
previous condition, words of the previous topic stay a follow-up, and follow-ups are read in everyday words."""

import pytest

from bot.adapters.terminal import COMMANDS
from bot.app import make_service
from bot.settings import Settings


@pytest.fixture
def service(core):
    return make_service(core, Settings.defaults(), adapter="t", commands=COMMANDS)


def second(service, first: str, then: str):
    service.handle_line("k", first)
    return service.handle_line("k", then).answer


@pytest.mark.parametrize(("then", "named"), [
    ("any trial in t1dm?", "t1dm"), ("and copd?", "copd"), ("any trial in hidradenitis?", "hidradenitis"),
    ("and in IgA nephropathy?", "IgA nephropathy"),  # a near-miss phrase of the data names what was not found
    ("and canadian fever?", "canadian fever"),  # a source's country beside an unknown word is still a disease
    ("and relapsing polychondritis?", "relapsing polychondritis"),  # a course word beside a disease's name
    ("and in resistant hypertension?", "hypertension"),
])
def test_an_unknown_disease_after_an_answer_is_named_not_answered(service, then, named):
    answer = second(service, "ivig for kawasaki", then)
    assert answer.kind.value == "not_found" and not answer.conditions
    assert named in answer.not_found


def test_a_disease_not_found_is_named_up_to_what_is_told_of_it(service):
    """After an HLH answer, "and for the chronic active EBV that triggered his HLH?" answered HLH again; then it
    named the whole stretch to the end as the disease not found."""
    answer = second(service, "IVIG for HLH in a 35yo adult?", "and for the chronic active EBV that triggered his HLH?")
    assert answer.kind.value == "not_found" and answer.not_found == ["chronic active EBV"]


@pytest.mark.parametrize(("then", "focus"), [
    ("what about adults", "more"), ("and in adults?", "more"), ("also sources please", "sources"),
    ("how many patients in the trial?", "patients"), ("any rct in kids?", "design"),
    ("any other studies?", "more"), ("is that just case series?", "design"), ("how many kids?", "patients"),
    ("in children?", "more"), ("any RCTs in adults?", "design"), ("pubmed?", "sources"), ("bottom line?", "more"),
    ("how strong is the evidence", "design"), ("where's that from", "sources"),
    # a body the answer cites, or another treatment: the full answer says what it found, never "no summary for UK"
    ("is it recommended in the UK?", "more"), ("NHS guidance?", "more"), ("what do the Australian criteria say?", "more"),
    ("what about AAN?", "more"), ("how does it compare with plasma exchange", "more"), ("and steroids?", "more"),
    ("how long did they follow up", "more"), ("who wrote that", "sources"), ("what is the NNT", "more"),
    ("what was the odds ratio", "more"), ("what was the comparator", "design"), ("was there a control group", "design"),
    ("and the mechanism?", "more"), ("primary endpoint?", "more"),
    ("what did they measure", "more"), ("any newer data?", "more"), ("is it nice approved", "more"), ("expand", "more"),
    # how soon it works
    ("how fast does the count come up after it?", "more"), ("how soon do platelets rise?", "more"),
    ("any proper trials or is it all case reports", "design"), ("when does the count usually go up?", "more"),
    ("how quickly do platelets come up", "more"),
    # who and how the disease runs: "and in infants under 6 months?" is no disease the bot lacks
    ("and in infants under 6 months?", "more"), ("what about IVIG-resistant cases?", "more"),
    ("what about refractory cases", "more"), ("and for maintenance?", "more"),
    # a body or a study in capitals before "guideline", "statement": not "did you mean paraneoplastic syndromes?"
    ("and the EAN/PNS guideline?", "design"), ("what does the AHA statement say?", "design"),
    ("what does the AHA say?", "more"),  # the body the Kawasaki answer cites, not acquired haemophilia
    ("ok and total n?", "patients"),  # "total" is no disease the bot lacks
    ("number of pts?", "patients"),
    ("study sizes?", "patients"), ("trial size?", "patients"),  # the plural too (batch 224's dev part)
    ("who was studied - only kids w a previously affected baby?", "more"),  # whom the trials took, not a disease
    ("were any of those kids? mine is 7", "more"),  # an age is no disease either
    ("same q for adults", "more"), ("same q, any rcts?", "design"),  # "q" is the question asked again
])
def test_words_of_the_previous_topic_stay_a_follow_up(service, then, focus):
    answer = second(service, "ivig for kawasaki", then)
    assert [c.id for c in answer.conditions] == ["kawasaki-disease"] and answer.focus == focus


def test_a_follow_up_question_after_an_answer_with_offers_is_about_the_answer(service):
    """An answer on neonatal enterovirus infection also offered neonatal and adult sepsis; "how many neonates in
    total" then picked neonatal sepsis by its patient group, as if it replied to the offer."""
    first = service.handle_line("k", "severe neonatal enterovirus sepsis - ivig?").answer
    assert "neonatal-sepsis" in [s.id for s in first.suggestions]
    answer = service.handle_line("k", "how many neonates in total").answer
    assert [c.id for c in answer.conditions] == ["neonatal-enterovirus-infection"] and answer.focus == "patients"


@pytest.mark.parametrize("typed", ["hello, I have a question", "hi, quick question"])
def test_an_opening_line_is_a_greeting(service, typed):
    assert service.handle_line("k", typed).answer.kind.value == "greeting"


@pytest.mark.parametrize("typed", ["cheers mate", "that's helpful", "thank u", "makes sense", "great, thank you",
                                   "that's useful", "that helps a lot", "k", "merci", "super", "👍",
                                   "great thanks, that's what i thought", "gotcha", "roger that",
                                   "great, that answers it", "that's just what i needed",
                                   "thx a lot", "thx so much"])  # "a lot", "so much" ask for no more
def test_thanks_after_an_answer_never_re_answers(service, typed):
    answer = second(service, "ivig for kawasaki", typed)
    assert not answer.conditions and answer.intent == "thanks"


@pytest.mark.parametrize("typed", ["cheers, that's all i needed", "thanks, that is all I need"])
def test_thanks_and_a_goodbye_after_an_answer_never_re_answer(service, typed):
    answer = second(service, "ivig for kawasaki", typed)
    assert not answer.conditions and answer.intent in ("thanks", "goodbye")


def test_a_question_mark_alone_after_an_answer_still_asks_for_help(service):
    assert second(service, "ivig for kawasaki", "?").intent == "help"


def test_a_greeting_with_a_follow_up_word_is_still_a_greeting(service):
    """"again" asks for more after an answer, but "hello again" is a greeting."""
    answer = second(service, "ivig for kawasaki", "hello again")
    assert answer.kind.value == "greeting" and not answer.conditions


def test_a_form_the_base_does_not_know_gets_a_note_that_the_evidence_is_for_the_whole_condition(service):
    """"amyopathic dermatomyositis": answered as dermatomyositis, saying the evidence is not about that form."""
    reply = service.handle_line("k", "amyopathic dermatomyositis")
    assert [c.id for c in reply.answer.conditions] == ["dermatomyositis"]
    assert "“amyopathic dermatomyositis”; the evidence below is for Dermatomyositis as a whole" in "\n".join(
        reply.answer.notes)


@pytest.mark.parametrize(("then", "focus"), [
    ("and was it placebo controlled", "design"),  # "and ..." with "it": about the answer, not a new disease
    ("how many patients in the danish trial", "patients"),  # "the ... trial": a study of that answer
    ("tell me more about that trial", "more"),  # the longest follow-up phrase says what is asked
    ("any more detail on the trial", "more"),
])
def test_a_follow_up_that_points_at_the_answer_stays_with_it(service, then, focus):
    answer = second(service, "ivig for kawasaki", then)
    assert [c.id for c in answer.conditions] == ["kawasaki-disease"] and answer.focus == focus


@pytest.mark.parametrize(("then", "named"), [
    ("and copd, does it work", "copd"),  # "it", but a disease's name is there too
    ("how many patients in the sarcoidosis trial", "sarcoidosis"),
])
def test_a_disease_named_beside_a_pointing_word_is_still_not_the_previous_condition(service, then, named):
    answer = second(service, "ivig for kawasaki", then)
    assert answer.kind.value == "not_found" and not answer.conditions
    assert any(named in n for n in answer.not_found)


@pytest.mark.parametrize("then", ["brilliant cheers", "ok great thanks", "ok bye", "cool, thanks!"])
def test_a_string_of_acknowledgements_never_re_answers(service, then):
    answer = second(service, "ivig for evans syndrome", then)
    assert not answer.conditions and answer.kind.value == "greeting"


@pytest.mark.parametrize(("first", "then"), [
    ("sle ivig", "and lupus?"),  # "lupus" has other meanings, and its one covered reading is the last answer
    ("ivig in cidp", "and GBS with cryoglobulins?"),  # a word beside the term that no follow-up uses
    ("ivig in cidp", "how about diabetic neuropathy"),  # broader than the one covered reading, also neurology
])
def test_an_ambiguous_term_after_an_answer_still_asks(service, first, then):
    """The conversation does not settle an ambiguous term: its specialty cannot tell a broader term ("diabetic
    neuropathy") from the one covered reading, and a term may be the last answer or part of another name."""
    answer = second(service, first, then)
    assert answer.kind.value != "answer"


@pytest.mark.parametrize(("first", "reply", "expected"), [
    ("AD", "the derm one", "atopic-dermatitis"), ("AD", "the neuro one", "alzheimer-disease"),
    ("ivig for MS", "the neurological one", "multiple-sclerosis"),
])
def test_a_reply_to_did_you_mean_may_name_the_specialty(service, first, reply, expected):
    assert service.handle_line("k", first).answer.kind.value == "clarify"
    assert [c.id for c in service.handle_line("k", reply).answer.conditions] == [expected]


def test_a_specialty_both_candidates_share_picks_neither(service):
    assert service.handle_line("k", "itp").answer.kind.value == "clarify"
    assert not service.handle_line("k", "the haematology one").answer.conditions


@pytest.mark.parametrize(("first", "then", "expected", "focus"), [
    ("ivig in itp for a 70 year old", "and in children?", "immune-thrombocytopenia-children", None),
    ("ivig in itp for a 70 year old", "and for his granddaughter aged 3", "immune-thrombocytopenia-children", None),
    ("neonatal sepsis ivig", "what about adults", "sepsis-adults", None),
    ("itp in kids", "how many patients in adults?", "immune-thrombocytopenia-adults", "patients"),
])
def test_a_follow_up_naming_the_other_patient_group_of_a_pair_switches_to_its_summary(service, first, then, expected,
                                                                                      focus):
    """The data keeps ITP in adults and in children apart; "and in children?" after the adults' answer would have
    shown the adults' evidence again."""
    answer = second(service, first, then)
    assert [c.id for c in answer.conditions] == [expected] and answer.focus == focus
    assert any("You asked about" in note for note in answer.notes)


@pytest.mark.parametrize(("first", "then", "stays"), [
    ("kawasaki", "and in adults?", "kawasaki-disease"),  # no summary of its own for adults: a follow-up
    ("itp in adults", "and in pregnancy?", "immune-thrombocytopenia-adults"),  # pregnancy is the adults' own cue
])
def test_a_patient_group_without_a_separate_summary_stays_a_follow_up(service, first, then, stays):
    assert [c.id for c in second(service, first, then).conditions] == [stays]


def test_the_note_on_a_settled_term_names_the_other_condition_not_the_term_again(core):
    from bot.models import Question

    answer = core.answer(Question(text="ivig in itp for a 70 year old"))
    [note] = [ref for ref in answer.note_refs if ref.key == "read_with_note"]
    assert note.params["others"] == "Immune thrombocytopenia in children"


@pytest.mark.parametrize(("then", "stays"), [("and in PLS?", False), ("more pls", True), ("and RCT?", True)])
def test_a_chat_word_typed_in_capitals_names_something(service, then, stays):
    """"pls" is please; "PLS" after an answer is primary lateral sclerosis, a disease the bot does not cover."""
    answer = second(service, "multifocal motor neuropathy", then)
    assert ([c.id for c in answer.conditions] == ["multifocal-motor-neuropathy"]) is stays


@pytest.mark.parametrize("then", ["which conditions in children?", "list conditions for children"])
def test_a_list_asked_after_an_answer_is_a_list_even_with_the_other_group_named(service, then):
    assert second(service, "ivig in itp for a 70 year old", then).kind.value == "list"


@pytest.mark.parametrize("reply", ["yes", "yep", "Yes please", "that one", "correct", "y"])
def test_yes_to_a_did_you_mean_with_one_candidate_answers_it(service, reply):
    asked = service.handle_line("k", "ivig for CIPD?").answer
    assert asked.kind.value == "clarify" and len(asked.suggestions) == 1
    answer = service.handle_line("k", reply).answer
    assert [c.id for c in answer.conditions] == [asked.suggestions[0].id]


def test_yes_to_a_did_you_mean_with_several_candidates_asks_which_again(service):
    asked = service.handle_line("k", "ITP").answer
    assert len(asked.suggestions) > 1
    again = service.handle_line("k", "yes").answer
    assert again.kind.value == "clarify" and not again.conditions
    assert [s.id for s in again.suggestions] == [s.id for s in asked.suggestions]
    assert [c.id for c in service.handle_line("k", "2").answer.conditions] == [asked.suggestions[1].id]


@pytest.mark.parametrize("reply", ["in babies", "babies", "for kids"])
def test_a_patient_group_none_of_the_candidates_is_for_asks_which_again(service, reply):
    """"sepsis?" asks: neonatal or adults'; "in babies" picks neither (a baby need not be a newborn), and is no
    question of its own: not "I have no evidence summary for that", but the same choice again."""
    asked = service.handle_line("k", "sepsis?").answer
    assert asked.kind.value == "clarify" and len(asked.suggestions) > 1
    again = service.handle_line("k", reply).answer
    assert again.kind.value == "clarify" and [s.id for s in again.suggestions] == [s.id for s in asked.suggestions]


def test_yes_after_an_answer_takes_its_offer_of_the_details(service):
    answer = second(service, "ivig for kawasaki", "yes please")
    assert [c.id for c in answer.conditions] == ["kawasaki-disease"] and answer.focus == "more"


@pytest.mark.parametrize(("reply", "index"), [("option 2", 1), ("number 1", 0), ("no. 2", 1), ("#2", 1)])
def test_a_numbered_reply_picks_that_candidate(service, reply, index):
    asked = service.handle_line("k", "ITP").answer
    answer = service.handle_line("k", reply).answer
    assert [c.id for c in answer.conditions] == [asked.suggestions[index].id]


@pytest.mark.parametrize("reply", ["both", "both please", "all of them"])
def test_both_answers_every_candidate_offered(service, reply):
    asked = service.handle_line("k", "ITP").answer
    answer = service.handle_line("k", reply).answer
    assert sorted(c.id for c in answer.conditions) == sorted(s.id for s in asked.suggestions)


def test_a_reply_giving_an_age_is_no_number_pick(service):
    service.handle_line("k", "itp ivig evidence")
    answer = service.handle_line("k", "she's 5").answer
    assert [c.id for c in answer.conditions] == ["immune-thrombocytopenia-children"]


@pytest.mark.parametrize(("first", "then", "expected"), [
    ("ivig hla desensitisation before kidney transplant", "and bk virus", "bk-virus-nephropathy"),
    ("ivig for kawasaki", "what about bronchiolitis", "respiratory-syncytial-virus"),
    ("ivig for adem", "paraneoplastic syndrome?", "paraneoplastic-neurological-syndromes"),
])
def test_a_noted_term_alone_after_an_answer_switches_to_its_one_covered_reading(service, first, then, expected):
    """After an answer the conversation is about IVIG: a term the curator answers with a note needs no other
    medical word."""
    answer = second(service, first, then)
    assert [c.id for c in answer.conditions] == [expected]
    assert any(note.key == "read_with_note" for note in answer.note_refs)


@pytest.mark.parametrize(("first", "then", "expected"), [
    ("bullous pemphigoid, failing steroids. ivig?", "same for MMP", "mucous-membrane-pemphigoid"),
    ("ivig in polymyositis", "sorry, i meant IBM", "inclusion-body-myositis"),
    ("ivig in critical illness polyneuropathy", "ok, and if it's actually GBS?", "guillain-barre-syndrome"),
])
def test_a_noted_term_after_an_answer_with_only_switching_words_switches_to_it(service, first, then, expected):
    """"same for MMP" asked back which MMP: "same" and "for" say the question is the one just answered."""
    assert [c.id for c in second(service, first, then).conditions] == [expected]


def test_the_same_term_without_an_answer_before_it_still_asks(service):
    assert service.handle_line("fresh", "and bk virus").answer.kind.value == "clarify"


def test_a_noted_term_with_other_words_after_an_answer_still_asks(service):
    assert second(service, "ivig for kawasaki", "and bronchiolitis in adults?").kind.value == "clarify"


def test_a_subtype_number_in_an_unknown_disease_is_no_age_to_switch_patient_group_by(service):
    """"type 9d" read as nine days old switched "ITP in adults" to the children's summary."""
    answer = second(service, "ITP in adults", "what about glycogen storaeg disease type 9d?")
    assert not answer.conditions


@pytest.mark.parametrize("then", ["what dose did they use", "side effects?", "any side effects reported in the trials?"])
def test_an_out_of_scope_follow_up_gets_the_details_not_the_same_short_answer_again(service, then):
    """The bot does not cover dosing, and says so; the details are the nearest it has (the trials' regimens)."""
    answer = second(service, "painful small fiber neuropathy ivig", then)
    assert [c.id for c in answer.conditions] == ["small-fibre-neuropathy"] and answer.focus == "more"
    assert any(note.key == "out_of_scope_with_condition" for note in answer.note_refs)


@pytest.mark.parametrize("then", ["how often in the maintenance phase?", "what loading dose for an obese patient?",
                                  "dose by ideal body weight?"])
def test_a_dosing_follow_up_in_words_of_how_it_is_given_stays_with_the_answer(service, then):
    answer = second(service, "ivig in CIDP", then)
    assert [c.id for c in answer.conditions] == ["chronic-inflammatory-demyelinating-polyneuropathy"]


@pytest.mark.parametrize("then", ["what dose for dengue?", "any side effects in hashimoto thyroiditis"])
def test_a_dosing_follow_up_about_another_disease_is_not_answered_as_the_last_one(service, then):
    """"what dose for dengue?" after CIDP was answered with the CIDP details: a follow-up hijack."""
    answer = second(service, "ivig in CIDP", then)
    assert answer.kind.value == "not_found" and not answer.conditions and answer.not_found


@pytest.mark.parametrize("typed", ["neutrophilic, pyoderma gangrenosum", "biopsy neutrophilic - PG ulcer ivig"])
def test_a_word_before_a_name_across_punctuation_is_no_form_of_it(service, typed):
    """"biopsy neutrophilic - PG": the biopsy finding and the diagnosis, not a form called "neutrophilic PG"."""
    answer = service.handle_line("k", typed).answer
    assert answer.conditions and not any(note.key == "read_as_form" for note in answer.note_refs)


def test_a_qualifier_joined_by_a_hyphen_is_still_a_form(service):
    answer = service.handle_line("k", "amyopathic-dermatomyositis").answer
    assert any(note.key == "read_as_form" for note in answer.note_refs)


@pytest.mark.parametrize(("first", "then", "expected"), [
    # after an answer, an ambiguous term whose one covered reading shares the answer's specialty switches to it
    ("ivig for guillain barre syndrome", "and for MFS?", ["miller-fisher-syndrome"]),
    ("ivig for guillain barre syndrome", "SPS?", ["stiff-person-syndrome"]),
    ("cidp ivig", "MS?", ["multiple-sclerosis"]),
    # ... not across specialties: after Kawasaki disease "MFS" may be Marfan syndrome; dermatomyositis is not neurology
    ("ivig for kawasaki", "and for MFS?", []),
    ("ivig for guillain barre syndrome", "DM?", []),
])
def test_an_ambiguous_term_of_the_answers_specialty_switches_to_it(service, first, then, expected):
    answer = second(service, first, then)
    assert [c.id for c in answer.conditions] == expected
    if expected:
        assert answer.note_refs  # its other meaning is named


def test_a_term_the_previous_answer_does_not_cite_still_asks(service):
    answer = second(service, "ivig for CIDP", "what does the AHA say?")
    # acquired haemophilia declares "AHA"; autoimmune haemolytic anaemia spells it (bot/match/initials.py)
    assert answer.kind.value == "clarify" and [c.id for c in answer.suggestions] == [
        "acquired-haemophilia", "autoimmune-haemolytic-anaemia"]


def test_a_head_word_in_a_reply_to_did_you_mean_picks_no_candidate(service):
    """"syndrome" is a word of "Churg-Strauss syndrome", but "tetraameila syndrome" names another disease."""
    assert service.handle_line("h", "ivig in systemic necrotising vasculitis").answer.kind.value == "clarify"
    assert not service.handle_line("h", "any trials in tetraameila syndrome").answer.conditions


def test_a_misspelt_blocked_name_after_an_answer_is_a_disease_not_found(service):
    answer = second(service, "chronic spontaneous urticaria, ivig?", "and urticarial vasculits?")
    assert answer.kind.value == "not_found" and not answer.suggestions


@pytest.mark.parametrize("then", ["trials? castleman", "is there a trial? pt has raynaud's",
                                  "any data? she also has vitiligo", "is there a trial? pt has nuerofibromatosis"])
def test_a_clause_of_its_own_naming_another_disease_is_no_follow_up(service, then):
    """"trials? castleman" after CIDP answered the CIDP trials: no "in" or "for" said what the trials were for."""
    answer = second(service, "ivig in CIDP", then)
    assert answer.kind.value == "not_found" and not answer.conditions


@pytest.mark.parametrize(("then", "focus"), [
    ("any trials? the dutch one", "design"), ("thanks: how big was the biggest study?", "patients"),
    ("any RCTs? Hughes 1978?", "design"), ("was it randomised? I thought so", "design"),
    ("great. how many paitents?", "patients"), ("thanks. what dose did they use?", "more"),
    # when it was given is a detail of the trials, not their design; a source asked without an apostrophe
    ("did the trials give it early or whenever?", "more"), ("and wheres that from?", "sources"),
    # the findings' caveats, their main result, who was enrolled and against what
    ("any caveats?", "more"), ("limitations?", "more"), ("and in practice?", "more"), ("total enrolled?", "patients"),
    ("was there a control arm", "design"), ("study type?", "design")])
def test_a_clause_of_its_own_about_the_answer_stays_a_follow_up(service, then, focus):
    answer = second(service, "ivig in CIDP", then)
    assert [c.id for c in answer.conditions] == ["chronic-inflammatory-demyelinating-polyneuropathy"]
    assert answer.focus == focus


@pytest.mark.parametrize("then", ["does it improve strength?", "is it still progressing?", "were there complications?",
                                  "any improvement in disability scores?", "does it reduce hospitalisations?",
                                  "what about relapses after stopping?", "has it been tried?",
                                  ("any negative trials?", "design"), ("what about the placebo arm", "design"),
                                  "and for exacerbations?"])
def test_a_follow_up_about_what_the_studies_measured_stays_with_the_answer(service, then):
    """These were "no evidence summary" after an answer: the outcome words read as an unknown disease's."""
    then, focus = then if isinstance(then, tuple) else (then, "more")
    answer = second(service, "ivig in CIDP", then)
    assert [c.id for c in answer.conditions] == ["chronic-inflammatory-demyelinating-polyneuropathy"]
    assert answer.focus == focus


@pytest.mark.parametrize(("then", "expected"), [
    ("thanks. does it improve strength?", ["chronic-inflammatory-demyelinating-polyneuropathy"]),
    ("cheers! how many patients?", ["chronic-inflammatory-demyelinating-polyneuropathy"]),
    ("thanks - and for MMN?", ["multifocal-motor-neuropathy"]),
])
def test_thanks_before_a_question_is_no_thanks_answer(service, then, expected):
    """"thanks. does it improve strength?" was answered "you're welcome": the question came after the thanks."""
    assert [c.id for c in second(service, "ivig in CIDP", then).conditions] == expected


@pytest.mark.parametrize("then", ["thanks, that's all", "ok thanks", "great, cheers"])
def test_thanks_alone_is_still_thanks(service, then):
    assert second(service, "ivig in CIDP", then).kind.value == "greeting"


@pytest.mark.parametrize(("then", "named"), [("my other pt has castleman", "castleman"), ("castleman?", "castleman")])
def test_a_message_naming_an_uncovered_disease_by_a_word_of_its_name_is_no_follow_up(service, then, named):
    answer = second(service, "ivig in CIDP", then)
    assert answer.kind.value == "not_found" and answer.not_found == [named]


@pytest.mark.parametrize(("first", "reply", "expected"), [
    ("ivig in ITP", "pt is a 34 yo woman, plt 12 with gum bleeding", "immune-thrombocytopenia-adults"),
    ("antiphospholipid syndrome and ivig", "she is 9 weeks pregnant, 3 previous losses despite heparin and aspirin",
     "obstetric-antiphospholipid-syndrome"),
    # "purpura" is a disease the bot lacks, but a word of the candidates' own name: a feature, not another disease
    ("whats the data for ivig in immune thrombocytopenia", "paeds, 4 y/o boy with wet purpura",
     "immune-thrombocytopenia-children"),
    # a cue word negated picks nothing: "not pregnant" is no cue for the obstetric reading
    ("aps, evidence for ivig?", "icu pt, not pregnant, clots in 3 organs within a week",
     "catastrophic-antiphospholipid-syndrome"),
    # a genus's initial tells no candidate from another, though one's name says "S. aureus TSS": the species picks
    ("toxic shock - should we give ivig?", "s pyogenes grew in blood cx", "streptococcal-toxic-shock-syndrome"),
])
def test_a_longer_reply_describing_the_patient_picks_a_candidate(service, first, reply, expected):
    """Replies of up to twelve words are read against the candidates; six cut these descriptions off."""
    assert service.handle_line("r", first).answer.kind.value == "clarify"
    assert [c.id for c in service.handle_line("r", reply).answer.conditions] == [expected]


def test_an_unknown_disease_before_a_patient_group_is_named_after_an_answer(service):
    """"and what about henoch schonlein in a 7 yo?" answered post-transfusion purpura again: the words after the
    last "in" are a patient's age, and the disease was further back."""
    answer = second(service, "ivig in PTP", "and what about henoch schonlein in a 7 yo?")
    assert answer.kind.value == "not_found" and answer.not_found == ["henoch schonlein"]
    # ... and with no "about" before it, right after the opening "and" (batch 149's dev part)
    answer = second(service, "ivig in als - anything?", "and sma type 3 in an adult")
    assert answer.kind.value == "not_found" and not answer.conditions and answer.not_found == ["sma"]
    assert [c.id for c in second(service, "ivig in ITP in adults", "and in children?").conditions] == [
        "immune-thrombocytopenia-children"]  # a patient group alone is still a follow-up


def test_a_sources_follow_up_saying_who_needs_them_stays_with_the_answer(service):
    answer = second(service, "ivig in myeloma hypogammaglobulinaemia", "where's that from? need the refs for the IG panel")
    assert answer.focus == "sources" and answer.conditions


@pytest.mark.parametrize(("first", "then", "expected"), [
    ("ivig in GBS", "no - CIDP", ["chronic-inflammatory-demyelinating-polyneuropathy"]),
    ("ivig for ITP in adults", "sorry i meant children", ["immune-thrombocytopenia-children"]),
    ("ivig for ITP in adults", "no, the kids one", ["immune-thrombocytopenia-children"]),
])
def test_a_correction_answers_what_it_corrects_to(service, first, then, expected):
    """"no - CIDP" read "no" as negating CIDP; "sorry i meant children" read "sorry" as an unknown disease's word."""
    assert [c.id for c in second(service, first, then).conditions] == expected


@pytest.mark.parametrize(("then", "focus"), [
    ("how many patients in the CIDP trials?", "patients"),
    ("is the benefit in CIDP lasting or only short term?", "more"),  # how long it lasts: the full answer says
])
def test_a_follow_up_naming_one_of_the_conditions_answered_gets_the_part_asked_for(service, then, focus):
    """"how many patients in the CIDP trials?" after GBS and CIDP gave CIDP's whole answer again."""
    answer = second(service, "ivig in GBS and CIDP", then)
    assert [c.id for c in answer.conditions] == ["chronic-inflammatory-demyelinating-polyneuropathy"]
    assert answer.focus == focus


@pytest.mark.parametrize(("first", "then"), [
    ("ivig for pemphigus vulgaris", "what about oral lichen planus in a pemphigus patient?"),  # a word before the name
    ("ivig for long covid", "and type 1 diabetes that started after her long covid?"),  # "after her": a trigger
    ("ivig for ITP in adults", "and HELLP in a pregnant woman with ITP?"),  # an abbreviation of uncovered names only
    # ... or of no name at all
    ("does IVIG improve visual recovery after optic neuritis?",
     "what about NAION in the other eye, a year after her optic neuritis?"),
    # ... one small letter opening it (batch 168's dev part)
    ("ivig for POTS?", "what about hEDS, most of our POTS kids have it"),
    ("ivig for bullous pemphigoid", "and for the hidradenitis suppurativa she had years before the pemphigoid?"),
])
def test_an_uncovered_disease_asked_next_with_the_answer_as_background_is_no_follow_up(service, first, then):
    answer = second(service, first, then)
    assert answer.kind.value == "not_found" and not answer.conditions


@pytest.mark.parametrize(("then", "expected"), [("and MRI in CIDP?", "chronic-inflammatory-demyelinating-polyneuropathy"),
                                                ("and NNT in kawasaki?", "kawasaki-disease")])
def test_a_test_or_a_measure_in_capitals_after_and_is_no_disease(service, then, expected):
    assert [c.id for c in second(service, "ivig for kawasaki", then).conditions] == [expected]


@pytest.mark.parametrize(("first", "then", "named"), [
    ("ivig for SLE", "what if the lupus patient develops TTP?", "TTP"),
    ("ivig in neonatal sepsis", "prem baby got through the sepsis but now has NEC - would ivig be any use?", "NEC"),
    ("ivig for kawasaki", "and if the same child later gets atypical HUS, once the kawasaki has settled?", "HUS"),
    ("ivig for erythromelalgia", "his erythromelalgia flares every summer but in winter he gets raynauds. does ivig "
     "help raynaud's?", "raynaud"),
])
def test_the_answered_condition_named_again_beside_a_new_disease_is_background(service, first, then, named):
    """Batch 18: after an answer, "the lupus patient", "got through the sepsis" name the patient, not the question."""
    answer = second(service, first, then)
    assert answer.kind.value == "not_found" and not answer.conditions and any(named in n for n in answer.not_found)


@pytest.mark.parametrize(("first", "then", "expected"), [
    ("ivig in NMOSD", "her NMOSD has been quiet, but now she has AChR positive myasthenia. ivig for that?",
     ["myasthenia-gravis"]),
    ("ivig for crohn's disease", "what if the crohn's patient gets pyoderma gangrenosum on the shin?",
     ["pyoderma-gangrenosum"]),  # "on the shin" is a place, not a treatment the patient lives with
    # joined by "and", both are asked
    ("ivig in GBS after campylobacter", "what about GBS and CIDP?",
     ["chronic-inflammatory-demyelinating-polyneuropathy", "guillain-barre-syndrome"]),
    # the answered condition "with" a comorbidity is still what is asked
    ("ivig for CIDP", "and in CIDP with diabetes?", ["chronic-inflammatory-demyelinating-polyneuropathy"]),
    ("ivig for MG", "MG with thymoma - ivig before surgery?", ["myasthenia-gravis"]),
    ("ivig for CIDP", "and in CIDP following a covid infection?", ["chronic-inflammatory-demyelinating-polyneuropathy"]),
])
def test_a_covered_condition_named_beside_the_answered_one_is_what_is_asked(service, first, then, expected):
    assert sorted(c.id for c in second(service, first, then).conditions) == expected


@pytest.mark.parametrize(("first", "then", "focus"), [
    ("ivig in atopic dermatitis", "were any of those eczema studies randomised?", "design"),
    ("ivig in relapsing-remitting multiple sclerosis", "what were the sample sizes in the MS trials?", "patients"),
    ("ivig in dermatomyositis", "what dose did they use in the dermatomyositis trial?", "more"),
])
def test_a_follow_up_naming_the_answered_condition_keeps_its_focus(service, first, then, focus):
    answer = second(service, first, then)
    assert answer.focus == focus and answer.conditions


@pytest.mark.parametrize(("reply", "expected"), [("shes 72", "immune-thrombocytopenia-adults"),
                                                 ("hes 6.", "immune-thrombocytopenia-children")])
def test_an_age_typed_without_its_apostrophe_settles_a_question_asked_back(service, reply, expected):
    """"ITP ivig evidence" asks adults or children; "shes 72" answers it as "she's 72" does."""
    assert service.handle_line("k", "ITP ivig evidence").answer.kind.value == "clarify"
    assert [c.id for c in service.handle_line("k", reply).answer.conditions] == [expected]


@pytest.mark.parametrize("then", ["were those studies kids or adults mostly", "was it kids only, what ages were studied"])
def test_whom_the_trials_studied_is_a_follow_up_for_more(service, then):
    answer = second(service, "LKS ivig evidence, 7yo with language regression", then)
    assert [c.id for c in answer.conditions] == ["landau-kleffner-syndrome"] and answer.focus == "more"


def test_a_switch_to_an_abbreviation_is_settled_by_the_organ_it_strikes(service):
    """After EGPA, "GPA with kidney involvement": the kidneys are GPA's, not a grade point average's."""
    answer = second(service, "EGPA with residual neuropathy, is ivig supported", "ok and for GPA with kidney involvement?")
    assert [c.id for c in answer.conditions] == ["anca-associated-vasculitis"]


def test_an_eponym_switched_to_after_an_answer_is_a_disease_not_found(service):
    answer = second(service, "ivig for erythromelalgia?",
                    "so for the erythromelalgia that helps, but what abt primary raynauds in a young woman, any ivig data")
    assert answer.kind.value == "not_found" and not answer.conditions


def test_older_kids_are_children(service):
    answer = second(service, "antenatal ivig for FNAIT", "and for older kids w ITP")
    assert [c.id for c in answer.conditions] == ["immune-thrombocytopenia-children"]


@pytest.mark.parametrize(("then", "expected"), [
    ("and hit?", "heparin-induced-thrombocytopenia"), ("what about ten?", "toxic-epidermal-necrolysis-stevens-johnson")])
def test_an_everyday_word_switched_to_alone_is_its_abbreviation(service, then, expected):
    assert [c.id for c in second(service, "evans syndrome ivig evidence?", then).conditions] == [expected]


@pytest.mark.parametrize(("then", "expected"), [
    ("sorry meant ms", "multiple-sclerosis"), ("no, i meant mg", "myasthenia-gravis"), ("and ms?", "multiple-sclerosis"),
    ("sorry, meant hit", "heparin-induced-thrombocytopenia")])
def test_a_two_letter_abbreviation_corrected_or_switched_to_alone_is_asked(service, then, expected):
    """"no, i meant mg" after CIDP had re-answered CIDP: a lower-case two-letter word was never an abbreviation
    without one of its cue words."""
    assert [c.id for c in second(service, "ivig in cidp", then).conditions] == [expected]


@pytest.mark.parametrize("then", ["and bp?", "what about dm?", "no ms"])
def test_everyday_two_letter_shorthand_or_a_bare_no_is_not_an_abbreviation_named(service, then):
    assert second(service, "ivig in cidp", then).kind.value == "not_found"


@pytest.mark.parametrize(("first", "expected"), [
    # the answer's name or a synonym holds a word of the abbreviation's uncovered meaning: that meaning is asked
    ("evans syndrome ivig?", "not_found"),  # "autoimmune haemolytic anaemia with immune thrombocytopenia"
    ("warm AIHA refractory to pred, ivig evidence?", "not_found"),
    # ... and otherwise the abbreviation is still asked back about
    ("kawasaki disease ivig?", "clarify"),
])
def test_an_abbreviation_after_an_answer_takes_the_meaning_the_answer_names(service, first, expected):
    answer = second(service, first, "what about PNH")
    assert answer.kind.value == expected and not answer.conditions
    if expected == "not_found":
        assert answer.not_found == ["PNH"]


def test_an_unread_disease_asked_with_its_patients_after_an_answer_is_not_that_answer(service):
    """"thanks, so thats RSV covered - is there anything on ivig for human metapneumovirus in lung transplant pts"
    was read as a question about the RSV trials' patients."""
    answer = second(service, "ivig for rsv prevention in prems - evidence?", "thanks, so thats RSV covered - is there "
                    "anything on ivig for human metapneumovirus in lung transplant pts")
    assert answer.kind.value != "answer" and not answer.conditions


def test_a_question_on_the_answers_own_term_is_still_a_follow_up(service):
    answer = second(service, "atopic dermatitis ivig?", "were any of those eczema studies randomised?")
    assert [c.id for c in answer.conditions] == ["atopic-dermatitis"] and answer.focus == "design"


@pytest.mark.parametrize("then", ["same pt, cmv prophylaxis w hyperimmune globulin?",
                                  "sorry, i meant cmv prophylaxis in the same tx pt"])
def test_a_cue_in_the_previous_answers_name_settles_a_term_asked_next(service, then):
    """"Transplant" in the answer's name settles CMV after a transplant question, as the word in the question would."""
    answer = second(service, "hla desensitisation before kidney tx, ivig evidence", then)
    assert [c.id for c in answer.conditions] == ["cmv-prevention-solid-organ-transplant"]
    # the note names the cue the answer's name gave, as it names a cue typed in the question
    assert any(note.key == "read_with_note" and note.params["because"] in (" (because of “organ”)",
                                                                           " (because of “transplant”)")
               for note in answer.note_refs)


@pytest.mark.parametrize("then", ["congenital cmv, pregnant woman w primary infection?", "what about CMV in pregnancy?"])
def test_a_word_of_the_terms_other_meaning_outweighs_the_previous_topic(service, then):
    answer = second(service, "hla desensitisation before kidney tx, ivig evidence", then)
    assert answer.kind.value == "not_found" and not answer.conditions


def test_the_previous_topic_settles_no_term_without_its_cue(service):
    assert second(service, "ivig for kawasaki", "cmv prophylaxis?").kind.value != "answer"


def test_a_correction_naming_a_transplant_after_post_switches_to_it(service):
    answer = second(service, "ivig prophylaxis in cll?", "sorry i meant post allo-sct pts, not cll")
    assert answer.kind.value == "answer"
    assert [c.id for c in answer.conditions] == ["allogeneic-stem-cell-transplantation"]


def test_a_reply_naming_the_cause_of_a_candidate_picks_it(service):
    """"GBS" in a newborn's story is group B streptococcus, read so because "sepsis" and the age bring it out: told
    in a reply to "neonatal or adult sepsis?", it is the sepsis's cause, not another disease, and the age picks."""
    answer = second(service, "sepsis, ivig?", "a 4 day old neonate, blood culture grew GBS")
    assert [c.id for c in answer.conditions] == ["neonatal-sepsis"]
    alone = service.handle_line("other", "4 day old neonate with GBS, ivig?").answer
    assert alone.kind.value == "not_found" and alone.not_found == ["GBS"]  # asked outright, still named
