"""Split an evaluation batch (eval/batchN-items.txt) into eval/{dev,heldout}/{questions,dialogues}-N.yaml, by its fixed seed.

    python eval/split_batch.py 3
"""

import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

EVAL = Path(__file__).resolve().parent
sys.path[:0] = [str(EVAL.parent), str(EVAL)]
import eval_set  # noqa: E402
from bot.text import canonical_phrase  # noqa: E402  (the normalisation the shape tests compare with)

DEV_SHARE = 0.4
# Batches written as one answerable item per condition, or (batch 10) as dialogues only, or (batch 11) as two items
# per condition that the same-group swaps could not place in both splits for every condition: the seeded shuffle
# alone decides each item's split (the earlier batches already give every condition items in both).
ONE_PER_CONDITION = frozenset({7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
                               32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55,
                               56, 57, 58, 59, 60, 61, 62, 63, 64, 65,
                               66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80,
                               81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95,
                               96, 97, 98, 99, 100, 101,
                               102, 103, 104, 105, 106, 107,
                               108, 109, 110, 111, 112, 113,
                               114, 115, 116,
                               117, 118, 119,
                               120, 121, 122,
                               123, 124, 125,
                               126, 127, 128,
                               129, 130, 131,
                               132, 133, 134,
                               135, 136, 137,
                               138, 139, 140, 141, 142, 143, 144, 145, 146,
                               147, 148, 149,
                               150, 151, 152,
                               153, 154, 155,
                               156, 157, 158,
                               159, 160, 161,
                               162, 163, 164,
                               165, 166, 167,
                               168, 169, 170,
                               171, 172, 173,
                               174, 175, 176,
                               177, 178, 179,
                               180, 181, 182,
                               183, 184, 185,
                               186, 187, 188,
                               189, 190, 191,
                               192, 193, 194,
                               195, 196, 197,
                               198, 199, 200,
                               201, 202, 203,
                               204, 205, 206,
                               207, 208, 209,
                               210, 211, 212,
                               213, 214, 215,
                               216, 217, 218,
                               219, 220, 221,
                               222, 223, 224,
                               225, 226, 227})
