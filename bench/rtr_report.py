#!/usr/bin/env python3
"""rtr_report.py RESULTS SERVERS SESSIONS HOLD_N HOLD_S BOUND

The table, ratios and targets of bench/rtr_run.sh, from the files it left
in RESULTS (one rtrload JSON line per phase, server CPU and RSS beside).
Only measured figures are printed; a storm that hit its bound is shown as
a lower bound (">"), with the extrapolation from the rate it reached
marked "extrapolated".  Ends with one JSON line of the key figures.
"""
import datetime
import json
import os
import re
import sys


def last_json(path):
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        return {}
    for line in reversed(lines):
        if line.startswith("{"):
            return json.loads(line)
    return {}


def log_ns(line):
    """CLOCK_REALTIME ns of an rtrcache log line (ms resolution)."""
    ts = line.split()[0].rstrip("Z")
    dt = datetime.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%f")
    dt = dt.replace(tzinfo=datetime.timezone.utc)
    return int(dt.timestamp() * 1000) * 1000000


def rtrcache_accept(res):
    """Log times of the update after the last SIGHUP: good file, serial."""
    try:
        with open(os.path.join(res, "rtrcache.log")) as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        return None, None
    hup = [i for i, l in enumerate(lines) if "SIGHUP: refreshing now" in l]
    if not hup:
        return None, None
    good = serial = None
    for line in lines[hup[-1]:]:
        if good is None and ": good file," in line:
            good = log_ns(line)
        if serial is None and re.search(r" serial \d+: \d+ changes", line):
            serial = log_ns(line)
    return good, serial


def storm_run(res, base):
    j = last_json(os.path.join(res, base + ".out"))
    c = last_json(os.path.join(res, base + ".cpu"))
    if not j:
        return None
    s = {"done": j.get("storm_done", False), "ms": j.get("storm_ms"),
         "p50": j.get("storm_p50_ms"), "p99": j.get("storm_p99_ms"),
         "ok": j.get("storm_ok", 0), "pdus": j.get("storm_pdus", 0),
         "wanted": j.get("storm_pdus_wanted", 0),
         "client_cpu": j.get("storm_client_cpu_s"), "cpu": c.get("cpu_s"),
         "threads": j.get("storm_threads")}
    # CPU the rest of the machine used meanwhile (other processes).
    if c.get("machine_cpu_s") is not None and s["cpu"] is not None:
        s["others"] = max(0.0, c["machine_cpu_s"] - s["cpu"] -
                          j.get("process_cpu_s", s["client_cpu"] or 0))
    if not s["done"] and s["ms"] and s["pdus"]:
        s["extrapolated_ms"] = s["ms"] * s["wanted"] / s["pdus"]
    return s


