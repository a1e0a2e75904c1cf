#!/usr/bin/env python3
"""How far mailclerk's attachments agree with an independent parser.

    contrib/bench/attachments-agree.py [--mailclerk PATH] [-v] PATH...

Each PATH is a Maildir (a folder with cur/ or new/), an mbox file (it starts
with "From "), a single message, or a folder of such files (walked). Every
message is ingested by the mailclerk given (its mailclerk-mail beside it) into
a temporary index with an empty configuration; then the attachments of each
message come from `search --format=json '*'` (those that are attachments by
mailclerk's rule), and the same messages are read with Python's `email`
package, which applies the rule of ingest/parse.h on its own:

- a leaf part with a file name (Content-Disposition filename or
  Content-Type name, RFC 2231 and 2047 decoded) is an attachment whatever its
  disposition, except
- parts whose Content-ID the HTML of their multipart/related (its own HTML
  parts and those of its multipart/alternative children) refers to by cid:,
- signatures (application/pgp-signature, application/pkcs7-signature,
  application/x-pkcs7-signature) and any part after the first of a
  multipart/signed,
- the parts of a multipart/encrypted, an S/MIME body (application/pkcs7-mime
  as a message's whole body), a message/external-body (a pointer to a file
  elsewhere),
- report status parts (message/delivery-status, message/disposition-
  notification, text/rfc822-headers and their global forms).

Per message, the multisets of file names (a name cut to its last path
component, as mailclerk keeps it) are compared; it prints
"N of M named attachments agree (P %)", where M counts the names either side
has (the larger count of each name) and N those both have, then every
message that disagrees. Nameless attachments are not compared. mbox files
are split with Python's mailbox module first, so that each message is a file
of its own on both sides. Standard library only.
"""
import argparse
import collections
import email
import email.header
import email.policy
import json
import mailbox
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse

SIGNATURES = {"application/pgp-signature", "application/pkcs7-signature",
              "application/x-pkcs7-signature"}
REPORTS = {"message/delivery-status", "message/global-delivery-status",
           "message/disposition-notification", "message/global-disposition-notification",
           "text/rfc822-headers", "message/global-headers"}
SMIME = {"application/pkcs7-mime", "application/x-pkcs7-mime"}
CID = re.compile(rb"(?i)cid:([^\"'<>() \t\r\n\x00]{1,998})")
MAX_DEPTH = 64


def clean_name(name):
    # Raw 8-bit bytes in a header: UTF-8 when they are, else windows-1252.
    if any("\udc80" <= c <= "\udcff" for c in name):
        raw = name.encode("utf-8", "surrogateescape")
        try:
            name = raw.decode("utf-8")
        except UnicodeDecodeError:
            name = raw.decode("cp1252", "replace")
    if "=?" in name:
        try:
            name = str(email.header.make_header(email.header.decode_header(name)))
        except Exception:
            pass
    name = " ".join(name.replace("\\", "/").split("/")[-1].split())
    return "" if name in (".", "..") else name


def html_cids(part, cids):
    if part.is_multipart() or part.get_content_type() != "text/html":
        return
    if part.get_content_disposition() == "attachment":
        return
    data = (part.get_payload(decode=True) or b"")[:1 << 20]
    for m in CID.finditer(data):
        raw = m.group(1).decode("latin-1")
        cids.add(urllib.parse.unquote(raw, encoding="latin-1").lower())


def related_cids(related):
    cids = set()
    for child in related.get_payload():
        if not child.is_multipart():
            html_cids(child, cids)
        elif child.get_content_type() == "multipart/alternative":
            for k in child.get_payload():
                html_cids(k, cids)
    return cids


def content_id(part):
    cid = part.get("Content-ID")
    if cid is None:
        return ""
    cid = str(cid).strip()
    if cid.startswith("<"):
        cid = cid[1:].split(">", 1)[0]
    return cid.strip().lower()


def walk(part, hidden, cids, out, depth):
    if depth > MAX_DEPTH:
        return
    ctype = part.get_content_type()
    if ctype in REPORTS or ctype in SIGNATURES or ctype == "message/external-body":
        return
    if part.is_multipart():
        kids = part.get_payload()
        if not isinstance(kids, list):
            return
        if ctype.startswith("message/"):
            for inner in kids:
                walk_message(inner, hidden, cids, out, depth + 1)
        elif ctype == "multipart/encrypted":
            for k in kids:
                walk(k, True, cids, out, depth + 1)
        elif ctype == "multipart/signed":
            for i, k in enumerate(kids):
                walk(k, hidden or i > 0, cids, out, depth + 1)
        elif ctype == "multipart/related":
            inner = cids | related_cids(part)
            for k in kids:
                walk(k, hidden, inner, out, depth + 1)
        else:
            for k in kids:
                walk(k, hidden, cids, out, depth + 1)
        return
    if hidden or (cids and content_id(part) in cids):
        return
    name = part.get_filename()
    if name and name.strip():
        name = clean_name(name)
        if name:
            out.append(name)