# One per batch, fixed before its items were written.
SEEDS = {2: 20261201, 3: 20261202, 4: 20261203, 5: 20261204, 6: 20261205, 7: 20261206, 8: 20261207, 9: 20261208,
         10: 20261209, 11: 20261210, 12: 20261211, 13: 20261212, 14: 20261213, 15: 20261214,
         16: 20261215, 17: 20261216, 18: 20261217, 19: 20261218, 20: 20261219,
         21: 20261220, 22: 20261221, 23: 20261222, 24: 20261223, 25: 20261224, 26: 20261225,
         27: 20261226, 28: 20261227, 29: 20261228, 30: 20261229, 31: 20261230,
         32: 20261231, 33: 20270101, 34: 20270102, 35: 20270103, 36: 20270104, 37: 20270105, 38: 20270106, 39: 20270107,
         40: 20270108, 41: 20270109, 42: 20270110, 43: 20270111, 44: 20270112, 45: 20270113, 46: 20270114,
         47: 20270115, 48: 20270116, 49: 20270117, 50: 20270118, 51: 20270119,
         52: 20270120, 53: 20270121, 54: 20270122, 55: 20270123, 56: 20270124, 57: 20270125, 58: 20270126, 59: 20270127,
         60: 20270128, 61: 20270129, 62: 20270130, 63: 20270131, 64: 20270201, 65: 20270202,
         66: 20270203, 67: 20270204, 68: 20270205, 69: 20270206, 70: 20270207, 71: 20270208,
         72: 20270209, 73: 20270210, 74: 20270211, 75: 20270212, 76: 20270213, 77: 20270214,
         78: 20270215, 79: 20270216, 80: 20270217, 81: 20270218, 82: 20270219, 83: 20270220,
         84: 20270221, 85: 20270222, 86: 20270223,
         87: 20270224, 88: 20270225, 89: 20270226, 90: 20270227, 91: 20270228, 92: 20270301,
         93: 20270302, 94: 20270303, 95: 20270304,
         96: 20270305, 97: 20270306, 98: 20270307, 99: 20270308, 100: 20270309, 101: 20270310,
         102: 20270311, 103: 20270312, 104: 20270313, 105: 20270314, 106: 20270315, 107: 20270316,
         108: 20270317, 109: 20270318, 110: 20270319, 111: 20270320, 112: 20270321, 113: 20270322,
         114: 20270323, 115: 20270324, 116: 20270325,
         117: 20270326, 118: 20270327, 119: 20270328,
         120: 20270329, 121: 20270330, 122: 20270331,
         123: 20270401, 124: 20270402, 125: 20270403,
         126: 20270404, 127: 20270405, 128: 20270406,
         129: 20270407, 130: 20270408, 131: 20270409,
         132: 20270410, 133: 20270411, 134: 20270412,
         135: 20270413, 136: 20270414, 137: 20270415,
         138: 20270416, 139: 20270417, 140: 20270418,
         141: 20270419, 142: 20270420, 143: 20270421,
         144: 20270422, 145: 20270423, 146: 20270424,
         147: 20270425, 148: 20270426, 149: 20270427,
         150: 20270428, 151: 20270429, 152: 20270430,
         153: 20270501, 154: 20270502, 155: 20270503,
         156: 20270504, 157: 20270505, 158: 20270506,
         159: 20270507, 160: 20270508, 161: 20270509,
         162: 20270510, 163: 20270511, 164: 20270512,
         165: 20270513, 166: 20270514, 167: 20270515,
         168: 20270516, 169: 20270517, 170: 20270518,
         171: 20270519, 172: 20270520, 173: 20270521,
         174: 20270522, 175: 20270523, 176: 20270524,
         177: 20270525, 178: 20270526, 179: 20270527,
         180: 20270528, 181: 20270529, 182: 20270530,
         183: 20270531, 184: 20270601, 185: 20270602,
         186: 20270603, 187: 20270604, 188: 20270605,
         189: 20270606, 190: 20270607, 191: 20270608,
         192: 20270609, 193: 20270610, 194: 20270611,
         195: 20270612, 196: 20270613, 197: 20270614,
         198: 20270615, 199: 20270616, 200: 20270617,
         201: 20270618, 202: 20270619, 203: 20270620,
         204: 20270621, 205: 20270622, 206: 20270623,
         207: 20270624, 208: 20270625, 209: 20270626,
         210: 20270627, 211: 20270628, 212: 20270629,
         213: 20270630, 214: 20270701, 215: 20270702,
         216: 20270703, 217: 20270704, 218: 20270705,
         219: 20270706, 220: 20270707, 221: 20270708,
         222: 20270709, 223: 20270710, 224: 20270711,
         225: 20270712, 226: 20270713, 227: 20270714}


def fields(text):
    q, _, rest = text.partition(" || ")
    # From batch 9 a message pasted over several lines is written on one line, its breaks typed as backslash-n.
    out = {"q": q.strip().replace("\\n", "\n")}
    for part in filter(None, (p.strip() for p in rest.split("; "))):
        key, _, value = part.partition("=")
        out[key] = value if key in ("note", "kind", "focus") else int(value) if key == "pick" else value.split("+")
    if out.get("kind") == "thanks":  # batch 3's writer named it; thanks and greetings share the answer kind
        out["kind"] = "greeting"
    return out


def parse(path, batch):
    items, dialogues, expect = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("== "):
            expect = [] if line[3:].strip() == "-" else [line[3:].strip()]
        elif line.startswith(">> "):
            group = line[3:].strip()
            n = sum(d["group"] == group for d in dialogues) + 1
            dialogues.append({"id": f"b{batch}-{group}-{n:02d}", "group": group, "turns": []})
        elif line.startswith("- "):
            dialogues[-1]["turns"].append(fields(line[2:]))
        else:
            group, _, text = line.partition(": ")
            item = {"q": "", "expect": list(expect), "group": group.strip()}
            item.update(fields(text))
            items.append(item)
    return items, dialogues


