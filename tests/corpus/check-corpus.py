#!/usr/bin/env python3
"""Parse every file of the sample corpus with Python's email package and check
README.md against it.

  python3 tests/corpus/check-corpus.py          # verify README.md, exit 1 on mismatch
  python3 tests/corpus/check-corpus.py --print  # print what was parsed

Checked per README row: Message-ID, decoded Subject, From address, UTC date,
and that the row's search word occurs in the decoded text of that message and
of no other one (a PDF attachment's text counts: the strings its content
streams show, uncompressed or Flate).  Also checked: the totals, the attachment table and that the
words listed as "must not match" appear in no extracted text.
Header decoding: raw 8-bit headers are read as UTF-8 if valid, else
windows-1252; RFC 2047 words are decoded; iso-8859-1 text is read as
windows-1252 (as browsers and GMime do); an unknown charset falls back to
UTF-8.  A missing or unparsable Date falls back to the topmost Received.
"""
import email
import email.header
import email.policy
import email.utils
import html
import os
import re
import sys
import zlib
from datetime import timezone

HERE = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------- parsing ---
def raw_headers(data):
    """Unfolded (name, raw bytes value) pairs of the top-level header."""
    data = data.replace(b"\r\n", b"\n")
    head = data.split(b"\n\n", 1)[0]
    out = []
    for line in head.split(b"\n"):
        if line[:1] in (b" ", b"\t") and out:
            out[-1][1] += b" " + line.strip()  # unfold: CRLF + WSP -> WSP
        elif b":" in line:
            k, v = line.split(b":", 1)
            out.append([k.decode("ascii").strip().lower(), v.strip()])
    return out


def decode_raw(v):
    if isinstance(v, str):
        v = v.encode("utf-8", "surrogateescape")
    try:
        s = v.decode("utf-8")
    except UnicodeDecodeError:
        s = v.decode("cp1252", "replace")
    if "=?" in s:
        parts = email.header.decode_header(s)
        s = "".join(p.decode(c or "ascii", "replace") if isinstance(p, bytes) else p
                    for p, c in parts)
    return s


def header(hs, name):
    for k, v in hs:
        if k == name:
            return decode_raw(v)
    return None


def msg_date(hs):
    d = header(hs, "date")
    if d:
        try:
            dt = email.utils.parsedate_to_datetime(d)
            if dt and dt.tzinfo:
                return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), "Date"
        except (TypeError, ValueError, IndexError):
            pass
    rec = header(hs, "received")
    if rec and ";" in rec:
        dt = email.utils.parsedate_to_datetime(rec.rsplit(";", 1)[1].strip())
        return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), "Received"
    return "none", None


CHARSET_FIX = {"iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252"}


def part_text(part):
    ctype = part.get_content_type()
    payload = part.get_payload(decode=True)
    if payload is None:
        return ""
    cs = (part.get_content_charset() or "us-ascii").lower()
    cs = CHARSET_FIX.get(cs, cs)
    try:
        text = payload.decode(cs, "replace")
    except LookupError:  # x-unknown and friends
        text = payload.decode("utf-8", "replace")
    if ctype == "text/html":
        text = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", text)
        text = html.unescape(re.sub(r"(?s)<[^>]*>", " ", text))
    return text


def pdf_text(data):
    """The strings a PDF's content streams show with Tj, Flate undone: what
    poppler extracts from the simple PDFs of this corpus.  Streams that do
    not inflate (the PDF-like random bytes of #16 and #23) give nothing."""
    out = []
    for m in re.finditer(rb"<<([^>]*)>>\s*stream\r?\n(.*?)\r?\nendstream", data, re.S):
        body = m.group(2)
        if b"/FlateDecode" in m.group(1):
            try:
                body = zlib.decompress(body)
            except zlib.error:
                continue
        for s in re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", body):
            out.append(s.decode("latin-1"))
    return "\n".join(out)


