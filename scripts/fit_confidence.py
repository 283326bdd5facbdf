#!/usr/bin/env python3
"""Fit rasd's event confidence: a logistic model of the chance that an event is right.

Usage:
    scripts/fit_confidence.py GOLD.jsonl PRED.jsonl [GOLD2.jsonl PRED2.jsonl ...]
                              [--negatives PRED.jsonl] [--out data/lexicon/confidence.tsv]
                              [--folds 5]

Each GOLD file has one line per report ({"doc", "events": [...]}, the format of the gold sets
the team scores against); each PRED file is `rasd analyze` output for those reports. An event is
right when it matches a gold event of its report: the same event type and a place within the
gold event's radius (15 km unless it says) or, for a gold event at governorate precision, the
same governorate.

`--negatives` adds events that are all wrong: `rasd analyze` output on news that is not about
Syria, of which only the events placed in Syria are read (each is a false alarm). Without them
the model learns only from reports that the gold sets chose because they tell of events.

The script prints the calibration of out-of-fold predictions (folds group whole reports, so a
report never helps to score itself), per tenth of predicted probability, then fits on all the
events and writes the weights. It needs only the Python standard library. The features are the
ones `crates/extract/src/confidence.rs` computes from an event; keep the two in step.
"""
import json
import math
import random
import sys

FEATURES = [
    "bias",
    "more_triggers",
    "town",
    "region",
    "actor_named",
    "actor2",
    "counted",
    "source",
    "dated",
    "reported",
    "battles",
    "explosions",
    "civilians",
    "protests",
    "riots",
    "strategic",
]

TYPES = {
    "Battles": "battles",
    "Explosions/Remote violence": "explosions",
    "Violence against civilians": "civilians",
    "Protests": "protests",
    "Riots": "riots",
    "Strategic developments": "strategic",
}


def features(e):
    """The feature vector of one predicted event (the contract's JSON)."""
    evidence = e.get("evidence") or []
    fields = [x.get("field") for x in evidence]
    x = dict.fromkeys(FEATURES, 0.0)
    x["bias"] = 1.0
    x["more_triggers"] = float(min(fields.count("trigger") - 1, 3)) if "trigger" in fields else 0.0
    x["town"] = float(e.get("geo_precision") == 1)
    x["region"] = float(e.get("geo_precision") == 3)
    x["actor_named"] = float(bool(e.get("actor1_ar")))
    x["actor2"] = float(bool(e.get("actor2")))
    x["counted"] = float(bool(e.get("count") or e.get("fatalities")))
    x["source"] = float(any(s.get("kind") != "outlet" for s in e.get("sources") or []))
    x["dated"] = float("date" in fields)
    x["reported"] = float(e.get("modality") == "reported")
    kind = TYPES.get(e.get("event_type"))
    if kind:
        x[kind] = 1.0
    return [x[f] for f in FEATURES]


def km(lat1, lon1, lat2, lon2):
    p = math.pi / 180
    a = (math.sin((lat2 - lat1) * p / 2) ** 2
         + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2)
    return 12742 * math.asin(math.sqrt(a))


def agrees(g, p):
    if g["event_type"] != p.get("event_type"):
        return False
    if g.get("geo_precision", 1) >= 3:
        return p.get("admin1_pcode") == g.get("admin1_pcode")
    if p.get("latitude") is None or p.get("longitude") is None:
        return False
    return km(g["latitude"], g["longitude"], p["latitude"], p["longitude"]) <= g.get("radius_km", 15)


