#!/usr/bin/env python3
"""Benchmarks of the answer core: latency, growth with the size of the knowledge base, start-up, memory.

    .venv/bin/python benchmarks/bench_core.py            # everything (a few minutes), prints the figures
    .venv/bin/python benchmarks/bench_core.py --write    # ... and rewrites benchmarks/RESULTS.md
    .venv/bin/python benchmarks/bench_core.py --quick    # smaller samples, no 100,000 base (a smoke run)

What is measured:
- the shipped base: warm per-question latency (every question of eval/questions.yaml, several rounds), load
  time, traced peak memory, and the accuracy of the core beside the two baselines (eval/run_eval.py);
- generated bases of 1,000 / 10,000 / 100,000 conditions (about 5 aliases each, medical-looking names), each
  built in memory in a fresh child process: build time (objects, then AnswerCore), warm latency on a sample of
  questions (names, abbreviations, typos, two conditions, not found), peak RSS, and baseline (a) on the same
  sample; the 100,000 sample is time-boxed;
- `ivig-chat --ask` end to end (a subprocess, cold interpreter), with a check that discord and prompt_toolkit
  are not imported on that path;
- the worst case of a 10,000-character input (several adversarial shapes) on the shipped and generated bases.
Targets (issue 4): p50 <= 1 ms and p99 <= 5 ms on the shipped base; p50 <= 10 ms at 10,000 conditions and
<= 50 ms at 100,000; `ivig-chat --ask` <= 0.5 s; the 10,000-character worst case bounded and reported.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "benchmarks" / "RESULTS.md"
NOTES_BEGIN, NOTES_END = "<!-- notes: kept when the file is rewritten -->", "<!-- /notes -->"

TARGETS = {
    "shipped_p50_ms": 1.0,
    "shipped_p99_ms": 5.0,
    "p50_ms_10000": 10.0,
    "p50_ms_100000": 50.0,
    "ask_s": 0.5,
}
ASK_QUESTION = "IVIG for Kawasaki disease?"


# --- helpers ----------------------------------------------------------------------------------------------------


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


def rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports kB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 1024 / 1024


def current_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    import rapidfuzz

    return {
        "nproc": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu": cpu,
        "memory": mem,
        "python": sys.version.split()[0] + f" ({platform.python_implementation()})",
        "os": platform.platform(),
        "rapidfuzz": rapidfuzz.__version__,
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "code": code_fingerprint(),
    }


def code_fingerprint() -> str:
    """Which matcher was measured: a hash of the matching code (bot/matcher.py, core.py, text.py)."""
    import hashlib

    digest = hashlib.sha256()
    for name in ("matcher.py", "core.py", "text.py"):
        path = ROOT / "bot" / name
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def time_questions(core, texts: list[str], rounds: int = 1, budget_s: float | None = None) -> list[float]:
    """Warm per-question latency of core.answer, one sample per question per round."""
    from bot.models import Question

    questions = [Question(text=t) for t in texts]
    for q in questions[:5]:
        core.answer(q)  # warm up
    samples: list[float] = []
    started = time.perf_counter()
    for _ in range(rounds):
        for q in questions:
            t0 = time.perf_counter()
            core.answer(q)
            samples.append(time.perf_counter() - t0)
            if budget_s is not None and time.perf_counter() - started > budget_s and len(samples) >= 10:
                return samples
    return samples


# --- generated knowledge bases ------------------------------------------------------------------------------------

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
    from bot.knowledge import KnowledgeBase
    from bot.models import Condition, Reference

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


def generated_questions(specs: list[dict], count: int, seed: int = 11) -> list[tuple[str, str, frozenset]]:
    """(category, question, expected ids) drawn from the generated conditions."""
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


def time_worst_case(core, rounds: int = 3) -> dict[str, float]:
    from bot.models import Question

    out = {}
    for label, text in worst_case_inputs().items():
        best = []
        for _ in range(rounds):
            t0 = time.perf_counter()
            core.answer(Question(text=text))
            best.append(time.perf_counter() - t0)
        out[label] = max(best) * 1000
    return out


# --- child process: one generated base ----------------------------------------------------------------------------


def child(size: int, sample: int, budget_s: float, worst: bool, baseline: bool) -> dict:
    from rapidfuzz import fuzz, process, utils

    from bot.core import AnswerCore
    from bot.intents import load_intents
    from bot.models import Question

    intents = load_intents()
    rss_start = current_rss_mb()
    t0 = time.perf_counter()
    specs = generate_conditions(size)
    t1 = time.perf_counter()
    kb = build_kb(specs)
    t2 = time.perf_counter()
    rss_kb = current_rss_mb()
    core = AnswerCore(kb, intents)
    t3 = time.perf_counter()
    rss_core = current_rss_mb()
    aliases = sum(1 + len(s["synonyms"]) + 1 for s in specs)

    questions = generated_questions(specs, sample)
    for _, text, _ in questions[:5]:
        core.answer(Question(text=text))
    per_category: dict[str, list[float]] = {}
    correct: dict[str, list[bool]] = {}
    wrong: dict[str, list[bool]] = {}
    samples: list[float] = []
    started = time.perf_counter()
    for category, text, expected in questions:
        q0 = time.perf_counter()
        answer = core.answer(Question(text=text))
        elapsed = time.perf_counter() - q0
        samples.append(elapsed)
        per_category.setdefault(category, []).append(elapsed)
        got = frozenset(c.id for c in answer.conditions) if answer.kind.value == "answer" else frozenset()
        correct.setdefault(category, []).append(got == expected)
        wrong.setdefault(category, []).append(answer.kind.value == "answer" and got != expected)
        if time.perf_counter() - started > budget_s and len(samples) >= 10:
            break
    result = {
        "size": size, "aliases": aliases,
        "generate_s": t1 - t0, "objects_s": t2 - t1, "core_build_s": t3 - t2,
        "rss_start_mb": rss_start, "rss_after_kb_mb": rss_kb, "rss_after_core_mb": rss_core,
        "latency": summary_ms(samples),
        "by_category": {k: summary_ms(v) for k, v in per_category.items()},
        "correct": {k: sum(v) / len(v) for k, v in correct.items()},
        "wrong": {k: sum(v) / len(v) for k, v in wrong.items()},
        "time_boxed": len(samples) < len(questions),
    }
    if worst:
        result["worst_case_ms"] = time_worst_case(core, rounds=1 if size >= 100_000 else 2)
    if baseline:
        table: dict[str, str] = {}
        for s in specs:
            for text in [s["name"], *s["synonyms"], s["abbreviation"]]:
                table[text] = s["id"]
        choices = list(table)
        base_samples = []
        started = time.perf_counter()
        for _, text, _ in questions[: len(samples)]:
            q0 = time.perf_counter()
            process.extractOne(text, choices, scorer=fuzz.WRatio, processor=utils.default_process, score_cutoff=85)
            base_samples.append(time.perf_counter() - q0)
            if time.perf_counter() - started > budget_s / 2 and len(base_samples) >= 5:
                break
        result["baseline_wratio"] = summary_ms(base_samples)
    result["peak_rss_mb"] = rss_mb()
    return result


def run_child(size: int, sample: int, budget_s: float, worst: bool, baseline: bool) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(size), "--sample", str(sample),
           "--budget", str(budget_s)] + (["--worst"] if worst else []) + (["--baseline"] if baseline else [])
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"child {size} failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_s"] = time.perf_counter() - t0
    return result


# --- start-up -----------------------------------------------------------------------------------------------------


def ask_command() -> tuple[list[str], str]:
    script = Path(sys.executable).parent / "ivig-chat"
    if script.exists():
        return [str(script)], str(script.relative_to(ROOT)) if script.is_relative_to(ROOT) else str(script)
    found = shutil.which("ivig-chat")
    if found:
        return [found], found
    return [sys.executable, "-m", "bot.cli"], "python -m bot.cli"


def time_ask(runs: int = 7) -> dict:
    cmd, label = ask_command()
    walls, peaks = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd + ["--ask", ASK_QUESTION], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        walls.append(time.perf_counter() - t0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        peaks.append(usage.ru_maxrss / 1024)
        if proc.returncode != 0:
            raise RuntimeError(f"{label} --ask exited {proc.returncode}")
    probe = (
        "import sys\nfrom bot.cli import main\nimport io\n"
        f"main(['--ask', {ASK_QUESTION!r}], stdout=io.StringIO())\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'discord', 'prompt_toolkit', 'aiohttp', 'bot.storage'})\n"
        "print(','.join(heavy))\n"
    )
    heavy = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    import_probe = subprocess.run([sys.executable, "-X", "importtime", "-c", "import bot.cli"], capture_output=True,
                                  text=True, cwd=ROOT).stderr
    import_us = 0
    for line in import_probe.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[2].strip() == "bot.cli":
            import_us = int(parts[1].strip())
    python_only = []
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        python_only.append(time.perf_counter() - t0)
    return {"command": f"{label} --ask {ASK_QUESTION!r}", "runs": runs, "median_s": statistics.median(walls),
            "min_s": min(walls), "max_s": max(walls), "peak_rss_mb": max(peaks),
            "heavy_modules_imported": heavy or "none", "import_bot_cli_ms": import_us / 1000,
            "bare_python_s": min(python_only)}


# --- the shipped base ---------------------------------------------------------------------------------------------


def shipped(rounds: int) -> dict:
    sys.path.insert(0, str(ROOT / "eval"))
    import run_eval

    from bot.core import AnswerCore

    tracemalloc.start()
    t0 = time.perf_counter()
    core = AnswerCore.load()
    load_s = time.perf_counter() - t0
    _, load_peak = tracemalloc.get_traced_memory()
    items = run_eval.load_items()
    texts = [it.q for it in items]
    time_questions(core, texts[:200])
    _, answer_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    samples = time_questions(core, texts, rounds=rounds)
    by_category: dict[str, list[float]] = {}
    for it, s in zip(items * rounds, samples):
        by_category.setdefault(it.category, []).append(s)
    eval_metrics = run_eval.evaluate(core, items)
    baselines = [
        run_eval.Metrics(f"(a) rapidfuzz extractOne WRatio, cutoff {run_eval.WRATIO_CUTOFF:g}",
                         run_eval.run_wratio(core.kb, items)),
        run_eval.Metrics(f"(b) difflib.get_close_matches, cutoff {run_eval.DIFFLIB_CUTOFF:g}",
                         run_eval.run_difflib(core.kb, items)),
    ]
    aliases = sum(1 + len(c.synonyms) + len(c.abbreviations) + len(c.ambiguous_terms) + len(c.never_match)
                  for c in core.kb.conditions.values())
    return {
        "conditions": len(core.kb.conditions), "aliases": aliases, "questions": len(texts), "rounds": rounds,
        "load_s": load_s, "traced_peak_load_mb": load_peak / 2**20, "traced_peak_answering_mb": answer_peak / 2**20,
        "latency": summary_ms(samples), "by_category": {k: summary_ms(v) for k, v in by_category.items()},
        "worst_case_ms": time_worst_case(core),
        "eval": [eval_metrics.as_dict(), *(b.as_dict() for b in baselines)],
        "rss_mb": rss_mb(),
    }


# --- report -------------------------------------------------------------------------------------------------------


def status(value: float, target: float) -> str:
    return "met" if value <= target else "MISSED"


def render(results: dict) -> str:
    m, s, ask, gens = results["machine"], results["shipped"], results["ask"], results["generated"]
    lines = []
    w = lines.append
    w("# Benchmarks: ivig-chat answer core\n")
    w(f"Generated by `.venv/bin/python benchmarks/bench_core.py --write` on {m['date']} "
      f"(total run {results['total_s']:.0f} s). Accuracy figures come from `eval/run_eval.py`; timings are warm "
      "wall-clock per question on one core unless stated.\n")
    w("## Machine\n")
    w(f"- CPU: {m['cpu']}; nproc {m['nproc']} (usable {m['usable_cpus']}); memory {m['memory']}")
    w(f"- Python {m['python']}; rapidfuzz {m['rapidfuzz']}; {m['os']}")
    w(f"- Code measured: sha256 of bot/matcher.py + core.py + text.py = `{m['code']}`\n")

    w("## Targets\n")
    w("| target | figure | status |")
    w("|---|---|---|")
    w(f"| shipped base p50 <= 1 ms | {s['latency']['p50']:.3f} ms | {status(s['latency']['p50'], 1)} |")
    w(f"| shipped base p99 <= 5 ms | {s['latency']['p99']:.3f} ms | {status(s['latency']['p99'], 5)} |")
    for g in gens:
        if g["size"] == 10_000:
            w(f"| p50 <= 10 ms at 10,000 conditions | {g['latency']['p50']:.2f} ms | {status(g['latency']['p50'], 10)} |")
        if g["size"] == 100_000:
            w(f"| p50 <= 50 ms at 100,000 conditions | {g['latency']['p50']:.2f} ms | "
              f"{status(g['latency']['p50'], 50)} |")
    w(f"| `ivig-chat --ask` end to end <= 0.5 s | {ask['median_s']:.3f} s median | {status(ask['median_s'], 0.5)} |")
    w(f"| `--ask` path does not import discord | imported: {ask['heavy_modules_imported']} | "
      f"{'met' if 'discord' not in ask['heavy_modules_imported'] else 'MISSED'} |")
    worst = max(s["worst_case_ms"].values())
    w(f"| 10,000-character input bounded (shipped base) | worst {worst:.1f} ms | reported |")
    ev = s["eval"][0]
    w(f"| >= 98% exact on answerable questions | {ev['rates']['answerable_exact']:.2%} | "
      f"{'met' if ev['rates']['answerable_exact'] >= 0.98 else 'MISSED'} |")
    w(f"| <= 1% confident wrong on negatives | {ev['rates']['negative_confident_wrong']:.2%} | "
      f"{'met' if ev['rates']['negative_confident_wrong'] <= 0.01 else 'MISSED'} |")
    w(f"| 0 wrong on canonical names | {ev['counts']['canonical_wrong']} | "
      f"{'met' if ev['counts']['canonical_wrong'] == 0 else 'MISSED'} |\n")

    w("## Accuracy beside the baselines (shipped base, eval/questions.yaml)\n")
    w(f"{ev['counts']['items']} questions: {ev['counts']['answerable']} answerable, {ev['counts']['clarify_items']} "
      f"ambiguous (expect a question back), {ev['counts']['negatives']} negatives. Same questions and judging for "
      "all three; a baseline answers the single best alias above its cutoff (an alias the data gives to several "
      "conditions is asked back).\n")
    w("| matcher | exact on answerable | confident wrong on negatives | ambiguous asked back | wrong on canonical "
      "| confident wrong, all | p50 ms | p99 ms | total s |")
    w("|---|---|---|---|---|---|---|---|---|")
    for e in s["eval"]:
        r, c = e["rates"], e["counts"]
        w(f"| {e['name']} | {r['answerable_exact']:.1%} | {r['negative_confident_wrong']:.1%} | {r['clarify_ok']:.1%} "
          f"| {c['canonical_wrong']} | {r['confident_wrong_all']:.1%} | {r['p50_ms']:.3f} | {r['p99_ms']:.3f} "
          f"| {r['total_s']:.2f} |")
    w(f"\nCore: clarify rate {ev['rates']['clarify_rate']:.1%} of all questions, "
      f"{ev['rates']['answerable_asked']:.1%} of answerable ones; {ev['counts']['failures']} failures in all "
      "(listed by `eval/run_eval.py`).\n")

    w("## Latency on the shipped base\n")
    w(f"{s['conditions']} conditions, {s['aliases']} names and terms; every question of the evaluation set "
      f"({s['questions']}) x {s['rounds']} rounds, warm. Load (parse and validate YAML, build the matcher): "
      f"{s['load_s'] * 1000:.0f} ms.\n")
    w("| questions | n | p50 ms | p90 ms | p99 ms | mean ms | max ms |")
    w("|---|---|---|---|---|---|---|")
    for label, lat in [("all", s["latency"]), *sorted(s["by_category"].items())]:
        w(f"| {label} | {lat['n']} | {lat['p50']:.3f} | {lat['p90']:.3f} | {lat['p99']:.3f} | {lat['mean']:.3f} "
          f"| {lat['max']:.3f} |")
    w("")

    w("## Growth with the size of the knowledge base\n")
    w("Generated bases built in memory (pydantic `Condition` objects, then `AnswerCore`), each in a fresh process; "
      "about 5 aliases per condition (name, 3 synonyms, 1 abbreviation), medical-looking names such as "
      "\"Chronic hepatomyelitis\", \"Halmann-Torberg syndrome\", \"Idiopathic focal neurocardiopathy\". Questions: "
      "30% names, 20% synonyms, 10% abbreviations, 20% one-typo names, 10% two conditions, 10% not found. "
      "Loading YAML files is not included.\n")
    w("| conditions | aliases | build objects s | build core s | questions timed | p50 ms | p90 ms | p99 ms | "
      "max ms | peak RSS MB | core RSS growth MB | baseline (a) p50 ms |")
    w("|---|---|---|---|---|---|---|---|---|---|---|---|")
    w(f"| {s['conditions']} (shipped) | {s['aliases']} | - | {s['load_s']:.3f} (load) | {s['latency']['n']} | "
      f"{s['latency']['p50']:.3f} | {s['latency']['p90']:.3f} | {s['latency']['p99']:.3f} | {s['latency']['max']:.3f} "
      f"| {s['rss_mb']:.0f} | - | {s['eval'][1]['rates']['p50_ms']:.3f} |")
    for g in gens:
        lat = g["latency"]
        base = g.get("baseline_wratio", {}).get("p50", float("nan"))
        w(f"| {g['size']:,} | {g['aliases']:,} | {g['objects_s']:.1f} | {g['core_build_s']:.2f} | {lat['n']}"
          f"{' (time-boxed)' if g['time_boxed'] else ''} | {lat['p50']:.2f} | {lat['p90']:.2f} | {lat['p99']:.2f} | "
          f"{lat['max']:.2f} | {g['peak_rss_mb']:.0f} | {g['rss_after_core_mb'] - g['rss_after_kb_mb']:.0f} | "
          f"{base:.2f} |")
    w("")
    if len(gens) >= 2:
        a, b = gens[0], gens[-1]
        growth = b["latency"]["p50"] / a["latency"]["p50"] if a["latency"]["p50"] else float("nan")
        w(f"p50 grows x{growth:.1f} from {a['size']:,} to {b['size']:,} conditions (x{b['size'] / a['size']:.0f} "
          "the aliases); linear growth would be a scan of every alias.\n")
    w("Per question type: p50 ms, and in brackets the share answered exactly right (for \"not found\": with no "
      "condition answered) and the share of confident wrong answers (kind answer, another set). Generated names are close "
      "siblings, so a typo asked back (\"did you mean\") is legitimate; a typo answered with another condition "
      "is not.\n")
    cats = ["name", "synonym", "abbreviation", "typo", "two conditions", "not found"]
    w("| conditions | " + " | ".join(cats) + " |")
    w("|---|" + "---|" * len(cats))
    for g in gens:
        w(f"| {g['size']:,} | " + " | ".join(
            f"{g['by_category'][c]['p50']:.2f} ({g['correct'][c]:.0%} right, {g['wrong'][c]:.0%} wrong)"
            if c in g["by_category"] else "-"
            for c in cats) + " |")
    w("")

    w("## Start-up: `ivig-chat --ask` to the first answer\n")
    w(f"`{ask['command']}`, a fresh interpreter each time, {ask['runs']} runs: median {ask['median_s']:.3f} s, "
      f"min {ask['min_s']:.3f} s, max {ask['max_s']:.3f} s; peak RSS {ask['peak_rss_mb']:.0f} MB. A bare "
      f"`python -c pass` takes {ask['bare_python_s']:.3f} s here; `import bot.cli` alone {ask['import_bot_cli_ms']:.0f} ms "
      f"(cumulative, `-X importtime`). Heavy modules imported on the --ask path: {ask['heavy_modules_imported']}.\n")

    w("## Worst case: a 10,000-character input\n")
    w("The core reads the first 2,000 characters (`MAX_QUESTION_CHARS`) and at most 400 tokens; each shape below "
      "is 10,000 characters. Milliseconds, slowest of the rounds.\n")
    shapes = list(s["worst_case_ms"])
    with_worst = [g for g in gens if "worst_case_ms" in g]
    w("| input | shipped | " + " | ".join(f"{g['size']:,} conditions" for g in with_worst) + " |")
    w("|---|---|" + "---|" * len(with_worst))
    for shape in shapes:
        w(f"| {shape} | {s['worst_case_ms'][shape]:.1f} | " + " | ".join(
            f"{g['worst_case_ms'][shape]:.1f}" for g in with_worst) + " |")
    w("")

    w("## Memory\n")
    w(f"- Shipped base: traced Python allocations peak {s['traced_peak_load_mb']:.1f} MB while loading, "
      f"{s['traced_peak_answering_mb']:.1f} MB after answering 200 questions (tracemalloc); `--ask` process peak "
      f"RSS {ask['peak_rss_mb']:.0f} MB.")
    for g in gens:
        w(f"- {g['size']:,} conditions: RSS {g['rss_start_mb']:.0f} MB at start, {g['rss_after_kb_mb']:.0f} MB with "
          f"the condition objects, {g['rss_after_core_mb']:.0f} MB with the core built, peak {g['peak_rss_mb']:.0f} MB.")
    w("")
    return "\n".join(lines)


def write_results(text: str) -> None:
    notes = f"{NOTES_BEGIN}\n## Notes\n\n(hand-written analysis goes here; it is kept when the file is rewritten)\n{NOTES_END}"
    if RESULTS.exists():
        old = RESULTS.read_text(encoding="utf-8")
        if NOTES_BEGIN in old and NOTES_END in old:
            notes = old[old.index(NOTES_BEGIN) : old.index(NOTES_END) + len(NOTES_END)]
    RESULTS.write_text(text + "\n" + notes + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the ivig-chat answer core.")
    parser.add_argument("--write", action="store_true", help=f"rewrite {RESULTS.relative_to(ROOT)}")
    parser.add_argument("--quick", action="store_true", help="small samples, no 100,000 base")
    parser.add_argument("--sizes", default=None, help="comma-separated generated sizes (default 1000,10000,100000)")
    parser.add_argument("--json", type=Path, help="also write the raw figures as JSON")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--sample", type=int, default=300, help=argparse.SUPPRESS)
    parser.add_argument("--budget", type=float, default=60.0, help=argparse.SUPPRESS)
    parser.add_argument("--worst", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--baseline", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        print(json.dumps(child(args.child, args.sample, args.budget, args.worst, args.baseline)))
        return 0

    started = time.perf_counter()
    sizes = [int(x) for x in args.sizes.split(",")] if args.sizes else ([1000, 10_000] if args.quick else
                                                                       [1000, 10_000, 100_000])
    # (sample size, time budget for the sample in seconds) per size: a slow matcher is time-boxed, not waited for
    plan = {1000: (300, 30.0), 10_000: (200, 60.0), 100_000: (100, 120.0)}
    results: dict = {"machine": machine()}
    print(f"machine: {results['machine']}", flush=True)
    print("shipped base ...", flush=True)
    results["shipped"] = shipped(rounds=1 if args.quick else 3)
    lat = results["shipped"]["latency"]
    print(f"  p50 {lat['p50']:.3f} ms  p99 {lat['p99']:.3f} ms  max {lat['max']:.3f} ms  (n={lat['n']})", flush=True)
    for e in results["shipped"]["eval"]:
        r = e["rates"]
        print(f"  {e['name']:48} exact {r['answerable_exact']:.1%}  false answers {r['negative_confident_wrong']:.1%}  "
              f"p50 {r['p50_ms']:.3f} ms", flush=True)
    print(f"  worst 10,000-char input: {max(results['shipped']['worst_case_ms'].values()):.1f} ms", flush=True)
    print("ivig-chat --ask ...", flush=True)
    results["ask"] = time_ask(runs=3 if args.quick else 7)
    print(f"  median {results['ask']['median_s']:.3f} s  heavy modules: {results['ask']['heavy_modules_imported']}",
          flush=True)
    results["generated"] = []
    for size in sizes:
        sample, budget = plan.get(size, (100, 60.0))
        if args.quick:
            sample, budget = min(sample, 60), min(budget, 20.0)
        print(f"generated base of {size:,} conditions ...", flush=True)
        g = run_child(size, sample, budget, worst=size <= 100_000, baseline=True)
        results["generated"].append(g)
        lat = g["latency"]
        print(f"  build {g['objects_s']:.1f} s objects + {g['core_build_s']:.2f} s core; p50 {lat['p50']:.2f} ms "
              f"p99 {lat['p99']:.2f} ms (n={lat['n']}{', time-boxed' if g['time_boxed'] else ''}); "
              f"peak RSS {g['peak_rss_mb']:.0f} MB; worst 10k-char {max(g.get('worst_case_ms', {0: 0}).values()):.0f} ms; "
              f"baseline (a) p50 {g['baseline_wratio']['p50']:.2f} ms", flush=True)
    results["total_s"] = time.perf_counter() - started
    text = render(results)
    print()
    print(text)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    if args.write:
        write_results(text)
        print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
