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


# libyaml's C parser when PyYAML has it (about ten times faster); same safe subset of YAML either way.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path, problems: list[str]) -> Any:
    """Parse one YAML file; on failure record a one-line problem and return None."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader
    except OSError as exc:
        problems.append(f"{path}: cannot be read ({exc.strerror or exc})")
    except UnicodeDecodeError:
        problems.append(f"{path}: is not UTF-8 text")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problems.append(f"{path}: is not valid YAML{where}: {getattr(exc, 'problem', None) or exc}")
    return None


def parse_model(model: type[BaseModel], path: Path, problems: list[str]) -> Any:
    data = read_yaml(path, problems)
    if data is None:
        if not any(p.startswith(str(path)) for p in problems):
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


def load_knowledge(directory: Path | None = None) -> KnowledgeBase:
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
            problems.append(f"{path}: id: {cond.id!r} is already used by {by_id[cond.id]}")
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
    )
