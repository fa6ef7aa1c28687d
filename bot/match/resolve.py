"""Settling what was ambiguous: cue words around a term, a curator's one-reading note, a switch after an answer."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from bot.match.cues import Cues
from bot.match.lexicon import FILLER, AliasEntry, Rules
from bot.match.result import Hit, drop_head_said_again
from bot.match.roles import Role
from bot.models import MatchMethod
from bot.phrases import contains_phrase, runs_of

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from bot.match.result import MatchResult

BACKGROUND_ROLES = frozenset({Role.history, Role.past, Role.besides})  # what the patient lives with or had
LATE_CUE_SCORE = 90.0  # the score of a reading a marker or a late cue settled: above the late cue floor (matching.yaml)
PATIENT_GROUPS = frozenset({"child", "adult", "newborn"})  # cue groups (intents/cues.yaml) that say who the patient is
UNEXPLAINED_LETTERS = 5  # a word this long that no name or question has may be part of a disease's name


def context_groups(words: tuple[str, ...], text: str, cues: Cues) -> set[str]:
    """The cue groups a question speaks of: by their words ("children", "pregnant") or by an age ("6yo")."""
    found = cues.age_groups(text)
    runs = runs_of(cues.unswapped(words), cues.group_lengths)
    if found & PATIENT_GROUPS == {"adult"}:
        runs -= cues.relations  # "her daughter asks about her mum, 76F": the patient is the adult
    for name, phrases in cues.group_sets.items():
        if not phrases.isdisjoint(runs):
            found.add(name)
    return found


def settle_ambiguous(result: "MatchResult", taken: list[bool], text: str, cues: Cues, rules: Rules,
                     specialty: dict[str, str] | None = None, cues_only_from: float | None = None,
                     known: frozenset[str] | set[str] = frozenset(),
                     uncovered_with: "Callable[[str, tuple[str, ...]], bool] | None" = None,
                     markers: frozenset[str] = frozenset(),
                     features: "Mapping[str, frozenset[tuple[str, ...]]] | None" = None) -> None:
    """Answer an ambiguous term in one reading when the rest of the question settles it.

    Per span, a covered reading is settled by its cues elsewhere in the question, or by another condition of its
    specialty named in the same question ("GBS and CIDP"); exactly one settled reading is answered. Without either,
    a term the curator marked answer_with_note is answered in that covered reading (its only one, or the one marked
    among several), with a note naming the others, when the question is about medicine and names no other condition
    outright.
    `cues_only_from`: for terms read by the loose and typo passes, only readings scoring this much, and only by
    their cue words, except a term a clear typo reading took (`clear_terms`: "ACNA vasculitis"), settled as typed
    right. `known`: the words of covered names. `uncovered_with(word, words)`: whether an uncovered disease's name has
    that word and all those words. `markers`: the covered conditions' antibodies, letters joined. `features`: each
    condition's cue phrases (`bot.match.entry.cue_phrases`).
    """
    drop_head_said_again(result)  # "benign hereditary chorea ..., chorea since age 2": not Sydenham chorea
    by_span: dict[tuple[int, int], list] = {}
    for hit in result.ambiguous:
        if cues_only_from is None or hit.score >= cues_only_from:
            by_span.setdefault((hit.start_token, hit.end_token), []).append(hit)
    if not by_span:
        return
    words = tuple(t.canonical for t in result.tokens)
    # A cue right after "non", "not" ... says the opposite: "non-streptococcal" is no cue for streptococcal; nor is
    # one the question negates ("never had heparin"), with the word after it ("parvo B19 PCR neg"), nor one said
    # right after a phrase of the past role ("had RSV last winter", "past pregnancies managed as obstetric APS").
    negated = not rules.roles.negating.isdisjoint(words)
    tokens = result.tokens

    def denied(i: int) -> bool:  # "parvo B19 PCR neg", "eyes spared"
        return rules.roles.role(words, i, i + 1) is Role.negated or i + 1 < len(words) and text[
            tokens[i].end:tokens[i + 1].start].isspace() and rules.roles.role(words, i, i + 2) is Role.negated

    # ... a word joined by "and" or "or" to the denied word after it is denied too ("mouth and eyes spared")
    plain = tuple("" if i and (words[i - 1] in rules.cue_negations or rules.roles.past_right_before(words, i))
                  or negated and (denied(i) or i + 2 < len(words) and words[i + 1] in rules.roles.coordinating
                                  and denied(i + 2))
                  else w for i, w in enumerate(words))
    groups = context_groups(plain, text, cues)
    specialty = specialty or {}
    # Conditions named outright, less one the question says is over ("had RSV last winter ... ivig for BPD?")
    past = rules.roles.past_before_any(words)
    present = [h for h in result.matches if not past or rules.roles.role(words, h.start_token, h.end_token)
               is not Role.past]
    named = {specialty.get(h.condition_id) for h in present}
    # A term with one covered reading names its specialty too, for the other terms beside it ("PM/DM").
    single = {span: hits[0].condition_id for span, hits in by_span.items() if len({h.condition_id for h in hits}) == 1}
    for (start, end), hits in by_span.items():
        mine = {h.condition_id for h in hits}
        named_other = any(h.condition_id not in mine for h in result.matches)
        if named_other and _outcome(words, start, rules):
            continue  # "burns ... ivig to prevent sepsis": sepsis is what the burns question is about sparing
        beside = named | {specialty.get(cid) for (s, e), cid in single.items()
                          if cid not in mine and (e <= start or end <= s)}
        outside = plain[:start] + ("",) + plain[end:]
        cued = []
        for hit in hits:
            entry = hit.entry
            around = outside
            if (entry is not None and end - start > len(entry.words)
                    and "".join(plain[start:end]) != "".join(entry.words)):  # "CMV-IG" is CMVIG, no word inserted
                # A word read into the span but not of the name ("paraneoplastic cerebellar syndrome") may be a cue.
                around = plain[:start] + ("",) + tuple(w for w in plain[start:end] if w not in entry.words) + (
                    "",) + plain[end:]
            phrase = next((p for p in entry.cues if contains_phrase(around, p)), None) if entry else None
            group = next((g for g in sorted(entry.cue_groups & groups)), None) if entry else None
            # Who the patient is (an age, "adults") says which reading, not that the term is the question: beside
            # a condition named outright it is background ("41M, known HIV, now CIDP").
            if phrase or (group and not named_other):
                cued.append((hit, " ".join(phrase) if phrase else group))
        # A term that is a cue of another condition named outright is that condition's feature, which no cue of its
        # own makes a second question ("churg-strauss (EGPA) ... asthma ... refractory to steroids"): it stays asked.
        if cued and features and any(words[start:end] in features.get(h.condition_id, ()) for h in present
                                     if h.condition_id not in mine):
            continue
        # Readings each for a patient group, none of them the one the question names ("3 chest infections" in a
        # 71M: the children's entry): none is meant, and none is offered.
        own = {g for h in hits if h.entry is not None for g in h.entry.cue_groups}
        if not cued and all(h.entry is not None and h.entry.cue_groups for h in hits) and own.isdisjoint(groups) \
                and not (groups & PATIENT_GROUPS).isdisjoint(PATIENT_GROUPS - own):
            result.ambiguous[:] = [h for h in result.ambiguous if (h.start_token, h.end_token) != (start, end)]
            continue
        # An antibody of the reading is no cue a word beside the term outweighs ("after HSV encephalitis, NMDAR
        # antibodies": anti-NMDAR encephalitis).
        marked = any("".join(because.split()) in markers for _, because in cued)
        if (not cued or _other_meaning_beside(hits, words, start, end) and not marked) and _names_other_meaning(
                result, words, hits, around, start, end, taken, groups):
            # "congenital von Willebrand disease": the inherited disease, which the base does not cover; right beside
            # the term, such a word outweighs a cue elsewhere ("my AVWS pt (MGUS) ... her daughter ... type 1 von
            # Willebrand disease").
            continue
        if cued and not marked and any(contains_phrase(around, p) for h in hits if h.entry for p in h.entry.other_cues):
            continue  # a cue and a word for another meaning both said ("dad's liver transplant ... she's pregnant"): ask
        # A specialty named beside tells a term's one covered reading from its uncovered meanings ("GBS and CIDP");
        # among several covered readings only a reading named outright beside does ("hypogammaglobulinaemia
        # secondary to myeloma"): "SLE with neuropathy" is no EGPA neuropathy.
        if not cued and cues_only_from is None:
            outright = {h.condition_id for h in present}
            cued = [(h, f"the other {specialty[h.condition_id]} condition named") for h in hits
                    if specialty.get(h.condition_id) in beside and (
                        len(mine) == 1 and (h.entry is None or h.entry.match_case) or h.condition_id in outright)]
        if cued and any(contains_phrase(plain[start:end], p) for h in hits if h.entry for p in h.entry.other_cues):
            continue  # "congenital haemophilia with inhibitors": a term naming its other meaning itself stays asked
        # A reading whose own cue is denied right before the term ("non-parvo PRCA") is not what is asked: no cue
        # elsewhere ("retics 0.1%"), nor a condition of its specialty named (CLL), settles it.
        # Across a stop it says nothing of the term ("5 transfers with no implantation. RIF").
        if start > 1 and words[start - 2] in rules.cue_negations and not text[
                tokens[start - 1].end:tokens[start].start].strip(" -"):
            cued = [(h, because) for h, because in cued if not (h.entry and (words[start - 1],) in h.entry.cues)]
        chosen = None
        if len({h.condition_id for h, _ in cued}) == 1:
            hit, because = cued[0]
            # The other covered readings by id (the core names them: their shared term, "ITP", says nothing), or
            # the term's uncovered meanings as the data words them.
            others = tuple(h.condition_id for h in hits if h.condition_id != hit.condition_id) or hit.other_meanings
            chosen = replace(hit, method=MatchMethod.exact, because=because, note_others=others)
        elif (not cued and (cues_only_from is None or (start, end) in result.clear_terms) and not result.matches
              and len(marked := {h.condition_id: h for h in hits if h.entry is not None
                                 and h.entry.answer_with_note}) == 1):
            (first,) = marked.values()
            # Beside a condition named outright ("Behcet's with panuveitis") the term is more likely a feature of
            # that condition than a second question: it is left to ask.
            # Broader and shared terms ask ("haemophilia" is not acquired haemophilia); only a term the curator
            # marked is answered in its one covered reading, and only in a question about medicine.
            # Several covered readings ("ANCA vasculitis": GPA and MPA, or EGPA): the one the curator answers first,
            # its note naming the others.
            entry = first.entry
            alone = entry.answer_alone and all(w in FILLER for w in outside if w)
            before, after = words[max(0, start - 1):start], words[end:end + 1]
            # A word before it that is no word of a question or a name ("obliteative bronchiolitis"), a head word
            # after it ("ASS deficiency"), an "-itis" after it ("measles encephalitis": a complication of it), or a
            # word after it that an uncovered name shares with it ("lupus discoid": discoid lupus erythematosus,
            # inverted) may make it another disease: then it asks. Not a number ("24F lupus"), nor a word referring
            # back ("IVIG for her rheumatoid?").
            other = any(w not in FILLER and w not in rules.medical and w not in cues.words and w not in known
                        and w not in rules.roles.referring and not any(ch.isdigit() for ch in w)
                        and (w not in rules.course or w in rules.defining  # "a confirmed measles case": as "measles"
                             or rules.roles.role(words, start, end) is not None) for w in before) \
                or any(w in rules.head or w.endswith("itis") for w in after) or uncovered_with is not None and any(
                    w not in FILLER and w not in known and uncovered_with(w, entry.words) for w in after)
            # An uncovered disease named beside it ("asthma and COPD") makes the question one about medicine too.
            # Told as what came before ("2 weeks after chickenpox: drowsy, ataxic"), it is not what the question asks
            # about: it asks.
            # Told as what the patient lives with or had, beside an uncovered disease named, it is that disease's
            # background ("shingles in a 68F on tofacitinib for RA"): it asks.
            if not other and (alone or result.not_found or any(w in rules.medical for w in outside)) \
                    and not rules.roles.a_while_after(words, start) and not (
                        result.not_found and rules.roles.role(words, start, end) in BACKGROUND_ROLES):
                others = tuple(dict.fromkeys(h.condition_id for h in hits if h.condition_id != first.condition_id))
                chosen = replace(first, method=MatchMethod.exact, note_others=others + first.other_meanings)
        if chosen is not None:
            result.ambiguous[:] = [h for h in result.ambiguous if (h.start_token, h.end_token) != (start, end)]
            result.matches.append(chosen)
            taken[start:end] = [True] * (end - start)
    # The same term typed again means what it meant where the question settled it ("sporadic IBM ... any evidence ivig
    # helps the dysphagia in IBM?").
    answered = {(h.start_token, h.end_token): h for h in result.matches if (h.start_token, h.end_token) in by_span}
    settled = {words[s:e]: h for (s, e), h in answered.items()}
    for (start, end), hits in by_span.items():
        first = settled.get(words[start:end])
        if first is not None and (start, end) not in answered and any(h.condition_id == first.condition_id for h in hits):
            result.ambiguous[:] = [h for h in result.ambiguous if (h.start_token, h.end_token) != (start, end)]
            result.matches.append(replace(first, start_token=start, end_token=end))
            taken[start:end] = [True] * (end - start)


def _other_meaning_beside(hits: list, words: tuple[str, ...], start: int, end: int) -> bool:
    """Whether a phrase of the term's `other_cues` is typed right before it ("type 1 vWD", "inherited vWD"; not "vWD
    type 1 pattern", which an acquired syndrome shows too)."""
    return any(tuple(words[max(0, start - len(p)):start]) == tuple(p)
               for h in hits if h.entry is not None for p in h.entry.other_cues)