def storm_runs(res, base, runs):
    """The median of the completed runs (or the bounded one), with all."""
    all_runs = [x for x in (storm_run(res, f"{base}.r{i}")
                            for i in range(1, runs + 1)) if x]
    done = sorted((x for x in all_runs if x["done"]), key=lambda x: x["ms"])
    if done:
        m = dict(done[(len(done) - 1) // 2])
    elif all_runs:
        m = dict(all_runs[0])
    else:
        m = {"done": False, "ms": None, "p50": None, "p99": None,
             "pdus": 0, "wanted": 0, "client_cpu": None, "cpu": None}
    m["runs"] = [x["ms"] for x in all_runs]
    m["others"] = [x.get("others") for x in all_runs]
    return m


def collect(res, name, sessions, runs):
    r = {"name": name}
    st = last_json(os.path.join(res, name + ".start.out"))
    r["serving_ms"] = st.get("serving_ms")
    r["first_eod_ms"] = st.get("eod_ms")
    for tag in ("load", "idle", "update", "hold"):
        r["rss_" + tag] = last_json(os.path.join(res, f"{name}.{tag}.rss"))
    for n in storm_sizes(sessions):
        r[f"storm{n}"] = storm_runs(res, f"{name}.storm{n}", runs)
    if name == "trivial":
        r["storm_tx"] = storm_runs(res, f"{name}.storm{sessions}.tx", runs)
    j = last_json(os.path.join(res, name + ".idle.out"))
    r["idle"] = j
    r["idle_cpu"] = last_json(os.path.join(res, name + ".idle.cpu"))
    if name == "rtrcache" and j.get("notify_last_real_ns"):
        good, serial = rtrcache_accept(res)
        last = j["notify_last_real_ns"]
        r["accept_to_last_ms"] = (last - good) / 1e6 if good else None
        r["serial_to_last_ms"] = (last - serial) / 1e6 if serial else None
    r["hold"] = last_json(os.path.join(res, name + ".hold.out"))
    r["hold_cpu"] = last_json(os.path.join(res, name + ".hold.cpu"))
    return r


def storm_sizes(sessions):
    return sorted({1, 100, sessions})


def mb(kb):
    return None if kb is None else kb / 1024


def fmt(v, unit="", prec=0):
    if v is None:
        return "-"
    return f"{v:,.{prec}f}{unit}"


def storm_cell(s):
    if s["ms"] is None:
        return "-"
    if s["done"]:
        return f"{s['ms']:,.0f} ms"
    return f"> {s['ms'] / 1000:,.0f} s"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "-"
    return f"{a / b:,.2f}x"


def storm_value(s):
    """A storm's time, or its extrapolation when bounded (for ratios)."""
    if s["done"]:
        return s["ms"], ""
    return s.get("extrapolated_ms"), " (extrap.)"


def main():
    res, servers = sys.argv[1], sys.argv[2].split()
    sessions, hold_n = int(sys.argv[3]), int(sys.argv[4])
    hold_s, bound = sys.argv[5], sys.argv[6]
    runs = int(sys.argv[7]) if len(sys.argv) > 7 else 1
    R = {s: collect(res, s, sessions, runs) for s in servers}
    cols = [s for s in ("stayrtr", "rtrcache", "trivial") if s in R]
    rows = []

    def row(label, vals, r1=None, r2=None):
        rows.append((label, vals, r1 or "-", r2 or "-"))

    def get(s, f):
        return f(R[s]) if s in R else None

    def ratios(f):
        a, b, c = (get(s, f) for s in ("stayrtr", "rtrcache", "trivial"))
        return ratio(a, b), ratio(b, c)

    f = lambda r: r["serving_ms"]
    row("start to serving (Cache Response)",
        [fmt(get(s, f), " ms") for s in cols], *ratios(f))
    f = lambda r: r["first_eod_ms"]
    row("  ... its End of Data", [fmt(get(s, f), " ms") for s in cols],
        *ratios(f))
    for tag, label in (("load", "RSS after load"),
                       ("idle", f"RSS, {sessions:,} idle sessions"),
                       ("update", "RSS after the 1% update"),
                       ("hold", f"RSS, {hold_n:,} sessions")):
        f = lambda r, t=tag: mb(r["rss_" + t].get("rss_kb"))
        row(label + " (VmRSS)", [fmt(get(s, f), " MB") for s in cols],
            *ratios(f))
        f = lambda r, t=tag: mb(r["rss_" + t].get("hwm_kb"))
        row("  VmHWM so far", [fmt(get(s, f), " MB") for s in cols],
            *ratios(f))
    for n in storm_sizes(sessions):
        k = f"storm{n}"
        vals = [storm_cell(R[s][k]) for s in cols]
        f = lambda r, k=k: storm_value(r[k])[0]
        mark = " (extrap.)" if "stayrtr" in R and \
            not R["stayrtr"][k]["done"] else ""
        r1, r2 = ratios(f)
        row(f"storm: {n:,} Reset Queries, last End of Data", vals,
            r1 + mark if r1 != "-" else r1, r2)
        f = lambda r, k=k: r[k]["p99"] if r[k]["done"] else None
        row("  per session p99", [fmt(get(s, f), " ms") for s in cols],
            *ratios(f))
        f = lambda r, k=k: r[k]["cpu"]
        row("  server CPU", [fmt(get(s, f), " s", 2) for s in cols],
            *ratios(f))
        f = lambda r, k=k: r[k]["client_cpu"]
        row("  client (rtrload) CPU", [fmt(get(s, f), " s", 2)
                                       for s in cols])
    if "trivial" in R and R["trivial"]["storm_tx"]["ms"] is not None:
        tx = R["trivial"]["storm_tx"]
        row(f"storm {sessions:,}, rtrload with {tx['threads']} threads",
            ["-" if c != "trivial" else storm_cell(tx) for c in cols])
        row("  server CPU",
            ["-" if c != "trivial" else fmt(tx["cpu"], " s", 2)
             for c in cols])
        row("  client (rtrload) CPU",
            ["-" if c != "trivial" else fmt(tx["client_cpu"], " s", 2)
             for c in cols])
    f = lambda r: r["idle"].get("notify_last_ms")
    row(f"notify {sessions:,}: SIGHUP to last Serial Notify",
        [fmt(get(s, f), " ms") for s in cols], *ratios(f))
    f = lambda r: (r["idle"]["notify_last_ms"] - r["idle"]["notify_first_ms"]
                   if r["idle"].get("notified") else None)
    row("  fan-out: first to last notify",
        [fmt(get(s, f), " ms", 1) for s in cols], *ratios(f))
    f = lambda r: r.get("accept_to_last_ms")
    row("  file accepted (log) to last notify",
        [fmt(get(s, f), " ms", 1) for s in cols])
    f = lambda r: r.get("serial_to_last_ms")
    row("  serial advanced (log) to last notify",
        [fmt(get(s, f), " ms", 1) for s in cols])
    f = lambda r: r["idle_cpu"].get("cpu_s")
    row("  server CPU, reload + notify", [fmt(get(s, f), " s", 2)
                                          for s in cols], *ratios(f))
    f = lambda r: r["hold"].get("probe_after")
    row(f"hold {hold_n:,} sessions {hold_s} s: answered after",
        [fmt(get(s, f)) for s in cols])
    f = lambda r: r["hold"].get("closed")
    row("  closed meanwhile", [fmt(get(s, f)) for s in cols])
    f = lambda r: r["hold_cpu"].get("cpu_s")
    row("  server CPU", [fmt(get(s, f), " s", 2) for s in cols], *ratios(f))

    w = max(len(r[0]) for r in rows) + 2
    head = "".join(f"{c:>14}" for c in cols)
    print(f"{'':{w}}{head}{'stayrtr/ours':>22}{'ours/trivial':>14}")
    for label, vals, r1, r2 in rows:
        print(f"{label:{w}}" + "".join(f"{v:>14}" for v in vals) +
              f"{r1:>22}{r2:>14}")
    if "stayrtr" in R:
        for n in storm_sizes(sessions):
            s = R["stayrtr"][f"storm{n}"]
            if not s["done"] and s["ms"]:
                print(f"stayrtr storm {n}: bounded at {bound} s: "
                      f"{s['pdus']:,} of {s['wanted']:,} PDUs in "
                      f"{s['ms'] / 1000:.1f} s "
                      f"({s['pdus'] / (s['ms'] / 1000):,.0f} PDUs/s); "
                      "all would take "
                      f"{fmt(s.get('extrapolated_ms', 0) / 1000, ' s')} "
                      "at that rate (extrapolated)")
    print("stayrtr idle sessions were synced with a Serial Query "
          "answered by Cache Reset, not a full transfer")
    th = next((R[c][f"storm{sessions}"]["threads"] for c in cols
               if R[c][f"storm{sessions}"].get("threads")), "?")
    print(f"storms: rtrload with {th} threads; median of {runs} runs; "
          "every run, ms (CPU seconds other processes took meanwhile):")

    def runs_text(m):
        return ", ".join(
            ("-" if v is None else f"{v:,.0f}") +
            ("" if o is None else f" ({o:.1f})")
            for v, o in zip(m["runs"], m["others"]))
    for c in cols:
        for n in storm_sizes(sessions):
            print(f"  {c} storm {n}: " + runs_text(R[c][f"storm{n}"]))
        if c == "trivial" and R[c]["storm_tx"]["runs"]:
            print(f"  trivial storm {sessions}, "
                  f"{R[c]['storm_tx']['threads']} client threads: " +
                  runs_text(R[c]["storm_tx"]))

    print("\ntargets (rtrcache)")
    rc = R.get("rtrcache")
    tv = R.get("trivial")
    verdicts = {}

    def target(key, text, value, ok):
        verdicts[key] = ok
        v = "-" if value is None else value
        print(f"  {text:58} {v:>22}  "
              f"{'met' if ok else 'NOT MET' if ok is not None else '?'}")

    if rc:
        s, t = rc[f"storm{sessions}"], (tv or {}).get(f"storm{sessions}")
        q = s["ms"] / t["ms"] if t and s["done"] and t["done"] else None
        target("storm", f"{sessions:,}-session storm <= 1.5x trivial",
               None if q is None else f"{q:.2f}x", None if q is None
               else q <= 1.5)
        target("start", "start to serving < 1.5 s",
               fmt(rc["serving_ms"], " ms"), rc["serving_ms"] is not None
               and rc["serving_ms"] < 1500)
        m = mb(rc["rss_idle"].get("rss_kb"))
        h = mb(rc["rss_idle"].get("hwm_kb"))
        target("rss", f"RSS < 150 MB serving the file to {sessions:,} sessions",
               f"{fmt(m, ' MB')} (HWM {fmt(h, ' MB')})",
               m is not None and m < 150)
        a = rc.get("accept_to_last_ms")
        target("notify", f"notify to {sessions:,} within 50 ms of accepting",
               fmt(a, " ms", 1), None if a is None else a <= 50)
        hp = rc["hold"].get("probe_after")
        target("hold", f"{hold_n:,} concurrent sessions held", fmt(hp),
               rc["hold"].get("ok", False))
    key = {s: {"serving_ms": R[s]["serving_ms"],
               "rss_idle_kb": R[s]["rss_idle"].get("rss_kb"),
               "hwm_kb": R[s]["rss_update"].get("hwm_kb"),
               **{f"storm{n}_ms": R[s][f"storm{n}"]["ms"]
                  for n in storm_sizes(sessions)},
               **{f"storm{n}_done": R[s][f"storm{n}"]["done"]
                  for n in storm_sizes(sessions)},
               "notify_last_ms": R[s]["idle"].get("notify_last_ms"),
               "hold_ok": R[s]["hold"].get("ok")} for s in R}
    key["targets"] = verdicts
    print(json.dumps(key))


if __name__ == "__main__":
    main()
