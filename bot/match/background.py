"""Which named conditions the question asks about: the roles' rules applied to a match, in order (bot/match/roles.py
says what each role is, bot/match/referred.py how a later word refers back to a disease, bot/match/asked.py what
IVIG is asked for)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from bot.match.antibodies import serology_before
from bot.match.asked import keep_asked
from bot.match.cues import age_tokens
from bot.match.described import described_patients, drop_compared, drop_likenesses, drop_qualifiers, in_a_patient
from bot.match.diagnosed import ARROW_MARK, arrows
from bot.match.incomplete import drop_incomplete_offers
from bot.match.referred import drop_defined, keep_switched
from bot.match.roles import ASKED_SCORE, CLAUSE_END, QUESTION_END, Role, RoleWords, sentence_stops
from bot.match.studies import drop_study_names, names_a_study
from bot.match.treated import offer_treated_history
from bot.models import MatchMethod

ALTERNATIVE_WORDS = 3  # how far back a name typed before a slash may reach ("motor neurone disease/ALS")
KIN_BEFORE = 4  # words before a name in which a relative makes it theirs ("her first baby had GALD")
NEW_WITHIN = 4  # "now takayasu arteritis", "now post-EBV acute cerebellitis"
AGAIN_WORDS = 2  # words after "now" that may tell the condition's own course ("now relapsing")

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.match.lexicon import Rules
    from bot.match.result import Hit, MatchResult



def background(result: "MatchResult", rules: "Rules", text: str, theirs: "Callable[[str, str], bool] | None" = None,
               known: "Callable[[str], bool] | None" = None,
               followed: "Callable[[Hit], bool] | None" = None,
               names: "Callable[[str], list[tuple[str, ...]]] | None" = None,
               ending: "Callable[[tuple[str, ...]], bool] | None" = None,
               tested: "Callable[[Hit], bool] | None" = None) -> list[tuple[int, int]]:
    """Every rule of this module, in order: what each named condition is to the question, what IVIG is asked for,
    offers that give way to an uncovered disease, and names of bodies or studies. The spans of the conditions the
    roles left unread: told as background, not asked about."""
    # "what about the oral thrush he got from the steroids for his pemphigus?"; "and the EAN/PNS guideline?" names a body
    keep_switched(result, rules.roles, theirs, known, lambda end: names_a_study(result.tokens, end, text))
    drop_compared(result, rules.roles)  # "... her hailey-hailey like it does for PV?"
    drop_qualifiers(result, text, known)  # "... does ivig do anything for sjogren ILD?": not Sjogren's neuronopathy
    drop_defined(result)  # "paroxysmal nocturnal haemoglobinuria ... IVIG in PNH?": not neuromyotonia's PNH
    answered = [(h.start_token, h.end_token) for h in result.matches]
    # "58F, Crohn's on adalimumab ... her EBA?": EBA only
    drop_background(result, rules.roles, text, followed, known, theirs, tested)
    read = {(h.start_token, h.end_token) for h in (*result.matches, *result.suggestions, *result.ambiguous)}
    keep_asked(result, rules.roles, text, rules.outcome, theirs, known,  # "67M with CLL ... IVIG for warm AIHA?": AIHA
               lower_case=rules.typed_in_lower_case, course=rules.describing, asking_words=rules.medical, names=names,
               ending=ending)
    offer_treated_history(result, rules.roles, text, theirs)  # "Mum had IVIG for RIF. The baby has biliary atresia."
    drop_incomplete_offers(result, rules.generic)  # "rabies post exposure prophylaxis": not measles PEP
    drop_study_names(result, text)  # "the EAN/PNS guideline": a body, not paraneoplastic syndromes
    drop_likenesses(result, text)  # "a CIDP-like neuropathy": like CIDP, not CIDP
    return [span for span in answered if span not in read]


def drop_background(result: "MatchResult", roles: RoleWords, text: str,
                    followed: "Callable[[Hit], bool] | None" = None,
                    known: "Callable[[str], bool] | None" = None,
                    theirs: "Callable[[str, str], bool] | None" = None,
                    tested: "Callable[[Hit], bool] | None" = None) -> None:
    """Beside a condition the question is about, one named only as negated, as a trigger, as history or as the patient's
    ("the CLL patient has developed AIHA") is not answered ("58F, Crohn's on adalimumab ... her EBA?"). Beside an
    uncovered disease asked about, a negated, triggering or past one is not either ("MIS-A after COVID", "had kawasaki
    at 3 ... takayasu arteritis"); history and the patient's stay, as the uncovered name may be a feature of it
    ("known MG with a thymoma", "CLL patients with repeated chest infections"); history told before an uncovered
    disease told as new ("now", `told_new`) is offered ("known MG ..., now ... aplastic anaemia"), and so is one in no
    role, told in an earlier sentence that asks nothing ("CIDP. now takayasu arteritis, ivig?"); after either, a word
    that ends as diseases' names do and that no name has (`known`), or only uncovered names have (`theirs`), is such a
    disease ("now cerebellitis"), after history in the same sentence too ("schizophrenia for 20 yrs, now tardive
    dyskinesia"). Named in such roles only, conditions stay, except a negated one: ruled out, a condition is never
    answered ("aPL negative so not APS", "MOG antibody negative"); beside an offer read in no role ("4 weeks after
    covid ... the post-covid multisystem inflammatory syndrome") only history and the patient's stay, unless the offer
    goes on the clause of a condition in a role ("first baby had GALD and needed a liver transplant": its story). A
    label with a contrasting word after it ("first treated as NMOSD, but ...") is ruled out
    (`RoleWords.relabelled_at`).
    With nothing answered, a reading offered in any of these roles gives way to an uncovered disease asked about ("PML
    after renal transplant", "known asthma, now bronchiectasis")."""
    words = [t.canonical for t in result.tokens]
    if not (result.matches or result.suggestions or result.ambiguous) or roles.marks.isdisjoint(words) and (
            "with" not in words) and roles.told_new.isdisjoint(words):
        return
    tokens = result.tokens
    for h in (*result.matches, *result.ambiguous, *result.suggestions):  # "MOGAD, relapsing ON x3": optic neuritis,
        if len(typed := tokens[h.start_token].original) > 1 and typed.isupper():  # no "on" giving MOGAD a role
            words[h.start_token] = typed
    stops = sentence_stops(tokens, text, roles)
    glued = frozenset(k for k in range(1, len(tokens)) if text[tokens[k - 1].end: tokens[k].start] == "-")
    described = described_patients(result, words, text, roles)
    # "referred as motor neurone disease/ALS, but", "labelled ICU-acquired weakness / critical illness myopathy": a name
    # typed right after another one and a slash, spaced or not, shares its role phrase, up to ALTERNATIVE_WORDS words
    # back within its sentence.
    slashed = frozenset(k for k in range(1, len(tokens)) if text[tokens[k - 1].end: tokens[k].start].strip() == "/")

    def label_starts(start: int) -> list[int]:
        """Where the label a name is part of may start: the name itself, an antibody typed before it ("has anti-GAD
        stiff-person syndrome", "AQP4+ NMO"), or an alternative before a slash ("MND/ALS")."""
        found = [start]
        while start in slashed and len(found) <= ALTERNATIVE_WORDS and found[-1] > 0 and found[-1] not in stops:
            found.append(found[-1] - 1)
        if start not in stops and (qualifier := serology_before(tokens, start, glued)):
            found.append(start - qualifier)
        return found

    # "BM ... other lines normal -> acquired amegakaryocytic thrombocytopenia": an arrow opens the work-up's conclusion,
    # which no role word before it reaches.
    role_stops = tuple(sorted({*stops, *arrows(tokens, text)})) if ARROW_MARK.search(text) else stops

    # "myasthenia gravis, antibody negative": named alone, a disease is ruled out by a negative antibody test only if
    # the test finds it itself (`tested`); beside another disease it may be (a differential: "IMNM abs neg").
    alone = len({h.condition_id for h in (*result.matches, *result.ambiguous, *result.suggestions)}) == 1 and not (
        result.uncovered_named)

    def role_of(start: int, end: int, hit: "Hit | None" = None) -> Role | None:
        found_by_test = hit is None or tested is None or not alone or tested(hit)
        found = next((r for s in label_starts(start) if (r := roles.role(words, s, end, role_stops, glued,
                                                                        found_by_test)) is not None), None)
        return Role.holder if found is None and start in described else found

    own = {h: at for h in result.matches if (at := roles.own_feature_after(words, h.end_token, h.because)) is not None}
    for at in own.values():  # "IVIG in ASS associated ILD": a term and the cue that settled it are one label
        result.forget_uncovered(at)
    uncovered = result.uncovered_named  # a near miss the curator blocked ("MIS-A" beside MIS-C) too
    if not result.matches:  # "PML after renal transplant": not "did you mean CMV after organ transplantation?"
        offered = {h: role_of(h.start_token, h.end_token, h) for h in (*result.suggestions, *result.ambiguous)}
        # ... nor, beside a reading asked about, one ruled out ("vasculitis, MPO-ANCA +, no asthma": not asthma)
        gone = set(Role) if any(role_of(s, e) is None for s, e in uncovered) else (
            {Role.negated} if None in offered.values() else set())
        for readings in (result.suggestions, result.ambiguous):
            readings[:] = [h for h in readings if offered[h] not in gone]
        return
    role = {h: None if h in own else role_of(h.start_token, h.end_token, h) for h in result.matches}
    for h in result.matches:  # "no VZIG available": a product not at hand, the very case its condition asks about
        if role[h] is Role.negated and tuple(t.canonical for t in tokens[h.start_token:h.end_token]) in roles.products:
            role[h] = None
    relabelled, uncovered_starts = set(), {s for s, _ in uncovered}
    for h in result.matches:  # "first treated as seronegative NMOSD, but then granulomas on EBUS": ruled out
        stop = min((k for k in stops if k >= h.end_token), default=len(words))
        if role[h] in (None, Role.past) and (any(roles.relabelled_at(words, start, h.end_token, stop, glued)
                                                 for start in label_starts(h.start_token))
                                             or roles.corrected_at(words, h.end_token, stop, uncovered_starts)):
            role[h] = Role.negated
            relabelled.add(h.condition_id)
    # The same name ruled out in a later sentence, or after a contrasting word, takes back what it was first told as
    # ("on IVIG for "CIDP" 2 yrs ... -> hATTR amyloid polyneuropathy not CIDP", "?VITT but anti-PF4 neg so VITT
    # ruled out"): the label was corrected.
    def later(h: "Hit", n: "Hit") -> bool:
        return any(h.end_token <= k <= n.start_token for k in stops) or not roles.contrasting.isdisjoint(
            words[h.end_token:n.start_token])

    for h in result.matches:
        if role[h] is None and any(role[n] is Role.negated and words[n.start_token:n.end_token] == words[
                h.start_token:h.end_token] and later(h, n) for n in result.matches):
            role[h] = Role.negated
            relabelled.add(h.condition_id)
    # A term settled as a condition's reading beside that condition's label ("treating her as EGPA (asthma, ...), but
    # ..."): with the label set aside, so is the reading; with it told as over, the reading is over too.
    for h in result.matches:
        over = any(role[n] is Role.past for n in result.matches if n.condition_id == h.condition_id and not n.because)
        if role[h] is None and h.because and (h.condition_id in relabelled or over):
            role[h] = Role.negated if h.condition_id in relabelled else Role.past
    # "my brother has AQP4+ NMO, well on eculizumab. his son (19) now ... -> LHON. ... anything for Leber hereditary
    # optic neuropathy?": an uncovered disease in no role, in a sentence that brings in another person, and one in
    # the question, make the conditions told in earlier statements that story's past.
    def sentence(k: int) -> tuple[int, int]:  # the tokens of the sentence token k is in
        return max((s for s in stops if s <= k), default=0), min((s for s in stops if s > k), default=len(words))

    def asks(k: int) -> bool:  # the sentence of token k has the treatment or a question mark in it
        start, end = sentence(k)  # its closing mark too: "IG for hep A contact? 11mo in a daycare outbreak"
        close = tokens[end].start if end < len(tokens) else len(text)
        return not roles.treatment.isdisjoint(words[start:end]) or "?" in text[tokens[start].start:close]

    def questioned(k: int) -> bool:  # after the treatment in a question: "IVIG for visual loss after optic neuritis?"
        stop = QUESTION_END.search(text, tokens[k].end)
        return not roles.treatment.isdisjoint(words[sentence(k)[0]:k]) and stop is not None and stop.group(1) == "?"

    # "58M IPF, on nintedanib. his wife has antisynthetase ILD on IVIG ...": a condition right after a relative, in a
    # sentence after the one that gave the patient's own age, is the relative's, however plainly it is told. Not a
    # mother's or a baby's, which a pregnancy is treated for ("last baby had FNAIT").
    ages = age_tokens(tokens, text) if not roles.kin.isdisjoint(words) else set()
    for h in result.matches if ages else ():  # most questions name no relative, or give no age
        kin = next((k for k in range(max(sentence(h.start_token)[0], h.start_token - KIN_BEFORE), h.start_token)
                    if words[k] in roles.kin), None)
        if role[h] is None and kin is not None and words[kin] not in roles.pregnancy_kin and any(
                a < sentence(kin)[0] for a in ages):
            role[h] = Role.past
    plain = [s for s, e in uncovered if role_of(s, e) is None]
    kin_from = min((first for first, s in ((sentence(s)[0], s) for s in plain) if not roles.kin.isdisjoint(
        words[first:s])), default=None)
    if kin_from is not None and any(asks(s) for s in plain):
        for h in result.matches:
            stop = QUESTION_END.search(text, tokens[h.end_token - 1].end)  # "gets IVIG ... works great.": told
            if role[h] in (None, Role.holder) and h.end_token <= kin_from and not (
                    asks(h.start_token) and (stop is None or stop.group(1) == "?")):
                role[h] = Role.past

    def told_with(offer) -> bool:  # "first baby had GALD and needed a liver transplant": the offer is GALD's story
        return any(role[h] is not None and h.end_token <= offer.start_token and not CLAUSE_END.search(
            text, tokens[h.end_token - 1].end, tokens[offer.start_token].start) for h in result.matches)

    def told_new_at(s: int, after: int) -> bool:  # "now post-EBV acute cerebellitis"; not "now 12/40, factor V ..."
        return any(words[k] in roles.told_new and all(w.isalpha() for w in words[k + 1:s])
                   for k in range(max(after, sentence(s)[0], s - NEW_WITHIN), s))

    def told_new_after(conditions: list, starts: list[int]) -> bool:  # "CIDP. now takayasu arteritis": the story
        return any(all(sentence(h.start_token)[1] <= s and not asks(h.start_token) for h in conditions)
                   and told_new_at(s, 0) for s in starts)

    # ... or a word no name has, or only uncovered names have, ending as diseases' names do ("pmh: rasmussen ... now
    # post-EBV acute cerebellitis", "now severe tardive dyskinesia": biliary dyskinesia's word, unread alone)
    read_spans = (*uncovered, *((h.start_token, h.end_token) for h in (*result.matches, *result.suggestions,
                                                                         *result.ambiguous)))
    unread = [k for k, t in enumerate(tokens) if roles.ends_as_disease(t) and t.original.isalpha() and (
        not known(words[k]) or theirs is not None and theirs(words[k], t.original)) and not any(
        s <= k < e for s, e in read_spans)] if known is not None and not roles.told_new.isdisjoint(words) else []
    # Asked about: a condition in no role, or a term asked back about, read well enough ("ITP secondary to SLE").
    if any(r is None for r in role.values()):
        keep = [h for h in result.matches if role[h] is None]
        # "CIDP. now takayasu arteritis, ivig?": conditions told in earlier sentences, then an uncovered disease told
        # as new in a later one, are the story; the new disease may be the question, so they are offered.
        if told_new_after(keep, plain + unread):
            result.suggestions.extend(replace(h, method=MatchMethod.fuzzy) for h in keep)
            keep = []
    elif asked_terms := [a for a in result.ambiguous if a.score >= ASKED_SCORE
                         and role_of(a.start_token, a.end_token, a) is None]:
        # Only a condition named outright takes the question from the patient's ("CLL patients with repeated chest
        # infections": the infections' readings are asked back about beside CLL, not instead of it); so does one the
        # patient lives with, told before such a term in its sentence with nothing told as new between ("CLL on
        # ibrutinib with 4 chest infections"; not "known asthma, now recurrent chest infections"), a term read
        # better than a slip is ("known polymyositis, burnt out": no burns).
        keep = [h for h in result.matches if role[h] in (None, Role.holder) or role[h] is Role.history and any(
            h.end_token <= a.start_token and sentence(h.start_token) == sentence(a.start_token) and a.score > ASKED_SCORE
            and roles.told_new.isdisjoint(words[h.end_token:a.start_token]) for a in asked_terms)]
    # An uncovered name told in a statement ("enhancing optic nerve on MRI") does not outweigh one `questioned`.
    elif any(role_of(s, e) is None for s, e in (*(u for u in uncovered if asks(u[0]) or not any(
            questioned(h.start_token) for h in result.matches)),
            *((h.start_token, h.end_token) for h in result.suggestions if not told_with(h)))):
        # An offer read in no role is the question too ("4 weeks after covid ... the post-covid multisystem
        # inflammatory syndrome": not COVID-19). Another illness the patient also has (Role.besides) is not kept
        # after an uncovered disease told in that patient ("alopecia areata in a 9 yo who also has atopic dermatitis").
        topics = [s for s, e in uncovered if s in plain and in_a_patient(result, words, e, text, roles)]
        keep = [h for h in result.matches if role[h] in (Role.history, Role.holder) or role[h] is Role.besides and not any(
            s < h.start_token for s in topics)]
        # History or the patient's before an uncovered disease told as new ("known MG ..., now ... severe aplastic
        # anaemia", "7yo with autism now has alopecia areata") is offered.
        # So is history told, by words before it, in a sentence after the one naming the disease ("... -> wound
        # botulism. pmh recurrent C diff ..."; not "STSS on pen + clinda", the illness treated now).
        offered = [h for h in keep if any(
            h.end_token <= s and not roles.told_new.isdisjoint(words[h.end_token:s]) for s in plain) or (
            role[h] is Role.history and plain and all(sentence(s)[1] <= h.start_token for s in plain)
            and roles.role(words[:h.end_token], h.start_token, h.end_token, stops) is Role.history)]
        result.suggestions.extend(replace(h, method=MatchMethod.fuzzy) for h in offered)
        keep = [h for h in keep if h not in offered]
    else:
        # A condition named only as ruled out ("aPL negative so not APS", "enterovirus PCR negative") is not what
        # the question asks about: the question is about something else, named or not.
        keep = [h for h in result.matches if role[h] not in (Role.negated, Role.effect)]
        # Named only as the patient's past, with something told as new after it ("had strep TSS 2 years ago, now
        # cola-coloured urine, low C3 ... post-strep GN"), the condition may be the story and not the question: it
        # is offered. Not a relative's ("first baby had GALD ... she's 12 weeks now"), which a pregnancy is treated
        # to prevent. Nor one whose sequel the question tells ("had covid in march, now 8 months of fatigue, brain
        # fog"): what is new is that sequel, read from it later (`read_sequels`).
        last_end = max((h.end_token for h in keep), default=len(words))
        if keep and all(role[h] is Role.history for h in keep) and (
                told_new_after(keep, unread) or any(told_new_at(s, last_end) for s in unread)):
            result.suggestions.extend(replace(h, method=MatchMethod.fuzzy) for h in keep)  # "pmh: rasmussen ..."
            keep = []
        elif keep and all(role[h] is Role.past and roles.kin.isdisjoint(words[max(0, h.start_token - KIN_BEFORE):
                                                                             h.start_token])
                        and not (followed is not None and followed(h)) for h in keep) \
                and any(w in roles.told_new and roles.told_again.isdisjoint(words[k + 1:k + 1 + AGAIN_WORDS])
                        for k, w in enumerate(words[last_end:], last_end)):
            result.suggestions.extend(replace(h, method=MatchMethod.fuzzy) for h in keep)
            keep = []
        # Named only as a relative's, after a sentence that gave the patient's own age ("3yo with recurrent febrile
        # seizures ... older brother had FIRES", "depression in 45M ... his sister has schizophrenia"): their story.
        elif keep and all(not roles.kin.isdisjoint(words[max(0, h.start_token - KIN_BEFORE):h.start_token])
                          for h in keep) and any(k < sentence(min(h.start_token for h in keep))[0]
                                                 for k in age_tokens(tokens, text)):
            result.suggestions.extend(replace(h, method=MatchMethod.fuzzy) for h in keep)
            keep = []
    result.matches[:] = keep
    for readings in (result.suggestions, result.ambiguous):  # nor one ruled out beside them ("PR3+, no asthma")
        readings[:] = [h for h in readings if role_of(h.start_token, h.end_token, h) is not Role.negated]