def _names_other_meaning(result: "MatchResult", words: tuple[str, ...], hits: list, around: tuple[str, ...],
                         start: int, end: int, taken: list[bool], groups: set[str]) -> bool:
    """Whether a word of the question, or a cue group it names (an age: "5 day old with GBS" is a newborn's group B
    strep), picks an uncovered meaning of the term at start:end (its `other_cues`); then the term is a disease not
    found, named as typed with such words right beside it ("congenital vWD", "vWD type 2A"), or, when that meaning is
    no disease, is set aside unnamed ("HIV on ART": antiretroviral therapy)."""
    phrases = [p for h in hits if h.entry is not None for p in h.entry.other_cues]
    found = next((p for p in phrases if contains_phrase(around, p)), None)
    if found is None and any(h.entry is not None and h.entry.other_groups & groups for h in hits):
        found = ()
    if found is None:
        return False
    tokens, n = result.tokens, len(found)
    first = start - n if words[max(0, start - n):start] == found else start
    last = end + n if first == start and words[end:end + n] == found else end  # "vWD type 2A"
    result.ambiguous[:] = [h for h in result.ambiguous if (h.start_token, h.end_token) != (start, end)]
    taken[first:last] = [True] * (last - first)
    if not any(h.entry is not None and h.entry.other_not_a_disease for h in hits):
        result.not_found.append(" ".join(t.original for t in tokens[first:last]))
        result.uncovered_spans.append((first, last))
    return True


