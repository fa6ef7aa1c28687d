"""Fuzz `ivig-chat --json` end to end: hostile lines in, the JSON line contract checked on every line out.

A few long-running `ivig-chat --json` processes (the installed entry point, in a UTF-8 locale) are fed by pipes, one
line at a time: random Unicode, invalid UTF-8, control characters, U+2028/U+0085, very long lines, mentions,
markdown, condition names with noise, follow-up phrases, numbers and slash commands. For every input line the
answer must be exactly one line holding one JSON object: valid UTF-8, no raw U+2028/U+2029/U+0085, every field of the
README's contract present with its type. Counted: exceptions (a traceback on stderr, a process that dies, or an
answer that is the apology for a caught exception), contract violations, and the latency of every line.

Run outside CI (200,000 lines take a while; run it in the background):

    .venv/bin/python scripts/fuzz_json.py --count 200000 --seed 2026 --write benchmarks/RESULTS.md

`--write` puts the figures into RESULTS.md as a block of their own, which benchmarks/bench_core.py keeps.

Exit status 1 when anything was found. Failures are listed (the first few of each kind) with their input.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import selectors
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

BLOCK_BEGIN, BLOCK_END = "<!-- fuzz:begin -->", "<!-- fuzz:end -->"  # kept by bench_core.py's rewrites
READ_TIMEOUT = 60.0  # seconds for one answer; longer counts as a hang (and the process is restarted)
LINE_BREAKERS = ("\u2028", "\u2029", "\u0085")
KINDS = {"answer", "clarify", "not_found", "list", "sources", "help", "about", "greeting", "out_of_scope", "empty",
         "feedback"}
METHODS = {"exact", "abbreviation", "fuzzy", "subtype", "ambiguous", "context", "chosen", None}
FOCUSES = {"patients", "design", "sources", "more", None}
WARM_WORST = "worst ms after each process's first line"
APOLOGY = "Sorry, something went wrong while answering that"
# The README's contract: every object has these, with these types (None allowed where listed).
FIELDS: dict[str, tuple[type, ...]] = {
    "question": (str,), "intent": (str,), "kind": (str,), "conditions": (list,), "suggestions": (list,),
    "text": (str,), "citations": (list,), "listing": (list,), "filters": (dict,), "message": (str, type(None)),
    "focus": (str, type(None)), "notes": (list,), "disclaimer": (str,), "knowledge_version": (str,),
    "last_reviewed": (str,), "not_found": (list,),
}


# --- inputs --------------------------------------------------------------------------------------------------


def knowledge_terms() -> list[str]:
    """Names, synonyms and abbreviations of the shipped conditions, read straight from the YAML."""
    from bot.paths import knowledge_dir

    terms = []
    for path in sorted((knowledge_dir() / "conditions").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        terms.append(data["name"])
        terms += data.get("synonyms", [])
        terms += [t["text"] for t in data.get("abbreviations", []) + data.get("ambiguous_terms", [])]
    return terms


FOLLOW_UPS = ["how many patients?", "is that an RCT?", "sources?", "more", "what about CIDP?", "and in children?",
              "compare with GBS", "the second one", "1", "2", "3", "0", "99", "which trial?", "design?", "and GBS?",
              "what about human metapneumovirus?", "how about MERS", "vs plasma exchange", "tell me more", "why?",
              "is there a trial in psoriasis?", "adults", "the first", "compare them", "and the evidence against?"]
COMMANDS = ["/good", "/bad", "/good great answer", "/bad wrong condition", "/bad " + "x" * 600, "/list", "/more",
            "/next", "/prev", "/previous", "/help", "/about", "/sources", "/quit", "/exit", "/details", "/",
            "//", "/list neurology", "/list not_effective", "/list not effective", "/list martian", "/list 💥",
            "/LIST Dermatology", "/good\t\t", "/bad <@123> **bold**", "/unknown", "/list " + "a" * 3000, "/q",
            "/list neurology not effective", "/next /next", "/good /bad"]
MARKUP = ["<@123456789012345678>", "<@!42>", "<#77>", "<@&5>", "@everyone", "@here", "**bold**", "__u__", "~~s~~",
          "||spoiler||", "```", "```py\nprint(1)\n```", "`x`", "> quote", "# heading", "[link](https://evil.example)",
          "![img](https://t.example/p.png)", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "&amp;",
          "\\", "\\n", "%s%n%x", "{0}", "{cmd.list}", "{{}}", "'; DROP TABLE feedback; --", "../../etc/passwd",
          "https://example.com/?q=ivig", "$(rm -rf /)", "\u202e", "\u2066", "\u200b", "\u200d", "\ufeff", "🙂", "👍🏽",
          "🏳️‍🌈", "Z̴̡a̸l̷g̶o̵", "ＣＩＤＰ", "ﬁ", "İ", "ß", "ǅ", "𝔪𝔶𝔞𝔰𝔱𝔥𝔢𝔫𝔦𝔞", "مرحبا", "שלום", "日本語", "ㅤ"]
NUMBERS = ["400 mg/kg", "2 g/kg", "400 MG", "1e309", "-0", "0x1F", "٣", "²", "½", "Ⅻ", "10^1000", "NaN", "inf",
           "9" * 5000, "1" * 50, "3.14159", "1,000,000", "४२", "𝟙𝟚", "4 year old", "80 year old", "6yo", "3 months old",
           "aged 80", "999 years old", "0 days old", "-5 years"]
FILLER = ["does", "IVIG", "ivig", "help", "in", "for", "work", "?", "!", "and", "or", "vs", "the", "a", "with", "not",
          "evidence", "trial", "is", "it", "useful", "what", "about", "my", "patient", "has", "children", "adult",
          "post", "non", "severe", "chronic", "acute", "dose", "side effects", "cost", "list", "conditions", "compare"]
CONTROLS = [chr(c) for c in range(0x00, 0x20) if c != 0x0A] + ["\x7f"] + [chr(c) for c in range(0x80, 0xA0)]
BREAKERS = ["\u2028", "\u2029", "\u0085", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\r\r"]
BAD_BYTES = [b"\xff", b"\xfe", b"\xc0\xaf", b"\xe0\x80\xaf", b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xf4\x90\x80\x80",
             b"\xc3", b"\xe2\x82", b"\xf0\x9f\x98", b"\x80", b"\xbf", b"\xf8\x88\x80\x80\x80", b"\xc3\x28",
             b"\xef\xbf\xbe", b"\xef\xbb\xbf"]


def typo(rng: random.Random, text: str) -> str:
    if not text:
        return text
    i = rng.randrange(len(text))
    choice = rng.random()
    if choice < 0.25:
        return text[:i] + text[i + 1:]
    if choice < 0.5 and i + 1 < len(text):
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    if choice < 0.75:
        return text[:i] + rng.choice("abcdefghijklmnopqrstuvwxyzé-' ") + text[i:]
    return text[:i] + rng.choice("aeiouy") + text[i + 1:]


def noisy_name(rng: random.Random, terms: list[str]) -> str:
    name = rng.choice(terms)
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
        name = typo(rng, name)
    case = rng.random()
    name = name.upper() if case < 0.1 else name.lower() if case < 0.3 else name
    words = [rng.choice(FILLER) for _ in range(rng.randrange(0, 5))]
    words.insert(rng.randrange(len(words) + 1), name)
    if rng.random() < 0.2:
        words.insert(rng.randrange(len(words) + 1), rng.choice(MARKUP + CONTROLS + BREAKERS))
    return " ".join(words)


def random_unicode(rng: random.Random, length: int) -> str:
    out = []
    for _ in range(length):
        plane = rng.random()
        code = (rng.randrange(0x20, 0x80) if plane < 0.3 else rng.randrange(0, 0x3000) if plane < 0.7
                else rng.randrange(0, 0x110000))
        out.append(chr(code))
    return "".join(out)


def piece(rng: random.Random, terms: list[str]) -> tuple[str, bytes]:
    kind = rng.random()
    if kind < 0.30:
        return "name", noisy_name(rng, terms).encode()
    if kind < 0.40:
        return "follow_up", rng.choice(FOLLOW_UPS).encode()
    if kind < 0.50:
        return "command", rng.choice(COMMANDS).encode()
    if kind < 0.58:
        return "markup", " ".join(rng.choice(MARKUP) for _ in range(rng.randrange(1, 6))).encode()
    if kind < 0.64:
        return "number", rng.choice(NUMBERS).encode()
    if kind < 0.78:  # arbitrary code points, surrogates included (encoded as the invalid bytes they would be)
        return "unicode", random_unicode(rng, rng.randrange(0, 120)).encode("utf-8", "surrogatepass")
    if kind < 0.86:
        return "control", "".join(rng.choice(CONTROLS + BREAKERS + [" ", "a"]) for _ in range(rng.randrange(1, 30))
                                  ).encode("utf-8")
    if kind < 0.96:
        raw = b"".join(rng.choice(BAD_BYTES + [b"a", b" ", "é".encode(), b"MG"]) for _ in range(rng.randrange(1, 12)))
        return "invalid_utf8", raw
    return "bytes", bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))


def generate(rng: random.Random, terms: list[str]) -> tuple[str, bytes]:
    """One input line (without its newline) and the name of its main ingredient."""
    roll = rng.random()
    if roll < 0.01:
        return "empty", rng.choice([b"", b" ", b"\t", b"\r", b"   \r"])
    if roll < 0.012:  # very long: 20 kB to 1 MB
        size = rng.choice([20_000, 100_000, 1_000_000])
        unit = rng.choice([b"a", b"myasthenia gravis ", "é".encode(), b"\xff", "\u2028".encode(), b"<@1> ", b"9"])
        return "very_long", (unit * (size // len(unit) + 1))[:size]
    if roll < 0.03:  # long: a paste of 2-10 kB
        parts = [piece(rng, terms)[1] for _ in range(rng.randrange(50, 200))]
        return "long", b" ".join(parts)[:10_000].replace(b"\n", b" ")
    count = rng.choice([1, 1, 1, 2, 2, 3, 4])
    parts = [piece(rng, terms) for _ in range(count)]
    line = rng.choice([b" ", b"", b", ", b" and "]).join(p[1] for p in parts)
    return parts[0][0], line.replace(b"\n", b" ")  # one line: the protocol's only separator is \n


# --- running -----------------------------------------------------------------------------------------------------


def command_line() -> list[str]:
    script = Path(sys.executable).with_name("ivig-chat")
    return [str(script), "--json"] if script.exists() else [sys.executable, "-m", "bot.cli", "--json"]


@dataclass
class Findings:
    inputs: int = 0
    exceptions: int = 0
    violations: int = 0
    hangs: int = 0
    restarts: int = 0
    latencies: list[float] = field(default_factory=list)
    worst: tuple[float, str, int] = (0.0, "", 0)  # seconds, kind, input length
    slowest: list[tuple[float, bytes]] = field(default_factory=list)  # the ten slowest lines
    first_lines: list[float] = field(default_factory=list)  # each process's first answer (imports, lazy indexes)
    examples: dict[str, list[str]] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)
    stderr_lines: list[str] = field(default_factory=list)

    def note(self, what: str, data: bytes, detail: str) -> None:
        bucket = self.examples.setdefault(what, [])
        if len(bucket) < 5:
            bucket.append(f"{detail} <- input {data[:200]!r}{' ...' if len(data) > 200 else ''} ({len(data)} bytes)")


class Bot:
    """One `ivig-chat --json` process, fed one line at a time."""

    def __init__(self, env: dict[str, str], stderr_path: Path):
        self.stderr = stderr_path.open("ab")
        self.process = subprocess.Popen(command_line(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=self.stderr, env=env, bufsize=0)
        os.set_blocking(self.process.stdin.fileno(), False)
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.process.stdout, selectors.EVENT_READ)
        self.selector.register(self.process.stdin, selectors.EVENT_WRITE)
        self.buffer = b""
        self.answered = 0

    def ask(self, line: bytes) -> bytes | None:
        """Write one line, read one line back; None when no line came within READ_TIMEOUT or the process died.
        Writing and reading interleave, so a process that answers before it has read everything (or answers twice)
        can never deadlock the two pipes."""
        pending = memoryview(line + b"\n")
        deadline = time.monotonic() + READ_TIMEOUT
        while pending or b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            for key, _ in self.selector.select(left):
                if key.fileobj is self.process.stdout:
                    chunk = os.read(self.process.stdout.fileno(), 1 << 20)
                    if not chunk:
                        return None
                    self.buffer += chunk
                elif pending:
                    try:
                        written = os.write(self.process.stdin.fileno(), pending[:1 << 16])
                    except BlockingIOError:
                        continue
                    except BrokenPipeError:
                        return None
                    pending = pending[written:]
                    if not pending:
                        self.selector.unregister(self.process.stdin)
        self.selector.register(self.process.stdin, selectors.EVENT_WRITE)
        answer, self.buffer = self.buffer.split(b"\n", 1)
        return answer

    def extra_output(self) -> bytes:
        return self.buffer

    def close(self) -> tuple[int | None, bytes]:
        """End the stream; return the exit status and anything written after the last answer."""
        self.selector.close()
        os.set_blocking(self.process.stdin.fileno(), True)
        rest = self.buffer
        try:
            out, _ = self.process.communicate(timeout=60)  # closes stdin: the end of the stream
            rest += out or b""
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.stderr.close()
        return self.process.returncode, rest


def check(raw: bytes, data: bytes, findings: Findings) -> None:
    """The contract for one answer line; counts and notes each problem."""

    def violation(what: str) -> None:
        findings.violations += 1
        findings.note(f"contract: {what}", data, what)

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return violation(f"output not UTF-8 ({exc.reason})")
    if any(ch in text for ch in LINE_BREAKERS):
        return violation("raw U+2028/U+2029/U+0085 in the output line")
    if "\r" in text:
        return violation("raw CR in the output line")
    try:
        payload = json.loads(text)
    except ValueError as exc:
        return violation(f"not one JSON object ({exc})")
    if not isinstance(payload, dict):
        return violation(f"not an object but {type(payload).__name__}")
    for name, types in FIELDS.items():
        if name not in payload:
            violation(f"field {name} missing (kind {payload.get('kind')})")
        elif not isinstance(payload[name], types):
            violation(f"field {name} is {type(payload[name]).__name__} (kind {payload.get('kind')})")
    if payload.get("kind") not in KINDS:
        violation(f"kind {payload.get('kind')!r} is not in the contract")
    if payload.get("focus") not in FOCUSES:
        violation(f"focus {payload.get('focus')!r} is not in the contract")
    if isinstance(payload.get("last_reviewed"), str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", payload["last_reviewed"]):
        violation("last_reviewed is not a date")
    for entry in payload.get("conditions", []) + payload.get("suggestions", []):
        if not (isinstance(entry, dict) and isinstance(entry.get("id"), str) and isinstance(entry.get("name"), str)
                and isinstance(entry.get("score"), (int, float)) and 0 <= entry["score"] <= 1
                and entry.get("method") in METHODS):
            violation("a condition or suggestion lacks id, name, score 0-1 or a documented method")
            break
    for citation in payload.get("citations", []):
        if not (isinstance(citation, dict) and isinstance(citation.get("number"), int)
                and isinstance(citation.get("key"), str)):
            violation("a citation lacks number or key")
            break
    expected = data.rstrip(b"\r\n").decode("utf-8", errors="replace")
    # Commands are recorded stripped ("/list  x" as "/list x"), a pick as its number ("007" as "7").
    # /next and /prev show a page of the previous answer, with its question.
    if (payload.get("question") not in (expected, expected.strip()) and not expected.strip().isdigit()
            and not expected.lstrip().startswith("/")):
        violation("question is not the input line as decoded")
    invalid = expected.count("\ufffd") - data.rstrip(b"\r\n").decode("utf-8", errors="ignore").count("\ufffd")
    if invalid and payload.get("undecodable_sequences") != invalid:
        violation("undecodable bytes not counted in undecodable_sequences")
    if APOLOGY in (payload.get("text") or ""):
        findings.exceptions += 1
        findings.note("exception caught in the stream", data, payload["text"][-60:])


def worker(index: int, count: int, seed: int, env: dict[str, str], folder: Path, terms: list[str],
           findings: Findings, lock: threading.Lock, progress: list[int]) -> None:
    rng = random.Random(seed * 1000 + index)
    stderr_path = folder / f"stderr-{index}.log"
    bot = Bot(env, stderr_path)
    local = Findings()
    for _ in range(count):
        kind, data = generate(rng, terms)
        local.kinds[kind] = local.kinds.get(kind, 0) + 1
        began = time.perf_counter()
        raw = bot.ask(data)
        elapsed = time.perf_counter() - began
        local.inputs += 1
        if raw is None:  # no answer: a hang or a dead process; start a fresh one for the rest
            local.hangs += 1
            local.exceptions += 1
            code, _ = bot.close()
            local.note("no answer (hang or crash)", data, f"exit status {code}")
            bot = Bot(env, stderr_path)
            local.restarts += 1
            continue
        local.latencies.append(elapsed)
        if bot.answered == 0:
            local.first_lines.append(elapsed)
        bot.answered += 1
        if elapsed > local.worst[0]:
            local.worst = (elapsed, kind, len(data))
        if len(local.slowest) < 10 or elapsed > local.slowest[-1][0]:
            local.slowest = sorted(local.slowest + [(elapsed, data)], key=lambda s: -s[0])[:10]
        check(raw, data, local)
        with lock:
            progress[0] += 1
    code, rest = bot.close()
    if rest.strip():
        local.violations += 1
        local.note("contract: output after the last answer", rest, "extra output")
    if code not in (0, None):
        local.exceptions += 1
        local.note("exit status", b"", f"exit status {code} at the end of the stream")
    with lock:
        findings.inputs += local.inputs
        findings.exceptions += local.exceptions
        findings.violations += local.violations
        findings.hangs += local.hangs
        findings.restarts += local.restarts
        findings.latencies += local.latencies
        findings.first_lines += local.first_lines
        findings.worst = max(findings.worst, local.worst)
        findings.slowest = sorted(findings.slowest + local.slowest, key=lambda s: -s[0])[:10]
        for what, examples in local.examples.items():
            findings.examples.setdefault(what, []).extend(examples)
        for kind, n in local.kinds.items():
            findings.kinds[kind] = findings.kinds.get(kind, 0) + n


def machine() -> str:
    try:
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), platform.processor() or "unknown CPU")
    except OSError:
        cpu = platform.processor() or "unknown CPU"
    memory = ""
    try:
        kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")))
        memory = f"; memory {kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    return (f"{cpu}; nproc {os.cpu_count()}{memory}; Python {platform.python_version()}; "
            f"{platform.platform()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=200_000, help="input lines in all (default 200,000)")
    parser.add_argument("--procs", type=int, default=max(1, min(4, os.cpu_count() or 1)),
                        help="ivig-chat --json processes run side by side (default: the CPUs, at most 4)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--write", type=Path, metavar="FILE", help="write the figures as Markdown to FILE")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="ivig-fuzz-json-"))
    env = {key: value for key, value in os.environ.items() if not key.startswith(("LC_", "IVIG_"))}
    env.update(LANG="C.UTF-8", LC_ALL="C.UTF-8", IVIG_DATA_DIR=str(folder / "data"),
               IVIG_CACHE_DIR=str(folder / "cache"), PYTHONPATH=str(REPO))
    env.pop("PYTHONIOENCODING", None)
    terms = knowledge_terms()
    findings, lock, progress = Findings(), threading.Lock(), [0]
    shares = [args.count // args.procs + (1 if i < args.count % args.procs else 0) for i in range(args.procs)]
    # Build the cached core once, so the workers start from it rather than all building it at the same time.
    subprocess.run([*command_line()[:-1], "--ask", "MG", "--json"], env=env, capture_output=True, check=False)
    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i, share, args.seed, env, folder, terms, findings, lock, progress))
               for i, share in enumerate(shares)]
    for thread in threads:
        thread.start()
    last = started
    while any(t.is_alive() for t in threads):
        threads[0].join(1) if threads[0].is_alive() else next(t for t in threads if t.is_alive()).join(1)
        if time.monotonic() - last >= 60:
            last = time.monotonic()
            with lock:
                done = progress[0]
            print(f"  {done:,} / {args.count:,} lines, {last - started:.0f} s", file=sys.stderr, flush=True)
    for thread in threads:
        thread.join()
    total = time.monotonic() - started

    tracebacks = 0
    for log in sorted(folder.glob("stderr-*.log")):
        text = log.read_text(encoding="utf-8", errors="replace")
        tracebacks += text.count("Traceback (most recent call last)")
        findings.stderr_lines += [line for line in text.splitlines() if line.strip()]
    findings.exceptions += tracebacks

    warm = sorted(findings.latencies)
    for first in findings.first_lines:  # each process's first answer pays for imports and lazy indexes
        warm.remove(first)
    latencies = sorted(findings.latencies)
    p50 = statistics.median(latencies) if latencies else 0.0
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else 0.0
    command = f".venv/bin/python scripts/fuzz_json.py --count {args.count} --procs {args.procs} --seed {args.seed}"
    summary = {
        "inputs": findings.inputs, "exceptions": findings.exceptions, "tracebacks on stderr": tracebacks,
        "contract violations": findings.violations, "hangs or dead processes": findings.hangs,
        "p50 ms": round(p50 * 1000, 2), "p99 ms": round(p99 * 1000, 2), "worst ms": round(findings.worst[0] * 1000, 1),
        "worst input": f"{findings.worst[1]}, {findings.worst[2]:,} bytes",
        WARM_WORST: round((warm[-1] if warm else 0.0) * 1000, 1),
        "first line ms (worst)": round(max(findings.first_lines, default=0.0) * 1000, 1),
        "processes started": args.procs + findings.restarts, "seconds": round(total, 1),
        "lines per second": round(findings.inputs / total, 1) if total else 0,
    }
    print(json.dumps(summary, indent=2))
    for what, examples in sorted(findings.examples.items()):
        print(f"\n{what}:")
        for example in examples[:5]:
            print(f"  {example}")
    print("\nslowest lines:")
    for seconds, data in findings.slowest:
        print(f"  {seconds * 1000:.0f} ms, {len(data):,} bytes: {data[:120]!r}")
    if findings.stderr_lines:
        print(f"\nstderr ({len(findings.stderr_lines)} lines), first 20:")
        for line in findings.stderr_lines[:20]:
            print(f"  {line}")
    if args.write:
        write_markdown(args.write, summary, findings, command, args)
    shutil.rmtree(folder, ignore_errors=True)
    return 1 if findings.exceptions or findings.violations else 0


def write_markdown(path: Path, summary: dict, findings: Findings, command: str, args) -> None:
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    mix = ", ".join(f"{kind} {n:,}" for kind, n in sorted(findings.kinds.items(), key=lambda kv: -kv[1]))
    lines = [
        BLOCK_BEGIN,
        "## Fuzz: `ivig-chat --json` end to end",
        "",
        f"Generated by `{command} --write {path}` on {now}.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| input lines | {summary['inputs']:,} |",
        f"| exceptions (tracebacks on stderr, dead processes, apologies for a caught exception) | "
        f"{summary['exceptions']:,} |",
        f"| contract violations | {summary['contract violations']:,} |",
        f"| hangs (no answer within {READ_TIMEOUT:g} s) | {summary['hangs or dead processes']:,} |",
        f"| latency per line, p50 | {summary['p50 ms']} ms |",
        f"| latency per line, p99 | {summary['p99 ms']} ms |",
        f"| latency per line, worst | {summary['worst ms']} ms ({summary['worst input']}) |",
        f"| latency per line, worst after each process's first line | {summary[WARM_WORST]} ms |",
        f"| first line of a process (imports, lazy indexes), worst | {summary['first line ms (worst)']} ms |",
        f"| run time | {summary['seconds']:,} s ({summary['lines per second']:,} lines/s over {args.procs} processes) |",
        f"| seed | {args.seed} |",
        f"| stderr lines | {len(findings.stderr_lines):,} |",
        "",
        f"Machine: {machine()}.",
        "",
        f"Setup: {args.procs} long-running `ivig-chat --json` processes (the installed entry point) with "
        "`LANG=LC_ALL=C.UTF-8`, a fresh data folder (the unanswered log and feedback are written as usual) and a "
        "fresh cache, each fed one line at a time through a pipe; latency is from writing a line to reading its "
        "answer line.",
        "",
        f"Inputs by main ingredient: {mix}. Lines mix random code points (surrogates included, as the invalid bytes "
        "they encode to), invalid UTF-8 (overlongs, truncated sequences, lone continuation bytes, 0xFE/0xFF), "
        "control characters, U+2028/U+2029/U+0085 and other characters some consumers split lines on, lines of "
        "20 kB to 1 MB, Discord mentions, Markdown and HTML, condition names with typos and filler words, follow-up "
        "phrases, numbers (a 5,000-digit one included) and slash commands (/good, /bad, /list, /more, /next ...).",
        "",
        "Checked on every line: exactly one line back per line in; valid UTF-8; no raw U+2028, U+2029, U+0085 or CR; "
        "one JSON object with every field of the README's contract (question, intent, kind, conditions, "
        "suggestions, text, citations, listing, filters, message, focus, notes, disclaimer, knowledge_version, "
        "last_reviewed, not_found) of its type; `kind`, `focus` and each condition's `method` among the documented "
        "values, scores within 0-1; `question` equal to the line as decoded with replacement, and "
        "`undecodable_sequences` counting the replaced bytes; no output after the last answer; exit status 0 at "
        "the end of the stream.",
        "",
    ]
    lines += ["### Slowest lines", ""] + [f"- {seconds * 1000:.0f} ms, {len(data):,} bytes: `{data[:80]!r}`"
                                          for seconds, data in findings.slowest[:5]] + [""]
    if findings.examples:
        lines += ["### Found", ""]
        for what, examples in sorted(findings.examples.items()):
            lines.append(f"- {what}: " + "; ".join(f"`{e[:160]}`" for e in examples[:3]))
        lines.append("")
    write_block(path, "\n".join(lines).rstrip() + "\n" + BLOCK_END)


def write_block(path: Path, block: str) -> None:
    """Put the fuzz block into `path` (benchmarks/RESULTS.md): in place of the last one, else at the end."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if BLOCK_BEGIN in old and BLOCK_END in old:
        start = old.index(BLOCK_BEGIN)
        old = old[:start] + old[old.index(BLOCK_END, start) + len(BLOCK_END):].lstrip("\n")
    path.write_text((old.rstrip() + "\n\n" if old.strip() else "") + block + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
