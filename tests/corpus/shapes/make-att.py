#!/usr/bin/env python3
"""Write tests/corpus/shapes/att-*.eml: what an attachment is (issue 12).

Each message is one shape real mailers send (Apple Mail's inline files, a
newsletter's cid: images, a bounce, PGP/MIME, S/MIME) with its own made-up
search word. Deterministic: no clock, no randomness; the output is committed.
Run from anywhere:  python3 tests/corpus/shapes/make-att.py
"""
import base64
import hashlib
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def b64(data, width=76):
    s = base64.b64encode(data).decode("ascii")
    return "\n".join(s[i:i + width] for i in range(0, len(s), width)) + "\n"


def blob(tag, n):
    """N bytes that look like nothing in particular, the same every run."""
    out = b""
    i = 0
    while len(out) < n:
        out += hashlib.sha256(b"%s %d" % (tag.encode(), i)).digest()
        i += 1
    return out[:n]


PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + blob("contract", 600) + b"\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + blob("photo", 900) + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n" + blob("logo", 200)
BANNER = b"\xff\xd8\xff\xe0" + blob("banner", 300) + b"\xff\xd9"
REPORT = b"%PDF-1.4\n" + blob("report", 400) + b"\n%%EOF\n"
INVOICE = b"%PDF-1.4\n" + blob("invoice", 500) + b"\n%%EOF\n"
SCAN = b"%PDF-1.4\n" + blob("scan", 300) + b"\n%%EOF\n"


def head(n, subject, frm, date):
    return ("From: %s\nTo: Sam Studio <sam@studio.example>\nSubject: %s\n"
            "Date: %s\nMessage-ID: <att-%02d@shapes.example>\nMIME-Version: 1.0\n"
            % (frm, subject, date, n))


MESSAGES = {}

# 1. Apple Mail: a PDF sent inline with a file name.
MESSAGES["att-apple-inline-pdf.eml"] = head(
    1, "Signed contract", "Lena Fischer <lena@acme.example>",
    "Tue, 14 May 2024 10:02:00 +0200") + """\
Content-Type: multipart/mixed; boundary="Apple-Mail=_A1"

--Apple-Mail=_A1
Content-Transfer-Encoding: 7bit
Content-Type: text/plain; charset=us-ascii

Here is the vorplindash contract, signed.

--Apple-Mail=_A1
Content-Disposition: inline; filename=contract-signed.pdf
Content-Type: application/pdf; x-unix-mode=0644; name="contract-signed.pdf"
Content-Transfer-Encoding: base64

""" + b64(PDF) + """\
--Apple-Mail=_A1
Content-Transfer-Encoding: 7bit
Content-Type: text/plain; charset=us-ascii

Best, Lena

--Apple-Mail=_A1--
"""

# 2. A patch sent inline with a name (git format-patch through a mail client).
MESSAGES["att-inline-patch.eml"] = head(
    2, "[PATCH] fix the footer", "Bob Martin <bob@acme.example>",
    "Wed, 15 May 2024 08:30:00 +0000") + """\
Content-Type: multipart/mixed; boundary="p"

--p
Content-Type: text/plain; charset=utf-8

The quenderwick fix, inline.

--p
Content-Type: text/x-patch; charset=utf-8; name="0001-fix.patch"
Content-Disposition: inline; filename="0001-fix.patch"
Content-Transfer-Encoding: 7bit

From 1a2b3c Mon Sep 17 00:00:00 2001
Subject: [PATCH] footer: zabrinocle spacing

--- a/footer.html
+++ b/footer.html
@@ -1 +1 @@
-<p>old</p>
+<p>new</p>

--p--
"""

