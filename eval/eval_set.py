"""The evaluation material: single-turn items, ontology names and dialogues, read from eval/dev and eval/heldout.

A split is every *.yaml file of its folder: a file with `dialogues:` holds dialogues, `ontology.yaml` holds names of
the Disease Ontology (group ontology-name), any other file single-turn questions (eval/dev/legacy.yaml is the old
set, kept as it was). The ids the material may use are listed in eval/conditions.txt.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

EVAL_DIR = Path(__file__).resolve().parent
SPLITS = ("dev", "heldout")
LEGACY = EVAL_DIR / "dev" / "legacy.yaml"
TARGETS = EVAL_DIR / "conditions.txt"
SCHEMA_VERSION = 1
KINDS = {"answer", "clarify", "not_found", "list", "sources", "help", "about", "greeting", "out_of_scope", "empty"}
FOCUSES = {"patients", "design", "sources", "more"}
ITEM_KEYS = {"q", "expect", "kind", "suggest", "group", "note", "name", "doid", "held_back"}
TURN_KEYS = {"q", "expect", "kind", "suggest", "focus", "pick", "note"}


class EvalSetError(ValueError):
    pass


@dataclass(frozen=True)
class Item:
    number: int  # 1-based position in its file
    q: str
    expect: frozenset[str]
    kind: str | None
    suggest: frozenset[str]
    group: str
    note: str | None = None
    source: str = ""  # the file's name: legacy.yaml, questions.yaml, ontology.yaml
    name: str | None = None  # ontology items: the DO name asked
    doid: str | None = None
    held_back: bool = False
    focus: str | None = None  # dialogue turns: the follow-up's point
    pick: int | None = None  # dialogue turns: the user picked the n-th candidate of the previous turn

    @property
    def category(self) -> str:
        if self.kind == "clarify":
            return "clarify"
        if self.expect or self.pick:
            return "answerable"
        return "negative"

    @property
    def ids(self) -> frozenset[str]:
        return self.expect | self.suggest


@dataclass(frozen=True)
class Dialogue:
    id: str
    group: str
    turns: tuple[Item, ...]
    source: str = ""

    @property
    def ids(self) -> frozenset[str]:
        return frozenset().union(*(t.ids for t in self.turns))


@dataclass
class Split:
    name: str
    single: list[Item] = field(default_factory=list)  # legacy.yaml + questions.yaml (+ any other question file)
    ontology: list[Item] = field(default_factory=list)
    dialogues: list[Dialogue] = field(default_factory=list)


def _item(entry, number: int, where: str, source: str, keys: set[str], problems: list[str]) -> Item | None:
    if not isinstance(entry, dict):
        problems.append(f"{where}: expected a mapping")
        return None
    unknown = set(entry) - keys
    if unknown:
        problems.append(f"{where}: unknown keys {sorted(unknown)}")
    q, expect, kind, pick = entry.get("q"), entry.get("expect", []), entry.get("kind"), entry.get("pick")
    if not isinstance(q, str):
        problems.append(f"{where}: q must be a string")
        return None
    if not isinstance(expect, list) or not all(isinstance(e, str) for e in expect):
        problems.append(f"{where}: expect must be a list of condition ids")
        return None
    if kind is not None and kind not in KINDS:
        problems.append(f"{where}: kind {kind!r} is not one of {sorted(KINDS)}")
    if kind not in (None, "answer") and expect:
        problems.append(f"{where}: an item expecting kind {kind!r} cannot expect answered conditions")
    if kind == "clarify" and not entry.get("suggest"):
        problems.append(f"{where}: a clarify item names the ids it must offer in suggest")
    if entry.get("focus") is not None and entry["focus"] not in FOCUSES:
        problems.append(f"{where}: focus {entry['focus']!r} is not one of {sorted(FOCUSES)}")
    if pick is not None and (not isinstance(pick, int) or pick < 1 or expect or kind):
        problems.append(f"{where}: pick is a number >= 1 and stands alone (no expect, no kind)")
    if "q" in keys and "group" in keys and not entry.get("group"):
        problems.append(f"{where}: group is required")
    return Item(number, q, frozenset(expect), kind, frozenset(entry.get("suggest") or ()), str(entry.get("group", "")),
                entry.get("note"), source, entry.get("name"), entry.get("doid"), bool(entry.get("held_back")),
                entry.get("focus"), pick)


def _read(path: Path) -> dict:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("schema_version") != SCHEMA_VERSION:
        raise EvalSetError(f"{path}: expected a mapping with schema_version: {SCHEMA_VERSION}")
    return data


def load_items(path: Path = LEGACY) -> list[Item]:
    """The single-turn items of one file (by default the legacy set, as benchmarks/ reads it)."""
    path = Path(path)
    raw = _read(path).get("questions")
    if not isinstance(raw, list) or not raw:
        raise EvalSetError(f"{path}: questions: expected a non-empty list")
    problems: list[str] = []
    items = [_item(e, n, f"{path}: questions[{n}]", path.name, ITEM_KEYS, problems) for n, e in enumerate(raw, 1)]
    if problems:
        raise EvalSetError("\n".join(problems))
    return [it for it in items if it is not None]


def load_dialogues(path: Path) -> list[Dialogue]:
    path = Path(path)
    raw = _read(path).get("dialogues")
    if not isinstance(raw, list) or not raw:
        raise EvalSetError(f"{path}: dialogues: expected a non-empty list")
    problems: list[str] = []
    out, seen = [], set()
    for n, entry in enumerate(raw, 1):
        where = f"{path}: dialogues[{n}]"
        if not isinstance(entry, dict) or not entry.get("id") or not entry.get("group") or not entry.get("turns"):
            problems.append(f"{where}: needs id, group and turns")
            continue
        if entry["id"] in seen:
            problems.append(f"{where}: id {entry['id']!r} used twice")
        seen.add(entry["id"])
        turns = [_item(t, i, f"{where}.turns[{i}]", path.name, TURN_KEYS, problems)
                 for i, t in enumerate(entry["turns"], 1)]
        turns = [replace(t, group=str(entry["group"])) for t in turns if t is not None]
        if turns and turns[0].pick:
            problems.append(f"{where}: the first turn cannot pick")
        out.append(Dialogue(str(entry["id"]), str(entry["group"]), tuple(turns), path.name))
    if problems:
        raise EvalSetError("\n".join(problems))
    return out


def load_split(name: str, root: Path = EVAL_DIR) -> Split:
    folder = Path(root) / name
    if not folder.is_dir():
        raise EvalSetError(f"{folder}: no such split folder")
    split = Split(name)
    for path in sorted(folder.glob("*.yaml")):
        if "dialogues" in _read(path):
            split.dialogues += load_dialogues(path)
        elif path.name == "ontology.yaml":
            split.ontology += load_items(path)
        else:
            split.single += load_items(path)
    return split


def target_ids(path: Path = TARGETS) -> list[str]:
    return [line.split("|")[0].strip() for line in Path(path).read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def new_ids(path: Path = TARGETS) -> set[str]:
    """The conditions added on 2026-11-30, after legacy.yaml was written (third column "new")."""
    rows = [[c.strip() for c in line.split("|")] for line in Path(path).read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    return {row[0] for row in rows if len(row) > 2 and row[2] == "new"}


def unknown_ids(items, kb) -> list[str]:
    """One line per (item, id) whose id the loaded knowledge base does not have."""
    return [f"{it.source}[{it.number}] ({it.q!r}): unknown condition id {cid!r}"
            for it in items for cid in sorted(it.ids) if cid not in kb.conditions]


def known(objs, kb) -> tuple[list, list]:
    """(loadable, pending): items or dialogues whose ids are all in the knowledge base, and the others."""
    ok, pending = [], []
    for obj in objs:
        (ok if obj.ids <= kb.conditions.keys() else pending).append(obj)
    return ok, pending


def canonical_words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def held_back_by_rule(name: str) -> bool:
    """The fixed rule that chose one ontology name in three to hold back (decided before any run)."""
    return int(hashlib.sha1(("held-back:" + canonical_words(name)).encode("utf-8")).hexdigest(), 16) % 3 == 0
