#!/usr/bin/env python3
"""Hostile and ordinary PDF mail for tests/cli/hostile.sh.

gen-pdf-mail.py crowd DIR  -- DIR/{crowded,plain,twice}:2,S: PDFs with a page
                              of 20,000 lines laid over one another (85 KB;
                              poppler took 426 MB on it), and an ordinary one
gen-pdf-mail.py bomb FILE  -- FILE: one PDF whose page is megabytes of
                              operators that draw nothing (seconds of CPU)
"""
import base64
import sys
import zlib

WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet".split()


def page(text):
    return b"BT /F1 10 Tf 20 700 Td (" + text.encode() + b") Tj ET"


def pdf(contents, level=9):
    """A PDF of one page per content stream (bytes), Helvetica as /F1."""
    n = len(contents)
    kids = b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(n))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n)]
    for i, c in enumerate(contents):
        z = zlib.compress(c, level)
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] /Contents %d 0 R "
                    b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + 2 * i, 3 + 2 * n))
        objs.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(z) + z + b"\nendstream")
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out, offs = b"%PDF-1.4\n", []
    for k, o in enumerate(objs):
        offs.append(len(out))
        out += b"%d 0 obj\n" % (k + 1) + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offs)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)


def write_mail(path, name, word, files):
    """A message NAME whose text is WORD, with FILES: (file name, PDF bytes)."""
    parts = "".join("--B\nContent-Type: application/pdf; name=%s.pdf\n"
                    "Content-Transfer-Encoding: base64\n\n%s" % (f, base64.encodebytes(b).decode())
                    for f, b in files)
    with open(path, "w") as out:
        out.write("From: a@hostile.example\nTo: b@studio.example\nSubject: %s\n"
                  "Message-ID: <%s@hostile.example>\nDate: Mon, 01 Jan 2024 00:00:00 +0000\n"
                  "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=B\n\n"
                  "--B\nContent-Type: text/plain\n\n%s\n%s--B--\n" % (name, name, word, parts))


def crowd(folder):
    lines = b"\n".join(b"BT /F1 10 Tf 20 %d Td (%s %d) Tj ET"
                       % (800 - (k % 70) * 11, " ".join(WORDS[(k + j) % 10] for j in range(8)).encode(), k)
                       for k in range(20000))
    crowded = pdf([page("before the crowd: zorbpdfone"), lines, page("after it: zorbpdfthree")])
    for name, files in (("crowded", [("crowded", crowded)]),
                        ("plain", [("plain", pdf([page("an ordinary page: zorbpdfplain")]))]),
                        ("twice", [("first", crowded),
                                   ("second", pdf([page("never read: zorbpdfsecond")]))])):
        write_mail("%s/%s:2,S" % (folder, name), name, "zorbpdfmail", files)


def bomb(path):
    nothing = b"q 1 0 0 1 0 0 cm Q\n" * 50000 * 300
    write_mail(path, "bomb", "zorbbomb", [("bomb", pdf([nothing], level=1))])


if __name__ == "__main__":
    {"crowd": crowd, "bomb": bomb}[sys.argv[1]](sys.argv[2])
