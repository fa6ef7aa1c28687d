"""The answer core: a pure, synchronous, deterministic Question -> Answer function over the knowledge base."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from bot.intents import EVIDENCE, Intents, contains_phrase, load_intents
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.matcher import Hit, Matcher, MatchResult
from bot.models import (
    DESIGN_RANK,
    DIRECTION_LABELS,
    FAVOURABLE,
    UNFAVOURABLE,
    Answer,
    AnswerKind,
    Citation,
    Condition,
    ConditionAnswer,
    ConditionRef,
    Direction,
    FindingView,
    ListEntry,
    MatchMethod,
    Question,
)
from bot.render import cite
from bot.text import MAX_QUESTION_CHARS, canonical_phrase, clean

DISCLAIMER = "This summarises published evidence for education; it is not medical advice."
COMMANDS = "/help, /list [specialty or direction], /sources, /about, /good, /bad [comment], /quit"


@dataclass
class _CitationBook:
    """Numbers references in order of first use across one answer."""

    kb: KnowledgeBase

    def __post_init__(self) -> None:
        self.numbers: dict[str, int] = {}

    def number(self, key: str) -> int:
        return self.numbers.setdefault(key, len(self.numbers) + 1)

    def citations(self) -> list[Citation]:
        out = []
        for key, number in self.numbers.items():
            ref = self.kb.references[key]
            out.append(
                Citation(
                    number=number,
                    key=key,
                    first_author=ref.first_author,
                    year=ref.year,
                    title=ref.title,
                    journal=ref.journal,
                    volume=ref.volume,
                    pages=ref.pages,
                    pmid=ref.pmid,
                    doi=ref.doi,
                    url=ref.url,
                    pubmed_url=f"https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/" if ref.pmid else None,
                    doi_url=f"https://doi.org/{ref.doi}" if ref.doi else None,
                    source=ref.source,
                    reference_number=ref.reference_number,
                    verified=ref.verified,
                )
            )
        return out


class AnswerCore:
    def __init__(self, kb: KnowledgeBase, intents: Intents):
        self.kb = kb
        self.intents = intents
        self.matcher = Matcher(kb)
        # Whether a declared "other meaning" of an ambiguous term names a covered condition ("AD" may mean
        # Alzheimer disease, which is in the base): decided once per meaning, when a "did you mean" first needs it.
        self._meaning_is_covered: dict[str, bool] = {}
        self._specialty_phrases = sorted(
            ((canonical_phrase(s), s) for s in kb.specialties), key=lambda pair: -len(pair[0])
        )

    @classmethod
    def load(cls, knowledge: Path | None = None, intents: Path | None = None) -> "AnswerCore":
        """Build from the shipped data (or the given folders); raises DataError when the data is invalid."""
        return cls(load_knowledge(knowledge), load_intents(intents))

    # --- entry point --------------------------------------------------------------------------------

    def answer(self, question: Question) -> Answer:
        text, truncated = clean(question.text)
        notes = []
        if truncated:
            notes.append(f"Your message was long, so I read only its first {MAX_QUESTION_CHARS} characters.")
        if question.condition_ids:
            known = [cid for cid in question.condition_ids if cid in self.kb.conditions]
            hits = [Hit(cid, 100.0, MatchMethod.exact, self.kb.conditions[cid].name, 0, 0) for cid in known]
            return self._evidence(question, EVIDENCE, hits, [], notes)
        if question.intent and question.intent != EVIDENCE:
            return self._intent_answer(question, question.intent, (), notes, question.specialty, question.direction)
        if not text:
            return self._make(question, "empty", AnswerKind.empty, message="Ask me about IVIG in a condition, "
                              "for example: does IVIG work in myasthenia gravis? Type /help for more.")

        result = self.matcher.find(text)
        words = tuple(t.canonical for t in result.tokens)
        named = bool(result.matches or result.ambiguous or result.suggestions)
        intent = self.intents.detect(words, condition_named=named)
        previous = [cid for cid in question.previous_condition_ids if cid in self.kb.conditions]
        if result.matches:
            if intent == "out_of_scope":
                notes.append(self._out_of_scope_line() + " Here is the evidence on whether it works.")
            hits = list(result.matches)
            if previous and self.intents.compares(words):  # "compare with Guillain-Barré": keep the last topic
                hits = [self._context_hit(cid) for cid in previous] + [
                    replace(h, start_token=h.start_token + len(previous)) for h in hits]
            return self._evidence(question, intent, hits, self._unanswered(result), notes)
        if result.ambiguous or result.suggestions:
            return self._clarify(question, intent, result, notes)
        focus = self.intents.follow_up(words) or ("sources" if intent == "sources" else None)
        if previous and (focus or intent == "out_of_scope"):
            return self._follow_up(question, intent, previous, focus, notes)
        if intent != EVIDENCE:
            return self._intent_answer(question, intent, words, notes)
        return self._not_found(question, result, notes)

    # --- kinds ----------------------------------------------------------------------------------------

    def _context_hit(self, condition_id: str) -> Hit:
        name = self.kb.conditions[condition_id].name
        return Hit(condition_id, 100.0, MatchMethod.context, name, -1, -1, matched_text="(your previous question)")

    def _follow_up(self, question, intent, previous: list[str], focus: str | None, notes) -> Answer:
        """Answer about the conversation's last condition(s), bringing the asked-about detail forward."""
        hits = [self._context_hit(cid) for cid in previous]
        if intent == "out_of_scope":
            notes.append(self._out_of_scope_line() + " Here again is the evidence on whether it works.")
        answer = self._evidence(question, "follow_up", hits, [], notes)
        for cond in answer.conditions:
            if focus == "patients":
                counted = [f"{f.patients} ({f.design.value} {cite(f.citations)})" for f in cond.findings if f.patients]
                answer.notes.append(
                    f"Patient numbers for {cond.name}: " + ("; ".join(counted) if counted else "none of its sources "
                    "gives a patient count") + "." + ("" if len(counted) in (0, len(cond.findings)) else
                                                      " The other findings give no count.")
                )
            elif focus == "design":
                citations_by_design: dict[str, list[int]] = {}
                for f in cond.findings:
                    citations_by_design.setdefault(f.design.value, []).extend(f.citations)
                counts = Counter(f.design.value for f in cond.findings)
                answer.notes.append(f"Study designs behind {cond.name}: " + "; ".join(
                    f"{counts[design]} {design} {cite(numbers)}" for design, numbers in citations_by_design.items()
                ) + ".")
            elif focus == "sources":
                answer.notes.append(f"The sources for {cond.name} are the references below.")
        answer.focus = focus
        return answer

    def _evidence(self, question, intent, hits: list[Hit], suggestions, notes) -> Answer:
        book = _CitationBook(self.kb)
        answers: list[ConditionAnswer] = []
        for hit in sorted(hits, key=lambda h: h.start_token):
            if any(a.id == hit.condition_id for a in answers):
                continue
            answers.append(self._condition_answer(self.kb.conditions[hit.condition_id], hit, book))
        suggestions = [s for s in suggestions if all(s.id != a.id for a in answers)]
        return self._make(question, intent, AnswerKind.answer, conditions=answers, suggestions=suggestions,
                          citations=book.citations(), notes=notes)

    def _condition_answer(self, cond: Condition, hit: Hit, book: _CitationBook) -> ConditionAnswer:
        ordered = sorted(cond.findings, key=lambda f: DESIGN_RANK[f.design])  # stable: file order within a rank
        views, favourable, unfavourable = [], [], []
        for finding in ordered:
            numbers = [book.number(key) for key in finding.references]
            views.append(FindingView(
                statement=finding.statement, direction=finding.direction,
                direction_label=DIRECTION_LABELS[finding.direction], design=finding.design,
                patients=finding.patients, population=finding.population, figures=finding.figures,
                grade=finding.grade, caveat=finding.caveat, citations=numbers,
            ))
            if finding.direction in FAVOURABLE:
                favourable.extend(n for n in numbers if n not in favourable)
            elif finding.direction in UNFAVOURABLE:
                unfavourable.extend(n for n in numbers if n not in unfavourable)
        return ConditionAnswer(
            id=cond.id, name=cond.name, score=round(hit.score / 100, 3), matched_text=hit.matched_text or hit.alias,
            method=hit.method,
            specialty=cond.specialty, evidence_summary=cond.evidence_summary, last_reviewed=cond.last_reviewed,
            findings=views, favourable=favourable, unfavourable=unfavourable,
        )

    def _unanswered(self, result: MatchResult) -> list[ConditionRef]:
        refs: list[ConditionRef] = []
        for hit in result.ambiguous + result.suggestions:
            if any(r.id == hit.condition_id for r in refs):
                continue
            words = hit.matched_text
            if hit.method is MatchMethod.ambiguous:
                reason = f"“{words}” could mean {self.kb.conditions[hit.condition_id].name}"
                uncovered = self._uncovered(hit.other_meanings)
                if uncovered:
                    reason += " or " + " or ".join(uncovered)
            else:
                reason = f"“{words}” looks like “{hit.alias}”"
            refs.append(ConditionRef(id=hit.condition_id, name=self.kb.conditions[hit.condition_id].name,
                                     score=round(hit.score / 100, 3), matched_text=words, method=hit.method,
                                     reason=reason))
        return refs

    def _clarify(self, question, intent, result: MatchResult, notes) -> Answer:
        suggestions = self._unanswered(result)
        names = " or ".join(s.name for s in suggestions)
        other = sorted({m for h in result.ambiguous for m in self._uncovered(h.other_meanings)})
        message = f"Did you mean {names}?"
        if other:
            message += f" (It could also mean {', '.join(other)}, which I do not cover.)"
        message += " Ask again with the full name, or pick one."
        return self._make(question, intent, AnswerKind.clarify, suggestions=suggestions, message=message,
                          notes=notes)

    def _not_found(self, question, result: MatchResult, notes) -> Answer:
        for words, cid in result.blocked:
            notes.append(f"“{words}” is not {self.kb.conditions[cid].name}, which I do cover.")
        has_words = any(ch.isalpha() for ch in question.text)
        message = (
            "I could not find that condition in my knowledge base, so I cannot tell you what the evidence says "
            f"about it. I cover {len(self.kb.conditions)} conditions: type /list to see them."
            if has_words else "I did not understand that. Ask about IVIG in a condition, or type /help."
        )
        return self._make(question, EVIDENCE, AnswerKind.not_found, message=message, notes=notes)

    def _intent_answer(self, question, intent, words, notes, specialty=None, direction=None) -> Answer:
        if intent == "list_conditions":
            return self._listing(question, words, notes, specialty, direction)
        if intent == "sources":
            return self._sources(question, notes)
        if intent == "out_of_scope":
            return self._make(question, intent, AnswerKind.out_of_scope, notes=notes,
                              message=self._out_of_scope_line() + " Name a condition to see that evidence.")
        if intent == "greeting":
            return self._make(question, intent, AnswerKind.greeting, notes=notes, message=(
                "Hello! Ask me whether IVIG works in a condition, e.g. “IVIG for Guillain-Barré syndrome?”"))
        if intent == "about":
            return self._make(question, intent, AnswerKind.about, notes=notes, message=self._about_text())
        if intent == "help":
            return self._make(question, intent, AnswerKind.help, notes=notes, message=(
                "Ask in plain words, e.g. “does IVIG help myasthenia gravis?”, “IVIG in CIDP”, or several "
                "conditions at once. Typos and abbreviations are fine; when I am unsure I ask. "
                f"Commands: {COMMANDS}. “where is IVIG not recommended?” or “/list neurology” filter the list."))
        raise ValueError(f"unknown intent {intent!r}")

    def _listing(self, question, words, notes, specialty=None, direction=None) -> Answer:
        if specialty is None:
            specialty = next((s for phrase, s in self._specialty_phrases if contains_phrase(words, phrase)), None)
        if direction is None:
            direction = self.intents.direction(words)
        if specialty is not None and specialty.lower() not in self.kb.specialties:
            notes.append(f"I have no specialty called “{specialty}”; specialties: {', '.join(self.kb.specialties)}.")
            specialty = None
        entries = []
        for cond in sorted(self.kb.conditions.values(), key=lambda c: (c.specialty, c.name.lower())):
            directions = sorted({f.direction for f in cond.findings}, key=list(Direction).index)
            if specialty and cond.specialty != specialty.lower():
                continue
            if direction and direction not in directions:
                continue
            entries.append(ListEntry(id=cond.id, name=cond.name, specialty=cond.specialty, directions=directions))
        filters = {k: v for k, v in (("specialty", specialty), ("direction", direction and direction.value)) if v}
        described = " and ".join(
            ([f"in {specialty}"] if specialty else [])
            + ([f"with a finding that IVIG is {DIRECTION_LABELS[direction]}"] if direction else [])
        )
        message = f"{len(entries)} condition(s){' ' + described if described else ''} in my knowledge base."
        if not entries:
            message = f"No condition {described} in my knowledge base."
        return self._make(question, "list_conditions", AnswerKind.list, listing=entries, filters=filters,
                          message=message, notes=notes)

    def _sources(self, question, notes) -> Answer:
        uses = Counter(key for c in self.kb.conditions.values() for f in c.findings for key in f.references)
        book = _CitationBook(self.kb)
        for key, _count in sorted(uses.items(), key=lambda kv: (-kv[1], kv[0]))[:12]:
            book.number(key)
        message = (
            f"My {len(self.kb.conditions)} conditions rest on {len(uses)} cited works, read through a Medscape "
            "review of IVIG (2018), guideline bodies (AAN, AANEM, the Australian Ig Criteria, ASH, CADTH, Ontario) "
            "and the trials and reviews they cite. The most used are below; each answer lists its own."
        )
        return self._make(question, "sources", AnswerKind.sources, citations=book.citations(), message=message,
                          notes=notes)

    # --- helpers --------------------------------------------------------------------------------------

    def _uncovered(self, meanings: tuple[str, ...]) -> list[str]:
        """Other meanings of a term that are not themselves conditions of the base (those are suggested)."""
        for meaning in meanings:
            if meaning not in self._meaning_is_covered:
                found = self.matcher.find(meaning)
                self._meaning_is_covered[meaning] = bool(found.matches or found.ambiguous)
        return [m for m in meanings if not self._meaning_is_covered[m]]

    def _about_text(self) -> str:
        return (
            f"I am ivig-chat. I summarise the published evidence on whether intravenous immunoglobulin (IVIG) "
            f"works, for {len(self.kb.conditions)} conditions across {len(self.kb.specialties)} specialties, "
            "each answer with numbered citations. Unverified citations are marked. I do not cover dosing, side "
            f"effects or cost. {DISCLAIMER} Knowledge base reviewed {self.kb.last_reviewed.isoformat()}."
        )

    @staticmethod
    def _out_of_scope_line() -> str:
        return "I only cover the evidence on whether IVIG works (not dosing, side effects, cost or logistics)."

    def _make(self, question: Question, intent: str, kind: AnswerKind, **fields) -> Answer:
        return Answer(question=question.text, intent=intent, kind=kind, disclaimer=DISCLAIMER,
                      knowledge_version=self.kb.version, last_reviewed=self.kb.last_reviewed, **fields)
