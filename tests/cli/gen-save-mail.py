#!/usr/bin/env python3
"""Writes the mail tests/cli/save.sh saves attachments from, into DIR:

  encodings.mbox  one message with the same kind of payload in base64,
                  quoted-printable and uuencode, plus the payloads themselves
                  as payload-<cte>.bin for comparison
  dedupe.mbox     three messages: the same bytes twice, then other bytes
                  under the same file name
  hostile.mbox    one message with one attachment per hostile file name
                  (hostile.tsv: how each name is written, and the name it
                  must be saved as, <h8> standing for the content's hash)

Names go into Content-Disposition as written in hostile.tsv: plain
(filename="..."), RFC 2231 (filename*=...) or RFC 2047 (filename="=?...?=").
"""
import base64, binascii, hashlib, os, quopri, random, sys

out = sys.argv[1]
rng = random.Random(7)


def msg(mid, date, subject, parts):
    lines = [
        "From sender@example.org Mon Jan  1 00:00:00 2024",
        "From: Sender <sender@example.org>",
        "To: sam@studio.example",
        f"Subject: {subject}",
        f"Date: {date}",
        f"Message-ID: <{mid}>",
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="BOUNDARY"',
        "",
        "--BOUNDARY",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "See attached.",
    ]
    for headers, body in parts:
        lines += ["--BOUNDARY"] + headers + [""] + body.rstrip("\n").split("\n")
    lines += ["--BOUNDARY--", ""]
    # mboxrd: a body line starting with From gets a '>'
    return "\n".join(l if not l.startswith("From ") or i == 0 else ">" + l
                     for i, l in enumerate(lines)) + "\n"


def b64(data):
    return base64.encodebytes(data).decode()


def uuencode(data, name):
    body = [f"begin 644 {name}"]
    for i in range(0, len(data), 45):
        body.append(binascii.b2a_uu(data[i:i + 45]).decode().rstrip("\n"))
    body += ["`", "end"]
    return "\n".join(body)


# Encodings: binary payloads (every byte value), one per transfer encoding.
payloads = {cte: bytes(rng.randrange(256) for _ in range(3000)) for cte in ("base64", "uuencode")}
# Quoted-printable carries text-like bytes with some high and control bytes.
payloads["qp"] = ("Zeile mit Umlauten: äöü =, tabs\tand trailing space \n" * 40).encode() + bytes(range(0, 256))
for cte, data in payloads.items():
    open(os.path.join(out, f"payload-{cte}.bin"), "wb").write(data)
parts = [
    (["Content-Type: application/octet-stream", 'Content-Disposition: attachment; filename="b64.bin"',
      "Content-Transfer-Encoding: base64"], b64(payloads["base64"])),
    (["Content-Type: application/octet-stream", 'Content-Disposition: attachment; filename="qp.bin"',
      "Content-Transfer-Encoding: quoted-printable"], quopri.encodestring(payloads["qp"]).decode("ascii")),
    (["Content-Type: application/octet-stream", 'Content-Disposition: attachment; filename="uu.bin"',
      "Content-Transfer-Encoding: x-uuencode"], uuencode(payloads["uuencode"], "uu.bin")),
]
open(os.path.join(out, "encodings.mbox"), "w").write(
    msg("enc@example.org", "Tue, 02 Jan 2024 10:00:00 +0000", "encodings", parts))
# The base64 text alone, for `base64 -d`.
open(os.path.join(out, "b64.txt"), "w").write(b64(payloads["base64"]))

# Dedupe: contract.pdf twice with the same bytes, then different bytes.
same = b"%PDF-1.4 same contract bytes\n" + bytes(200)
other = b"%PDF-1.4 a different contract\n" + bytes(100)
pdf = lambda data: (["Content-Type: application/pdf", 'Content-Disposition: attachment; filename="contract.pdf"',
                     "Content-Transfer-Encoding: base64"], b64(data))
