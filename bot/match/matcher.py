"""Find the knowledge base's conditions inside free text, with explicit outcomes and the reason for each.

Order of decisions:
1. exact names, longest first: covered conditions' names, synonyms, abbreviations (whole words, case rule),
   ambiguous terms and accepted subtypes, and the names of every uncovered disease of the Disease Ontology, which
   claim their words ("usher syndrome" is never read as Miller Fisher syndrome); `never_match` phrases claim too
   (bot/match/exact_pass.py);
2. an ambiguous term is settled by cue words elsewhere in the question ("ITP in a 4 year old"), or, when the curator
   allows it and the question is about medicine, answered in its only covered reading with a note;
3. a misspelt longer name beats an exact shorter name inside it;
4. on the words left over, loose readings (any order, head word optional, one word more or fewer), then typo
   readings (bot/match/typo_pass.py); each accepted only when clearly ahead of every other condition (RoboDanny's
   rule), or, for a loose reading, when nothing else competes at all and nothing beside it could stand for its
   missing word; otherwise offered as "did you mean"; a reading that is an uncovered disease's name says "not
   covered"; terms read as ambiguous by these passes are settled by their cue words too;
5. an adjective left over stands for a one-word name ("autistic": autism; bot/match/adjectives.py);
6. a broad term after a word that says which disease is that disease, uncovered ("gestational thrombocytopenia");
7. an antibody reported as found ("anti-HMGCR+") answers an offered reading; negated, trigger, history and past
   mentions, and those before the clause that says what IVIG is asked for, are background (bot/match/background.py).
Abbreviations may be typed in lower case in an all-lower-case message, and an eponym alone ("susac") names its
condition, each under the rules of intents/matching.yaml.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cached_property
from itertools import chain

from rapidfuzz.distance import OSA

from bot.knowledge import KnowledgeBase
from bot.match.adjectives import adjective_pass
from bot.match.antibodies import Antibodies
from bot.match.apostrophe import proper_words, without_apostrophe
from bot.match.background import background
from bot.match.broader import offer_narrower, refer_back
from bot.match.cues import Cues, load_cues
from bot.match.described import drop_described, drop_likenesses, drop_parts
from bot.match.diagnosed import (named_after_arrow, named_as_diagnosis, named_before_cause, offer_told_before,
                                 stated_diagnosis)
from bot.match.eponyms import Eponyms
from bot.match.exact_pass import exact_pass
from bot.match.entry import NameTable, cue_phrases
from bot.match.fuzzy import ACCEPT_SCORE, SHORT_WORD, FuzzyIndex, Scored, word_budget
from bot.match.hyphen_swap import hyphen_swaps
from bot.match.initials import Initials
from bot.match.lexicon import FILLER, AliasEntry, Rules, build_lexicon
from bot.match.loose import LooseIndex
from bot.match.loose_pass import loose_pass
from bot.match.markers import Markers
from bot.match.misheard import misheard_names
from bot.match.other_patient import drop_another_patients
from bot.match.qualified import qualified_broad_terms
from bot.match.rearranged import coordinated, without_little_words
from bot.match.resolve import cued_forms, settle_ambiguous
from bot.match.phonetic import sound_key
from bot.match.result import Hit, MatchResult, drop_inner_readings, drop_settings
from bot.match.measurements import drop_measurements
from bot.match.sequels import read_sequels, sequels_of, told_sequel
from bot.match.shortlist import Shortlist, deletion_table
from bot.match.truncated import Completions, clipped_names, clipped_processes, clipped_uncovered_words, prose_words
from bot.match.typo_pass import EPONYM_TYPO_LETTERS, barrelled_words, short_word_typos, typo_pass
from bot.match.uncovered_around import UncoveredAround
from bot.match.undoubled import undoubled_names
from bot.match.uncovered_words import UncoveredWords
from bot.match.windows import NameWindows
from bot.models import MatchMethod
from bot.text import canonical_phrase, tokenize

MAX_TOKENS = 400
SILENT_E_FROM = 4  # letters: a term's sound longer than this may end in an unheard "e" ("tourete" heard "touret")
VOWELS = frozenset("aeiou")
NEAR_MEMO = 20_000  # distinct words whose near names are kept across questions (about 2 MB); then it starts again
INFECTIONS = "infectious disease"  # the knowledge's specialty of the conditions an infection names


class Matcher:
    def __init__(self, kb: KnowledgeBase, rules: Rules | None = None, cues: Cues | None = None):
        self.kb = kb
        self.rules = rules or Rules.load()
        self.cues = cues or load_cues()
        self.lexicon = build_lexicon(kb, self.rules, self.cues)
        self._exact = NameTable()
        self._max_words = 1
        vocabulary: set[str] = set()
        for entry in self.lexicon.entries:
            if entry.words:
                key = "".join(entry.words)
                self._exact.add(key, entry)
                self._max_words = max(self._max_words, len(entry.words))
                vocabulary.update(entry.words)
        self._exact.update(without_little_words(self.lexicon, self._exact, self.rules.optional))
        # Names the curator says are never a condition's ("urticarial vasculitis"): diseases not found, misspelt too.
        self.blocked_names = {key: entries for key, entries in self._exact.names() if all(e.blocks for e in entries)}
        # Words of uncovered names: correctly spelt, so never "corrected" into a covered name's word.
        self._uncovered_words = {w for key in self.lexicon.uncovered for n in self.lexicon.uncovered[key]
                                 for w in n.key.split()}
        # Words the data itself uses as plain words (cue words, question words): "kids" is not a typo of "aids".
        self.plain_words = self.cues.words | self.rules.medical
        self._max_uncovered_words = max((len(n.key.split()) for names in self.lexicon.uncovered.values()
                                         for n in names), default=1)
        self._windows = NameWindows(chain(self._exact, self.lexicon.uncovered, self.lexicon.uncovered_forms))
        self._around = UncoveredAround(self._exact, self.lexicon.uncovered)
        known = sorted(vocabulary)
        deletions = deletion_table(known)  # one table for both shortlists: every word of every name
        self.fuzzy = FuzzyIndex(self.lexicon.entries, self.rules.negations, frozenset(vocabulary | self._uncovered_words),
                                generic=self.rules.generic, deletions=deletions)
        self.loose = LooseIndex(self.lexicon, self.rules)
        self.markers = Markers(self.lexicon.entries)
        self.initials = Initials(self.lexicon.entries, self.lexicon.uncovered)
        self.antibodies = Antibodies(kb.conditions.values(), generic=self.rules.generic)
        self.eponyms = Eponyms(self.lexicon.uncovered, self.rules, self.lexicon.condition_words, self.plain_words)
        self._proper = proper_words(text for c in kb.conditions.values() for _, text in c.terms())  # "sjogrens"
        self.features = cue_phrases(self.lexicon.entries)  # "EGPA ... asthma": a cue of a condition named is its own
        self.part_of = {cid: frozenset(c.part_of) for cid, c in kb.conditions.items() if c.part_of}
        self.sequels = sequels_of(kb.conditions.values())
        self.specialty_of = {cid: c.specialty for cid, c in kb.conditions.items()}  # the core's follow-ups use it too
        self._words = Shortlist([(w,) for w in known if w not in FILLER and not w.isdigit()], deletions)
        self.uncovered_words = UncoveredWords(self.lexicon, self._uncovered_words, self.is_known)
        self._completions_index: Completions | None = None
        self._clipped_processes: list[str] | None = None
        self._near: dict[str, frozenset[int]] = {}  # kept across questions: a pure function of the word

    # --- public -----------------------------------------------------------------------------------

    def find(self, text: str) -> MatchResult:
        tokens = without_apostrophe(tokenize(text)[:MAX_TOKENS], self._proper, self.is_known)
        words = [t for t in tokens if t.original.isalpha()]
        all_caps = len(words) > 1 and not any(ch.islower() for t in words for ch in t.original)
        result = MatchResult(tokens=tokens, all_caps=all_caps)
        taken = [False] * len(tokens)
        near = self._near  # per distinct word: names with a word within two edits of it, as earlier questions found
        if len(near) > NEAR_MEMO:
            near = self._near = {}  # a new one: a question under way in another thread keeps the one it has
        exact_pass(self, result, taken, text)
        names_of = lambda cid: [canonical_phrase(name) for _, name in self.kb.conditions[cid].terms()]  # noqa: E731
        refer_back(result, text, self.lexicon.uncovered, self.lexicon.broader, self.rules.roles.referring,  # "the skin disease"
                   names_of, self.rules.generic)
        coordinated(self._exact, result, taken)
        drop_likenesses(result, text)  # "a CIDP-like neuropathy": its words stay claimed, and cue nothing
        drop_measurements(result, text, self.rules.roles.measured)  # "BP 190/110", "BP fine": blood pressure
        self._around.read(result, taken, self.is_known)  # "pemphigus noenatorum": not pemphigus
        qualified_broad_terms(self, result, taken, text, early=True)  # "AL amyloid neuropathy": before its cues
        settle_ambiguous(result, taken, text, self.cues, self.rules, self.specialty_of, known=self.lexicon.condition_words,
                         uncovered_with=self.loose.uncovered_with, markers=self.antibodies.markers, features=self.features)
        cued_forms(result, taken, lambda words: self._exact.get("".join(words), ()),  # "refractory focal epilepsy"
                   self.rules.defining)
        self._longer_readings(result, taken, near)
        clipped_names(self, result, taken)  # "nec fasc": necrotising fasciitis
        clipped_uncovered_words(self, result, taken)  # "her sarcoid": sarcoidosis, which the base does not cover
        loose_pass(self, result, taken, text)
        self._offer_prefixed(result, taken)
        barrelled = barrelled_words(self, tokens, text)  # once for both passes
        typo_pass(self, result, taken, near, barrelled)
        short_word_typos(self, result, taken, barrelled)
        hyphen_swaps(self, result, taken, text)  # "MSI-C": MIS-C
        undoubled_names(self, result, taken)  # "c dif colitis": C diff
        misheard_names(self, result, taken)  # "church strauss": Churg-Strauss, a word misheard as another word
        adjective_pass(self, result, taken)
        self.initials.offer(result, taken, self.is_known)  # "AHA": autoimmune haemolytic anaemia is offered too
        self.markers.read(result, text)  # "anti-HMGCR+": the myopathy named by that antibody
        # Terms the loose and typo passes read as ambiguous get the same chance to be settled by their cues.
        settle_ambiguous(result, taken, text, self.cues, self.rules, self.specialty_of,
                         cues_only_from=self.rules.thresholds.late_cue_floor * 100, known=self.lexicon.condition_words,
                         uncovered_with=self.loose.uncovered_with, features=self.features)
        qualified_broad_terms(self, result, taken, text)
        drop_described(result, self.loose, self.names_condition)  # "MOG-positive ... optic neuritis": MOGAD only
        self.antibodies.read_described(result, text)  # "relapsing optic neuritis, mog ab 1:1000": MOGAD
        diagnosed = named_as_diagnosis(result, text, self.rules.roles, self.covered_word, self.is_known)  # "so PML."
        named_before_cause(result, self.rules.roles, self.covered_word, self.is_known)  # "EBV PTLD after allo sct"
        self.eponyms.read(result, text, self.rules)  # "... late-onset Pompe. IVIG?", "IVIG for her Lyme?", "-> Pompe."
        concluded = named_after_arrow(result, text, self.rules.roles, self.covered_word, self.rules.head, self.lexicon.uncovered)
        told = background(result, self.rules, text, self.uncovered_words.theirs, self.is_known,
                          lambda hit: told_sequel(result, self.sequels, hit) is not None, names_of,
                          self.uncovered_words.ends_a_name, lambda hit: self.found_by_a_test(result, hit))
        # "posterior uveitis ... -> ocular toxoplasmosis", "... diagnosed with congenital myasthenic syndrome,": offered
        offer_told_before(result, text, self.rules.roles, diagnosed, concluded, stated_diagnosis(result, text, self.rules.roles))
        drop_parts(result, self.part_of, self.rules.roles.coordinating | self.rules.roles.comparing)  # NMOSD, not ON
        read_sequels(result, self.sequels)  # "covid back in march, 8 months on still brain fog": long COVID
        turn = drop_another_patients(result, text, self.rules.roles)  # "our anti-Jo1 ILD lady. different pt now: IPF"
        self.antibodies.read(result, text, turn, told)  # no disease named, "HMGCR antibody positive": the myopathy it names
        offer_narrower(result, self.lexicon.uncovered, self.lexicon.broader,  # "myositis": which kind of it?
                       lambda cid: [text for _, text in self.kb.conditions[cid].terms()],
                       lambda word: word in FILLER or word in self.plain_words or word.isdigit(), self.lexicon.forms)
        answered = [(h.start_token, h.end_token) for h in result.matches + result.suggestions
                    if h.method is not MatchMethod.ambiguous]
        result.ambiguous[:] = [h for h in result.ambiguous
                               if not any(s <= h.start_token and h.end_token <= e for s, e in answered)]
        drop_inner_readings(result.ambiguous, result.matches, tokens)  # "sjogren's neuropathy", "CAPS ... APS"
        drop_settings(result)  # "CIDP in a renal transplant pt": the transplant is where the patient is
        for hits in (result.matches, result.ambiguous, result.suggestions):
            hits[:] = [replace(h, matched_text=text[tokens[h.start_token].start: tokens[h.end_token - 1].end])
                       for h in hits]
        return result

    # --- passes -----------------------------------------------------------------------------------

    def _offer_prefixed(self, result: MatchResult, taken: list[bool]) -> None:
        """A name read after "post", "non" ... that nothing else claimed is offered, never answered."""
        for start, end, entries in result.prefixed:
            if not any(taken[start - 1:end]):
                for entry in {e.condition_id: e for e in entries}.values():
                    result.suggestions.append(Hit(entry.condition_id, 80.0, MatchMethod.fuzzy, entry.text, start,
                                                  end, entry.other_meanings, entry=entry))
                taken[start:end] = [True] * (end - start)

    def _longer_readings(self, result: MatchResult, taken: list[bool], near: dict[str, frozenset[int]]) -> None:
        """Let a misspelt longer name beat the exact shorter name inside it.

        "eosinophillic granulomatosis with polyangiitis" holds the exact synonym "granulomatosis with
        polyangiitis" of another condition; the four words together are a clear typo of EGPA's name.
        """
        tokens = result.tokens
        for position, hit in enumerate(list(result.matches)):
            best: Scored | None = None
            for start in range(hit.start_token, max(-1, hit.end_token - self._max_words - 1), -1):
                if start < hit.start_token and taken[start]:
                    break
                for end in range(hit.end_token, min(len(tokens), start + self._max_words) + 1):
                    if end > hit.end_token and taken[end - 1]:
                        break
                    if (start, end) == (hit.start_token, hit.end_token):
                        continue
                    window = tokens[start:end]
                    if window[0].canonical in FILLER or window[-1].canonical in FILLER:
                        continue
                    added: list[str] | None = None  # the typed words around the exact name, once needed
                    for candidate in self.fuzzy.score_window(window, start, end, near):
                        if candidate.entry.method is MatchMethod.ambiguous or best is not None and candidate.score <= \
                                best.score or len(candidate.entry.words) <= hit.end_token - hit.start_token:
                            continue  # ... nor a name no longer: "neonatal EV sepsis" is no typo of "neonatal sepsis"
                        if added is None:
                            added = [t.canonical for t in tokens[start:hit.start_token] + tokens[hit.end_token:end]]
                        # A word added to the exact name must be misspelt (no known word, none of how a disease
                        # runs) or the name's own: "known streptococcal TSS" is no typo of "nonstreptococcal TSS".
                        if all(w in candidate.entry.words or not (self.is_known(w) or w in self.rules.course)
                               for w in added):
                            best = candidate
            if best is None or best.score < ACCEPT_SCORE:
                continue
            if best.entry.condition_id == hit.condition_id:  # "APS-related rekurrent miscarriage": its words are its own,
                taken[best.start:best.end] = [True] * (best.end - best.start)  # not recurrent pregnancy loss's
                continue
            if best.entry.condition_id is None:
                continue  # a longer uncovered name around an exact covered one: the covered name stands
            result.matches[position] = Hit(best.entry.condition_id, best.score, MatchMethod.fuzzy, best.entry.text,
                                           best.start, best.end, entry=best.entry, subtype=best.entry.subtype)
            taken[best.start:best.end] = [True] * (best.end - best.start)

    def found_by_a_test(self, result: MatchResult, hit: Hit) -> bool:
        """Whether a test finds the condition named itself, so that a negative result rules it out: an infection
        ("covid serology negative"), or a name holding one of the curated antibodies ("MOG antibody negative"); not
        another disease whose antibodies were not found ("myasthenia gravis, antibody negative": seronegative)."""
        return self.specialty_of.get(hit.condition_id) == INFECTIONS or any(
            t.canonical in self.antibodies.markers for t in result.tokens[hit.start_token:hit.end_token])

    def covered_word(self, word: str) -> bool:
        """A word of a covered condition's name, or a word questions use: never a disease the bot lacks by itself."""
        return word in self.lexicon.condition_words or word in FILLER or word in self.plain_words

    def is_known(self, word: str) -> bool:
        """A word of any name, covered or not, or a word questions use: correctly spelt, never a typo."""
        return word in self.fuzzy.known or word in FILLER or word in self.plain_words

    def one_slip_terms(self, word: str) -> list[str]:
        """One-word covered terms (names, synonyms, abbreviations) one edit from `word`, a swap counting once."""
        return [w for w in self._words.correct(word, 1) if self.one_word_entries(w)]

    def exact_entries(self, key: str) -> tuple[AliasEntry, ...]:
        return self._exact.get(key, ())

    def begins_a_name(self, letters: str) -> bool:
        """Whether some name, covered or not, begins with these joined words' letters."""
        return self._windows.begins_a_name(letters)

    def one_word_entries(self, key: str) -> list[AliasEntry]:
        return [e for e in self._exact.get(key, ()) if len(e.words) == 1 and e.condition_id is not None
                and not e.blocks and (not e.eponym or len(key) >= EPONYM_TYPO_LETTERS)]

    def names_condition(self, word: str, condition_id: str) -> bool:
        """Whether a word is by itself a name of that covered condition ("poems": POEMS syndrome)."""
        return any(e.condition_id == condition_id and not e.blocks for e in self._exact.get(word, ()))

    def names_alone(self, word: str) -> bool:
        """Whether a word is by itself a name of a disease, covered or not ("copd", "sarcoidosis", "ms")."""
        return word in self._exact or word in self.lexicon.uncovered

    def completions(self) -> Completions:
        """The names' words a word cut short may begin (`is_known` words are never cut short)."""
        if self._completions_index is None:  # made on first need; idempotent, so no lock
            self._completions_index = Completions(self.fuzzy.known, prose_words(self.kb))
        return self._completions_index

    def clipped_processes(self) -> list[str]:
        """Made on first need, as `completions` is."""
        if self._clipped_processes is None:
            self._clipped_processes = clipped_processes(self.lexicon.uncovered)
        return self._clipped_processes

    def heard_terms(self, word: str) -> list[str]:
        """Covered one-word terms that sound just like the word ("chron", "crohn": "kron"), and eponyms alone one
        slip from a long word's sound, as the typo pass hears words (`FuzzyIndex.words_sounding_like`): "alzhymer"
        sounds "alsimer", "alzheimer" "alseimer"; the first sound kept."""
        heard = sound_key(word)
        found = []
        for known in self.fuzzy.words_sounding_like(word):
            sound, entries = sound_key(known), self.one_word_entries(known)
            if entries and sound[:1] == heard[:1] and (sound == heard or any(e.eponym for e in entries)):
                found.append(known)
        return found or list(self._silent_e.get(heard, ()))  # "touret(s)": Tourette, its final "e" unheard

    @cached_property
    def _silent_e(self) -> dict[str, list[str]]:
        """One-word terms by their sound less a final "e" after a consonant, which is not heard: "tourets" is
        Tourette's. Built on first need: most questions never ask."""
        out: dict[str, list[str]] = {}
        for word in sorted({e.words[0] for e in self.lexicon.entries if len(e.words) == 1}):
            key = sound_key(word)
            if len(key) > SILENT_E_FROM and key.endswith("e") and key[-2] not in VOWELS and self.one_word_entries(word):
                out.setdefault(key[:-1], []).append(word)
        return out

    def corrected(self, word: str) -> str:
        """A typed word as the covered name's word it is a typo of, when one is clearly nearest; else as typed."""
        if (word in self.lexicon.condition_words or word in self._uncovered_words or word in FILLER or word.isdigit()
                or word in self.plain_words):
            return word
        budget = word_budget(word)
        if not budget:
            return word
        found = self._words.correct(word, budget)
        if not found:  # no word within the budget as written; one that sounds the same ("limfocytic")
            sounding = self.fuzzy.words_sounding_like(word) if len(word) >= SHORT_WORD else ()
            return sounding[0] if len(sounding) == 1 else word
        if found[0] == word:
            return word
        nearest = OSA.distance(word, found[0])
        tied = [w for w in found if OSA.distance(word, w) == nearest]
        covered = [w for w in tied if w in self.lexicon.condition_words] or tied
        # Two letters swapped is the commonest slip: "cvoid" is "covid", not "cvid" (same letters, one swap).
        covered = [w for w in covered if sorted(w) == sorted(word)] or covered
        if len(covered) > 1:  # two words as many slips away: no guess ("trichoneuhropenia": -neuro- or -nephro-?)
            return word
        return covered[0]
