"""What IVIG is asked for: the names right after the question's last naming of the treatment, in its clause, with
the conditions named before them told as background (used by bot/match/background.py)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from bot.match.initials import first_letters
from bot.match.lexicon import FILLER
from bot.match.referred import pointed_back, referred_back
from bot.match.roles import ASIDE, CLAUSE_END, QUESTION_END, SENTENCE_END, Role, RoleWords, sentence_stops
from bot.match.unread import DETERMINERS, SET_APART, unread_asked
from bot.models import MatchMethod

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.match.result import MatchResult
    from bot.text import Token

# What may follow the asked in its clause: the patients or the time ("IVIG for human metapneumovirus in lung
# transplant pts", "ivig for CHI next pregnancy?")
PATIENTS_AFTER = frozenset({"in", "among", "next", "during"})
# after the term asked, words that set it apart: "... for the hypermobile eds itself", "help the PHN too?", "any ivig
# data for PN specifically?", "... for ivig in lichen sclerosus at all?"
REFLEXIVE = SET_APART | {"too", "specifically", "particularly", "especially", "at", "all"}
SEVERAL_AFTER = frozenset({"for", "in"})  # before a term read several ways that IVIG is asked for
JOINING = frozenset({"and", "also"})  # between a name asked and a second naming of the treatment
MIN_WORD_NAMED_AGAIN = 3  # letters: "the ear disease" names autoimmune inner ear disease again
QUESTION_OPENERS = frozenset({"does", "do", "is", "are", "should", "can", "could", "will", "would", "how", "what"})

BEHIND_THE_ASKED = frozenset({Role.negated, Role.trigger, Role.history, Role.besides, Role.past,
                              Role.effect})  # not the patient


def _disease_word(result: "MatchResult", words: list[str], k: int, roles: RoleWords) -> bool:
    """Whether the word at k, in lower case and part of no reading, ends as diseases' names do ("arteriopathy")."""
    return (result.tokens[k].original.isalpha() and roles.ends_as_disease(result.tokens[k])
            and not any(h.start_token <= k < h.end_token for h in (*result.matches, *result.ambiguous, *result.suggestions)))


def _several_ways_asked(result: "MatchResult", words: list[str], last: int, end: int,
                        asking_words: frozenset[str]) -> int | None:
    """Where a term read several ways ends, right after "for" or "in" at the end of the treatment's clause and none
    of its readings a condition named elsewhere, if there is one: what IVIG is asked for, as an unread term is ("we
    give ivig to our big burns ... evidence for ivig ... in nephrotic syndrome?" asks back, the burns offered beside
    it)."""
    named_ids = {h.condition_id for h in (*result.matches, *result.suggestions)}
    readings: dict[tuple[int, int], set[str]] = {}
    for h in result.ambiguous:
        readings.setdefault((h.start_token, h.end_token), set()).add(h.condition_id)
    ends = [e for (s, e), ids in sorted(readings.items())
            if last + 1 < s and words[s - 1] in SEVERAL_AFTER and e <= end and ids.isdisjoint(named_ids)
            and all(w in asking_words or w in FILLER for w in words[e:end])]
    return ends[-1] if ends else None


def _named_again(result: "MatchResult", words: list[str], last: int, end: int, roles: RoleWords,
                 names: "Callable[[str], list[tuple[str, ...]]]") -> list[tuple[int, int]]:
    """Of two or more conditions named before the treatment, the one named again after it, in its clause, by "the"
    ("her" ...) and a word of its names that no other's has ("lady with ulcerative colitis and AIED ... any data for
    ivig in the ear disease?": autoimmune inner ear disease): its spans, what IVIG is asked for; else none."""
    before = [h for h in result.matches if h.end_token <= last]
    if len({h.condition_id for h in before}) < 2:
        return []
    words_of = {cid: {w for name in names(cid) for w in name} for cid in {h.condition_id for h in before}}
    for k in range(last + 1, end - 1):
        word = words[k + 1]
        if words[k] not in roles.referring or word in FILLER or len(word) < MIN_WORD_NAMED_AGAIN:
            continue
        owners = [cid for cid, own in words_of.items() if word in own]
        if len(owners) == 1:
            return [(h.start_token, h.end_token) for h in before if h.condition_id == owners[0]]
    return []


