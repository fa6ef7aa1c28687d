"""Load and validate the knowledge base (condition files and references) as one all-or-nothing step."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from bot.schema import Condition, Reference, ReferencesFile
from bot.paths import knowledge_dir
from bot.text import canonical_phrase


class DataError(Exception):
    """Invalid shipped data; `problems` holds one line per error, each naming the file and the field."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _field_path(location: tuple[Any, ...]) -> str:
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


def validation_problems(label: str, error: ValidationError) -> list[str]:
    return [f"{label}: {_field_path(e['loc'])}: {e['msg']}" for e in error.errors()]


MAX_FILE_BYTES = 2_000_000  # no curated file comes near this; a larger one is a mistake, not data


class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser when PyYAML has it
    """The safe YAML subset, stricter: a repeated key is an error (YAML would silently keep only the last one),
    and dates and integers stay text for validation to check (so 2026-02-30 or a 5,000-digit number is a
    one-line problem naming the field, not a crash in the parser)."""


def _mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if isinstance(key, (str, int, float, bool)) and key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key {key!r} appears twice (first at line {seen[key] + 1}); only one is allowed",
                key_node.start_mark)
        if isinstance(key, (str, int, float, bool)):
            seen[key] = key_node.start_mark.line
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def _int(loader: _StrictLoader, node: yaml.ScalarNode) -> int | str:
    try:
        return yaml.SafeLoader.construct_yaml_int(loader, node)
    except ValueError:  # longer than Python converts: validation reports it against its field
        return loader.construct_scalar(node)


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _int)


def read_text_file(path: Path, problems: list[str], limit: int = MAX_FILE_BYTES) -> str | None:
    """A regular file's text, at most `limit` bytes; anything else (a FIFO, a device, a huge file) is a problem,
    never a hang or a memory error."""
    try:
        if not path.is_file():
            problems.append(f"{path}: is not a regular file")
            return None
        with path.open("rb") as stream:
            data = stream.read(limit + 1)
    except OSError as exc:
        problems.append(f"{path}: cannot be read ({exc.strerror or exc})")
        return None
    if len(data) > limit:
        problems.append(f"{path}: is larger than {limit:,} bytes")
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        problems.append(f"{path}: is not UTF-8 text")
        return None


def read_yaml(path: Path, problems: list[str]) -> Any:
    """Parse one YAML file; on failure record a one-line problem and return None."""
    text = read_text_file(path, problems)
    if text is None:
        return None
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problems.append(f"{path}: is not valid YAML{where}: {getattr(exc, 'problem', None) or exc}")
    except (ValueError, RecursionError, MemoryError) as exc:
        problems.append(f"{path}: is not valid YAML: {type(exc).__name__}")
    return None


def parse_model(model: type[BaseModel], path: Path, problems: list[str]) -> Any:
    data = read_yaml(path, problems)
    if data is None:
        if not any(p.startswith(f"{path}:") for p in problems):
            problems.append(f"{path}: is empty")
        return None
    if not isinstance(data, dict):
        problems.append(f"{path}: (top level): expected a mapping of fields, found {type(data).__name__}")
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems.extend(validation_problems(str(path), exc))
        return None


@dataclass(frozen=True)
class KnowledgeBase:
    conditions: dict[str, Condition]
    references: dict[str, Reference]
    version: str
    files: dict[str, Path] = field(default_factory=dict)  # condition id -> its file
    reference_files: dict[str, Path] = field(default_factory=dict)  # reference key -> the file defining it
    vocabulary: Any = None  # bot.vocabulary.Vocabulary: the imported Disease Ontology, when shipped

    @cached_property  # asked for on every answer: computed once
    def last_reviewed(self) -> dt.date:
        return max(c.last_reviewed for c in self.conditions.values())

    @cached_property
    def specialties(self) -> list[str]:
        return sorted({c.specialty for c in self.conditions.values()})


def _check_aliases(conditions: list[tuple[Path, Condition]], problems: list[str]) -> None:
    """No term may answer for two conditions unless every condition claiming it declares it ambiguous."""
    claims: dict[tuple[str, ...], list[tuple[str, str, Path]]] = defaultdict(list)
    for path, cond in conditions:
        seen: set[tuple[str, ...]] = set()
        for kind, text in cond.terms():
            key = canonical_phrase(text)
            if not key:
                problems.append(f"{path}: {kind}: {text!r} has no letters or digits")
                continue
            if key in seen:
                continue  # spelling variants that normalise alike ("Guillain-Barré", "Guillain Barre") are harmless
            seen.add(key)
            claims[key].append((cond.id, kind, path))
    for key, owners in claims.items():
        ids = {cid for cid, _, _ in owners}
        if len(ids) > 1 and any(kind != "ambiguous_terms" for _, kind, _ in owners):
            for cid, kind, path in owners:
                if kind != "ambiguous_terms":
                    others = ", ".join(sorted(ids - {cid}))
                    problems.append(
                        f"{path}: {kind}: {' '.join(key)!r} is also claimed by {others}; "
                        "declare it under ambiguous_terms in every condition that uses it"
                    )


