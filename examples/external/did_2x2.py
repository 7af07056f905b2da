#!/usr/bin/env python3
"""A Stagger external estimator in Python, standard library only (README, "Bring your own estimator").

Group-time 2x2 differences in differences, ATT(g,t) = change of start group g from its base period to
t minus the change of the not-yet-treated (first_treat = 0 or > t, and not g) over the same periods,
as Callaway & Sant'Anna (2021, eq. 2.7 with no covariates) define it (with no never-treated unit the last
start group is the comparison only, as R did does): base period g-1 for t >= g, and
t-1 before (R did's base_period = "varying"). Aggregated as R did's aggte does: `simple` weights the
post cells by group size, `dynamic:E` the cells with t - g = E by group size, `dynamic_avg` is the
mean of the requested dynamic:E with E >= 0, `group:G` the mean of group G's post cells and
`group_avg` their group-size-weighted mean. The request's options narrow them as the analysis asks:
`dynamic_avg_window` [a, b] keeps e in a..b in `dynamic_avg`, `dynamic_pre_avg_window` [a, b] makes
`dynamic_pre_avg` the mean of the requested dynamic:E with a <= E <= b < 0, `group_avg_exclude` lists
the first_treat labels left out of `group_avg`; the answer lists them in "honoured".

Standard errors are clustered by unit with the aggregation weights held fixed: every estimate is a
linear function of the outcomes, theta = sum_i sum_t A[group(i)][t] * y[i][t] - K[group(i)] / N-ish, so
its influence on unit i is IF_i = sum_t A[g(i)][t] y[i][t] - K[g(i)] and Var = sum_i IF_i^2 (the
sandwich with the unit as cluster). R did adds the sampling variation of the group-size weights to
the aggregates' SEs, so these SEs are a little smaller than R did's; the estimates are the same.

Protocol: one JSON request per line on stdin, one JSON answer per line on stdout, flushed. The panel
is the request's CSV, or with `panel_format: binary` in the scenario its binary frame: `nrow` rows of
the request's `columns`, little-endian doubles column after column (read_rows reads both).
"""
from array import array
import csv
import json
import math
import sys


def read_rows(req):
    """The panel's (id, period, first_treat, y) rows, from the CSV or from the binary frame."""
    keep = ("id", "period", "first_treat", "y")
    if req.get("panel_format") == "binary":
        values = array("d")
        with open(req["panel"], "rb") as f:
            values.frombytes(f.read())
        if sys.byteorder != "little":
            values.byteswap()
        n = req["nrow"]
        at = {c: k * n for k, c in enumerate(req["columns"])}
        return zip(*(values[at[c] : at[c] + n] for c in keep))
    with open(req["panel"], newline="") as f:
        rows = csv.reader(f)
        head = next(rows)
        cols = [head.index(c) for c in keep]
        return [tuple(float(r[k]) for k in cols) for r in rows]


def read_panel(req):
    """The long panel: per start group the outcome sums per period, per unit its outcomes."""
    units, periods = {}, set()
    for i, t, g, y in read_rows(req):
        u = units.get(i)
        if u is None:
            u = units[i] = {"g": g, "y": {}}
        u["y"][t] = y
        periods.add(t)
    periods = sorted(periods)
    # R did's rules: a start after the last period is never seen (never treated); with no never-treated
    # unit, the last start group is only a comparison and the periods from its start have none: dropped.
    for u in units.values():
        if u["g"] > periods[-1]:
            u["g"] = 0.0
    if all(u["g"] != 0 for u in units.values()):
        last = max(u["g"] for u in units.values())
        for u in units.values():
            if u["g"] == last:
                u["g"] = 0.0
        periods = [t for t in periods if t < last]
    return units, periods


