"""The imported Disease Ontology: covered conditions' extra names, codes and subtypes, and uncovered diseases."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import Field

from bot.schema import Ontology, StrictModel
from bot.text import canonical_phrase, case_key

COVERED_FILE = "covered.yaml"
UNCOVERED_FILE = "uncovered.tsv"
RULES_FILE = "import-rules.yaml"
SHORT_CASE_CHARS = 5  # names this short (or written in capitals) match only as typed: "ALL" is not "all"


def ontology_fingerprint(ontology: Ontology) -> str:
    """Changes whenever a condition's ontology block does: the generated file must then be rebuilt."""
    return hashlib.sha256(json.dumps(ontology.model_dump(mode="json"), sort_keys=True).encode()).hexdigest()[:12]


def needs_case(name: str) -> bool:
    letters = "".join(ch for ch in name if ch.isalpha())
    return len(letters) <= SHORT_CASE_CHARS or (letters.isupper() and len(letters) > 1)


def uncovered_line(name: str, doid: str) -> str:
    """One line of uncovered.tsv: canonical words, the case form when case matters, the DOID, the name."""
    clean = " ".join(name.split()).replace("\t", " ")
    return "\t".join([" ".join(canonical_phrase(clean)), case_key(clean) if needs_case(clean) else "", doid, clean])


class MisfiledName(StrictModel):
    """A DO exact synonym filed under a term it does not name, which clinically names a covered condition."""

    text: str = Field(min_length=3, max_length=200)
    doid: str = Field(pattern=r"^DOID:[0-9]+$")
    why: str = Field(min_length=10, max_length=300)


class ImportRules(StrictModel):
    """Curated inputs of the import: names too generic to match, terms that are not diseases, a minimum length,
    and misfiled synonyms, which are never imported as the names of uncovered diseases."""

    schema_version: Literal[1]
    min_chars: int = Field(default=3, ge=2, le=10)
    generic: list[str] = Field(default_factory=list)
    not_diseases: list[str] = Field(default_factory=list)
    misfiled: list[MisfiledName] = Field(default_factory=list)

    @property
    def misfiled_keys(self) -> frozenset[tuple[str, str]]:
        return frozenset((m.doid, " ".join(canonical_phrase(m.text))) for m in self.misfiled)

    @property
    def generic_keys(self) -> frozenset[str]:
        return frozenset(" ".join(canonical_phrase(g)) for g in self.generic)

    @classmethod
    def load(cls, path: Path) -> "ImportRules":
        import yaml

        return cls.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


# --- covered.yaml --------------------------------------------------------------------------------------------


class ImportedName(StrictModel):
    text: str
    doid: str
    source: str
    shared_with: list[str] = Field(default_factory=list)


class ImportedSubtype(StrictModel):
    doid: str
    label: str
    names: list[str] = Field(default_factory=list)


class OntologyTerm(StrictModel):
    doid: str
    label: str


class LeftOut(StrictModel):
    text: str
    doid: str
    reason: str


class CoveredEntry(StrictModel):
    fingerprint: str
    terms: list[OntologyTerm] = Field(default_factory=list)
    codes: dict[str, list[str]] = Field(default_factory=dict)
    synonyms: list[ImportedName] = Field(default_factory=list)
    subtypes: list[ImportedSubtype] = Field(default_factory=list)
    left_out: list[LeftOut] = Field(default_factory=list)
    # DOIDs of the uncovered DO terms this condition is a kind of ("skin disease" for EBA): "the skin disease" named
    # after it refers back to it.
    broader: list[str] = Field(default_factory=list)
    # DOIDs of its forms the curator did not accept ("primary progressive multiple sclerosis"): asked alone, one
    # offers the condition beside saying the form is not covered.
    narrower: list[str] = Field(default_factory=list)


class Source(StrictModel):
    name: str
    release: str
    licence: str


class CoveredFile(StrictModel):
    schema_version: Literal[1]
    source: Source
    conditions: dict[str, CoveredEntry]


class UncoveredName(tuple):
    """(key, case, doid, name): canonical words; the letters as typed when case matters, else ""; the DOID; the
    name. A plain tuple: there are tens of thousands, read at every start."""

    __slots__ = ()
    key = property(lambda self: self[0])
    case = property(lambda self: self[1])
    doid = property(lambda self: self[2])
    name = property(lambda self: self[3])


@dataclass(frozen=True)
class Vocabulary:
    source: Source
    covered: dict[str, CoveredEntry]
    uncovered: tuple[UncoveredName, ...] = ()
    files: dict[str, Path] = field(default_factory=dict)

    def codes(self, condition_id: str) -> dict[str, list[str]]:
        entry = self.covered.get(condition_id)
        return dict(entry.codes) if entry else {}


MAX_UNCOVERED_BYTES = 50_000_000


def read_uncovered(path: Path, problems: list[str]) -> tuple[UncoveredName, ...]:
    from bot.knowledge import read_text_file

    text = read_text_file(path, problems, limit=MAX_UNCOVERED_BYTES)
    if text is None:
        return ()
    names = []
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) == 4 and parts[0]:
            names.append(UncoveredName(parts))
    return tuple(names)


def check_fresh(vocabulary: Vocabulary, conditions: dict, problems: list[str], unread=frozenset()) -> None:
    """The generated file must match every condition's ontology block (else: rerun the import script). `unread`:
    ids of condition files that failed to load (reported on their own, not as "no such condition")."""
    path = vocabulary.files.get(COVERED_FILE)
    for cid, cond in conditions.items():
        entry = vocabulary.covered.get(cid)
        wanted = ontology_fingerprint(cond.ontology)
        if entry is None or entry.fingerprint != wanted:
            problems.append(f"{path}: conditions.{cid}: out of date with the condition's ontology block; run "
                            "scripts/import_vocabulary.py")
    for cid in sorted(set(vocabulary.covered) - set(conditions) - set(unread)):
        problems.append(f"{path}: conditions.{cid}: no such condition; run scripts/import_vocabulary.py")