def _outcome(words: tuple[str, ...], start: int, rules: Rules) -> bool:
    """Whether the term at `start` follows an outcome word, little words between ("prevention of sepsis")."""
    before = [w for w in words[max(0, start - 3):start] if w not in FILLER]
    return bool(before) and before[-1] in rules.outcome


def settle_switch(result: "MatchResult", previous: tuple[str, ...] | list[str], joins: frozenset[str],
                  specialty: dict[str, str] | None = None,
                  named: "Callable[[str], tuple[str, ...]] | None" = None) -> None:
    """After an answer, a message that is nothing but a term the curator answers with a note ("and BK virus?",
    "what about bronchiolitis"), or an abbreviation whose one covered reading is of the answer's specialty ("and MFS?"
    after GBS), is about IVIG as the answer was: it switches to the term's one covered reading, with its note.
    Not when that reading is the previous answer itself ("and lupus?" after SLE asks which lupus is meant). When the
    answer's name or a synonym has a word of the term's uncovered meaning (`other_cues`; `named(id)`: their words),
    that meaning is asked: "what about PNH" after Evans syndrome ("autoimmune haemolytic anaemia with immune
    thrombocytopenia") is a disease not found."""
    if result.matches or result.suggestions or result.not_found or len(result.ambiguous) != 1:
        return
    hit = result.ambiguous[0]
    entry = hit.entry
    if entry is None or hit.condition_id in previous:
        return
    words = [t.canonical for k, t in enumerate(result.tokens) if not hit.start_token <= k < hit.end_token]
    if not all(w in FILLER or w in joins for w in words):
        return
    said = [named(cid) for cid in previous] if named is not None and entry.other_cues else []  # each name once
    if not entry.other_not_a_disease and any(contains_phrase(name, p) for name in said for p in entry.other_cues):
        result.ambiguous.clear()
        result.not_found.append(" ".join(t.original for t in result.tokens[hit.start_token:hit.end_token]))
        result.uncovered_spans.append((hit.start_token, hit.end_token))
        return
    # An abbreviation's other meanings lie in other fields ("MFS": Marfan syndrome); a broader term's may not
    # ("diabetic neuropathy" after CIDP still asks).
    if not entry.answer_with_note and (not entry.match_case or not specialty or specialty.get(hit.condition_id)
                                       not in {specialty.get(cid) for cid in previous}):
        return
    result.ambiguous.clear()
    result.matches.append(replace(hit, method=MatchMethod.exact, note_others=hit.other_meanings))