# 3. A photo sent inline with a name (and a Content-ID, as Apple Mail does),
# in a multipart/mixed: no HTML shows it by cid, so it is a file.
MESSAGES["att-inline-photo.eml"] = head(
    3, "Photo from the site", "Carol Nguyen <carol@acme.example>",
    "Thu, 16 May 2024 12:00:00 +0000") + """\
Content-Type: multipart/mixed; boundary="Apple-Mail=_B2"

--Apple-Mail=_B2
Content-Type: text/plain; charset=us-ascii

The throssleby wall, as promised.

--Apple-Mail=_B2
Content-Disposition: inline; filename="IMG_2041.jpg"
Content-Type: image/jpeg; name="IMG_2041.jpg"
Content-Id: <8F3B0C7E-2041@shapes.example>
Content-Transfer-Encoding: base64

""" + b64(JPEG) + """\
--Apple-Mail=_B2--
"""

# 4. An HTML file sent inline with a name: a file, and its text is read.
MESSAGES["att-inline-html.eml"] = head(
    4, "The test page", "Dana Whitfield <dana@globex.example>",
    "Fri, 17 May 2024 09:15:00 -0500") + """\
Content-Type: multipart/mixed; boundary="h"

--h
Content-Type: text/plain; charset=utf-8

The page I mentioned (plimvaster).

--h
Content-Type: text/html; charset=utf-8; name="test.html"
Content-Disposition: inline; filename="test.html"

<html><body><p>Test page with <b>brolliwink</b> in bold.</p></body></html>

--h--
"""

# 5. A newsletter: HTML showing two images by cid: in a multipart/related,
# and a real PDF attached beside it.
MESSAGES["att-newsletter.eml"] = head(
    5, "Globex news, May", "Globex News <news@globex.example>",
    "Mon, 20 May 2024 06:00:00 +0000") + """\
Content-Type: multipart/mixed; boundary="n1"

--n1
Content-Type: multipart/related; boundary="n2"; type="multipart/alternative"

--n2
Content-Type: multipart/alternative; boundary="n3"

--n3
Content-Type: text/plain; charset=utf-8

Globex news: the grendalope issue.

--n3
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

<html><body><img src=3D"cid:logo.png@globex.example" alt=3D"Globex">
<h1>Globex news: the grendalope issue.</h1>
<img src=3D"cid:banner@globex.example"></body></html>

--n3--

--n2
Content-Type: image/png; name="logo.png"
Content-Disposition: inline; filename="logo.png"
Content-ID: <logo.png@globex.example>
Content-Transfer-Encoding: base64

""" + b64(PNG) + """\
--n2
Content-Type: image/jpeg
Content-ID: <banner@globex.example>
Content-Transfer-Encoding: base64

""" + b64(BANNER) + """\
--n2--

--n1
Content-Type: application/pdf; name="report-may.pdf"
Content-Disposition: attachment; filename="report-may.pdf"
Content-Transfer-Encoding: base64

""" + b64(REPORT) + """\
--n1--
"""

# 6. A bounce: multipart/report with the delivery status and the message.
MESSAGES["att-bounce.eml"] = head(
    6, "Undelivered Mail Returned to Sender",
    "Mail Delivery System <MAILER-DAEMON@mx.studio.example>",
    "Tue, 21 May 2024 14:05:00 +0000") + """\
Auto-Submitted: auto-replied
Content-Type: multipart/report; report-type=delivery-status; boundary="bnc"

--bnc
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.studio.example (fennimuck).
Your message could not be delivered to one or more recipients.

--bnc
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.studio.example
Arrival-Date: Tue, 21 May 2024 14:04:58 +0000

Final-Recipient: rfc822; nobody-here@initech.example
Original-Recipient: rfc822;nobody-here@initech.example
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 user unknown

--bnc
Content-Description: Undelivered Message
Content-Type: message/rfc822

From: Sam Studio <sam@studio.example>
To: nobody-here@initech.example
Subject: Quote for the redesign
Date: Tue, 21 May 2024 14:04:50 +0000
Message-ID: <att-06-inner@studio.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

The quote you asked for.

--bnc--
"""

