"""Load and validate the knowledge base (condition files and references) as one all-or-nothing step."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from bot.schema import Condition, Reference, ReferencesFile, share_field_sets
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


_MERGE_TAG = "tag:yaml.org,2002:merge"


def _mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _value in node.value:
        if key_node.tag == _MERGE_TAG:  # "<<: *other" would let the keys written here silently win over the merged
            raise yaml.constructor.ConstructorError(
                None, None, "merge keys (<<) are not allowed; write the keys out", key_node.start_mark)
        key = loader.construct_object(key_node, deep=deep)
        if isinstance(key, (str, int, float, bool, type(None))) and key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key {key!r} appears twice (first at line {seen[key] + 1}); only one is allowed",
                key_node.start_mark)
        if isinstance(key, (str, int, float, bool, type(None))):
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


def is_present(path: Path) -> bool:
    """Whether anything is at `path`: a FIFO or a broken symbolic link counts (reading it says what is wrong), so a
    file that cannot be read is reported, never mistaken for an absent, optional one."""
    return path.exists() or path.is_symlink()


_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")  # what YAML counts as a line break
_LINE_BREAK_BYTES = re.compile(rb"\r\n|[\r\n]")
# Characters YAML does not allow in a file (controls other than tab and line breaks, surrogates, U+FFFE/U+FFFF),
# and a byte order mark anywhere but the start: an invisible character that would end up inside a name.
_NOT_ALLOWED = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


def _position(prefix: str) -> str:
    """'line L, column C' of the character after `prefix` (the text before it)."""
    breaks = list(_LINE_BREAK.finditer(prefix))
    column = len(prefix) - (breaks[-1].end() if breaks else 0) + 1
    return f"line {len(breaks) + 1}, column {column}"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


DATA_SUFFIXES = frozenset({".yaml", ".yml"})


def data_files(folder: Path) -> list[Path]:
    """The data files of one folder, sorted. Hidden entries are an editor's (Emacs's ".#x.yaml" lock link), never
    data; the start-up cache key skips them too."""
    return sorted(p for p in folder.iterdir() if p.suffix in DATA_SUFFIXES and not p.name.startswith("."))


def read_text_file(path: Path, problems: list[str], limit: int = MAX_FILE_BYTES) -> str | None:
    """A regular file's text, at most `limit` bytes; anything else (a FIFO, a device, a huge file) is a problem,
    never a hang or a memory error."""
    try:
        if not path.is_file():
            broken_link = path.is_symlink() and not path.exists()
            problems.append(f"{path}: " + ("is a broken symbolic link" if broken_link else "is not a regular file"))
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
    except UnicodeDecodeError as exc:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            problems.append(f"{path}: is not UTF-8 text (it is UTF-16: save it as UTF-8)")
            return None
        before = data[:exc.start]
        breaks = list(_LINE_BREAK_BYTES.finditer(before))
        line_start = breaks[-1].end() if breaks else 0
        column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
        problems.append(f"{path}: is not UTF-8 text (line {len(breaks) + 1}, column {column}: byte "
                        f"0x{data[exc.start]:02x})")
        return None


def read_yaml(path: Path, problems: list[str]) -> Any:
    """Parse one YAML file; on failure record a one-line problem and return None."""
    text = read_text_file(path, problems)
    if text is None:
        return None
    bad = _NOT_ALLOWED.search(text, 1 if text.startswith("\ufeff") else 0)
    if bad:
        char = bad.group()
        what = "a byte order mark inside the file" if char == "\ufeff" else "a control or non-character"
        problems.append(f"{path}: is not valid YAML at {_position(text[:bad.start()])}: the character "
                        f"U+{ord(char):04X} ({what}) is not allowed")
        return None
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problems.append(f"{path}: is not valid YAML{where}: "
                        f"{_one_line(getattr(exc, 'problem', None) or getattr(exc, 'reason', None) or exc)}")
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

    def __post_init__(self) -> None:
        share_field_sets(self.conditions.values())

    @cached_property  # asked for on every answer: computed once
    def last_reviewed(self) -> dt.date:
        return max(c.last_reviewed for c in self.conditions.values())

    @cached_property
    def specialties(self) -> list[str]:
        return sorted({c.specialty for c in self.conditions.values()})

    @cached_property
    def answer_parts(self) -> dict[str, Any]:
        """What bot.answers works out once per condition (by id) or numbered citation (("reference", key, number))."""
        return {}


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
    # A shared term is answered first in at most one reading: two would leave nothing to choose by.
    first: dict[tuple[str, ...], list[tuple[str, Path]]] = defaultdict(list)
    for path, cond in conditions:
        for term in cond.ambiguous_terms:
            if term.answer_with_note and (key := canonical_phrase(term.text)) and len(
                    {cid for cid, _, _ in claims[key]}) > 1 and (cond.id, path) not in first[key]:
                first[key].append((cond.id, path))
    for key, marked in first.items():
        if len(marked) > 1:
            for cid, path in marked:
                problems.append(f"{path}: ambiguous_terms: {' '.join(key)!r} is answered with a note by "
                                f"{', '.join(sorted(c for c, _ in marked if c != cid))} too; mark one reading only")


@dataclass
class _References:
    by_key: dict[str, Reference] = field(default_factory=dict)
    defined_in: dict[str, Path] = field(default_factory=dict)
    duplicates: list[tuple[str, Path, Path]] = field(default_factory=list)  # key, first definition, second
    complete: bool = True  # every references file was read (else unknown keys are not worth listing)


def _load_references(directory: Path, problems: list[str]) -> _References:
    """Every references/*.yaml file; a key defined in two files is reported once the conditions are read."""
    loaded = _References()
    folder = directory / "references"
    if not folder.is_dir():
        problems.append(f"{folder}: folder not found")
        loaded.complete = False
        return loaded
    paths = data_files(folder)
    if not paths:
        problems.append(f"{folder}: no reference files (*.yaml)")
    for path in paths:
        parsed = parse_model(ReferencesFile, path, problems)
        if parsed is None:
            loaded.complete = False
            continue
        for key, reference in parsed.references.items():
            if key in loaded.defined_in:
                loaded.duplicates.append((key, loaded.defined_in[key], path))
                continue
            loaded.defined_in[key] = path
            loaded.by_key[key] = reference
    return loaded


def _key_line(path: Path, key: str) -> int | None:
    """The line where `key` is defined in a references file, or None when it cannot be told."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    match = re.search(rf"^[ \t]+['\"]?{re.escape(key)}['\"]?[ \t]*:", text, re.MULTILINE)
    return len(_LINE_BREAK.findall(text[:match.start()])) + 1 if match else None


def _report_duplicate_references(loaded: _References, conditions: list[tuple[Path, Condition]],
                                 problems: list[str]) -> None:
    """A key defined in two files: name both, and blame the copy that does not belong where it is. A work's home is
    the file holding the other works cited with it (by the conditions that cite it); a copy pasted into another
    file has none of its companions there. When that does not tell them apart, the later file is blamed."""
    files_of: dict[str, set[Path]] = defaultdict(set)
    for key, path in loaded.defined_in.items():
        files_of[key].add(path)
    for key, _first, second in loaded.duplicates:
        files_of[key].add(second)
    for key, first, second in loaded.duplicates:
        companions = {other for _, cond in conditions if any(key in f.references for f in cond.findings)
                      for f in cond.findings for other in f.references if other != key}
        at_home = {path: sum(1 for other in companions if path in files_of.get(other, ())) for path in (first, second)}
        genuine, copy = (second, first) if at_home[second] > at_home[first] else (first, second)
        there, here = _key_line(genuine, key), _key_line(copy, key)
        problems.append(f"{copy}: references.{key}: already defined in {genuine}"
                        + (f" (line {there})" if there else "") + "; keep one definition"
                        + (f" (this one is at line {here})" if here else ""))


def _load_vocabulary(directory: Path, conditions: dict, problems: list[str], unread: set[str] = frozenset()):
    """knowledge/vocabulary/ when present (a test base may have none): the imported ontology, checked as fresh."""
    from bot.vocabulary import COVERED_FILE, UNCOVERED_FILE, CoveredFile, Vocabulary, check_fresh, read_uncovered

    folder = directory / "vocabulary"
    covered_path = folder / COVERED_FILE
    if not is_present(covered_path):
        return None
    parsed = parse_model(CoveredFile, covered_path, problems)
    if parsed is None:
        return None
    uncovered_path = folder / UNCOVERED_FILE
    uncovered = read_uncovered(uncovered_path, problems) if is_present(uncovered_path) else ()
    vocabulary = Vocabulary(parsed.source, dict(parsed.conditions), uncovered,
                            {COVERED_FILE: covered_path, UNCOVERED_FILE: uncovered_path})
    check_fresh(vocabulary, conditions, problems, unread)
    return vocabulary


def load_knowledge(directory: Path | None = None, *, with_vocabulary: bool = True) -> KnowledgeBase:
    """Load every condition and the references; raise DataError listing all problems, never a partial base."""
    directory = Path(directory) if directory else knowledge_dir()
    problems: list[str] = []
    conditions_dir = directory / "conditions"
    if not conditions_dir.is_dir():
        raise DataError([f"{conditions_dir}: folder not found"])
    paths = data_files(conditions_dir)
    if not paths:
        raise DataError([f"{conditions_dir}: no condition files (*.yaml)"])

    loaded_references = _load_references(directory, problems)
    references, reference_files = loaded_references.by_key, loaded_references.defined_in

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
        if references and loaded_references.complete:
            for index, finding in enumerate(cond.findings):
                for key in finding.references:
                    if key not in references:
                        problems.append(f"{path}: findings[{index}].references: unknown reference key {key!r}")

    known_ids = {c.id for _, c in loaded} | {p.stem for p in paths}
    for path, cond in loaded:
        links = [("part_of", o) for o in cond.part_of] + ([("follows", cond.follows.condition)] if cond.follows else [])
        for name, other in links:
            if other == cond.id or other not in known_ids:
                problems.append(f"{path}: {name}: {other!r} is " + ("this condition itself" if other == cond.id
                                                                     else "no condition's id"))
    _report_duplicate_references(loaded_references, loaded, problems)
    _check_aliases(loaded, problems)
    unread = {p.stem for p in paths} - {c.id for _, c in loaded}  # files that did not load: not "no such condition"
    vocabulary = (_load_vocabulary(directory, {c.id: c for _, c in loaded}, problems, unread) if with_vocabulary
                  else None)
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