def settle_by_topic(result: "MatchResult", previous: tuple[str, ...] | list[str],
                    named: "Callable[[str], tuple[str, ...]]", known: "Callable[[str], bool]") -> None:
    """After an answer, a term still asked about whose cue is a word of the answer's names is read as that cue says:
    the conversation's topic settles it as the word in the question would ("cmv prophylaxis w hyperimmune globulin?"
    after transplant desensitisation: "transplant"). Only with nothing else read, one covered reading cued, and no
    word of the term's other meanings in the question ("congenital cmv, pregnant woman ..."), nor a word after it that
    no name or question has (`known`), which may make it part of another disease's name ("and GBS with
    cryoglobulins?" after CIDP still asks)."""
    if result.matches or result.suggestions or result.not_found or not result.ambiguous:
        return
    readings = {h.condition_id for h in result.ambiguous}
    if len(readings) != 1 or readings & set(previous):
        return
    words = tuple(t.canonical for t in result.tokens)
    if any(h.entry is None or any(contains_phrase(words, p) for p in h.entry.other_cues) for h in result.ambiguous):
        return
    start = min(h.start_token for h in result.ambiguous)
    if any(len(w) >= UNEXPLAINED_LETTERS and w.isalpha() and not known(w) for w in words[start:]):
        return
    said = [named(cid) for cid in previous]
    cued = [(h, cue) for h in result.ambiguous for cue in h.entry.cues if any(contains_phrase(name, cue) for name in said)]
    if cued:
        # the note names the cue, as for a cue typed in the question ("because of 'transplant'")
        hit, cue = max(cued, key=lambda pair: pair[0].end_token - pair[0].start_token)
        result.ambiguous.clear()
        result.matches.append(replace(hit, method=MatchMethod.exact, because=" ".join(cue),
                                      note_others=hit.other_meanings))