def walk_message(msg, hidden, cids, out, depth):
    if not msg.is_multipart() and msg.get_content_type() in SMIME:
        hidden = True
    walk(msg, hidden, cids, out, depth)


def message_id(path):
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    mid = msg.get("Message-ID")
    mid = str(mid).strip().strip("<>").strip() if mid is not None else ""
    return mid or None


def python_names(path):
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    out = []
    walk_message(msg, False, set(), out, 0)
    return out


def message_files(paths, split_dir):
    """Every message file under PATHS, mbox files split into SPLIT_DIR."""
    files = []
    n_split = 0

    def add_file(p):
        nonlocal n_split
        with open(p, "rb") as f:
            head = f.read(5)
        if head == b"From ":
            box = mailbox.mbox(p, create=False)
            for key in box.keys():
                n_split += 1
                out = os.path.join(split_dir, "%06d.eml" % n_split)
                with open(out, "wb") as f:
                    f.write(box.get_bytes(key))
                files.append(out)
        else:
            files.append(p)

    for p in paths:
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p):
                dirs.sort()
                dirs[:] = [d for d in dirs if d != "tmp"]
                for n in sorted(names):
                    if not n.startswith("."):
                        add_file(os.path.join(root, n))
        else:
            add_file(p)
    return [os.path.realpath(f) for f in files]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mailclerk", default=None, help="the mailclerk binary")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="also list the messages that agree")
    ap.add_argument("paths", nargs="+")
    args = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    mc = args.mailclerk or os.path.join(here, "..", "..", "mailclerk")
    if not os.path.exists(mc):
        mc = "mailclerk"

    with tempfile.TemporaryDirectory(prefix="attachments-agree.") as tmp:
        split = os.path.join(tmp, "split")
        os.mkdir(split)
        files = message_files(args.paths, split)
        conf = os.path.join(tmp, "config")
        open(conf, "w").close()
        env = dict(os.environ, HOME=tmp, XDG_CONFIG_HOME=tmp, XDG_DATA_HOME=tmp, TZ="UTC")
        # mailclerk keeps one parse per Message-ID: files that share one
        # (test sets reuse them) go into indexes of their own, so that
        # every file is compared with its own parse.
        rounds = []
        for f in files:
            mid = message_id(f)
            for r in rounds:
                if mid is None or mid not in r[0]:
                    break
            else:
                r = (set(), [])
                rounds.append(r)
            if mid is not None:
                r[0].add(mid)
            r[1].append(f)
        ours = {}
        seen = set()
        for k, (_, batch) in enumerate(rounds):
            base = [mc, "--config", conf, "--db", os.path.join(tmp, "index-%d.db" % k)]
            for i in range(0, len(batch), 500):
                r = subprocess.run(base + ["ingest", "--file"] + batch[i:i + 500], env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                if r.returncode not in (0, 1):
                    sys.exit("mailclerk ingest failed (%d): %s" % (r.returncode, r.stderr))
            r = subprocess.run(base + ["search", "--format=json", "*"], env=env,
                               stdout=subprocess.PIPE, check=True)
            for m in json.loads(r.stdout):
                fs = [os.path.realpath(f) for f in m["files"]]
                names = [a["filename"] for a in m["attachments"] if a["filename"]]
                for f in fs:
                    ours[f] = names
                seen.update(fs)

        agree = total = 0
        bad = []
        compared = 0
        for f in files:
            try:
                theirs = python_names(f)
            except Exception as e:  # the independent side failed: say so
                theirs = ["(python: %s)" % e]
            mine = ours.get(f, [])
            compared += 1
            a, b = collections.Counter(theirs), collections.Counter(mine)
            both = sum((a & b).values())
            either = sum((a | b).values())
            agree += both
            total += either
            label = f if not f.startswith(split) else "mbox message " + os.path.basename(f)
            if both != either:
                bad.append((label, sorted(theirs), sorted(mine), f in seen))
            elif args.verbose and either:
                print("agree: %s: %s" % (label, sorted(mine)))
        pct = 100.0 * agree / total if total else 100.0
        missing = sorted(set(files) - seen)
        print("%d files, %d of them indexed by mailclerk (in %d indexes: a Message-ID "
              "given to several files makes more)" % (compared, compared - len(missing),
                                                     len(rounds)))
        if args.verbose:
            for f in missing:
                print("not indexed: %s" % f)
        print("%d of %d named attachments agree (%.1f %%)" % (agree, total, pct))
        for label, theirs, mine, indexed in bad:
            print("differs: %s%s" % (label, "" if indexed else " (not indexed by mailclerk)"))
            print("  python email: %s" % theirs)
            print("  mailclerk:    %s" % mine)


if __name__ == "__main__":
    main()