def is_attachment(part):
    return (part.get_content_disposition() == "attachment" or
            (part.get_filename() is not None and not part.is_multipart()))


def analyse(data):
    hs = raw_headers(data)
    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    texts, atts = [], []
    for part in msg.walk():
        if part.get_content_maintype() == "multipart":
            if isinstance(part.get_payload(), str):  # boundary never appears
                texts.append(part.get_payload())
            continue
        fn = part.get_filename()
        if fn is not None:
            fn = decode_raw(fn)
            raw = part.get_payload(decode=True) or b""
            atts.append((fn, part.get_content_type(), len(raw),
                         (part.get("Content-ID") or "").strip("<>")))
        if part.get_content_maintype() == "text":
            texts.append(part_text(part))
        elif part.get_content_type() == "application/pdf":
            texts.append(pdf_text(part.get_payload(decode=True) or b""))
    mid = header(hs, "message-id")
    frm = header(hs, "from") or ""
    date, date_src = msg_date(hs)
    return {
        "mid": mid.strip().strip("<>") if mid else "none",
        "subject": header(hs, "subject") or "",
        "from": email.utils.parseaddr(frm)[1],
        "date": date, "date_src": date_src,
        "text": "\n".join(texts),
        "atts": atts,
        "defects": [type(d).__name__ for p in msg.walk() for d in p.defects],
    }


def looks_like_mail(data):
    return re.match(rb"[!-9;-~]+:", data[:200]) is not None


def mboxrd_split(data):
    msgs, cur = [], None
    for line in data.split(b"\n")[:-1]:
        if line.startswith(b"From "):
            cur = []
            msgs.append(cur)
            continue
        if re.match(rb">+From ", line):
            line = line[1:]
        cur.append(line)
    out = []
    for lines in msgs:
        if lines and lines[-1] == b"":
            lines = lines[:-1]  # the separator blank line
        out.append(b"\n".join(lines) + b"\n")
    return out


def corpus():
    """(path as listed, analysis or None for not-mail, folder key)."""
    items = []
    for folder in ("maildir", "mbox", "eml"):
        base = os.path.join(HERE, folder)
        for root, dirs, files in os.walk(base):
            dirs.sort()
            for f in sorted(files):
                if f.startswith("."):
                    continue
                path = os.path.join(root, f)
                rel = os.path.relpath(path, HERE)
                data = open(path, "rb").read()
                if folder == "mbox":
                    for i, m in enumerate(mboxrd_split(data), 1):
                        items.append(("%s #%d" % (rel, i), analyse(m), rel, m))
                elif looks_like_mail(data):
                    items.append((rel, analyse(data), rel, data))
                else:
                    items.append((rel, None, rel, data))
    return items


# ------------------------------------------------------------------ README ---
def cell(s):
    s = s.strip()
    if s.startswith("`") and s.endswith("`"):
        s = s[1:-1]
    return s


RAW_WORD = {}


def readme_rows():
    rows, section = [], None
    for line in open(os.path.join(HERE, "README.md"), encoding="utf-8"):
        if line.startswith("#"):
            section = line.strip("# \n").lower()
        if not line.startswith("|") or line.startswith("|--") or line.startswith("| --"):
            continue
        cells = [c for c in re.split(r"(?<!\\)\|", line.rstrip("\n"))[1:-1]]
        if len(cells) == 8:
            RAW_WORD[cells[0].strip()] = cells[7]
        cells = [cell(c.replace("\\|", "|")) for c in cells]
        if cells[0] in ("#", "path", "word", "where"):
            continue
        rows.append((section, cells))
    return rows


def words(text):
    return set(w.lower() for w in re.findall(r"\w+", text))


def has_word(a, w):
    """ASCII words match whole tokens; CJK words match as substrings."""
    if w.isascii():
        return w.lower() in words(a["text"]) or w.lower() in words(a["subject"])
    return w in a["text"] or w in a["subject"]