def labelled(gold_path, pred_path):
    """(report, features, right) for every factual predicted event."""
    gold = {}
    with open(gold_path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                gold[row["doc"]] = row["events"]
    preds = {}
    with open(pred_path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                e = json.loads(line)
                if e.get("modality") in ("negated", "planned", "hedged"):
                    continue
                doc = str(e.get("doc_id", "")).rsplit("/", 1)[-1]
                preds.setdefault(doc, []).append(e)
    out = []
    for doc, events in preds.items():
        used = set()
        for e in events:
            hit = next((i for i, g in enumerate(gold.get(doc, [])) if i not in used and agrees(g, e)), None)
            if hit is not None:
                used.add(hit)
            out.append((f"{gold_path}:{doc}", features(e), hit is not None))
    return out


def false_alarms(pred_path):
    """(report, features, wrong) for every factual event placed in Syria in PRED_PATH."""
    out = []
    with open(pred_path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                e = json.loads(line)
                if e.get("country") != "Syria" or e.get("modality") in ("negated", "planned", "hedged"):
                    continue
                out.append((f"{pred_path}:{e.get('doc_id')}", features(e), False))
    return out


def sigmoid(z):
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def fit(rows, l2=3.0, steps=3000, rate=0.1):
    w = [0.0] * len(FEATURES)
    n = len(rows)
    for _ in range(steps):
        grad = [0.0] * len(w)
        for _, x, y in rows:
            err = sigmoid(sum(a * b for a, b in zip(w, x))) - (1.0 if y else 0.0)
            for i, xi in enumerate(x):
                grad[i] += err * xi
        for i in range(len(w)):
            penalty = 0.0 if FEATURES[i] == "bias" else l2 * w[i]
            w[i] -= rate * (grad[i] + penalty) / n
    return w


def predict(w, x):
    return sigmoid(sum(a * b for a, b in zip(w, x)))


def main(argv):
    out_path = "data/lexicon/confidence.tsv"
    folds = 5
    paths = []
    negatives = []
    i = 1
    while i < len(argv):
        if argv[i] == "--out":
            out_path = argv[i + 1]
            i += 2
        elif argv[i] == "--negatives":
            negatives.append(argv[i + 1])
            i += 2
        elif argv[i] == "--folds":
            folds = int(argv[i + 1])
            i += 2
        else:
            paths.append(argv[i])
            i += 1
    if not paths or len(paths) % 2:
        print(__doc__)
        return 2
    rows = []
    for gold_path, pred_path in zip(paths[::2], paths[1::2]):
        rows.extend(labelled(gold_path, pred_path))
    for pred_path in negatives:
        rows.extend(false_alarms(pred_path))
    reports = sorted({r for r, _, _ in rows})
    random.Random(7).shuffle(reports)
    fold_of = {r: k % folds for k, r in enumerate(reports)}
    scored = []
    for k in range(folds):
        w = fit([row for row in rows if fold_of[row[0]] != k])
        scored.extend((predict(w, x), y) for r, x, y in rows if fold_of[r] == k)
    print(f"events {len(rows)}, right {sum(y for _, _, y in rows)}, reports {len(reports)}")
    print("out-of-fold calibration (predicted probability → share right):")
    print("  bin        events  mean predicted  share right")
    for b in range(10):
        lo, hi = b / 10, (b + 1) / 10
        inside = [(p, y) for p, y in scored if lo <= p < hi or (b == 9 and p == 1.0)]
        if inside:
            mean = sum(p for p, _ in inside) / len(inside)
            right = sum(y for _, y in inside) / len(inside)
            print(f"  {lo:.1f}-{hi:.1f}  {len(inside):7d}  {mean:14.2f}  {right:11.2f}")
    brier = sum((p - y) ** 2 for p, y in scored) / len(scored)
    print(f"Brier score {brier:.3f} (predicting the base rate: "
          f"{(lambda r: r * (1 - r))(sum(y for _, y in scored) / len(scored)):.3f})")
    w = fit(rows)
    with open(out_path, "w", encoding="utf-8") as f:
        f.write("# Weights of the confidence model: the chance that an event is right is\n")
        f.write("# 1 / (1 + exp(-(sum of weight × feature))), features as in\n")
        f.write("# crates/extract/src/confidence.rs. Fitted by scripts/fit_confidence.py on the\n")
        f.write("# team's development sets (out-of-fold calibration in the commit that changed it).\n")
        f.write("# Columns: feature<TAB>weight\n")
        f.write("# Source: fitted by the rasd team. Licence: Apache-2.0, as the project.\n")
        for name, weight in sorted(zip(FEATURES, w)):
            f.write(f"{name}\t{weight:.4f}\n")
    print(f"wrote {out_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
