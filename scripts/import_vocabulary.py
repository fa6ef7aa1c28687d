#!/usr/bin/env python3
"""Import the Disease Ontology into knowledge/vocabulary/: covered conditions' names and codes, and the rest.

    .venv/bin/python scripts/import_vocabulary.py            # rewrite the generated files
    .venv/bin/python scripts/import_vocabulary.py --check    # exit 1 when they are out of date (CI runs this)

Inputs: the Human Disease Ontology (CC0; ../shared/reference/vocabulary/*.jsonl.gz), each condition's `ontology`
block (doids, accepted and rejected subtypes, rejected synonyms) and knowledge/vocabulary/import-rules.yaml.
Outputs, both generated (never edit them by hand):
- covered.yaml: per condition, its DO terms and codes (DOID, ICD-10-CM, MeSH, UMLS), the exact synonyms imported
  with where each was read, and the accepted subtypes with their names; what was left out, and why.
- uncovered.tsv: every other DO name (labels and exact synonyms): diseases the bot does not cover.
Only exact synonyms are imported; related, narrow and broad synonyms are other things, except, for a disease the bot
does not cover, a related synonym in capitals that spells its label's initials ("PML"): its own abbreviation.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from bot.knowledge import load_knowledge  # noqa: E402
from bot.match.lexicon import bracket_forms  # noqa: E402
from bot.text import canonical_phrase  # noqa: E402
from bot.vocabulary import (  # noqa: E402
    COVERED_FILE,
    RULES_FILE,
    UNCOVERED_FILE,
    ImportRules,
    ontology_fingerprint,
    uncovered_line,
)

DEFAULT_SOURCE = ROOT.parent / "shared" / "reference" / "vocabulary"
CODE_PREFIXES = {"ICD10CM": "ICD10CM", "MESH": "MESH", "UMLS_CUI": "UMLS"}


def key(text: str) -> str:
    return " ".join(canonical_phrase(text))


def read_ontology(path: Path) -> dict[str, dict]:
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        return {term["id"]: term for term in map(json.loads, stream)}


def descendants(terms: dict[str, dict], roots: list[str]) -> set[str]:
    children: dict[str, list[str]] = defaultdict(list)
    for doid, term in terms.items():
        for parent in term["parents"]:
            children[parent].append(doid)
    found, stack = set(), list(roots)
    while stack:
        doid = stack.pop()
        for child in children.get(doid, ()):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def ancestors(terms: dict[str, dict], doids: list[str]) -> set[str]:
    found, stack = set(), list(doids)
    while stack:
        for parent in terms.get(stack.pop(), {}).get("parents", ()):
            if parent not in found:
                found.add(parent)
                stack.append(parent)
    return found


def names_of(term: dict) -> list[tuple[str, str]]:
    """(name, where it was read) for a term's label and exact synonyms."""
    out = [(term["label"], "label")]
    out += [(s, term["synonym_sources"].get(s, "exact synonym")) for s in term["exact_synonyms"]]
    return out


LITTLE_WORDS = frozenset({"of", "and", "with", "the", "in", "to", "a", "an", "or", "by", "for"})
INITIALISM = re.compile(r"[A-Z]{3,8}")


def initialisms(term: dict) -> list[str]:
    """Related synonyms in capitals that spell the first letters of the label's words ("PML" for progressive
    multifocal leukoencephalopathy): the disease's own abbreviation, which the DO files as related, not exact."""
    spelt = "".join(w[0] for w in re.findall(r"[A-Za-z]+", term["label"]) if w.lower() not in LITTLE_WORDS).upper()
    return [s for s in term.get("related_synonyms", []) if INITIALISM.fullmatch(s) and s == spelt]


def usable(name: str, rules: ImportRules) -> str | None:
    """Why a name cannot be matched at all (too short, a generic word), or None."""
    letters = sum(ch.isalnum() for ch in name)
    if letters < rules.min_chars:
        return "too short to match safely"
    if key(name) in rules.generic_keys:
        return "a generic word"
    return None


