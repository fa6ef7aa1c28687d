"""The answer core: a pure, synchronous, deterministic Question -> Answer function over the knowledge base."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from bot.answers import CitationBook, clarify_reason, condition_answer
from bot.cited_names import CitedNames
from bot.follow_up_words import FollowUpWords
from bot.intents import EVIDENCE, Intents, load_intents
from bot.knowledge import DataError, KnowledgeBase, is_present, load_knowledge
from bot.listing import Lister
from bot.match.cues import CUES_FILE, Cues, check_cue_groups, load_cues
from bot.match.lexicon import RULES_FILE, Rules
from bot.match.matcher import Hit, Matcher, MatchResult
from bot.match.referred import drop_previous
from bot.match.replies import reply_choice
from bot.match.resolve import settle_by_topic, settle_switch
from bot.match.siblings import TermSiblings
from bot.models import Answer, AnswerKind, ConditionRef, MatchMethod, Question, TextRef
from bot.patient_groups import PatientGroups
from bot.text import MAX_QUESTION_CHARS, canonical_phrase, clean
from bot.texts import Texts, load_texts

# Intents the core answers in code; any other intent of intents.yaml must name a `response` text.
HANDLED_INTENTS = frozenset({EVIDENCE, "help", "about", "list_conditions", "sources", "out_of_scope", "greeting"})
TEXT_KINDS = {"help": AnswerKind.help, "about": AnswerKind.about, "greeting": AnswerKind.greeting}
MAX_NAMED_WORDS = 4  # an unknown name quoted back ("IVIG for TTP?"); longer, it is a description, not a name


class AnswerCore:
    def __init__(self, kb: KnowledgeBase, intents: Intents, texts: Texts, rules: Rules | None = None,
                 cues: Cues | None = None):
        self.kb, self.intents, self.texts = kb, intents, texts
        self.rules, self.cues = rules, cues  # kept: a core is rebuilt from its own parts (eval's reduced_core)
        self.disclaimer = texts.label("disclaimer")
        with collector_paused():
            self.matcher = Matcher(kb, rules, cues)  # None: the shipped matching.yaml and cues.yaml
            self.lister = Lister(kb, intents, texts)
        # Whether a declared "other meaning" of an ambiguous term names a covered condition ("AD" may mean
        # Alzheimer disease, which is in the base): decided once per meaning, when a "did you mean" first needs it.
        self._meaning_is_covered: dict[str, bool] = {}
        self._cited = CitedNames(kb)
        joins = intents.continues | {p[0] for p in intents.follow_up_phrases.get("compare", ()) if len(p) == 1}
        self.groups = PatientGroups(self.matcher.lexicon.entries, self.matcher.cues, frozenset(joins))
        self.term_siblings = TermSiblings(self.matcher.lexicon.entries, self.matcher.rules.negations,
                                          self.matcher.rules.generic)  # "the strep one"
        self._switch_words = intents.continues | intents.switches  # "and X?", "what about X", "same for X"
        self.follow_ups = FollowUpWords(intents, self.matcher)  # "any trial in t1dm?" names a disease

    @classmethod
    def load(cls, knowledge: Path | None = None, intents: Path | None = None) -> "AnswerCore":
        """Build from the shipped data (or the given folders); raises DataError listing every problem of every file
        when the data is invalid. matching.yaml and cues.yaml come from the same intents folder as intents.yaml, and
        every cue group a condition names ("@child") must exist there (a folder without them uses the shipped ones)."""
        problems: list[str] = []

        def attempt(load):
            try:
                return load()
            except DataError as exc:
                problems.extend(exc.problems)
                return None

        loaded = attempt(lambda: load_intents(intents, handled=HANDLED_INTENTS))
        kb = attempt(lambda: load_knowledge(knowledge))
        texts = attempt(lambda: load_texts(intents, extra_messages=dict.fromkeys(
            loaded.responses() if loaded else (), frozenset())))
        rules = attempt(lambda: Rules.load(_own_or_shipped(intents, RULES_FILE)))
        cues = attempt(lambda: load_cues(_own_or_shipped(intents, CUES_FILE)))
        if kb is not None and cues is not None:
            problems.extend(check_cue_groups(kb, cues))
        if problems:
            raise DataError(problems)
        return cls(kb, loaded, texts, rules, cues)

    # --- entry point --------------------------------------------------------------------------------

    def answer(self, question: Question) -> Answer:
        text, truncated = clean(question.text)
        notes = [TextRef(key="truncated", params={"limit": MAX_QUESTION_CHARS})] if truncated else []
        previous = [cid for cid in question.previous_condition_ids if cid in self.kb.conditions]
        if question.condition_ids:
            known = [cid for cid in question.condition_ids if cid in self.kb.conditions]
            hits = [Hit(cid, 100.0, MatchMethod.chosen, self.kb.conditions[cid].name, 0, 0) for cid in known]
            return self._evidence(question, EVIDENCE, hits, [], notes)
        if question.focus:
            if not previous:
                return self._text(question, "follow_up", AnswerKind.not_found, "follow_up_without_answer", notes)
            return self._follow_up(question, "follow_up", previous, question.focus, notes)
        if question.intent and question.intent != EVIDENCE:
            return self._intent_answer(question, question.intent, (), notes, question.specialty, question.direction)
        if not text:
            return self._text(question, "empty", AnswerKind.empty, "empty", notes)

        text = self.follow_ups.after_acknowledgement(text)  # "thanks. does it improve strength?": the question
        result = self.matcher.find(text)
        if previous:
            settle_switch(result, previous, self._switch_words, self.matcher.specialty_of,  # "what about PNH" after AIHA
                          self._names_of)
            settle_by_topic(result, previous, self._names_of,  # "cmv prophylaxis?" after kidney transplant desensitisation
                            self.matcher.is_known)
            drop_previous(result, previous, self.matcher.rules.roles, self.matcher.is_known,  # "... develops TTP?"
                          self.matcher.uncovered_words.theirs, self.matcher.rules.joining)
            if not result.matches and self._cited.drop_offers(result, previous) and not result.named:
                # "what does the AHA say?" after Kawasaki: the body its answer cites, not acquired haemophilia
                return self._follow_up(question, "follow_up", previous, "more", notes)
        self.groups.compare(result)  # "ITP in adults and in children": both
        for blocked, _ in result.blocked:  # a near-miss phrase ("IgA nephropathy") is a disease the bot lacks
            if blocked not in result.not_found:
                result.not_found.append(blocked)
        words = tuple(t.canonical for t in result.tokens)
        intent = self.intents.detect(words, condition_named=result.named)  # "what about MERS?" asks of MERS
        # "how many neonates in total" after an answer that also offered neonatal sepsis: a question on the answer
        if question.offered_ids and not result.matches and not (previous and self.intents.follow_up(words)):
            fields = {cid: self.kb.conditions[cid].specialty for cid in question.offered_ids if cid in self.kb.conditions}
            # A reply that itself offers other conditions ("ICU neuropathy" after "AD: Alzheimer or atopic?") picks
            # only by the words of a candidate's names: "neuro" or a cue in it must not pick Alzheimer disease.
            elsewhere = {h.condition_id for h in result.ambiguous + result.suggestions} - set(question.offered_ids)
            chosen = reply_choice(text, question.offered_ids, self.matcher.lexicon, self.matcher.cues,
                                  self.matcher.rules.negations, fields, self.intents.replies, tuple(result.not_found),
                                  names_only=bool(elsewhere), generic=self.matcher.rules.generic,
                                  cue_negations=self.matcher.rules.cue_negations)
            if chosen:  # "adults", "the second one", "yes", "both": a reply to the last "did you mean"
                return self._evidence(question, EVIDENCE, [
                    Hit(cid, 100.0, MatchMethod.chosen, self.kb.conditions[cid].name, k, k + 1)
                    for k, cid in enumerate(chosen) if cid in self.kb.conditions], [], notes)
        affirms = bool(words) and not result.named and set(words) <= self.intents.replies.affirm
        # ... or a short reply naming a patient group none of them is for ("in babies" to "neonatal or adult sepsis?")
        regroups = not result.named and 0 < len(words) <= 4 and not self.matcher.cues.words.isdisjoint(words)
        if (affirms or regroups) and len(question.offered_ids) > 1:  # "yes" to "A or B?": which one, again
            result.suggestions = [Hit(cid, 100.0, MatchMethod.chosen, self.kb.conditions[cid].name, 0, 0)
                                  for cid in question.offered_ids if cid in self.kb.conditions]
            return self._clarify(question, EVIDENCE, result, notes)
        if affirms and previous:  # "yes" after an answer: to its offer of the details
            return self._follow_up(question, "follow_up", previous, "more", notes)
        if result.not_found and (result.matches or result.ambiguous or result.suggestions):
            notes.append(TextRef(key="not_found_named", params={
                "names": _either(f"“{n}”" for n in _distinct(result.not_found)), "conditions": len(self.kb.conditions)}))
        named = {h.condition_id for h in result.matches if not h.note_others}
        for hit in result.matches:
            if hit.note_others and hit.condition_id in named:
                continue  # "EGPA with residual neuropathy": "neuropathy" read as EGPA too says nothing new
            form = self._form_of(result, hit, text)
            if form:  # "amyopathic dermatomyositis": a qualifier the base does not know, before a covered name
                notes.append(TextRef(key="read_as_form", params={
                    "words": form, "name": self.kb.conditions[hit.condition_id].name}))
            if hit.note_others:
                sequel = (after := self.kb.conditions[hit.condition_id].follows) and hit.note_others == (after.condition,)
                notes.append(TextRef(key="read_as_sequel" if sequel else "read_with_note", params={
                    "words": hit.matched_text, "name": self.kb.conditions[hit.condition_id].name,
                    "because": f" (because of “{hit.because}”)" if hit.because else "",
                    "others": _either(self.kb.conditions[o].name if o in self.kb.conditions else o
                                      for o in hit.note_others)}))
        if result.matches:
            if intent == "out_of_scope":
                notes.append(TextRef(key="out_of_scope_with_condition"))
            hits = list(result.matches)
            if previous and self.intents.compares(words):  # "compare with Guillain-Barré": keep the last topic
                hits = [self._context_hit(cid) for cid in previous] + [
                    replace(h, start_token=h.start_token + len(previous)) for h in hits]
            answer = self._evidence(question, intent, hits, self._unanswered(result), notes)
            if previous and {h.condition_id for h in hits} <= set(previous):
                # "how many patients in the CIDP trials?" after GBS and CIDP: the part asked for, of the one named;
                # "what dose did they use in the DM trial?": the details
                answer.focus = "more" if intent == "out_of_scope" else self.intents.follow_up(words)
            return answer
        if result.ambiguous or result.suggestions:
            offered = {h.condition_id for h in (*result.ambiguous, *result.suggestions)}
            if previous and offered <= set(previous) and (focus := self.intents.follow_up(words)) and not (
                    self.follow_ups.unknown_tail(text, result)):  # "... anything on ivig for human metapneumovirus"
                # "were any of those eczema studies randomised?" after atopic dermatitis: the answer's own term
                return self._follow_up(question, "follow_up", previous, focus, notes)
            return self._clarify(question, intent, result, notes)
        whole = self.intents.whole_message(words) if not result.named else None
        if whole == "help" and not words and previous and "?" not in text:
            whole = "thanks"  # "👍" after an answer acknowledges it; "?" alone still asks for help
        if whole is not None and whole != EVIDENCE:  # "hello again", "great, thanks": never a follow-up
            return self._intent_answer(question, whole, words, notes)
        focus = self.intents.follow_up(words) or ("sources" if intent == "sources" else None)
        # "what about adults?" (read as the "about" intent), not "which conditions in children?" (a list)
        asks_evidence = intent in (EVIDENCE, "out_of_scope") or words[:2] in (("what", "about"), ("how", "about"))
        sibling = None
        if previous and asks_evidence and not result.named:  # by patient group, or by a word of the sibling's names
            sibling = (self.groups.switch(previous, result.tokens, text)
                       or self.term_siblings.switch(previous, result.tokens, text))
        if sibling is not None and not self.follow_ups.besides(sibling[1], result):
            sibling = None  # "what about adult brainstem astroctyoma?" after polymyositis names another disease
        if sibling is not None:  # "and in children?" after ITP in adults: the children's summary
            cid, cue = sibling
            notes.append(TextRef(key="read_as_sibling", params={
                "words": cue, "name": self.kb.conditions[cid].name,
                "previous": self.kb.conditions[previous[0]].name}))
            if intent == "out_of_scope":  # "what dose in children?": the children's summary says no more on dosing
                notes.append(TextRef(key="out_of_scope_with_condition"))
            answer = self._evidence(question, EVIDENCE, [self._context_hit(cid)], [], notes)
            answer.focus = focus
            return answer
        tail = self.follow_ups.unknown_tail(text, result) if previous and not result.named else None
        if tail and self._cited.only_these(tail, previous, lambda t: self.follow_ups.plain_token(t, result.all_caps),
                                           lambda w: w in self.matcher.lexicon.uncovered):
            tail = None  # "how many pts in GAP": the trial the answer cites, not a disease
        if tail and self._cited.only_its_antibodies(tail, previous, lambda t: self.follow_ups.plain_token(t, result.all_caps)):
            return self._follow_up(question, "follow_up", previous, "more", notes)  # "and in MuSK?" after MG
        if tail:
            # "any trial in t1dm?" or "what dose for dengue?" after an answer asks about a disease the bot does not
            # know: never a follow-up on the previous condition.
            result.not_found.append(tail)
            return self._not_found(question, result, notes)
        if previous and (focus or intent == "out_of_scope") and not result.named:
            # A follow-up names no disease at all: "is there a trial in psoriasis?" is about psoriasis.
            if intent == "out_of_scope":  # "what dose did they use?": the details say what the studies gave
                notes.append(TextRef(key="out_of_scope_with_condition"))
                focus = "more"  # "any side effects in the trials?" asks what the studies saw, not their designs
            return self._follow_up(question, intent, previous, focus, notes)
        if previous and not result.named and (words[:2] in (("what", "about"), ("how", "about")) and len(words) > 2
                                              or words[:1] and words[0] in self.intents.continues and len(words) > 1):
            # "what about adults?", "and in pregnancy?": words of the previous topic, not a new disease
            return self._follow_up(question, "follow_up", previous, "more", notes)
        if (previous and not result.named and intent == EVIDENCE and words
                and all(self.follow_ups.plain_token(t, result.all_caps) or t.canonical.isdigit() for t in result.tokens)):
            # "in children?", "any RCTs in adults?", "were any of those kids? mine is 9": nothing but a follow-up's words
            return self._follow_up(question, "follow_up", previous, "more", notes)
        if intent == "about" and words[:2] in (("what", "about"), ("how", "about")) and len(words) > 2:
            # "what about human metapneumovirus?": a disease the bot does not know, not a question about the bot
            result.not_found.append(text.split(None, 2)[2].strip(" ?!.") if len(text.split(None, 2)) > 2 else text)
            return self._not_found(question, result, notes)
        if intent == "out_of_scope" and result.not_found:  # "IVIG dose for dengue shock syndrome?"
            notes.append(TextRef(key="out_of_scope"))  # what the bot lacks first, then what it never covers
            return self._not_found(question, result, notes)
        if intent != EVIDENCE:
            return self._intent_answer(question, intent, words, notes)
        if focus and not result.named:  # "how many patients?" with no answer before it
            return self._text(question, "follow_up", AnswerKind.not_found, "follow_up_without_answer", notes)
        if not result.named and not self.matcher.rules.roles.treatment.isdisjoint(words):
            # "IVIG for TTP?": name what was asked about ("no evidence summary for TTP"), not "for that"
            tail = self.follow_ups.unknown_tail(text, result)
            if tail and len(tail.split()) <= MAX_NAMED_WORDS and not self.follow_ups.set_aside(tail):
                result.not_found.append(tail)
        return self._not_found(question, result, notes)

    def _form_of(self, result: MatchResult, hit: Hit, text: str) -> str | None:
        """The typed words of a covered name with the unknown qualifier just before it ("amyopathic
        dermatomyositis"), when that qualifier is no word of a question or of any covered name."""
        if hit.subtype or hit.method not in (MatchMethod.exact, MatchMethod.abbreviation) or hit.start_token < 1:
            return None
        before = result.tokens[hit.start_token - 1]
        word = before.canonical
        between = text[before.end: result.tokens[hit.start_token].start]
        if (between not in (" ", "-") or len(word) < 4 or not word.isalpha() or word in self.follow_ups.plain
                or word in self.matcher.lexicon.condition_words):
            return None
        return text[before.start: result.tokens[hit.end_token - 1].end]

    # --- kinds ----------------------------------------------------------------------------------------

    def _names_of(self, condition_id: str) -> tuple[str, ...]:
        """The words of a condition's name and synonyms, in one run."""
        return canonical_phrase(" ".join((c := self.kb.conditions[condition_id]).synonyms + (c.name,)))

    def _context_hit(self, condition_id: str) -> Hit:
        name = self.kb.conditions[condition_id].name
        return Hit(condition_id, 100.0, MatchMethod.context, name, -1, -1, matched_text="(your previous question)")

    def _follow_up(self, question, intent, previous: list[str], focus: str | None, notes) -> Answer:
        """About the conversation's last condition(s); `focus` says which part was asked for (the renderers
        show that part only: patient counts, designs, sources, or "more", the full details)."""
        answer = self._evidence(question, intent if intent == "out_of_scope" else "follow_up",
                                [self._context_hit(cid) for cid in previous], [], notes)
        answer.focus = focus
        return answer

    def _evidence(self, question, intent, hits: list[Hit], suggestions, notes) -> Answer:
        book = CitationBook(self.kb)
        answers = []
        for hit in sorted(hits, key=lambda h: h.start_token):
            if any(a.id == hit.condition_id for a in answers):
                continue
            answers.append(condition_answer(self.kb.conditions[hit.condition_id], book, score=hit.score,
                                            matched_text=hit.matched_text or hit.alias, method=hit.method,
                                            subtype=hit.subtype))
        suggestions = [s for s in suggestions if all(s.id != a.id for a in answers)]
        return self._make(question, intent, AnswerKind.answer, conditions=answers, suggestions=suggestions,
                          citations=book.citations(), note_refs=notes)

    def _unanswered(self, result: MatchResult) -> list[ConditionRef]:
        refs: list[ConditionRef] = []
        for hit in result.ambiguous + result.suggestions:
            if any(r.id == hit.condition_id for r in refs):
                continue
            name = self.kb.conditions[hit.condition_id].name
            refs.append(ConditionRef(id=hit.condition_id, name=name, score=round(hit.score / 100, 3),
                                     matched_text=hit.matched_text, method=hit.method,
                                     reason_ref=clarify_reason(hit, name)))
        return refs

    def _clarify(self, question, intent, result: MatchResult, notes) -> Answer:
        suggestions = self._unanswered(result)
        names = _either(s.name for s in suggestions)
        other = sorted({m for h in result.ambiguous for m in self._uncovered(h.other_meanings)})
        message = (TextRef(key="clarify_uncovered", params={"names": names, "others": _either(other)}) if other
                   else TextRef(key="clarify", params={"names": names}))
        return self._make(question, intent, AnswerKind.clarify, suggestions=suggestions, message_ref=message,
                          note_refs=notes)

    def _not_found(self, question, result: MatchResult, notes) -> Answer:
        for words, cid in result.blocked:
            notes.append(TextRef(key="blocked", params={"words": words, "name": self.kb.conditions[cid].name}))
        if not any(ch.isalpha() for ch in question.text):
            return self._text(question, EVIDENCE, AnswerKind.not_found, "not_understood", notes)
        named = _distinct(result.not_found)  # "psoriasis ... would ivig help the psoriasis?": named once
        if named:
            message = TextRef(key="not_found_named", params={
                "names": _either(f"“{n}”" for n in named), "conditions": len(self.kb.conditions)})
        else:
            message = TextRef(key="not_found", params={"conditions": len(self.kb.conditions)})
        return self._make(question, EVIDENCE, AnswerKind.not_found, note_refs=notes, message_ref=message,
                          not_found=named)

    def _intent_answer(self, question, intent, words, notes, specialty=None, direction=None) -> Answer:
        if intent == "list_conditions":
            if specialty is None and direction is None:
                specialty, direction = self.lister.filters(words)
            entries, filters, message, more_notes = self.lister.listing(specialty, direction)
            return self._make(question, intent, AnswerKind.list, listing=entries, filters=filters,
                              message_ref=message, note_refs=notes + more_notes)
        if intent == "sources":
            book = CitationBook(self.kb)
            message = self.lister.most_used_sources(book)
            return self._make(question, intent, AnswerKind.sources, citations=book.citations(), message_ref=message,
                              note_refs=notes)
        if intent == "out_of_scope":
            return self._text(question, intent, AnswerKind.out_of_scope, "out_of_scope_alone", notes)
        if intent == "about":
            return self._make(question, intent, AnswerKind.about, note_refs=notes, message_ref=TextRef(
                key="about", params={"conditions": len(self.kb.conditions), "specialties": len(self.kb.specialties),
                                     "disclaimer": self.disclaimer, "reviewed": self.kb.last_reviewed.isoformat()}))
        if intent in TEXT_KINDS:
            return self._text(question, intent, TEXT_KINDS[intent], intent, notes)
        response = self.intents.response_of(intent)
        if response is None:  # load_intents refuses such data; a forced intent from an adapter may still be unknown
            return self._text(question, "help", AnswerKind.help, "help", notes)
        return self._text(question, intent, AnswerKind.greeting, response, notes)

    # --- helpers --------------------------------------------------------------------------------------

    def _uncovered(self, meanings: tuple[str, ...]) -> list[str]:
        """Other meanings of a term that are not themselves conditions of the base (those are suggested)."""
        for meaning in meanings:
            if meaning not in self._meaning_is_covered:
                found = self.matcher.find(meaning)
                self._meaning_is_covered[meaning] = bool(found.matches or found.ambiguous)
        return [m for m in meanings if not self._meaning_is_covered[m]]

    def _text(self, question: Question, intent: str, kind: AnswerKind, key: str, notes) -> Answer:
        return self._make(question, intent, kind, message_ref=TextRef(key=key), note_refs=notes)

    def _make(self, question: Question, intent: str, kind: AnswerKind, **fields) -> Answer:
        return Answer(question=question.text, intent=intent, kind=kind, disclaimer=self.disclaimer,
                      knowledge_version=self.kb.version, last_reviewed=self.kb.last_reviewed, **fields)


@contextmanager
def collector_paused():
    """The indexes are millions of small objects and no garbage cycles: rather than let the cyclic collector walk
    them, with the whole knowledge base, thousands of times while they are built, file them all as old at the end,
    so that no question after the build pays for a collection over all of them (at 100,000 conditions such a
    collection takes over a second). Filed without a walk: frozen and thawed, every object alive moves to the oldest
    generation at once (a collection of the young ones did the same in 0.6 s at 100,000 conditions). A process that
    froze its heap (bot/app.py's `settle_heap`) keeps a core built later, on a reload, frozen too."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            heap_frozen = gc.get_freeze_count() > 0
            gc.freeze()
            if not heap_frozen:
                gc.unfreeze()


def _own_or_shipped(folder: Path | None, name: str) -> Path | None:
    """The given intents folder for `name` when it has that file (or anything by that name), else the shipped one."""
    return folder if folder is not None and is_present(Path(folder) / name) else None


def _distinct(names: list[str]) -> list[str]:
    """Each name once, as first typed (a disease named twice is one disease not found)."""
    seen: set[str] = set()
    return [n for n in names if not ((key := " ".join(canonical_phrase(n)) or n) in seen or seen.add(key))]


def _either(names) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
