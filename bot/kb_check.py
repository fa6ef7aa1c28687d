"""`ivig-chat kb check`: validate a knowledge folder before a pull request, with one file-and-field line per problem.

Errors (exit 1): everything the loader rejects: schema, unknown reference keys, ids that do not match their file,
a term claimed by two conditions without being declared ambiguous in both. Warnings (exit 0, or 1 with --strict):
reviews older than the threshold, review dates in the future, aliases that come close to another condition's,
references no finding cites, two reference keys for the same PMID or DOI, stray files in conditions/.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from bot.knowledge import DATA_SUFFIXES, DataError, KnowledgeBase, load_knowledge
from bot.match.cues import check_cue_groups, load_cues
from bot.models import Condition
from bot.paths import knowledge_dir
from bot.text import canonical_phrase

DEFAULT_STALE_DAYS = 365
NEAR_SCORE = 90.0  # rapidfuzz fuzz.ratio between the canonical forms of two aliases of different conditions


_SINGULAR = {"name": "name", "synonyms": "synonym", "abbreviations": "abbreviation",
             "ambiguous_terms": "ambiguous term"}


@dataclass(frozen=True)
class AliasTerm:
    condition_id: str
    kind: str  # name, synonyms, abbreviations, ambiguous_terms
    text: str
    canonical: str


@dataclass(frozen=True)
class AliasPair:
    a: AliasTerm
    b: AliasTerm
    score: float
    identical: bool  # the same words after normalisation (allowed only as ambiguous_terms in both)

    @property
    def both_ambiguous(self) -> bool:
        return self.a.kind == "ambiguous_terms" and self.b.kind == "ambiguous_terms"


def alias_terms(conditions: list[Condition]) -> list[AliasTerm]:
    terms: list[AliasTerm] = []
    for cond in conditions:
        seen: set[str] = set()
        for kind, text in cond.terms():
            canonical = " ".join(canonical_phrase(text))
            if canonical and canonical not in seen:
                seen.add(canonical)
                terms.append(AliasTerm(cond.id, kind, text, canonical))
    return terms


MAX_BLOCK = 64  # a word or form shared by more aliases than this says nothing about closeness on its own


def _blocks(term: AliasTerm) -> set[str]:
    """Keys that any alias at least NEAR_SCORE similar almost surely shares with this one: one of its words with a
    letter dropped, or the whole alias with a letter dropped (for one-word aliases)."""
    keys = set()
    for word in term.canonical.split():
        keys.add("w:" + word)
        if len(word) >= 4:
            keys.update("w:" + word[:i] + word[i + 1:] for i in range(len(word)))
    joined = term.canonical.replace(" ", "")
    if len(joined) <= 12:
        keys.add("j:" + joined)
        keys.update("j:" + joined[:i] + joined[i + 1:] for i in range(len(joined)))
    return keys


def alias_collisions(conditions: list[Condition], threshold: float = NEAR_SCORE) -> list[AliasPair]:
    """Pairs of aliases of different conditions that are identical or at least `threshold` similar, best first.

    Linear in the number of aliases: only aliases sharing a (near-)word are compared, never every pair.
    """
    terms = alias_terms(conditions)
    by_block: dict[str, list[int]] = defaultdict(list)
    for index, term in enumerate(terms):
        for key in _blocks(term):
            by_block[key].append(index)
    candidates: set[tuple[int, int]] = set()
    for members in by_block.values():
        if 1 < len(members) <= MAX_BLOCK:
            candidates.update((a, b) for i, a in enumerate(members) for b in members[i + 1:])
    identical: dict[str, list[int]] = defaultdict(list)
    for index, term in enumerate(terms):
        identical[term.canonical].append(index)
    for members in identical.values():
        candidates.update((a, b) for i, a in enumerate(members) for b in members[i + 1:])
    pairs: list[AliasPair] = []
    for i, j in candidates:
        term, other = terms[i], terms[j]
        if other.condition_id == term.condition_id:
            continue
        score = fuzz.ratio(term.canonical, other.canonical, score_cutoff=threshold)
        if score:
            pairs.append(AliasPair(term, other, round(score, 1), term.canonical == other.canonical))
    pairs.sort(key=lambda p: (p.identical, -p.score, p.a.condition_id, p.a.canonical, p.b.condition_id))
    return pairs


@dataclass(frozen=True)
class StaleEntry:
    condition_id: str
    name: str
    last_reviewed: dt.date
    age_days: int


def stale_conditions(conditions: list[Condition], today: dt.date, days: int) -> list[StaleEntry]:
    """Conditions whose last_reviewed is more than `days` before `today`, oldest first."""
    stale = [StaleEntry(c.id, c.name, c.last_reviewed, (today - c.last_reviewed).days)
             for c in conditions if (today - c.last_reviewed).days > days]
    return sorted(stale, key=lambda s: (-s.age_days, s.condition_id))


@dataclass
class CheckResult:
    directory: Path
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    kb: KnowledgeBase | None = None

    def ok(self, strict: bool = False) -> bool:
        return not self.errors and not (strict and self.warnings)

    def lines(self, strict: bool = False) -> list[str]:
        out = [f"error: {e}" for e in self.errors] + [f"warning: {w}" for w in self.warnings]
        if self.kb is not None:
            summary = f"{self.directory}: {len(self.kb.conditions)} conditions, {len(self.kb.references)} references"
        else:
            summary = f"{self.directory}: not loaded"
            if self.errors:
                out.append("(fix the errors above; the warnings are checked on a base that loads)")
        verdict = "OK" if self.ok(strict) else "FAILED"
        out.append(f"{summary}; {_count(len(self.errors), 'error')}, {_count(len(self.warnings), 'warning')}. {verdict}")
        return out


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def check_knowledge(directory: Path | None = None, *, today: dt.date | None = None,
                    stale_days: int = DEFAULT_STALE_DAYS, near_score: float = NEAR_SCORE) -> CheckResult:
    directory = Path(directory) if directory is not None else knowledge_dir()
    result = CheckResult(directory)
    if not directory.is_dir():
        result.errors.append(f"{directory}: folder not found")
        return result
    try:
        kb = load_knowledge(directory)
    except DataError as exc:
        result.errors.extend(exc.problems)
        return result
    result.kb = kb
    # A condition's "@group" cue must exist in the shipped cues.yaml, or the bot refuses to start on this folder.
    try:
        result.errors.extend(check_cue_groups(kb, load_cues()))
    except DataError as exc:
        result.errors.extend(exc.problems)
    today = today or dt.date.today()
    conditions = list(kb.conditions.values())
    path_of = {cid: kb.files.get(cid, directory / "conditions" / f"{cid}.yaml") for cid in kb.conditions}
    warnings = result.warnings

    conditions_dir = directory / "conditions"
    for path in sorted(conditions_dir.iterdir()):
        if path.suffix not in DATA_SUFFIXES and not path.name.startswith("."):
            warnings.append(f"{path}: ignored: condition files must end in .yaml")

    for entry in stale_conditions(conditions, today, stale_days):
        warnings.append(f"{path_of[entry.condition_id]}: last_reviewed: {entry.last_reviewed.isoformat()} is "
                        f"{entry.age_days} days ago (more than {stale_days}); review the entry and update the date")
    for cond in conditions:
        if cond.last_reviewed > today:
            warnings.append(f"{path_of[cond.id]}: last_reviewed: {cond.last_reviewed.isoformat()} is in the future")

    for pair in alias_collisions(conditions, near_score):
        if pair.identical or pair.both_ambiguous:
            continue  # identical terms are the loader's business; two ambiguous terms always make the bot ask
        this, other = pair.a, pair.b
        warnings.append(
            f"{path_of[this.condition_id]}: {this.kind}: {this.text!r} is close to the {_SINGULAR[other.kind]} "
            f"{other.text!r} of {other.condition_id} (similarity {pair.score:g}); check that a typo of one is "
            "not read as the other"
        )

    cited = {key for cond in conditions for finding in cond.findings for key in finding.references}
    for key in sorted(set(kb.references) - cited):
        warnings.append(f"{kb.reference_files[key]}: references.{key}: not cited by any finding")
    for attribute, label in (("pmid", "pmid"), ("doi", "digital_object_identifier")):
        owners: dict[str, list[str]] = defaultdict(list)
        for key, ref in kb.references.items():
            value = getattr(ref, attribute)
            if value:
                owners[value.strip().lower()].append(key)
        for value, keys in sorted(owners.items()):
            for key in keys[1:]:
                warnings.append(f"{kb.reference_files[key]}: references.{key}.{label}: {value} is also the {label} of "
                                f"{keys[0]}; cite one key for one work")
    return result


def run(directory: Path | None, out, *, stale_days: int = DEFAULT_STALE_DAYS, strict: bool = False,
        today: dt.date | None = None) -> int:
    """Print the check to `out`; exit status 0 when valid (no errors; no warnings either with strict), else 1."""
    result = check_knowledge(directory, today=today, stale_days=stale_days)
    for line in result.lines(strict):
        out.write(line + "\n")
    return 0 if result.ok(strict) else 1