def answered(item):
    return [] if item.get("kind") not in (None, "answer") else item["expect"]


def split_items(items, targets, seed, balance=True):
    """Per group: seeded shuffle, 40% (rounded) to dev; then greedy same-group swaps until every condition is
    in an answerable item of each split (a condition with one item left after de-duplication stays where it fell)."""
    rng, side = random.Random(seed), {}
    groups = defaultdict(list)
    for i, it in enumerate(items):
        groups[it["group"]].append(i)
    for g in sorted(groups):
        order = groups[g][:]
        rng.shuffle(order)
        cut = round(len(order) * DEV_SHARE)
        side.update({i: ("dev" if k < cut else "heldout") for k, i in enumerate(order)})

    def count(s):
        return Counter(c for i, it in enumerate(items) if side[i] == s for c in answered(it))

    total = Counter(c for it in items for c in answered(it))
    for cid in targets if balance else ():
        if total[cid] < 2:
            print(f"{cid}: {total[cid]} answerable item(s), cannot be in both splits")
            continue
        for need in ("dev", "heldout"):
            if count(need)[cid]:
                continue
            other = "heldout" if need == "dev" else "dev"
            have_o, have_n = count(other), count(need)
            moved = False
            for i in sorted(i for i, it in enumerate(items) if side[i] == other and cid in answered(items[i])):
                if any(have_o[c] < 2 for c in answered(items[i])):
                    continue
                for j in sorted(j for j in groups[items[i]["group"]] if side[j] == need):
                    if all(have_n[c] >= 2 for c in answered(items[j])):
                        side[i], side[j], moved = need, other, True
                        break
                if moved:
                    break
            assert moved, f"cannot place {cid} in {need}"
    return side


def dump(value):
    return json.dumps(value, ensure_ascii=False)


def flow(entry, keys):
    parts = []
    for k in keys:
        if k not in entry:
            continue
        v = entry[k]
        plain = isinstance(v, int) or k in ("group", "kind", "focus")
        parts.append(f"{k}: [{', '.join(v)}]" if isinstance(v, list) else f"{k}: {v if plain else dump(v)}")
    return "{" + ", ".join(parts) + "}"


HEADER = """# ivig-chat evaluation, {split} split, BATCH {batch}: {what}, written 2026-11-30 for
# the 134 conditions of eval/conditions.txt, from clinical usage, the finding summaries' wording and the Disease
# Ontology (names of uncovered look-alikes and siblings); NOT from the matcher, the knowledge files' alias lists or
# {earlier} items. The bot was not run on any item before this split was frozen (eval/split_batch.py, seed {seed},
# source eval/batch{batch}-items.txt). {rule}
# {fmt}

schema_version: 1
split: {split}
"""
RULE = {"dev": "The lead may tune on this split.",
        "heldout": "HELD OUT: never tune the matcher or the data on these items; report them separately."}
FMT = {"questions": "Item format as eval/dev/questions.yaml: q, expect (exact set; [] = none), kind, suggest, group, note.",
       "dialogues": "Turns: q, expect/kind/suggest as single items; focus for a follow-up; pick: N = the N-th candidate offered."}


def earlier_files(batch: int) -> list[str]:
    """The single-turn files of the batches before this one (batch 1 has no number), and the ontology names; a batch
    of dialogues only (10) has none."""
    names = ["questions.yaml", "ontology.yaml", *(f"questions-{k}.yaml" for k in range(2, batch))]
    return [n for n in names if (EVAL / "dev" / n).exists()]