open(os.path.join(out, "dedupe.mbox"), "w").write(
    msg("d1@example.org", "Wed, 03 Jan 2024 10:00:00 +0000", "contract v1", [pdf(same)]) +
    msg("d2@example.org", "Wed, 03 Jan 2024 11:00:00 +0000", "Fwd: contract v1", [pdf(same)]) +
    msg("d3@example.org", "Wed, 03 Jan 2024 12:00:00 +0000", "contract v2", [pdf(other)]))
open(os.path.join(out, "same.pdf"), "wb").write(same)
open(os.path.join(out, "other.pdf"), "wb").write(other)

# Hostile names: (how it is written, the name, expected saved name).
# Indexing already turns control characters into spaces (ingest/parse.c);
# saving drops what is left of them.
hostile = [
    ("plain", "../../x.txt", "x.txt"),
    ("plain", "/etc/passwd", "passwd"),
    ("plain", "..", "attachment-<h8>.bin"),
    ("plain", ".", "attachment-<h8>.bin"),
    ("plain", "", "attachment-<h8>.bin"),
    ("plain", "a/../../b.txt", "b.txt"),
    ("plain", "back\\\\slash\\\\name.txt", "name.txt"),
    ("plain", "C:\\\\x.doc", "x.doc"),
    ("plain", "~/.ssh/authorized_keys", "authorized_keys"),
    ("plain", "nested/dir/", "attachment-<h8>.bin"),
    ("2231", "nul%00byte.txt", "nul"),  # the name ends at the NUL
    ("2231", "%1B[31mred.txt", "[31mred.txt"),
    ("2231", "invoice%E2%80%AEtxt.exe", "invoicetxt.exe"),
    ("2231", "iso%E2%81%A6late%E2%81%A9.txt", "isolate.txt"),
    ("2231", "line%0D%0Abreak.txt", "line break.txt"),
    ("2231", "tab%09name.txt", "tab name.txt"),
    ("2231", "del%7Fname.txt", "del name.txt"),
    ("2231", "csi%C2%9Bname.txt", "csi name.txt"),
    ("2231", "%EF%BB%BFbom.txt", "bom.txt"),
    ("2231", "dir%2Fslashed.txt", "slashed.txt"),
    ("2231", "caf%C3%A9.txt", "café.txt"),
    ("2231", "cafe%CC%81.txt", "café (2).txt"),
    ("2047", "=?utf-8?B?" + base64.b64encode(b"../../etc/shadow").decode() + "?=", "shadow"),
    ("plain", "a" * 296 + ".pdf", "a" * 251 + ".pdf"),
    ("2231", "%C3%A9" * 498 + ".txt", "é" * 125 + ".txt"),
    ("plain", "-rf.txt", "rf.txt"),
    ("plain", "--help", "help"),
    ("plain", ".bashrc", "bashrc"),
    ("plain", "...hidden.txt", "hidden.txt"),
    ("plain", "-.-.", "attachment-<h8>.bin"),
    ("plain", "Report.pdf", "Report.pdf"),
    ("plain", "report.pdf", "report (2).pdf"),
    ("plain", "   leading spaces.txt", "leading spaces.txt"),
    ("plain", "evil.txt", "evil (2).txt"),  # a symlink named evil.txt is planted first
    ("plain", "x.txt", "x (2).txt"),        # the same name as the first case, other bytes
]
parts, rows = [], []
for i, (how, name, want) in enumerate(hostile):
    data = f"hostile case {i}: {name!r}\n".encode()
    h8 = hashlib.sha256(data).hexdigest()[:8]
    if how == "plain":
        disp = f'Content-Disposition: attachment; filename="{name}"'
    elif how == "2047":
        disp = f'Content-Disposition: attachment; filename="{name}"'
    else:
        disp = f"Content-Disposition: attachment; filename*=utf-8''{name}"
    parts.append((["Content-Type: application/octet-stream", disp, "Content-Transfer-Encoding: base64"], b64(data)))
    rows.append((i, want.replace("<h8>", h8)))
open(os.path.join(out, "hostile.mbox"), "w").write(
    msg("hostile@example.org", "Thu, 04 Jan 2024 10:00:00 +0000", "hostile names", parts))
with open(os.path.join(out, "hostile.tsv"), "w") as f:
    for i, want in rows:
        f.write(f"{i}\t{want}\n")