def cued_outside(entry: AliasEntry, words: list[str], start: int, n: int) -> bool:
    """Whether one of the entry's cue phrases stands in the question outside the window start:start+n."""
    if not entry.cues:
        return False
    outside = (*words[:start], "", *words[start + n:])
    return any(contains_phrase(outside, cue) for cue in entry.cues)


def cued_forms(result: "MatchResult", taken: list[bool], terms: "Callable[[tuple[str, ...]], list[AliasEntry]]",
               defining: frozenset[str] = frozenset()) -> None:
    """An uncovered disease's name ending in a covered term read several ways, right after a cue of that term
    ("refractory focal epilepsy": focal epilepsy is a form of epilepsy, and "refractory" settles "epilepsy" as the
    drug-resistant epilepsy the base covers): answered as that reading, the words typed noted as a form of it.
    `terms(words)`: the covered entries of exactly these words. Not after a word of `defining` ("chronic
    constrictive pericarditis", "chronic cold urticaria" are other diseases than the chronic ones the base covers)."""
    words = tuple(t.canonical for t in result.tokens)
    for start, end in list(result.uncovered_spans):
        for head in range(start + 1, end):
            entries = [e for e in terms(words[head:end]) if e.condition_id and e.method is MatchMethod.ambiguous
                       and not e.blocks and e.cues]
            cue = next((p for e in entries for p in e.cues if words[max(0, start - len(p)):start] == p
                        and defining.isdisjoint(p)), None)
            if cue is None or len({e.condition_id for e in entries}) != 1:
                continue
            entry = next(e for e in entries if cue in e.cues)
            at = result.uncovered_spans.index((start, end))
            del result.uncovered_spans[at], result.not_found[at]
            # "intractable focal epilepsy is a form of drug-resistant epilepsy": the words as typed, cue and all
            first = start - len(cue)
            typed = " ".join(t.original for t in result.tokens[first:end])
            result.matches.append(Hit(entry.condition_id, LATE_CUE_SCORE, MatchMethod.exact, entry.text, first, end,
                                      entry.other_meanings, entry=entry, subtype=typed))
            taken[first:end] = [True] * (end - first)
            break