def main(argv=None):
    batch = int((argv or sys.argv[1:] or ["2"])[0])
    seed, source = SEEDS[batch], EVAL / f"batch{batch}-items.txt"
    earlier = "the batch-1" if batch == 2 else f"batch 1 to {batch - 1}'s"
    items, dialogues = parse(source, batch)
    targets = eval_set.target_ids()
    bad = {c for it in items for c in it["expect"] + it.get("suggest", [])} - set(targets)
    bad |= {c for d in dialogues for t in d["turns"] for c in t.get("expect", []) + t.get("suggest", [])} - set(targets)
    assert not bad, bad
    phrases = Counter(p for it in items if (p := canonical_phrase(it["q"])))
    assert not [p for p, n in phrases.items() if n > 1], [p for p, n in phrases.items() if n > 1]
    # earlier batches' questions and ontology names, by split: an item with the same text is left out (nothing new)
    old = {p: s for s in eval_set.SPLITS for f in earlier_files(batch)
           for it in eval_set.load_items(EVAL / s / f) if (p := canonical_phrase(it.q))}
    dropped = [it["q"] for it in items if canonical_phrase(it["q"]) in old]
    items = [it for it in items if canonical_phrase(it["q"]) not in old]
    side = split_items(items, targets, seed, balance=batch not in ONE_PER_CONDITION)
    # dialogues: one whose turn equals a single-turn question follows that question's split; the others of its group
    # are shuffled and fill the group's split to 40% dev (rounded)
    single = {**old, **{p: side[i] for i, it in enumerate(items) if (p := canonical_phrase(it["q"]))}}
    rng, dside = random.Random(seed), {}
    by_group = defaultdict(list)
    for d in dialogues:
        hits = {single[p] for t in d["turns"] if (p := canonical_phrase(t["q"])) in single}
        if len(hits) == 1:
            dside[d["id"]] = hits.pop()
        by_group[d["group"]].append(d["id"])
    for g in sorted(by_group):
        free = [did for did in by_group[g] if did not in dside]
        rng.shuffle(free)
        want = round(len(by_group[g]) * DEV_SHARE) - sum(dside.get(did) == "dev" for did in by_group[g])
        dside.update({did: ("dev" if k < want else "heldout") for k, did in enumerate(free)})
    followed = sum(1 for d in dialogues if any(canonical_phrase(t["q"]) in single for t in d["turns"]))
    for s in eval_set.SPLITS:
        rows = [it for i, it in enumerate(items) if side[i] == s]
        head = {"batch": batch, "earlier": earlier, "seed": seed, "split": s, "rule": RULE[s]}
        text = HEADER.format(**head, what="single-turn questions as clinicians type them", fmt=FMT["questions"])
        text += "questions:\n" + "".join(
            f"  - {flow(it, ('q', 'expect', 'kind', 'suggest', 'group', 'note'))}\n" for it in rows)
        if rows:  # a batch of dialogues only (batch 10) has no questions file
            (EVAL / s / f"questions-{batch}.yaml").write_text(text, encoding="utf-8")
        text = HEADER.format(**head, what="two- and three-turn dialogues", fmt=FMT["dialogues"])
        text += "dialogues:\n"
        for d in (d for d in dialogues if dside[d["id"]] == s):
            text += f"  - id: {d['id']}\n    group: {d['group']}\n    turns:\n"
            for t in d["turns"]:
                t = {"expect": [], **t} if "pick" not in t else t
                text += f"      - {flow(t, ('q', 'expect', 'kind', 'suggest', 'focus', 'pick', 'note'))}\n"
        (EVAL / s / f"dialogues-{batch}.yaml").write_text(text, encoding="utf-8")
        print(s, len(rows), "questions,", sum(dside[d["id"]] == s for d in dialogues), "dialogues")
    print(f"left out as duplicates of earlier items ({len(dropped)}): {dropped}")
    print(f"dialogues with a turn equal to a question (pinned to its split): {followed}")


if __name__ == "__main__":
    main()