def build(kb, terms: dict[str, dict], rules: ImportRules, release: str) -> tuple[dict, list[str]]:
    # Every term as the lexicon reads it: a name with a bracketed qualifier also without it ("Pemphigus (vulgaris
    # and foliaceus)" is read as "pemphigus" too), so no uncovered line repeats a covered reading.
    curated = {key(form): cond.id for cond in kb.conditions.values() for _kind, text in cond.terms()
               for form in bracket_forms(text)}
    covered: dict[str, dict] = {}
    claimed: dict[str, set[str]] = defaultdict(set)  # DOIDs answered by a covered condition (itself or a subtype)
    imported_keys: dict[str, set[str]] = defaultdict(set)  # name key -> conditions importing it
    for cond in sorted(kb.conditions.values(), key=lambda c: c.id):
        onto = cond.ontology
        own = [d for d in onto.doids if d in terms]
        accepted_roots = own if onto.accept_subtypes == "all" else [d for d in onto.accept_subtypes if d in terms]
        subtypes = set(accepted_roots) | descendants(terms, accepted_roots)
        subtypes -= set(onto.reject_subtypes) | descendants(terms, list(onto.reject_subtypes))
        subtypes -= set(own)
        rejected = {key(s) for s in onto.reject_synonyms}
        entry = {"fingerprint": ontology_fingerprint(onto), "terms": [], "codes": {}, "synonyms": [], "subtypes": [],
                 "left_out": []}
        codes: dict[str, list[str]] = {"DOID": own}
        for doid in own:
            term = terms[doid]
            claimed[doid].add(cond.id)
            entry["terms"].append({"doid": doid, "label": term["label"]})
            for xref in term["xrefs"]:
                prefix, _, value = xref.partition(":")
                if prefix in CODE_PREFIXES:
                    codes.setdefault(CODE_PREFIXES[prefix], []).append(value)
            for name, source in names_of(term):
                k = key(name)
                reason = ("rejected by the curator" if k in rejected else usable(name, rules)
                          or (f"a term of {curated[k]}" if k in curated and curated[k] != cond.id else None))
                if reason:
                    entry["left_out"].append({"text": name, "doid": doid, "reason": reason})
                    continue
                if curated.get(k) == cond.id:
                    continue  # already one of its own terms
                imported_keys[k].add(cond.id)
                entry["synonyms"].append({"text": name, "doid": doid, "source": source})
        entry["codes"] = {name: sorted(set(values)) for name, values in codes.items() if values}
        for doid in sorted(subtypes, key=lambda d: terms[d]["label"].lower()):
            claimed[doid].add(cond.id)
            names = []
            for name, _source in names_of(terms[doid]):
                k = key(name)
                if k in rejected or usable(name, rules) or k in curated:
                    continue
                imported_keys[k].add(cond.id)
                names.append(name)
            entry["subtypes"].append({"doid": doid, "label": terms[doid]["label"], "names": names})
        covered[cond.id] = entry
    # The wider DO terms each condition is a kind of ("skin disease" for EBA), among the uncovered diseases: "IVIG for
    # the skin disease?" after EBA refers back to EBA (bot/match/broader.py).
    # ... and its forms the curator did not accept, nor any other condition claims ("primary progressive multiple
    # sclerosis", never studied): asked on their own, the condition is offered beside "not covered".
    for cond in kb.conditions.values():
        own = [d for d in cond.ontology.doids if d in terms]
        covered[cond.id]["broader"] = sorted(d for d in ancestors(terms, own) if d in terms and d not in claimed)
        covered[cond.id]["narrower"] = sorted(d for d in descendants(terms, own) if d not in claimed)
    notes = []
    shared = {k: ids for k, ids in imported_keys.items() if len(ids) > 1}
    for cid, entry in covered.items():
        for synonym in entry["synonyms"]:
            others = shared.get(key(synonym["text"]), set()) - {cid}
            if others:
                synonym["shared_with"] = sorted(others)  # the bot asks which is meant
        for subtype in entry["subtypes"]:
            shared_names = [n for n in subtype["names"] if len(shared.get(key(n), ())) > 1]
            if shared_names:
                notes.append(f"{cid}: subtype {subtype['doid']} shares {shared_names} with "
                             f"{sorted(set().union(*(shared[key(n)] for n in shared_names)) - {cid})}")
    uncovered = []
    taken = set(curated) | set(imported_keys)
    misfiled = rules.misfiled_keys
    for doid, term in sorted(terms.items()):
        if doid in claimed or doid in rules.not_diseases:
            continue
        for name in [*(name for name, _source in names_of(term)), *initialisms(term)]:
            k = key(name)
            if k in taken or usable(name, rules) or (doid, k) in misfiled:
                continue
            uncovered.append(uncovered_line(name, doid))
    document = {"schema_version": 1, "source": {"name": "Human Disease Ontology", "release": release,
                                                "licence": "CC0 1.0"}, "conditions": covered}
    header = ("# Generated by scripts/import_vocabulary.py from the Human Disease Ontology (CC0 1.0), release "
              f"{release}.\n# Do not edit: change a condition's `ontology` block or import-rules.yaml, then rerun the "
              "script.\n")
    uncovered_text = (f"# Generated by scripts/import_vocabulary.py from the Human Disease Ontology (CC0 1.0), release "
                      f"{release}: names of diseases the bot does not cover.\n# key\tcase\tdoid\tname\n"
                      + "".join(line + "\n" for line in sorted(set(uncovered))))
    return {COVERED_FILE: header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=110),
            UNCOVERED_FILE: uncovered_text}, notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="folder with the DO .jsonl.gz file")
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    parser.add_argument("--check", action="store_true", help="exit 1 when the generated files are out of date")
    args = parser.parse_args(argv)
    files = sorted(args.source.glob("disease-ontology-*.jsonl.gz"))
    if not files:
        print(f"no disease-ontology-*.jsonl.gz in {args.source}", file=sys.stderr)
        return 2
    release = files[-1].name.removeprefix("disease-ontology-").removesuffix(".jsonl.gz")
    kb = load_knowledge(args.knowledge, with_vocabulary=False)
    rules = ImportRules.load(args.knowledge / "vocabulary" / RULES_FILE)
    outputs, notes = build(kb, read_ontology(files[-1]), rules, release)
    folder = args.knowledge / "vocabulary"
    stale = [name for name, text in outputs.items()
             if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != text]
    if args.check:
        for name in stale:
            print(f"{folder / name}: out of date; run scripts/import_vocabulary.py", file=sys.stderr)
        return 1 if stale else 0
    for name in stale:
        (folder / name).write_text(outputs[name], encoding="utf-8")
    for note in notes:
        print(note)
    print(f"{len(stale)} file(s) written in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
