"""The shared reference material the knowledge tests check entries against: facts files and the Disease Ontology."""

import gzip
import json
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

# Beside the repository, as scripts/import_vocabulary.py expects it (../shared/reference).
REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference"
ONTOLOGY_FILE = REFERENCE / "vocabulary" / "disease-ontology-2026-07-31.jsonl.gz"


@lru_cache(maxsize=None)
def _ontology_terms() -> dict[str, dict]:
    with gzip.open(ONTOLOGY_FILE, "rt", encoding="utf-8") as handle:
        return {term["id"]: term for term in map(json.loads, handle)}


def ontology_terms() -> dict[str, dict]:
    """Every Disease Ontology term by DOID (read once per session), or a skip naming the missing file."""
    if not ONTOLOGY_FILE.is_file():
        pytest.skip(f"the Disease Ontology vocabulary is not available on this machine: {ONTOLOGY_FILE}")
    return _ontology_terms()


def facts_items(*paths: Path) -> dict[str, dict]:
    """The facts files' items by condition id, or a skip when a file is missing."""
    if not all(path.is_file() for path in paths):
        pytest.skip("the shared reference facts are not available on this machine")
    return {item["condition"]: item for path in paths for item in yaml.safe_load(path.read_text(encoding="utf-8"))}