def _load_references(directory: Path, problems: list[str]) -> tuple[dict[str, Reference], dict[str, Path]]:
    """Every references/*.yaml file; a key defined in two files is an error naming both."""
    folder = directory / "references"
    if not folder.is_dir():
        problems.append(f"{folder}: folder not found")
        return {}, {}
    paths = sorted(p for p in folder.iterdir() if p.suffix in {".yaml", ".yml"})
    if not paths:
        problems.append(f"{folder}: no reference files (*.yaml)")
    references: dict[str, Reference] = {}
    defined_in: dict[str, Path] = {}
    for path in paths:
        parsed = parse_model(ReferencesFile, path, problems)
        if parsed is None:
            continue
        for key, reference in parsed.references.items():
            if key in defined_in:
                problems.append(f"{path}: references.{key}: already defined in {defined_in[key]}")
                continue
            defined_in[key] = path
            references[key] = reference
    return references, defined_in


def _load_vocabulary(directory: Path, conditions: dict, problems: list[str]):
    """knowledge/vocabulary/ when present (a test base may have none): the imported ontology, checked as fresh."""
    from bot.vocabulary import COVERED_FILE, UNCOVERED_FILE, CoveredFile, Vocabulary, check_fresh, read_uncovered

    folder = directory / "vocabulary"
    covered_path = folder / COVERED_FILE
    if not covered_path.is_file():
        return None
    parsed = parse_model(CoveredFile, covered_path, problems)
    if parsed is None:
        return None
    uncovered_path = folder / UNCOVERED_FILE
    uncovered = read_uncovered(uncovered_path, problems) if uncovered_path.exists() else ()
    vocabulary = Vocabulary(parsed.source, dict(parsed.conditions), uncovered,
                            {COVERED_FILE: covered_path, UNCOVERED_FILE: uncovered_path})
    check_fresh(vocabulary, conditions, problems)
    return vocabulary


def load_knowledge(directory: Path | None = None, *, with_vocabulary: bool = True) -> KnowledgeBase:
    """Load every condition and the references; raise DataError listing all problems, never a partial base."""
    directory = Path(directory) if directory else knowledge_dir()
    problems: list[str] = []
    conditions_dir = directory / "conditions"
    if not conditions_dir.is_dir():
        raise DataError([f"{conditions_dir}: folder not found"])
    paths = sorted(p for p in conditions_dir.iterdir() if p.suffix in {".yaml", ".yml"})
    if not paths:
        raise DataError([f"{conditions_dir}: no condition files (*.yaml)"])

    references, reference_files = _load_references(directory, problems)

    loaded: list[tuple[Path, Condition]] = []
    by_id: dict[str, Path] = {}
    for path in paths:
        cond = parse_model(Condition, path, problems)
        if cond is None:
            continue
        if cond.id in by_id:
            # Blame the copy whose file name does not match the id, not whichever sorts second.
            genuine, copy = (by_id[cond.id], path) if by_id[cond.id].stem == cond.id else (path, by_id[cond.id])
            problems.append(f"{copy}: id: {cond.id!r} is already used by {genuine}")
            if copy is by_id[cond.id]:
                by_id[cond.id] = path
                loaded = [(p, c) for p, c in loaded if p != copy] + [(path, cond)]
            continue
        if path.stem != cond.id:
            problems.append(f"{path}: id: {cond.id!r} does not match the file name {path.name!r}")
        by_id[cond.id] = path
        loaded.append((path, cond))
        if references:
            for index, finding in enumerate(cond.findings):
                for key in finding.references:
                    if key not in references:
                        problems.append(f"{path}: findings[{index}].references: unknown reference key {key!r}")

    _check_aliases(loaded, problems)
    vocabulary = _load_vocabulary(directory, {c.id: c for _, c in loaded}, problems) if with_vocabulary else None
    if problems:
        raise DataError(problems)

    digest = hashlib.sha256()
    for path in [*sorted(set(reference_files.values())), *paths]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return KnowledgeBase(
        conditions={c.id: c for _, c in loaded},
        references=references,
        version=digest.hexdigest()[:12],
        files={c.id: p for p, c in loaded},
        reference_files=reference_files,
        vocabulary=vocabulary,
    )
