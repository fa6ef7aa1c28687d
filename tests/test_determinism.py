"""The core answers the same question the same way in every run, whatever Python's per-run string hashing.

Set order follows PYTHONHASHSEED, so a tie broken by set order gives one answer today and another after a restart
(it did: "post-COID syndrome" was read as "post-COID" in some runs). Two child processes with different seeds
answer the dev questions and every condition's name with a typo; their answers must be identical.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import hashlib, json, sys
sys.path.insert(0, "eval")
from eval_set import EVAL_DIR, load_items
from bot.core import AnswerCore
from bot.models import Question

core = AnswerCore.load()
texts = ["post-COID syndrome", "ivig for post-COID syndrome", "post COID syndrome"]  # two readings tied
texts += [item.q for name in ("questions.yaml", "ontology.yaml") for item in load_items(EVAL_DIR / "dev" / name)]
for condition in core.kb.conditions.values():
    name = condition.name
    texts += [f"ivig for {name}", name[:3] + name[4:], " ".join(reversed(name.split()))]
digest = hashlib.sha256()
for text in texts:
    digest.update(json.dumps(core.answer(Question(text=text)).model_dump(mode="json"), sort_keys=True).encode())
print(json.dumps({"n": len(texts), "digest": digest.hexdigest()}))
"""


def answers_under(seed: str) -> dict:
    env = {**os.environ, "PYTHONHASHSEED": seed, "IVIG_CACHE_DIR": "off"}
    out = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_answers_do_not_depend_on_the_hash_seed():
    first, second = answers_under("1"), answers_under("2")
    assert first["n"] > 1000
    assert first == second