def main():
    items = corpus()
    if "--print" in sys.argv:
        for path, a, _, _ in items:
            if a is None:
                print("%s\tNOT MAIL" % path)
                continue
            print("%s\t%s\t%s\t%s\t%s(%s)\t%s\t%s" % (
                path, a["mid"], a["subject"], a["from"], a["date"], a["date_src"],
                a["atts"], sorted(set(a["defects"]))))
        return 0

    errors = []
    by_path = {p: a for p, a, _, _ in items}
    rows = readme_rows()
    raw_word = RAW_WORD
    msg_rows = [c for s, c in rows if s and s.startswith("messages")]
    att_rows = [c for s, c in rows if s and s.startswith("attachments")]
    neg_rows = [c for s, c in rows if s and s.startswith("words that must not")]

    listed = set()
    for c in msg_rows:
        num, path, mid, subj, frm, date, shape, word = c[:8]
        for p in path.split("<br>"):
            p = p.strip("`")
            listed.add(p)
            a = by_path.get(p)
            if p not in by_path:
                errors.append("README lists missing file %s" % p)
                continue
            if a is None:
                if mid != "-":
                    errors.append("%s: not mail but README gives a Message-ID" % p)
                continue
            for key, want in (("mid", mid), ("subject", subj), ("from", frm), ("date", date)):
                got = a[key]
                if key == "date" and want.endswith(")"):
                    want = want.split(" (")[0]
                if got != want:
                    errors.append("%s: %s is %r, README says %r" % (p, key, got, want))
            for w in re.findall(r"`([^`]+)`", raw_word[num]) or [word]:
                if w == "-":
                    continue
                if not has_word(a, w):
                    errors.append("%s: word %r not found" % (p, w))
                others = [q for q, b, _, _ in items
                          if b is not None and q != p and b["mid"] != a["mid"] and
                          has_word(b, w)]
                if others:
                    errors.append("%s: word %r also in %s" % (p, w, others))
    for p in by_path:
        if p not in listed:
            errors.append("file %s is not in README" % p)

    want_atts = {}
    for c in att_rows:
        want_atts.setdefault(cell(c[0]), []).append((c[1], c[2], int(c[3]), c[4] if c[4] != "-" else ""))
    got_atts = {p: a["atts"] for p, a in by_path.items() if a and a["atts"]}
    for p in sorted(set(want_atts) | set(got_atts)):
        # the duplicate copy is listed once in the attachments table
        if sorted(want_atts.get(p, [])) != sorted(got_atts.get(p, [])):
            errors.append("attachments of %s: parsed %r, README %r" %
                          (p, got_atts.get(p), want_atts.get(p)))

    for c in neg_rows:
        w = c[0].lower()
        hits = [p for p, a in by_path.items() if a and w in words(a["text"])]
        if hits:
            errors.append("word %r must not be in extracted text but is in %s" % (w, hits))

    mails = [a for a in by_path.values() if a is not None]
    distinct = len(set(a["mid"] if a["mid"] != "none" else id(a) for a in mails))
    files = len({rel for _, _, rel, _ in items})
    print("files: %d, messages (incl. copies): %d, distinct: %d, not mail: %d" %
          (files, len(mails), distinct, sum(1 for a in by_path.values() if a is None)))
    m = re.search(r"\*\*corpus total\*\* \| \*\*(\d+)\*\* \| \*\*(\d+) messages\*\* \| \*\*(\d+)\*\*",
                  open(os.path.join(HERE, "README.md"), encoding="utf-8").read())
    if not m or (int(m[1]), int(m[2]), int(m[3])) != (files, len(mails), distinct):
        errors.append("README totals row %s does not say %d files, %d messages, %d distinct"
                      % (m and m.groups(), files, len(mails), distinct))
    for e in errors:
        print("MISMATCH:", e)
    print("%d mismatches" % len(errors))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
