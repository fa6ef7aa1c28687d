#!/usr/bin/env python3
"""Generated knowledge bases for bench_core.py: medical-looking conditions, questions about them, hostile inputs,
and the measurement of one generated base in a child process of its own (so that its peak RSS is its own).

    .venv/bin/python benchmarks/generated.py 10000 --sample 300 --budget 60   # one base, JSON on the last line

A generated base is a `KnowledgeBase` without vocabulary (no Disease Ontology import, so no uncovered-disease
lexicon) built in memory from pydantic `Condition` objects; the core is `AnswerCore(kb, intents, texts)` with the
shipped intents and texts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


# --- small helpers shared with bench_core.py ----------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..1) of a list of numbers."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def summary_ms(seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    return {"n": len(ms), "p50": pct(ms, 0.5), "p90": pct(ms, 0.9), "p99": pct(ms, 0.99),
            "mean": statistics.fmean(ms) if ms else float("nan"), "max": max(ms) if ms else float("nan")}


def _status_mb(field: str) -> float | None:
    """A memory field of /proc/self/status ("VmHWM", "VmRSS") in MB, or None where there is no such file."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB: VmHWM of /proc/self/status, which starts afresh at
    exec (getrusage's ru_maxrss does not: a child started by a bigger process reports its parent's peak)."""
    found = _status_mb("VmHWM")
    if found is not None:
        return found
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 1024 / 1024


def current_rss_mb() -> float:
    found = _status_mb("VmRSS")
    return float("nan") if found is None else found


def shipped_intents_and_texts():
    """The shipped intents and response texts, loaded as AnswerCore.load does."""
    from bot.core import HANDLED_INTENTS
    from bot.intents import load_intents
    from bot.texts import load_texts

    intents = load_intents(handled=HANDLED_INTENTS)
    texts = load_texts(extra_messages=dict.fromkeys(intents.responses(), frozenset()))
    return intents, texts


# --- generated conditions ------------------------------------------------------------------------------------------

_R1 = ("hepato neuro cardio myelo osteo arthro encephalo gastro pneumo angio lympho hemato erythro leuko thrombo "
       "chondro fibro myo oculo spleno pancreato glomerulo vasculo cerebello spino retino cortico adeno histio "
       "granulo plasmo sclero kerato tricho cholangio entero colo cysto pyelo thyro adreno dermato nephro").split()
_R2 = ("myel cardi neur derm hepat nephr oste arthr enter col pneum angi lymph thromb chondr fibr my ocul splen "
       "pancreat glomerul vascul cerebell spin retin cortic aden histi granul plasm scler kerat trich cholang cyst "
       "thyr adren encephal gastr periton").split()
_SUFFIX = ("opathy itis osis oma algia odystrophy oplasia ectasia osclerosis omegaly openia ocytosis olysis "
           "oparesis omalacia").split()
_ADJ = ("acute chronic familial idiopathic autoimmune hereditary juvenile adult-onset congenital progressive "
        "relapsing recurrent paraneoplastic post-infectious sporadic primary secondary refractory necrotising "
        "granulomatous eosinophilic lymphocytic erosive ulcerative atrophic hypertrophic benign diffuse focal "
        "multifocal segmental neonatal late-onset early-onset X-linked immune-mediated toxic transient "
        "intermittent").split()
_SYL1 = "Hal Mor Ten Bru Kal Sven Dor Lind Fal Gro Vel Rad Ost Bern Cas Mel Tor Zan Hol Wes Ash Brin Cor Dal".split()
_SYL2 = "mann son berg ley ini ov ez ard ton ski elli er holm ford ier ova".split()
_EPONYMS = [a + b for a in _SYL1 for b in _SYL2]
# negatives use roots the generated names never use, so a "not found" question is not found
_NEG_ROOTS = "bronchio tympano laryngo esophago uro salpingo".split()
_NEG_TAILS = "itis osis opathy".split()


def _word(rng: random.Random) -> str:
    r1 = rng.choice(_R1)
    r2 = rng.choice([r for r in _R2 if not r1.startswith(r)])
    return r1 + r2 + rng.choice(_SUFFIX)


def generate_conditions(n: int, seed: int = 7) -> list[dict]:
    """n conditions as plain dicts: id, name, 3 synonyms, 1 abbreviation (about 5 aliases each), all unique."""
    from bot.text import canonical_phrase

    rng = random.Random(seed)
    used: set[str] = set()
    used_abbr: set[str] = set()
    out = []

    def fresh(text: str) -> bool:
        key = "".join(canonical_phrase(text))
        if key in used:
            return False
        used.add(key)
        return True

    i = 0
    while len(out) < n:
        i += 1
        w1, w2 = _word(rng), _word(rng)
        a1, a2, a3 = rng.sample(_ADJ, 3)
        e1, e2, e3 = rng.sample(_EPONYMS, 3)
        form = i % 4
        if form == 0:
            name = f"{a1.capitalize()} {w1}"
        elif form == 1:
            name = f"{e1}-{e2} syndrome"
        elif form == 2:
            name = f"{a1.capitalize()} {a2} {w1}"
        else:
            name = f"{e1} {w1}"
        if not fresh(name):
            continue
        synonyms = []
        for candidate in (f"{a3} {w1}", f"{e3} disease", f"{w1} with {w2}", f"{a2} {w1} type {rng.randint(1, 4)}",
                          f"{e3}-{e1} disease"):
            if len(synonyms) < 3 and fresh(candidate):
                synonyms.append(candidate)
        initials = "".join(part[0] for part in re.split(r"[\s-]+", name) if part).upper()
        abbr = initials + w1[:1].upper()
        k = 1
        while abbr in used_abbr or not fresh(abbr):
            k += 1
            abbr = f"{initials}{w1[:1].upper()}{k}"
        used_abbr.add(abbr)
        cid = f"gen-{len(out):06d}"
        out.append({"id": cid, "name": name, "synonyms": synonyms, "abbreviation": abbr})
    return out


def build_kb(specs: list[dict]):
    """A KnowledgeBase of pydantic Condition objects, without vocabulary (no ontology import)."""
    from bot.knowledge import KnowledgeBase
    from bot.schema import Condition, Reference

    ref = Reference.model_validate({"verified": False, "title_of_work": "Generated reference", "year": 2020})
    today = dt.date(2026, 1, 1)
    conditions = {}
    for s in specs:
        conditions[s["id"]] = Condition.model_validate({
            "schema_version": 1, "id": s["id"], "name": s["name"], "specialty": "generated",
            "last_reviewed": today, "evidence_summary": "Generated condition for benchmarking only.",
            "synonyms": s["synonyms"], "abbreviations": [{"text": s["abbreviation"], "match_case": True}],
            "findings": [{"statement": "A generated finding for the benchmark.", "direction": "unproven",
                          "design": "case series", "references": ["gen-ref"]}],
        })
    return KnowledgeBase(conditions=conditions, references={"gen-ref": ref}, version=f"generated-{len(specs)}")


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randint(2, len(word) - 3)
    kind = rng.choice(["drop", "double", "swap", "sub"])
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice("aeiou") + word[i + 1 :]


_TEMPLATES = ["IVIG for {x}?", "does ivig work in {x}", "{x}", "evidence for IVIG in {x} please",
              "my patient has {x}, would IVIG help?"]
CATEGORIES = ["name", "synonym", "abbreviation", "typo", "two conditions", "not found"]


def generated_questions(specs: list[dict], count: int, seed: int = 11) -> list[tuple[str, str, frozenset]]:
    """(category, question, expected ids) drawn from the generated conditions: 30% names, 20% synonyms, 10%
    abbreviations, 20% one-typo names, 10% two conditions, 10% not found."""
    rng = random.Random(seed)
    out = []
    for k in range(count):
        s = rng.choice(specs)
        t = rng.choice(_TEMPLATES)
        r = k % 10
        if r < 3:
            out.append(("name", t.format(x=s["name"].lower() if r == 1 else s["name"]), frozenset({s["id"]})))
        elif r < 5:
            out.append(("synonym", t.format(x=rng.choice(s["synonyms"]) if s["synonyms"] else s["name"]),
                        frozenset({s["id"]})))
        elif r == 5:
            out.append(("abbreviation", t.format(x=s["abbreviation"]), frozenset({s["id"]})))
        elif r < 8:
            words = s["name"].split()
            longest = max(range(len(words)), key=lambda j: len(words[j]))
            words[longest] = _typo(words[longest], rng)
            out.append(("typo", t.format(x=" ".join(words)), frozenset({s["id"]})))
        elif r == 8:
            o = rng.choice([x for x in rng.sample(specs, min(3, len(specs))) if x is not s] or specs)
            out.append(("two conditions", f"IVIG in {s['name']} and {o['name']}?", frozenset({s["id"], o["id"]})))
        else:
            neg = f"{rng.choice(_ADJ)} {rng.choice(_NEG_ROOTS)}{rng.choice(_NEG_TAILS)}"
            out.append(("not found", t.format(x=neg), frozenset()))
    return out


# --- keystrokes for autocomplete -------------------------------------------------------------------------------------

KEYSTROKE_LEADS = ["", "IVIG for ", "does ivig help "]


def keystrokes(names: list[str], seed: int = 13) -> list[str]:
    """What a user has typed after each keystroke while typing a question that ends in a name: every growing prefix
    of "<lead><name>", the lead ("", "IVIG for ", "does ivig help ") rotating over the names."""
    rng = random.Random(seed)
    out = []
    for name in names:
        text = rng.choice(KEYSTROKE_LEADS) + name
        out.extend(text[:i] for i in range(1, len(text) + 1))
    return out


def time_completion(index, typed: list[str], rounds: int = 1) -> dict:
    """Per keystroke: NameIndex.complete (the figure of issue 13), and the Discord cog's whole choice building
    (`Ask.question_choices`: complete, then the choice texts) on the same index."""
    from types import SimpleNamespace

    from bot.adapters.discord.cogs.ask import MAX_CHOICES, Ask

    cog = SimpleNamespace(service=SimpleNamespace(complete=index.complete))
    for t in typed[:50]:
        index.complete(t, MAX_CHOICES)
    complete, choices, found = [], [], 0
    for _ in range(rounds):
        for t in typed:
            t0 = time.perf_counter()
            result = index.complete(t, MAX_CHOICES)
            complete.append(time.perf_counter() - t0)
            found += bool(result)
            t0 = time.perf_counter()
            Ask.question_choices(cog, t)
            choices.append(time.perf_counter() - t0)
    return {"keystrokes": len(typed), "rounds": rounds, "complete": summary_ms(complete),
            "choices": summary_ms(choices), "with_completions": found / max(1, len(complete))}


# --- worst case inputs ------------------------------------------------------------------------------------------


def worst_case_inputs(length: int = 10_000, seed: int = 5) -> dict[str, str]:
    rng = random.Random(seed)

    def fill(pieces) -> str:
        text = ""
        while len(text) < length:
            text += next(pieces) + " "
        return text[:length]

    def medical_words():
        while True:
            yield rng.choice([_word(rng), rng.choice(_ADJ), rng.choice(_EPONYMS), "syndrome", "disease"])

    def typo_names():
        names = ["myastenia gravs", "chronic inflamatory demyelinating polyneuropaty", "guillian bare syndrom",
                 "kawasacki diesase", "pemphigus vulgarus", "thrombocytopnia", "encephalitus", "neuropaty",
                 "systemic lupus erythematosis", "immune thrombocytopnia in adults"]
        while True:
            yield rng.choice(names)

    def random_words():
        while True:
            yield "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 12)))

    def abbreviations():
        while True:
            yield rng.choice(["MG", "CIDP", "ITP", "AD", "GBS", "SLE", "MS", "PID", "TEN", "HLH", "ms", "mg", "ad"])

    def one_letter():
        while True:
            yield "a"

    return {
        "medical-looking words": fill(medical_words()),
        "typo'd condition names": fill(typo_names()),
        "random lower-case words": fill(random_words()),
        "abbreviations": fill(abbreviations()),
        "one-letter words": fill(one_letter()),
        "one 10,000-letter word": "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(length)),
        "digits and punctuation": "".join(rng.choice("0123456789 .,;:!?-/()") for _ in range(length)),
    }


def time_worst_case(core, rounds: int = 2) -> dict[str, float]:
    """The slowest of `rounds` answers to each 10,000-character shape, in ms."""
    from bot.models import Question

    out = {}
    for label, text in worst_case_inputs().items():
        times = []
        for _ in range(rounds):
            t0 = time.perf_counter()
            core.answer(Question(text=text))
            times.append(time.perf_counter() - t0)
        out[label] = max(times) * 1000
    return out


# --- one generated base, in this process --------------------------------------------------------------------------


def measure(size: int, sample: int, budget_s: float, baseline_budget_s: float, keystroke_names: int) -> dict:
    from rapidfuzz import fuzz, process, utils

    from bot.completion import NameIndex
    from bot.core import AnswerCore
    from bot.models import Question

    intents, texts = shipped_intents_and_texts()
    rss_start = current_rss_mb()
    t0 = time.perf_counter()
    specs = generate_conditions(size)
    t1 = time.perf_counter()
    kb = build_kb(specs)
    t2 = time.perf_counter()
    questions = generated_questions(specs, sample)
    rng = random.Random(17)
    typed = keystrokes([s["name"] for s in rng.sample(specs, min(keystroke_names, len(specs)))])
    aliases = len({text for s in specs for text in [s["name"], *s["synonyms"], s["abbreviation"]]})
    del specs  # the generator's own data: not the bot's memory (nor is the baseline's table, made after the peak)
    gc.collect()
    rss_kb = current_rss_mb()
    t3 = time.perf_counter()
    core = AnswerCore(kb, intents, texts)
    t4 = time.perf_counter()
    rss_core = current_rss_mb()

    for _, text, _ in questions[:5]:
        core.answer(Question(text=text))
    per_category: dict[str, list[float]] = {}
    correct: dict[str, list[bool]] = {}
    wrong: dict[str, list[bool]] = {}
    samples: list[float] = []
    started = time.perf_counter()
    for category, text, expected in questions:
        question = Question(text=text)
        q0 = time.perf_counter()
        answer = core.answer(question)
        elapsed = time.perf_counter() - q0
        samples.append(elapsed)
        per_category.setdefault(category, []).append(elapsed)
        got = frozenset(c.id for c in answer.conditions) if answer.kind.value == "answer" else frozenset()
        correct.setdefault(category, []).append(got == expected)
        wrong.setdefault(category, []).append(answer.kind.value == "answer" and got != expected)
        if time.perf_counter() - started > budget_s and len(samples) >= 10:
            break
    peak_core = peak_rss_mb()  # before the autocomplete index: the core's own peak
    result = {
        "size": size, "aliases": aliases,
        "generate_s": t1 - t0, "objects_s": t2 - t1, "core_build_s": t4 - t3,
        "rss_start_mb": rss_start, "rss_after_kb_mb": rss_kb, "rss_after_core_mb": rss_core,
        "peak_rss_mb": peak_core,
        "latency": summary_ms(samples),
        "by_category": {k: summary_ms(v) for k, v in per_category.items()},
        "correct": {k: sum(v) / len(v) for k, v in correct.items()},
        "wrong": {k: sum(v) / len(v) for k, v in wrong.items()},
        "time_boxed": len(samples) < len(questions),
        "questions": len(questions),
    }
    result["worst_case_ms"] = time_worst_case(core, rounds=1 if size >= 100_000 else 2)

    table = {text: cond.id for cond in kb.conditions.values()
             for text in [cond.name, *cond.synonyms, *(term.text for term in cond.abbreviations)]}
    choices = list(table)
    base_samples = []
    started = time.perf_counter()
    for _, text, _ in questions:
        q0 = time.perf_counter()
        process.extractOne(text, choices, scorer=fuzz.WRatio, processor=utils.default_process, score_cutoff=85)
        base_samples.append(time.perf_counter() - q0)
        if time.perf_counter() - started > baseline_budget_s and len(base_samples) >= 5:
            break
    result["baseline_wratio"] = summary_ms(base_samples)
    del choices, table
    gc.collect()

    rss_before_index = current_rss_mb()
    t5 = time.perf_counter()
    index = NameIndex(kb)
    t6 = time.perf_counter()
    result["completion"] = {"build_s": t6 - t5, "rss_growth_mb": current_rss_mb() - rss_before_index,
                            "names_typed": keystroke_names, **time_completion(index, typed)}
    result["peak_rss_all_mb"] = peak_rss_mb()
    return result


def run_child(size: int, sample: int, budget_s: float, baseline_budget_s: float, keystroke_names: int) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), str(size), "--sample", str(sample), "--budget",
           str(budget_s), "--baseline-budget", str(baseline_budget_s), "--keystroke-names", str(keystroke_names)]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"generated base of {size} failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_s"] = time.perf_counter() - t0
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure one generated knowledge base (JSON on stdout).")
    parser.add_argument("size", type=int)
    parser.add_argument("--sample", type=int, default=300, help="questions timed")
    parser.add_argument("--budget", type=float, default=60.0, help="seconds at most for the questions")
    parser.add_argument("--baseline-budget", type=float, default=15.0, help="seconds at most for baseline (a)")
    parser.add_argument("--keystroke-names", type=int, default=300, help="names typed for autocomplete")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.size, args.sample, args.budget, args.baseline_budget, args.keystroke_names)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
