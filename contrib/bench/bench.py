#!/usr/bin/env python3
"""Benchmark driver for contrib/bench/run.sh (see README.md beside it).

Measures mailclerk against notmuch, mu and mairix on one generated Maildir
corpus, in one run: cold ingest time and messages/s, no-op re-index time,
search latency per CLI call (process spawn included), index size on disk and
peak RSS of the ingest. Python 3 standard library only; peak RSS comes from
/usr/bin/time (Debian package "time").
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
TIME = "/usr/bin/time"
ME = "sam@studio.example"

# The five queries, one per kind, in each tool's own syntax. They are argv
# lists: the terms are passed as separate arguments, as a user would type them.
QUERIES = [
    ("common word", {"mailclerk": ["project"], "notmuch": ["project"],
                     "mu": ["project"], "mairix": ["project"]}),
    ("rare word", {"mailclerk": ["quasarwing"], "notmuch": ["quasarwing"],
                   "mu": ["quasarwing"], "mairix": ["quasarwing"]}),
    ("two-word AND", {"mailclerk": ["invoice", "website"],
                      "notmuch": ["invoice", "and", "website"],
                      "mu": ["invoice", "AND", "website"],
                      "mairix": ["invoice", "website"]}),
    ("from: address", {"mailclerk": ["from:bob@acme.example"],
                       "notmuch": ["from:bob@acme.example"],
                       "mu": ["from:bob@acme.example"],
                       "mairix": ["f:bob@acme.example"]}),
    ("date range", {"mailclerk": ["date:2024-01..2024-03"],
                    "notmuch": ["date:2024-01..2024-03"],
                    "mu": ["date:2024-01..2024-03"],
                    "mairix": ["d:20240101-20240331"]}),
]
TOOLS = ["mailclerk", "notmuch", "mu", "mairix"]

# The client domains and projects of gen-corpus.py; the filing benchmark adds
# made-up clients to these until there are 50, as a busy freelancer has.
CORPUS_CLIENTS = [
    ("acme", "acme.example", "website"), ("globex", "globex.example", "rebrand"),
    ("initech", "initech.example", "intranet"), ("bergmann", "bergmann.example", "translation"),
    ("lefevre", "lefevre-paris.example", "catalogue"),
    ("kawasemi", "kawasemi.example", "packaging"), ("lotus", "lotus-trading.example", "website"),
    ("severstal", "severstal-media.example", "campaign"),
    ("umbrella", "umbrella.example", "exhibition"),
    ("northwind", "northwind.example", "newsletter"), ("hooli", "hooli.example", "app"),
    ("wayne", "wayne-foods.example", "labels"),
]
FILING_CLIENTS = 50


def clients_config(path):
    """Write a config of FILING_CLIENTS clients with 2-4 rules each, every
    kind of rule mailclerk has (domains, addresses, subject/body/attachment
    regexes, exclude), and one project per corpus client. Returns how many
    rules it wrote."""
    out, rules = ["[mailclerk]", "me = " + ME, ""], 0
    for i in range(FILING_CLIENTS):
        key, dom, proj = (CORPUS_CLIENTS[i] if i < len(CORPUS_CLIENTS)
                          else ("client%02d" % i, "client%02d.example" % i, None))
        out += ["[client %s]" % key, "name = %s" % key.title(), "domains = " + dom]
        kind = i % 4
        if kind in (1, 3):
            out.append("addresses = billing@%s; owner%02d@gmail.example" % (dom, i))
        if kind in (0, 2, 3):
            out.append(r"match = subject:/\b%s-\d+\b/i" % key.upper()[:4])
        if kind == 2:
            out[-1] += r"; body:/\bPO[- ]?%02d\d{4}\b/" % i
        if kind == 3:
            out[-1] += r"; attachment:/^%s[-_].*\.pdf$/i" % key
        if kind == 0:
            out.append("exclude = from:/^(noreply|no-reply|mailer-daemon)@/i")
        rules += 1 + (kind in (1, 3)) + (kind in (0, 2, 3)) + (kind in (2, 3)) + (kind == 0)
        out.append("")
        if proj:
            out += ["[project %s/%s]" % (key, proj), r"match = subject:/\b%s\b/i" % proj, ""]
            rules += 1
    with open(path, "w") as f:
        f.write("\n".join(out))
    return rules


def bench_filing(t, info, runs):
    """Ingest with no clients and with FILING_CLIENTS clients, alternating,
    RUNS times each (medians), then reclassify and the client views."""
    d = os.path.join(os.path.dirname(t.dir), "mailclerk-filing")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    conf = os.path.join(d, "clients.conf")
    nrules = clients_config(conf)
    db = os.path.join(d, "index.db")

    def base(c):
        return [t.exe, "--config", c, "--db", db]

    def fresh():
        for suffix in ("", "-wal", "-shm", ".lock"):
            if os.path.exists(db + suffix):
                os.unlink(db + suffix)
    plain, filed = [], []
    for _ in range(runs):
        for c, into in ((t.conf, plain), (conf, filed)):
            fresh()
            dt, rc, _, err, _ = timed(base(c) + ["ingest", "--maildir", t.maildir], t.env)
            if rc != 0:
                raise RuntimeError("ingest with %s exited %d: %s" % (c, rc, err.strip()[-300:]))
            into.append(dt)
    r = {"clients": FILING_CLIENTS, "rules": nrules, "runs": runs,
         "ingest_plain_s": statistics.median(plain), "ingest_filed_s": statistics.median(filed)}
    r["overhead_pct"] = 100 * (r["ingest_filed_s"] / r["ingest_plain_s"] - 1)
    r["filed"] = int(run(base(conf) + ["count", "NOT", "client:none"], t.env,
                         check=True).stdout.split()[0])
    recl = []
    for _ in range(runs):
        dt, rc, out, err, _ = timed(base(conf) + ["reclassify"], t.env)
        if rc != 0:
            raise RuntimeError("reclassify exited %d: %s" % (rc, err.strip()[-300:]))
        recl.append(dt)
    r["reclassify_s"], r["reclassify_out"] = statistics.median(recl), out.strip()
    r["views_ms"] = {}
    for name, argv in (("clients", ["clients"]), ("timeline acme", ["timeline", "acme"]),
                       ("contacts", ["contacts"]), ("followups", ["followups"]),
                       ("projects", ["projects"])):
        lats = []
        for _ in range(runs):
            dt, rc, _, err, _ = timed(base(conf) + argv, t.env)
            if rc != 0:
                raise RuntimeError("%s exited %d: %s" % (name, rc, err.strip()[-300:]))
            lats.append(dt * 1000)
        r["views_ms"][name] = statistics.median(lats)
    # Saving every attachment by project (into d/attachments, beside the
    # index), then again (all duplicates).
    for key in ("save_s", "save_again_s"):
        dt, rc, _, err, _ = timed(base(conf) + ["attachments", "save", "--by-project", "*"], t.env)
        if rc != 0:
            raise RuntimeError("attachments save exited %d: %s" % (rc, err.strip()[-300:]))
        r[key], r[key + "_summary"] = dt, err.strip().splitlines()[-1]
    return r


def bench_floor(work, maildir, info):
    """The floors of an ingest: gmime-floor.c (built here with pkg-config)
    lists, reads and parses every file with GMime on one thread per core,
    doing nothing else; then again with a database, the floor of any indexer
    on GMime and SQLite FTS5: the text of each message into a contentless
    FTS5 table by one writer thread, nothing else. Returns {"seconds",
    "rate", "threads", "parsed", "cpu_s", "fts": {"seconds", "rate",
    "cpu_s"}} (cpu_s: user and system time of every thread) or raises."""
    exe = os.path.join(work, "gmime-floor")
    src = os.path.join(HERE, "gmime-floor.c")
    if not os.path.exists(exe) or os.path.getmtime(exe) < os.path.getmtime(src):
        pkgs = ["gmime-3.0", "sqlite3"]
        # jemalloc when found, as configure links mailclerk-mail with it.
        if subprocess.run(["pkg-config", "--exists", "jemalloc"]).returncode == 0:
            pkgs.append("jemalloc")
        flags = subprocess.run(["pkg-config", "--cflags", "--libs"] + pkgs,
                               stdout=subprocess.PIPE, text=True, check=True).stdout.split()
        subprocess.run([os.environ.get("CC", "cc"), "-O2", "-o", exe, src] + flags, check=True)

    def run(*extra):
        out = subprocess.run([exe, maildir] + list(extra), stdout=subprocess.PIPE, text=True,
                             check=True).stdout.split()
        return float(out[2]), int(out[4]), int(out[1]), float(out[5])

    seconds, threads, parsed, cpu = run()
    db = os.path.join(work, "gmime-floor.db")
    fts_seconds, _, _, fts_cpu = run("0", db)
    os.unlink(db)
    return {"seconds": seconds, "rate": info["messages"] / seconds, "threads": threads,
            "parsed": parsed, "cpu_s": cpu,
            "fts": {"seconds": fts_seconds, "rate": info["messages"] / fts_seconds,
                    "cpu_s": fts_cpu}}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


class Tool:
    """One indexer: how to set it up, ingest, search and count."""

    def __init__(self, name, work, maildir, env, exe):
        self.name, self.maildir, self.exe = name, maildir, exe
        self.dir = os.path.join(work, name)
        self.env = dict(env)
        self.db = os.path.join(self.dir, "db")

    # -- per tool ------------------------------------------------------------
    def setup(self):
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.db)
        n = self.name
        if n == "mailclerk":
            self.conf = os.path.join(self.dir, "empty.conf")
            open(self.conf, "w").close()
            self.base = [self.exe, "--config", self.conf, "--db",
                         os.path.join(self.db, "index.db")]
        elif n == "notmuch":
            # database.mail_root = the mail, database.path = where Xapian
            # lives (see notmuch-config(1)); hooks and flags sync as usual.
            self.conf = os.path.join(self.dir, "notmuch-config")
            with open(self.conf, "w") as f:
                f.write("[database]\npath=%s\nmail_root=%s\n\n"
                        "[user]\nname=Sam Carter\nprimary_email=%s\n\n"
                        "[new]\ntags=unread;inbox;\nignore=\n\n"
                        "[maildir]\nsynchronize_flags=true\n" % (self.db, self.maildir, ME))
            self.env["NOTMUCH_CONFIG"] = self.conf
        elif n == "mu":
            # mu 1.8: `mu init --muhome=DIR --maildir=M`, then `mu index --muhome=DIR`
            self.conf = None
            run([self.exe, "init", "--muhome=" + self.db, "--maildir=" + self.maildir,
                 "--my-address=" + ME, "--quiet"], self.env, check=True)
        elif n == "mairix":
            # mairixrc(5): base + maildir=<dir>... (recursive) + database;
            # mformat=raw makes a search print paths (no mfolder is written).
            self.conf = os.path.join(self.dir, "mairixrc")
            parent, leaf = os.path.split(self.maildir.rstrip("/"))
            with open(self.conf, "w") as f:
                f.write("base=%s\nmaildir=%s...\nmfolder=%s\nmformat=raw\ndatabase=%s\n"
                        % (parent, leaf, os.path.join(self.dir, "mfolder"),
                           os.path.join(self.db, "mairix.db")))

    def ingest_cmd(self):
        n = self.name
        if n == "mailclerk":
            return self.base + ["ingest", "--maildir", self.maildir]
        if n == "notmuch":
            return [self.exe, "new", "--quiet"]
        if n == "mu":
            return [self.exe, "index", "--muhome=" + self.db, "--quiet"]
        return [self.exe, "-f", self.conf]

    def search_cmd(self, terms):
        n = self.name
        if n == "mailclerk":
            return self.base + ["search", "--limit", "20"] + terms
        if n == "notmuch":
            return [self.exe, "search", "--limit=20"] + terms
        if n == "mu":
            return [self.exe, "find", "--muhome=" + self.db, "--maxnum=20"] + terms
        return [self.exe, "-f", self.conf, "-r"] + terms   # mairix has no limit option

    def count(self, terms):
        n = self.name
        if n == "mailclerk":
            p = run(self.base + ["count"] + terms, self.env)
            return int(p.stdout.split()[0]) if p.returncode == 0 and p.stdout.split() else None
        if n == "notmuch":
            p = run([self.exe, "count"] + terms, self.env)
            return int(p.stdout.strip()) if p.returncode == 0 else None
        if n == "mu":
            p = run([self.exe, "find", "--muhome=" + self.db, "--fields=i"] + terms, self.env)
            return len(p.stdout.splitlines()) if p.returncode in (0, 4) else None
        p = run([self.exe, "-f", self.conf, "-r"] + terms, self.env)
        return len(p.stdout.splitlines()) if p.returncode == 0 else None

    def ok(self, rc):
        return rc == 0 or (self.name == "mu" and rc == 4) or (self.name == "mairix" and rc == 1)


def run(cmd, env, check=False, timeout=7200):
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, errors="replace", timeout=timeout)
    if check and p.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (" ".join(cmd), p.returncode, p.stderr[-2000:]))
    return p


def timed(cmd, env, rss_file=None, timeout=None):
    """Run cmd; return (seconds, returncode, stdout, stderr, peak RSS in KB or None).
    After TIMEOUT seconds, it is killed: returncode None, stderr "timed out"."""
    full = cmd
    if rss_file and os.access(TIME, os.X_OK):
        full = [TIME, "-f", "%M", "-o", rss_file] + cmd
    t0 = time.perf_counter()
    try:
        p = subprocess.run(full, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, errors="replace", timeout=timeout)
    except subprocess.TimeoutExpired:
        return time.perf_counter() - t0, None, "", "timed out after %d s" % timeout, None
    dt = time.perf_counter() - t0
    rss = None
    if rss_file and os.path.exists(rss_file):
        try:
            rss = int(open(rss_file).read().split()[-1])
        except (ValueError, IndexError):
            pass
    return dt, p.returncode, p.stdout, p.stderr, rss


def latency(cmd, env, runs, ok=lambda rc: rc == 0, long_s=None, timeout=None):
    """How long one CLI call takes, process start included: one warm-up
    call, not counted, then RUNS timed calls. A call slower than LONG_S
    seconds is not repeated: its warm-up is the one sample. Returns mean_ms,
    median_ms, min_ms and runs, or error."""
    d, rc, _, err, _ = timed(cmd, env, timeout=timeout)
    if rc is None or not ok(rc):
        return {"error": "exit %s: %s" % (rc, err.strip()[-200:])}
    lats = [d * 1000]
    if long_s is None or d <= long_s:
        lats = []
        for _ in range(runs):
            d, rc, _, err, _ = timed(cmd, env, timeout=timeout)
            if rc is None or not ok(rc):
                return {"error": "exit %s: %s" % (rc, err.strip()[-200:])}
            lats.append(d * 1000)
    return {"mean_ms": statistics.mean(lats), "median_ms": statistics.median(lats),
            "min_ms": min(lats), "runs": len(lats)}


def du_bytes(path):
    p = subprocess.run(["du", "-s", "--block-size=1", path], stdout=subprocess.PIPE, text=True)
    return int(p.stdout.split()[0])


def warm(maildir):
    """Read every file once so each tool starts with the same (warm) page cache."""
    for root, _, files in os.walk(maildir):
        for f in files:
            with open(os.path.join(root, f), "rb") as fh:
                while fh.read(1 << 20):
                    pass


def drop_caches():
    subprocess.run(["sync"])
    with open("/proc/sys/vm/drop_caches", "w") as f:
        f.write("3\n")


def find_mailclerk(arg):
    cands = [arg] if arg else [os.path.join(REPO, "mailclerk"), shutil.which("mailclerk")]
    for c in cands:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return os.path.abspath(c)
    return None


def fmt(v, unit=""):
    if v is None:
        return "-"
    if isinstance(v, str):
        return v
    if abs(v) >= 100:
        return "%.0f%s" % (v, unit)
    if abs(v) >= 10:
        return "%.1f%s" % (v, unit)
    return "%.2f%s" % (v, unit)


def clean_env(work):
    """The environment every tool runs in: TZ=UTC, C.UTF-8, and HOME/XDG_*
    inside WORK, so that no personal configuration is read or written."""
    home = os.path.join(work, "home")
    os.makedirs(home, exist_ok=True)
    env = dict(os.environ, TZ="UTC", LC_ALL="C.UTF-8", HOME=home,
               XDG_CONFIG_HOME=os.path.join(home, ".config"),
               XDG_DATA_HOME=os.path.join(home, ".local/share"),
               XDG_CACHE_HOME=os.path.join(home, ".cache"))
    env.pop("NOTMUCH_CONFIG", None)
    env.pop("MAILCLERK_CONFIG", None)
    return env


def find_tools(names, mailclerk, work, maildir, env, notes):
    """The Tools of NAMES that are installed; a note for each one that is not."""
    tools = []
    for name in names:
        exe = find_mailclerk(mailclerk) if name == "mailclerk" else shutil.which(name)
        if not exe:
            notes.append("%s: not installed/built, skipped%s" % (
                name, " (build it, or pass --mailclerk PATH)" if name == "mailclerk" else
                " (apt-get install %s)" % {"mu": "maildir-utils"}.get(name, name)))
            continue
        tools.append(Tool(name, work, maildir, env, exe))
    return tools


def measure_tool(t, messages, runs, drop, notes, reindex=True, before_ingest=None):
    """Set T up in its own directory, ingest (cold, timed, peak RSS), ingest
    again (no-op), reindex (mailclerk), index size, and the QUERIES (one
    warm-up, then RUNS timed calls each). Returns its figures; "error" when
    a step failed (and a note says why). BEFORE_INGEST, when given, is
    measured just before the ingest (bench_floor): its figures are "floor"."""
    r = {"queries": {}}
    log("== %s (%s)" % (t.name, t.exe))
    try:
        t.setup()
    except Exception as e:  # noqa: BLE001 - report and go on with the others
        notes.append("%s: setup failed: %s" % (t.name, e))
        r["error"] = str(e)
        return r
    if drop:
        drop_caches()
    else:
        warm(t.maildir)
    if before_ingest:
        try:
            r["floor"] = before_ingest()
            log("   floor (GMime parse alone, %d threads) %.2f s; with FTS5 %.2f s"
                % (r["floor"]["threads"], r["floor"]["seconds"],
                   r["floor"]["fts"]["seconds"]))
        except Exception as e:  # noqa: BLE001 - the rest still runs
            notes.append("GMime floor not measured: %s" % e)
    # What the tool before wrote is put on disk now, not by this one's
    # first fsync.
    os.sync()
    cmd = t.ingest_cmd()
    dt, rc, out, err, rss = timed(cmd, t.env, os.path.join(t.dir, "ingest.rss"))
    with open(os.path.join(t.dir, "ingest.log"), "w") as f:
        f.write("$ %s\nexit %d\n--- stdout\n%s--- stderr\n%s" % (" ".join(cmd), rc, out, err))
    if not t.ok(rc):
        notes.append("%s: ingest exited %d (see %s/ingest.log): %s"
                     % (t.name, rc, t.dir, err.strip()[-300:]))
        r["error"] = "ingest exit %d" % rc
        return r
    r.update(ingest_s=dt, rate=messages / dt, rss_mb=rss / 1024 if rss else None,
             ingest_out=out.strip().splitlines()[-1] if out.strip() else "")
    log("   ingest %.2f s, peak RSS %s KB" % (dt, rss))
    dt2, rc2, out2, err2, _ = timed(cmd, t.env)
    r["noop_s"] = dt2 if t.ok(rc2) else None
    if not t.ok(rc2):
        notes.append("%s: re-index exited %d: %s" % (t.name, rc2, err2.strip()[-300:]))
    log("   no-op re-index %.2f s" % dt2)
    if t.name == "mailclerk" and reindex:
        # Every message read again from its file and compared with what
        # the index holds (the same parse, so nothing is rewritten).
        dt3, rc3, out3, err3, _ = timed(t.base + ["reindex"], t.env)
        if rc3 == 0:
            r.update(reindex_s=dt3, reindex_ratio=dt3 / dt,
                     reindex_out=out3.strip().splitlines()[-1] if out3.strip() else "")
            log("   reindex %.2f s (%.2fx the cold ingest)" % (dt3, dt3 / dt))
        else:
            notes.append("mailclerk: reindex exited %d: %s" % (rc3, err3.strip()[-300:]))
    r["size_mb"] = du_bytes(t.db) / 1e6
    lat_all = []
    for qname, per_tool in QUERIES:
        terms = per_tool[t.name]
        q = latency(t.search_cmd(terms), t.env, runs, t.ok)
        q.update(argv=terms, hits=t.count(terms))
        r["queries"][qname] = q
        if "error" in q:
            notes.append("%s: query %r failed: %s" % (t.name, " ".join(terms), q["error"]))
        else:
            lat_all.append(q["mean_ms"])
        log("   %-14s %-28s %8s ms  %s hits" % (qname, " ".join(terms),
                                                fmt(q.get("mean_ms")), q["hits"]))
    r["search_mean_ms"] = statistics.mean(lat_all) if len(lat_all) == len(QUERIES) else None
    return r


def main():
    ap = argparse.ArgumentParser(prog="run.sh", description="mailclerk vs notmuch/mu/mairix")
    ap.add_argument("-n", type=int, default=20000, help="corpus size (default 20000)")
    ap.add_argument("--mailclerk", help="path to the mailclerk binary "
                    "(default: ./mailclerk at the top of the tree, then $PATH)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=20, help="runs per query (default 20)")
    ap.add_argument("--tools", default=",".join(TOOLS), help="comma list (default: all)")
    ap.add_argument("--work", default=os.path.join(HERE, "work"))
    ap.add_argument("--filing-runs", type=int, default=3,
                    help="runs of the ingest with and without %d clients (default 3; "
                    "0 skips it)" % FILING_CLIENTS)
    ap.add_argument("--drop-caches", action="store_true",
                    help="drop the page cache before each cold ingest (root; truly cold)")
    a = ap.parse_args()

    work = os.path.abspath(a.work)
    corpus = os.path.join(work, "corpus-%d-s%d" % (a.n, a.seed))
    maildir = os.path.join(corpus, "maildir")
    os.makedirs(work, exist_ok=True)
    if not os.path.isdir(maildir):
        log("generating corpus: %d messages into %s" % (a.n, corpus))
        subprocess.run([sys.executable, os.path.join(HERE, "gen-corpus.py"), "-n", str(a.n),
                        "--seed", str(a.seed), "--out", corpus], check=True)
    info = json.load(open(os.path.join(corpus, "corpus.json")))

    env = clean_env(work)
    notes, results = [], {}
    tools = find_tools(a.tools.split(","), a.mailclerk, work, maildir, env, notes)
    for t in tools:
        # The floor just before mailclerk's own ingest, in the same page cache.
        results[t.name] = measure_tool(
            t, info["messages"], a.runs, a.drop_caches, notes,
            before_ingest=(lambda: bench_floor(work, maildir, info)) if t.name == "mailclerk" else None)
    floor = results.get("mailclerk", {}).get("floor")

    filing = None
    mc = [t for t in tools if t.name == "mailclerk" and "error" not in results[t.name]]
    if mc and a.filing_runs > 0:
        log("== mailclerk filing: %d clients, %d runs" % (FILING_CLIENTS, a.filing_runs))
        warm(maildir)
        try:
            filing = bench_filing(mc[0], info, a.filing_runs)
        except Exception as e:  # noqa: BLE001 - report it with the rest
            notes.append("mailclerk filing benchmark failed: %s" % e)

    # ---- report ----
    names = [t.name for t in tools if "error" not in results.get(t.name, {"error": 1})]
    others = [n for n in names if n != "mailclerk"]
    have_mc = "mailclerk" in names
    rows = [("cold ingest (s)", "ingest_s", "s"), ("ingest rate (msg/s)", "rate", ""),
            ("no-op re-index (s)", "noop_s", "s"), ("index size (MB)", "size_mb", ""),
            ("ingest peak RSS (MB)", "rss_mb", "")]
    for qname, _ in QUERIES:
        rows.append(("search: %s (ms)" % qname, ("q", qname), ""))
    rows.append(("search: mean of 5 (ms)", "search_mean_ms", ""))

    def get(n, key):
        r = results.get(n, {})
        if isinstance(key, tuple):
            return r.get("queries", {}).get(key[1], {}).get("mean_ms")
        return r.get(key)

    hdr = ["metric"] + names + (["mailclerk/" + o for o in others] if have_mc else [])
    lines = []
    for label, key, _ in rows:
        cells = [label] + [fmt(get(n, key)) for n in names]
        if have_mc:
            for o in others:
                mv, ov = get("mailclerk", key), get(o, key)
                cells.append("%.2fx" % (mv / ov) if mv is not None and ov else "-")
        lines.append(cells)
    hits = [["hits: " + qn] + [str(results[n]["queries"].get(qn, {}).get("hits", "-"))
                              for n in names] + (["" for _ in others] if have_mc else [])
            for qn, _ in QUERIES]

    widths = [max(len(str(c[i])) for c in [hdr] + lines + hits) for i in range(len(hdr))]

    def row(c):
        return "| " + " | ".join(str(x).ljust(w) for x, w in zip(c, widths)) + " |"
    title = ("corpus: %d messages, %d files (%d duplicate copies), %.1f MB, avg %.1f KB; "
             "seed %d; %d runs/query; page cache %s; TZ=UTC"
             % (info["messages"], info["files"], info["duplicate_copies"],
                info["total_bytes"] / 1e6, info["average_bytes"] / 1024, info["seed"],
                a.runs, "dropped before each ingest" if a.drop_caches else "warm"))
    out = [title, "", row(hdr), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [row(c) for c in lines] + [row(c) for c in hits]
    out.append("")
    out.append("ratios: mailclerk/other; below 1 is better for mailclerk, except msg/s.")
    for n in names:
        out.append("%s: %s" % (n, " ".join(results[n].get("ingest_out", "").split()[:30])
                               or "(ingest printed nothing)"))
    mcr = results.get("mailclerk", {})
    if floor and mcr.get("rate"):
        mairix = results.get("mairix", {}).get("rate")

        def against(rate):
            return "mailclerk's ingest %.0f msg/s = %.2fx it%s" % (
                mcr["rate"], mcr["rate"] / rate,
                "; mairix %.0f msg/s = %.2fx" % (mairix, mairix / rate) if mairix else "")
        out += ["", "floor: GMime parsing alone (gmime-floor.c: every file listed, read and "
                "parsed on %d threads, nothing else): %.2f s (%.2f s of CPU), %.0f msg/s; %s"
                % (floor["threads"], floor["seconds"], floor["cpu_s"], floor["rate"],
                   against(floor["rate"])),
                "floor with FTS5: GMime parsing and each message's subject, addresses and text "
                "parts into a contentless SQLite FTS5 table by one writer thread, nothing else "
                "(gmime-floor.c with a database): %.2f s (%.2f s of CPU: %.2f s on %d cores "
                "kept busy), %.0f msg/s; %s"
                % (floor["fts"]["seconds"], floor["fts"]["cpu_s"],
                   floor["fts"]["cpu_s"] / floor["threads"], floor["threads"], floor["fts"]["rate"],
                   against(floor["fts"]["rate"]))
                + ("; mairix's whole ingest took %.2f s" % results["mairix"]["ingest_s"]
                   if mairix else "")]
    if mcr.get("reindex_s") is not None:
        out += ["", "mailclerk reindex (every message read again after the ingest): %.2f s, "
                "%.2fx the cold ingest (target 1.20x)" % (mcr["reindex_s"], mcr["reindex_ratio"]),
                mcr["reindex_out"]]
    if filing:
        out += ["", "filing with %d clients (%d rules, 12 projects), medians of %d runs:"
                % (filing["clients"], filing["rules"], filing["runs"]),
                "| metric | mailclerk |", "|---|---|",
                "| ingest, no clients (s) | %.2f |" % filing["ingest_plain_s"],
                "| ingest, %d clients (s) | %.2f |" % (filing["clients"],
                                                      filing["ingest_filed_s"]),
                "| filing overhead | %+.1f %% |" % filing["overhead_pct"],
                "| messages filed | %d of %d |" % (filing["filed"], info["messages"]),
                "| reclassify (s) | %.2f |" % filing["reclassify_s"]]
        out += ["| %s (ms) | %s |" % (k, fmt(v)) for k, v in filing["views_ms"].items()]
        out += ["| attachments save --by-project '*' (s) | %.2f (%s) |"
                % (filing["save_s"], filing["save_s_summary"]),
                "| the same again (s) | %.2f (%s) |"
                % (filing["save_again_s"], filing["save_again_s_summary"])]
        out.append(filing["reclassify_out"])
    out += notes
    text = "\n".join(out)
    print(text)
    base = os.path.join(work, "results-%d" % a.n)
    with open(base + ".md", "w") as f:
        f.write(text + "\n")
    with open(base + ".json", "w") as f:
        json.dump({"corpus": info, "runs": a.runs, "results": results, "filing": filing,
                   "floor": floor,
                   "notes": notes,
                   "tools": {t.name: t.exe for t in tools}}, f, indent=1)
    log("saved %s.md and %s.json" % (base, base))


if __name__ == "__main__":
    main()