# 7. PGP/MIME signed.
MESSAGES["att-pgp-signed.eml"] = head(
    7, "Signed release notes", "Eve Santos <eve@initech.example>",
    "Wed, 22 May 2024 11:11:00 +0000") + """\
Content-Type: multipart/signed; micalg=pgp-sha256;
 protocol="application/pgp-signature"; boundary="sig"

--sig
Content-Type: text/plain; charset=utf-8

Release notes, olbrechtz edition.

--sig
Content-Type: application/pgp-signature; name="signature.asc"
Content-Description: OpenPGP digital signature
Content-Disposition: attachment; filename="signature.asc"

-----BEGIN PGP SIGNATURE-----

iHUEARYIAB0WIQSz8xlYkqNl2mXvN1a0b9dz2wqAbQUCZk3J5AAKCRC0b9dz2wqA
bQ==
-----END PGP SIGNATURE-----

--sig--
"""

# 8. PGP/MIME encrypted: the version part and encrypted.asc.
MESSAGES["att-pgp-encrypted.eml"] = head(
    8, "Credentials mistlewhorp", "Eve Santos <eve@initech.example>",
    "Thu, 23 May 2024 16:20:00 +0000") + """\
Content-Type: multipart/encrypted; protocol="application/pgp-encrypted";
 boundary="enc"

This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)
--enc
Content-Type: application/pgp-encrypted
Content-Description: PGP/MIME version identification

Version: 1

--enc
Content-Type: application/octet-stream; name="encrypted.asc"
Content-Description: OpenPGP encrypted message
Content-Disposition: inline; filename="encrypted.asc"

-----BEGIN PGP MESSAGE-----

hF4DAAAAAAAAAAASAQdAexampleexampleexampleexampleexampleexample
=abcd
-----END PGP MESSAGE-----

--enc--
"""

# 9. S/MIME signed, with a real file inside the signed part.
MESSAGES["att-smime-signed.eml"] = head(
    9, "Invoice 2024-117", "Accounts <accounts@globex.example>",
    "Fri, 24 May 2024 07:45:00 +0000") + """\
Content-Type: multipart/signed; protocol="application/pkcs7-signature";
 micalg=sha-256; boundary="sm1"

This is a cryptographically signed message in MIME format.

--sm1
Content-Type: multipart/mixed; boundary="sm2"

--sm2
Content-Type: text/plain; charset=utf-8

Invoice attached (crandolith account).

--sm2
Content-Type: application/pdf; name="invoice-2024-117.pdf"
Content-Disposition: attachment; filename="invoice-2024-117.pdf"
Content-Transfer-Encoding: base64

""" + b64(INVOICE) + """\
--sm2--

--sm1
Content-Type: application/pkcs7-signature; name="smime.p7s"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="smime.p7s"
Content-Description: S/MIME Cryptographic Signature

""" + b64(blob("smime", 120)) + """\
--sm1--
"""

# 10. An inline text part with a name: body text and an attachment.
MESSAGES["att-inline-text.eml"] = head(
    10, "Minutes", "Carol Nguyen <carol@acme.example>",
    "Mon, 27 May 2024 17:00:00 +0000") + """\
Content-Type: multipart/mixed; boundary="t"

--t
Content-Type: text/plain; charset=utf-8

Minutes below.

--t
Content-Type: text/plain; charset=utf-8; name="minutes.txt"
Content-Disposition: inline; filename*=utf-8''minutes.txt

Decided: the wembletusk banner goes.

--t
Content-Type: text/plain; charset=utf-8

Carol

--t--
"""

# 11. Nameless parts: a nameless PDF (a scanner), a nameless text part
# marked as an attachment, and nameless inline text (only body text).
MESSAGES["att-nameless.eml"] = head(
    11, "Scan", "Scanner <scanner@office.studio.example>",
    "Tue, 28 May 2024 08:00:00 +0000") + """\
Content-Type: multipart/mixed; boundary="s"

--s
Content-Type: text/plain

Scanned dorvanquil page.

--s
Content-Type: application/pdf
Content-Transfer-Encoding: base64

""" + b64(SCAN) + """\
--s
Content-Type: text/plain
Content-Disposition: attachment

scanner log: 1 page

--s--
"""


def main():
    for name in sorted(MESSAGES):
        with open(os.path.join(HERE, name), "w", newline="\n") as f:
            f.write(MESSAGES[name])


if __name__ == "__main__":
    main()