def keep_asked(result: "MatchResult", roles: RoleWords, text: str, outcome: frozenset[str] = frozenset(),
               theirs: "Callable[[str, str], bool] | None" = None, known: "Callable[[str], bool] | None" = None,
               lower_case: "Callable[[list[Token]], bool] | None" = None, course: frozenset[str] = frozenset(),
               asking_words: frozenset[str] = frozenset(), names: "Callable[[str], list[tuple[str, ...]]] | None" = None,
               ending: "Callable[[tuple[str, ...]], bool] | None" = None) -> None:
    """When the words right after the question's last naming of the treatment, up to the end of that clause, name a
    disease, covered or not ("67M with CLL, warm AIHA ... does IVIG work for warm AIHA?", "autism, also a PANDAS
    label, parents want IVIG for the autism itself"), that is what IVIG is asked for: a condition named before it is
    background and is not answered, unless the treatment's name follows it ("membranous nephropathy ivig evidence -
    and in FSGS?"). What IVIG should prevent ("to prevent sepsis") is asked for by no one; names after the treatment
    stay, unless a later clause gives them a role. Known cost: a complication named there ("MG crisis - IVIG for
    respiratory failure?") reads as the asked. A disease named earlier and referred back to there is asked about too
    (`referred_back`). A hyperimmune product named by a condition's term (`roles.products`: "VZIG", "CMV-IG") names
    the treatment as well: the disease asked for after it is the question ("VZIG for shingles?", "does ivig or CMV-IG
    have any role in PTLD?"), and the product's condition is not answered.
    """
    tokens = result.tokens
    if not (result.matches or result.ambiguous or result.suggestions):
        return
    words = [t.canonical for t in tokens]
    products = [h for h in result.matches if tuple(words[h.start_token:h.end_token]) in roles.products]
    named = [(h.start_token, h.end_token) for h in (*result.matches, *result.ambiguous, *result.suggestions)
             if h not in products]
    treated = sorted([k for k, t in enumerate(tokens) if t.canonical in roles.treatment
                      and not any(s <= k < e for s, e in named)]  # not a word of a name ("CMV immune globulin")
                     + [h.end_token - 1 for h in products])
    if not treated:
        return
    # "... on IVIG for his CIDP anyway - any evidence it helps restless legs syndrome?": "it" names the treatment again.
    treated += [k for k in range(treated[0] + 1, len(tokens))
                if any(tuple(words[k:k + len(p)]) == p for p in roles.treatment_again)]
    treated.sort()
    # The last naming in a sentence asked as a question, if any: "Does IVIG after the Kasai help biliary atresia?
    # ... she had antenatal IVIG this time" asks the first.
    asking = [k for k in treated if (stop := QUESTION_END.search(text, tokens[k].end)) and stop.group(1) == "?"]
    last = asking[-1] if asking else treated[-1]
    # A bracket right after the treatment is an aside: "Does immunoglobulin (oral or IV) help chronic norovirus?"
    aside = text.find(")", tokens[last].end) if ASIDE.match(text, tokens[last].end) else -1
    opened = next((k for k in range(last + 1, len(tokens)) if tokens[k].start > aside), len(tokens)) if aside > 0 else last
    # ... up to a stop, or "and" opening a question of its own ("the evidence for ivig and does the CKD change how we
    # dose it?": the CKD is no disease IVIG is asked for)
    end = next((k for k in range(opened + 1, len(tokens)) if CLAUSE_END.search(text, tokens[k - 1].end, tokens[k].start)
                or words[k] == "and" and k + 1 < len(words) and words[k + 1] in QUESTION_OPENERS), len(tokens))
    # An uncovered name right after a person and "with" tells who is treated ("rsv prevention with immunoglobulin in
    # an infant with congenital heart disease?"), not what IVIG is asked for.
    patients = {s for s, _ in result.uncovered_named if s >= 2 and words[s - 1] == "with" and words[s - 2] in roles.persons}
    # ... nor a name after "in" right after a disease the bot cannot read ("ivig for adenovirus in SOT?": the patients)
    patients |= {h.start_token for h in result.matches if h.start_token >= last + 3 and words[h.start_token - 1] in
                 PATIENTS_AFTER and _disease_word(result, words, h.start_token - 2, roles)}
    asked = [(s, e) for s, e in (*((h.start_token, h.end_token) for h in result.matches), *result.uncovered_named)
             if last < s and e <= end and not (s > 0 and words[s - 1] in outcome) and s not in patients
             and not _weighed(words, s, roles)]
    lead = min(asked, default=None)  # the first name in the clause itself (not one referred back to, below)
    if not asked and theirs is not None:
        asked = referred_back(result, words, last, end, roles, theirs, known, lower_case, course)
    if not asked and names is not None:  # "UC and AIED ... any data for ivig in the ear disease?"
        asked = _named_again(result, words, last, end, roles, names)
    if not asked:  # "... now has type 1 diabetes. Could IVIG help with that?"
        stop = QUESTION_END.search(text, tokens[last].end)
        asked = pointed_back(result, words, last, next((k for k in range(last + 1, len(tokens))
                                                        if stop and tokens[k].start >= stop.end()), len(tokens)), roles,
                             lambda k: _disease_word(result, words, k, roles))
    if not asked:  # "child with HIV. rabies - ivig?": a sentence that opens on an uncovered disease, then the treatment
        # in that sentence, or alone in the next ("... PML. ivig??"); one asking more ("... migraine w aura. ivig in
        # next pregnancy?") tells that disease aside
        sentence_end = next((k for k in range(last + 1, len(tokens))
                             if SENTENCE_END.search(text, tokens[k - 1].end, tokens[k].start)), len(tokens))
        asked = [(s, e) for s, e in result.uncovered_named
                 if e == last and (not s or SENTENCE_END.search(text, tokens[s - 1].end, tokens[s].start))
                 and (not SENTENCE_END.search(text, tokens[e - 1].end, tokens[e].start)
                      or all(w in asking_words or w in FILLER for w in words[last + 1:sentence_end]))]
    # ... the words asking after the evidence left off the clause's end ("IVIG in FES any evidence?"), or the patients
    # told after it ("ivig for human metapneumovirus in lung transplant pts")
    named_end = next((k + 1 for k in range(end - 1, last, -1) if words[k] not in asking_words and words[k] not in
                      REFLEXIVE), end)  # "... for the hypermobile eds itself"
    ends = [named_end, *[k for k in range(last + 3, named_end) if words[k] in PATIENTS_AFTER][:1]]
    lowered = lower_case is not None and lower_case(tokens)
    unread = next((e for e in ends if unread_asked(result, words, last, e, roles, known, theirs, lowered, text, course,
                                                   outcome, names, ending)), None) \
        if not asked and known is not None else None
    if unread is None and not asked and result.ambiguous:
        unread = _several_ways_asked(result, words, last, end, asking_words)
    if unread is not None:
        # "... now has pulmonary TB on RHZE. IVIG in TB?": what IVIG is asked for is a term the bot cannot read, or
        # reads several ways ("... PCD confirmed on genetics. IVIG for PCD?", "... evidence for ivig in nephrotic
        # syndrome?", `_several_ways_asked`); a condition named before it is offered, not answered; so is one told
        # after the question in a role ("ivig in LHON? ... treated as bilateral optic neuritis with IVMP, no
        # response"): the story; after a question mark, in any role or none ("ivig for TBE? ... (sent WNV serology
        # too, neg)"), unless the term spells the first letters of its name; so is one told as the patients ("ivig for
        # adenovirus in SOT?").
        stops = sentence_stops(tokens, text, roles)
        term = tokens[unread - 1].original.lower()
        told = [h for h in result.matches if h.end_token <= last or h in products or h.start_token in patients or (
            h.start_token >= end and (roles.role(words, h.start_token, h.end_token, stops) is not None or "?" in text[
                tokens[unread - 1].end:tokens[h.start_token].start] and term not in first_letters(
                words[h.start_token:h.end_token])))]
        result.suggestions.extend(replace(h, method=MatchMethod.fuzzy) for h in told)
        result.matches[:] = [h for h in result.matches if h not in told]
        return
    if asked:
        # The treatment right after a name, in its clause, asks about that name too ("membranous nephropathy ivig
        # evidence"); not across a stop ("... rather than Churg-Strauss. IVIG for hypereosinophilic syndrome?").
        # Not from inside a bracket ("5 failed embryo transfers (IVIG with the last one)": an aside), nor from a
        # statement beside a question ("got CMV immunoglobulin as part of prophylaxis. ... Does IVIG help ...?").
        before = {k for k in (asking or treated) if k and not SENTENCE_END.search(text, tokens[k - 1].end, tokens[k].start)
                  and "(" not in text[tokens[k - 1].end: tokens[k].start]}
        # A name asked after an earlier naming in its sentence is asked too when it closes that question ("ivig in
        # MS? any evidence in NMO?") or only "and" (`JOINING`) stands between it and the last naming ("ivig in
        # crohn's - and ivig in coeliac disease?").
        def asked_earlier(hit) -> bool:
            k = max((k for k in treated if k < hit.start_token), default=None)
            if k is None or hit.end_token > last or SENTENCE_END.search(text, tokens[k].end, tokens[hit.start_token].start):
                return False
            after = tokens[hit.end_token - 1].end
            return "?" in text[after:tokens[hit.end_token].start] or not SENTENCE_END.search(
                text, after, tokens[last].start) and all(w in JOINING for w in words[hit.end_token:last])

        joined = {h.end_token for h in result.matches if asked_earlier(h)}  # name ends, beside `before`'s namings
        stops = sentence_stops(tokens, text, roles)
        # That first name, told plainly, is what IVIG is asked for; one told later in the clause as the patient's past
        # is the story ("ivig for alopecia areata in a teen with a long history of atopic dermatitis").
        lead_end = lead[1] if lead and roles.role(words, *lead, stops) is None else end
        # A later clause that gives a condition a role gives background too ("ivig for giardiasis? background of
        # Bickerstaff encephalitis"); one that names it plainly asks about it as well ("ivig for GBS? and CIDP?").
        # Offered ones too ("plaque psoriasis ... alongside the pemphigoid - would IVIG help the psoriasis?").
        # A sentence told after the question, ending in a stop, is background ("... biliary atresia? Her previous
        # baby died of neonatal haemochromatosis (GALD) so ..."); so is one running to the message's end, unless it
        # opens by switching to what it names ("ivig for GBS? and CIDP") or is that name alone ("... GBS? CIDP"):
        # "ivig for endometriosis? 36F, RIF with 4 failed euploid transfers".
        asked_end = QUESTION_END.search(text, tokens[last].end).end() if asking else len(text)

        def told_after(hit) -> bool:
            if tokens[hit.start_token].start < asked_end:
                return False
            stop = QUESTION_END.search(text, tokens[hit.end_token - 1].end)
            if stop is None:
                opens = max((k for k in stops if k <= hit.start_token), default=0)
                return not any(tuple(words[opens:opens + len(p)]) == p for p in roles.switching) and (
                    opens < hit.start_token or hit.end_token < len(words))
            return stop.group(1) in ".;"

        # A name told before the treatment that the term asked spells is asked ("pretibial myxedema ... IVIG in PTM?").
        for found in (result.matches, result.ambiguous, result.suggestions):
            found[:] = [h for h in found if (h.start_token > last or h.end_token in before or h.end_token in joined
                                             or (h.start_token, h.end_token) in asked) and not (
                h.start_token >= end and roles.role(words, h.start_token, h.end_token, stops) is not None)
                and not (lead_end <= h.start_token < end and roles.role(
                    words, h.start_token, h.end_token, stops) in BEHIND_THE_ASKED)
                and not (told_after(h) and (h.start_token, h.end_token) not in asked)]


def _weighed(words: list[str], start: int, roles: RoleWords) -> bool:
    """Whether a word such as "given" or "despite" (`roles.circumstance`) stands right before the name at `start`,
    maybe with "the", "his" ... between ("is ivig still first line given the diabetes"): a circumstance weighed."""
    k = start - 1 if start and words[start - 1] in DETERMINERS else start
    return any(tuple(words[max(0, k - len(p)):k]) == p for p in roles.circumstance)