def estimate(req):
    units, periods = read_panel(req)
    idx = {t: k for k, t in enumerate(periods)}
    T = len(periods)
    ys = {}  # group -> list of per-unit outcome rows (by period index)
    for u in units.values():
        ys.setdefault(u["g"], []).append([u["y"][t] for t in periods])
    n = {g: len(v) for g, v in ys.items()}
    sums = {g: [sum(col) for col in zip(*v)] for g, v in ys.items()}
    groups = sorted(g for g in ys if g > 0 and g in idx and idx[g] > 0)

    # ATT(g,t) cells with what their influence functions need.
    cells = {}
    for g in groups:
        for k, t in enumerate(periods):
            b = idx[g] - 1 if t >= g else k - 1
            if b < 0 or b == k:
                continue
            ctrl = [h for h in ys if h != g and (h == 0 or h > max(t, periods[b]))]
            nc = sum(n[h] for h in ctrl)
            if nc == 0:
                continue
            mg = (sums[g][k] - sums[g][b]) / n[g]
            mc = sum(sums[h][k] - sums[h][b] for h in ctrl) / nc
            cells[(g, t)] = {"att": mg - mc, "k": k, "b": b, "mg": mg, "mc": mc, "ctrl": ctrl, "nc": nc}

    def combine(weighted):
        """Estimate and clustered SE of sum w * ATT(c) over [(w, cell)]."""
        A, K = {}, {}
        est = 0.0
        for w, c in weighted:
            est += w * c["att"]
            g = c["g"]
            a = A.setdefault(g, {})
            a[c["k"]] = a.get(c["k"], 0.0) + w / n[g]
            a[c["b"]] = a.get(c["b"], 0.0) - w / n[g]
            K[g] = K.get(g, 0.0) + w * c["mg"] / n[g]
            for h in c["ctrl"]:
                a = A.setdefault(h, {})
                a[c["k"]] = a.get(c["k"], 0.0) - w / c["nc"]
                a[c["b"]] = a.get(c["b"], 0.0) + w / c["nc"]
                K[h] = K.get(h, 0.0) - w * c["mc"] / c["nc"]
        var = 0.0
        for h, a in A.items():
            items = [(k, v) for k, v in a.items() if v != 0.0]
            for y in ys[h]:
                f = sum(v * y[k] for k, v in items) - K[h]
                var += f * f
        return est, math.sqrt(var)

    for (g, t), c in cells.items():
        c["g"] = g

    def by_size(keys):
        keys = [key for key in keys if key in cells]
        tot = sum(n[g] for g, _ in keys)
        return [(n[g] / tot, cells[(g, t)]) for g, t in keys] if tot > 0 else []

    asked = req["estimands"]
    dyn_e = sorted({int(s.split(":")[1]) for s in asked if s.startswith("dynamic:")})
    # The analysis' narrowed averages, when it sets them (all three honoured: see main's "honoured").
    opt = req.get("options", {})
    avg_window = opt.get("dynamic_avg_window")
    pre_window = opt.get("dynamic_pre_avg_window")
    left_out = set(opt.get("group_avg_exclude", []))
    rows = []

    def put(name, weighted, why):
        if not weighted:
            rows.append({"estimand": name, "estimate": None, "se": None, "reason": why})
        else:
            e, se = combine(weighted)
            rows.append({"estimand": name, "estimate": e, "se": se})

    def dynamic(e):
        return by_size([(g, t) for (g, t) in cells if t - g == e])

    def group(g):
        post = [cells[(g, t)] for (gg, t) in cells if gg == g and t >= g]
        return [(1 / len(post), c) for c in post]

    for name in asked:
        if name == "simple":
            put(name, by_size([(g, t) for (g, t) in cells if t >= g]), "no post-period cell has a comparison group")
        elif name.startswith("dynamic:"):
            e = int(name.split(":")[1])
            put(name, dynamic(e), f"no start group is observed at event time {e} with a comparison group")
        elif name == "dynamic_avg":
            es = [e for e in (dyn_e or sorted({t - g for g, t in cells})) if e >= 0 and dynamic(e)]
            if avg_window:
                es = [e for e in es if avg_window[0] <= e <= avg_window[1]]
            put(name, [(w / len(es), c) for e in es for w, c in dynamic(e)], "no event time e >= 0 in the window")
        elif name == "dynamic_pre_avg":
            lo, hi = pre_window or (None, None)
            all_e = dyn_e or sorted({t - g for g, t in cells})
            es = [e for e in all_e if pre_window and e < 0 and lo <= e <= hi and dynamic(e)]
            why = f"no pre-period event time in {lo}..{hi}" if pre_window else "no dynamic_pre_avg_window in the request"
            put(name, [(w / len(es), c) for e in es for w, c in dynamic(e)], why)
        elif name.startswith("group:"):
            g = float(name.split(":")[1])
            put(name, group(g) if g in groups else [], f"start group {name[6:]} has no post-period cell")
        elif name == "group_avg":
            gs = [g for g in groups if group(g) and g not in left_out]
            tot = sum(n[g] for g in gs)
            put(name, [(n[g] / tot * w, c) for g in gs for w, c in group(g)], "no start group has a post-period cell")
        else:
            rows.append({"estimand": name, "estimate": None, "se": None, "reason": "this example does not compute " + name})
    return rows


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        try:
            rows = estimate(req)
        except Exception as err:  # one draw's failure: every estimand not identified, with the reason
            print(f"draw {req.get('draw')}: {err!r}", file=sys.stderr, flush=True)
            rows = [{"estimand": s, "estimate": None, "se": None, "reason": f"{type(err).__name__}: {err}"} for s in req["estimands"]]
        # Every option the request sends is applied above: say so (the protocol's "honoured").
        answer = {"draw": req["draw"], "rows": rows}
        if "options" in req:
            answer["honoured"] = sorted(req["options"])
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
