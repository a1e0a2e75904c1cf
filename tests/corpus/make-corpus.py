#!/usr/bin/env python3
"""Write the sample corpus under tests/corpus/ (maildir/, mbox/, eml/).

The output is committed; this script only documents how it was made and lets
it be remade byte for byte (no clock, no unseeded randomness).  Run from
anywhere:  python3 tests/corpus/make-corpus.py
Most messages are written out literally below; only the deep nesting, the
1 MB header and the binary payloads (PNG, PDF) are computed.
"""
import base64
import os
import quopri
import random
import shutil
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
RNG = random.Random(20240205)


def b64(data, width=76):
    s = base64.b64encode(data).decode("ascii")
    return "\n".join(s[i:i + width] for i in range(0, len(s), width)) + "\n"


def ew_b(text, charset="UTF-8"):
    """One RFC 2047 B encoded word."""
    codec = {"UTF-8": "utf-8", "ISO-2022-JP": "iso2022_jp"}[charset]
    return "=?%s?B?%s?=" % (charset, base64.b64encode(text.encode(codec)).decode())


def png(w, h, pixel):
    raw = b"".join(b"\0" + b"".join(bytes(pixel(x, y)) for x in range(w))
                   for y in range(h))

    def chunk(tag, data):
        return (struct.pack(">I", len(data)) + tag + data +
                struct.pack(">I", zlib.crc32(tag + data) & 0xffffffff))
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def pdfish(title, nbytes):
    body = bytes(RNG.getrandbits(8) for _ in range(nbytes))
    return (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
            b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
            b"3 0 obj\n<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>\nendobj\n" +
            ("4 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n"
             % nbytes).encode() +
            body + b"\nendstream\nendobj\n"
            b"5 0 obj\n<< /Title (" + title.encode() + b") >>\nendobj\n"
            b"trailer\n<< /Root 1 0 R /Info 5 0 R >>\n%%EOF\n")


def pdf(pages):
    """A real PDF: one page per list of lines, shown in Helvetica from
    Flate-compressed content streams, with a correct xref table."""
    n = len(pages)
    font = 3 + 2 * n
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            ("<< /Type /Pages /Kids [%s] /Count %d >>"
             % (" ".join("%d 0 R" % (3 + 2 * i) for i in range(n)), n)).encode()]
    for i, lines in enumerate(pages):
        objs.append(("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                     "/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                     % (font, 4 + 2 * i)).encode())
        text = "".join("BT /F1 12 Tf 72 %d Td (%s) Tj ET\n" % (720 - 18 * k, line)
                       for k, line in enumerate(lines))
        data = zlib.compress(text.encode("latin-1"), 9)
        objs.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) +
                    data + b"\nendstream")
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for i, o in enumerate(objs):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += (b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objs) + 1, xref))
    return out


WRITTEN = []


def put(rel, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    path = os.path.join(HERE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    WRITTEN.append(rel)
    return data


def dovecot_name(base, data, flags):
    """Dovecot-style name: base,S=<size>,W=<size with CRLF>:2,<flags>."""
    return "%s,S=%d,W=%d:2,%s" % (base, len(data), len(data) + data.count(b"\n"), flags)


# ---------------------------------------------------------------- thread ----
M01 = """\
Return-Path: <bob@acme.example>
Delivered-To: sam@studio.example
Received: from mail.acme.example (mail.acme.example [192.0.2.10])
	by mx.studio.example (Postfix) with ESMTPS id 4TT1Jq0b0Zz1
	for <sam@studio.example>; Mon, 05 Feb 2024 10:00:03 +0100 (CET)
From: Bob Martin <bob@acme.example>
To: Sam Carter <sam@studio.example>
Cc: Carol Nguyen <carol@acme.example>
Subject: [ACME-12] Website relaunch kickoff
Date: Mon, 05 Feb 2024 10:00:00 +0100
Message-ID: <20240205090000.kickoff@acme.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8; format=flowed
Content-Transfer-Encoding: 7bit

Hi Sam,

Thanks for the proposal. We would like to start the website relaunch
in March, with the new product pages first.
Could you send a first timeline by Friday?

Internally everyone calls this the zorbleflux project, don't ask.

Best,
Bob
-- 
Bob Martin, Head of Marketing, ACME Corp
"""

M02 = """\
From: Sam Carter <sam@studio.example>
To: Bob Martin <bob@acme.example>
Cc: Carol Nguyen <carol@acme.example>
Subject: Re: [ACME-12] Website relaunch kickoff
Date: Mon, 05 Feb 2024 14:00:00 +0000
Message-ID: <65c0e8a0.5a3b@studio.example>
In-Reply-To: <20240205090000.kickoff@acme.example>
References: <20240205090000.kickoff@acme.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 7bit
User-Agent: Mozilla/5.0 Thunderbird/115.7.0

Hi Bob,

On 05/02/2024 10:00, Bob Martin wrote:
> Thanks for the proposal. We would like to start the website relaunch
> in March, with the new product pages first.
> Could you send a first timeline by Friday?

Sure. I will put the quendrapix milestones in a shared sheet and send
the timeline on Thursday.

Sam
"""

M03 = """\
Return-Path: <bob@acme.example>
Delivered-To: sam@studio.example
From: Bob Martin <bob@acme.example>
To: Sam Carter <sam@studio.example>
Cc: Carol Nguyen <carol@acme.example>
Subject: Re: [ACME-12] Website relaunch kickoff
Date: Tue, 06 Feb 2024 11:00:00 +0100
Message-ID: <20240206100000.reply2@acme.example>
In-Reply-To: <65c0e8a0.5a3b@studio.example>
References: <20240205090000.kickoff@acme.example>
 <65c0e8a0.5a3b@studio.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 7bit

Thursday works. Carol will own the content migration; the malvoriste
review board meets every second Tuesday.

Bob

> Sure. I will put the milestones in a shared sheet and send
> the timeline on Thursday.
"""

# Carol's client (an old Lotus Notes gateway) drops In-Reply-To.
M04 = """\
From: Carol Nguyen <carol@acme.example>
To: Sam Carter <sam@studio.example>, Bob Martin <bob@acme.example>
Subject: Re: [ACME-12] Website relaunch kickoff
Date: Wed, 07 Feb 2024 09:30:00 -0500
Message-ID: <OF1A2B3C4D.5E6F7A8B-ON85258A@acme.example>
References: <20240205090000.kickoff@acme.example>
 <65c0e8a0.5a3b@studio.example> <20240206100000.reply2@acme.example>
X-Mailer: Lotus Notes Release 9.0.1FP10 SHF383 December 09, 2018
MIME-Version: 1.0
Content-Type: text/plain; charset=US-ASCII
Content-Transfer-Encoding: 7bit

Hello both,

I have started the content inventory. The tembrikade spreadsheet lists
every page of the old site with an owner and a keep/merge/drop column.

Carol
"""

# ------------------------------------------------------------- INBOX/new ----
M05 = """\
Return-Path: <dana@globex.example>
Delivered-To: sam@studio.example
From: Dana Whitfield <dana@globex.example>
To: sam@studio.example
Subject: Quick question about the logo files
Date: Fri, 01 Mar 2024 11:46:40 +0100
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 7bit

Hi Sam,

Do you still have the flanquorrel vector source of the old logo? Our
printer needs it as EPS or PDF by Monday.

Thanks,
Dana
"""

M06_TEXT = """\
GLOBEX QUARTERLY UPDATE - JUNE 2024

* New office in Rotterdam opens in July.
* Supplier portal: log in with your snevvitude account from 1 July.
* Summer party: 28 June, rooftop terrace.

Unsubscribe: https://news.globex.example/u/8f3a
"""
M06_HTML = """\
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Globex quarterly update</title></head>
<body style="font-family:Arial,sans-serif">
<h1>Globex quarterly update &ndash; June 2024</h1>
<ul>
<li>New office in Rotterdam opens in July.</li>
<li>Supplier portal: log in with your <b>snevvitude</b> account from 1&nbsp;July.</li>
<li>Summer party: 28 June, rooftop terrace.</li>
</ul>
<p><a href="https://news.globex.example/u/8f3a">Unsubscribe</a></p>
</body></html>
"""
M06 = """\
Return-Path: <bounce-4411@news.globex.example>
Delivered-To: sam@studio.example
From: Globex Newsroom <news@globex.example>
To: sam@studio.example
Subject: Globex quarterly update, June 2024
Date: Mon, 03 Jun 2024 07:00:00 +0000
Message-ID: <newsletter.2024-06.4411@news.globex.example>
List-Unsubscribe: <https://news.globex.example/u/8f3a>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="alt-6f1c2e"

This is a multi-part message in MIME format.

--alt-6f1c2e
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 7bit

""" + M06_TEXT + """
--alt-6f1c2e
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

""" + quopri.encodestring(M06_HTML.encode()).decode() + """
--alt-6f1c2e--
"""

M15 = """\
Return-Path: <mike@northwind.example>
Delivered-To: sam@studio.example
From: Mike Osei <mike@northwind.example>
To: Sam Carter <sam@studio.example>
Subject: Call me about wubbleshank
Date: Tue, 02 Jul 2024 16:05:00 +0000
Message-ID: <CAF=mike.0702@mail.northwind.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

"""

# ------------------------------------------------------------- INBOX/cur ----
M07 = """\
Return-Path: <ops@hosting.example>
Delivered-To: sam@studio.example
From: Hosting Ops <ops@hosting.example>
To: sam@studio.example
Subject: Scheduled maintenance window
Message-ID: <maint-2024-0417@hosting.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

Dear customer,

Your server brombulate-07 will be rebooted for a kernel update during the
next maintenance window (Saturday, 02:00-04:00 UTC). No action is needed.

Hosting Ops
"""

M08 = """\
Return-Path: <scanner@office.studio.example>
Received: from mx.studio.example (localhost [127.0.0.1])
	by imap.studio.example (Dovecot) with LMTP id kQ3mBj4P8GUvNQAA
	for <sam@studio.example>; Tue, 12 Mar 2024 08:15:02 +0000
Received: from mfp-4020.office.studio.example ([192.0.2.44])
	by mx.studio.example (Postfix) with SMTP id 7C1D2A0153
	for <sam@studio.example>; Tue, 12 Mar 2024 08:14:58 +0000 (UTC)
From: MFP-4020 Scanner <scanner@office.studio.example>
To: sam@studio.example
Subject: Scanned document from MFP-4020
Date: %a, %d %b %Y %H:%M:%S %z
Message-ID: <mfp4020.000117@office.studio.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

Scan job 117 finished: 3 pages, profile kresslewort, 300 dpi.
The document was saved to \\\\fileserver\\scans\\2024\\03.
"""

M09 = """\
Return-Path: <eve@initech.example>
Delivered-To: sam@studio.example
From: Eve Santos <eve@initech.example>
To: Sam Carter <sam@studio.example>
Subject: Budget sheet (truncated upload?)
Date: Tue, 09 Apr 2024 19:20:00 -0700
Message-ID: <a81f03c2-77d4-4bde-9c8e-0f6c3b5e1d20@initech.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="----=_Part_2291_1183045.1712715600"

------=_Part_2291_1183045.1712715600
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 7bit

Hi Sam, here is the budget sheet for the glimmervane campaign. Our
webmail crashed while sending, so tell me if the file looks cut off.

Eve

------=_Part_2291_1183045.1712715600
Content-Type: text/csv; charset=UTF-8; name=budget.csv
Content-Transfer-Encoding: 7bit
Content-Disposition: attachment; filename=budget.csv

item,quarter,amount_eur
design,Q2,12000
development,Q2,18500
hosting,Q2,900
"""

M11 = ("""\
Return-Path: <francois@bergmann.example>
Delivered-To: sam@studio.example
From: François Lefèvre <francois@bergmann.example>
To: Sam Carter <sam@studio.example>
Subject: Réunion café à 15h
Date: Tue, 21 May 2024 08:30:00 +0200
Message-ID: <5f2e9c1a.relais@bergmann.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: 8bit

Bonjour Sam,

On se retrouve au café en bas à 15h pour parler du drazzlemop ?
J'apporte les épreuves imprimées.

François
""").encode("latin-1")

M13 = ("""\
Return-Path: <rene@bergmann.example>
Delivered-To: sam@studio.example
From: =?ISO-8859-1?Q?Ren=E9_Dupr=E9?= <rene@bergmann.example>
To: Sam Carter <sam@studio.example>
Subject: """ + ew_b("Angebot für die Übersetzung – 2024 €") + """
Date: Sun, 31 Dec 2023 22:30:00 -0300
Message-ID: <20231231223000.GA4411@bergmann.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Hallo Sam,

anbei unser Angebot für die Übersetzung der neuen Website ins Deutsche
und Französische. Stichwort für die Buchhaltung: yarrowquist.

Guten Rutsch!
René
""")

M17_INNER = """\
From: Lena Fischer <lena@acme.example>
To: Bob Martin <bob@acme.example>
Subject: Signed contract
Date: Fri, 19 Apr 2024 17:02:00 +0200
Message-ID: <signed-contract-2024-04-19@acme.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 7bit

Bob,

the countersigned pellucitrax agreement for the website relaunch is filed
in the legal share. Effective date 1 May 2024.

Lena
"""
M17 = """\
Return-Path: <bob@acme.example>
Delivered-To: sam@studio.example
From: Bob Martin <bob@acme.example>
To: Sam Carter <sam@studio.example>
Subject: Fwd: Signed contract
Date: Mon, 22 Apr 2024 09:12:00 +0200
Message-ID: <20240422071200.fwd@acme.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="fwd-b7e2"

--fwd-b7e2
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 7bit

Sam, see Lena's note below. We are good to go, moxifrandle included.

Bob

--fwd-b7e2
Content-Type: message/rfc822
Content-Disposition: inline

""" + M17_INNER + """
--fwd-b7e2--
"""

M18_HTML = """\
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<style type="text/css">
  .umbrascope { color: #cc0000; font-weight: bold; }
  body { margin: 0; padding: 0; }
</style>
<script type="text/javascript">
  var skeevermint = { track: true, pixel: "https://t.designweekly.example/p.gif" };
</script>
</head>
<body>
<table width="600"><tr><td>
<h2 class="umbrascope">Design Weekly #211</h2>
<p>Prices &amp; terms for the caf&eacute; redesign start at 20&#8364;&nbsp;per month.</p>
<p>This week: sproingwell typography tips &mdash; kerning, tracking &lt;and&gt; more.</p>
<p><a href="https://designweekly.example/211">Read online</a></p>
</td></tr></table>
</body>
</html>
"""
M18 = """\
Return-Path: <bounce@designweekly.example>
Delivered-To: sam@studio.example
From: "Design Weekly" <news@designweekly.example>
To: sam@studio.example
Subject: Design Weekly #211: kerning & tracking
Date: Tue, 06 Aug 2024 06:00:00 +0000
Message-ID: <dw211.20240806@designweekly.example>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

""" + quopri.encodestring(M18_HTML.encode()).decode()

M20 = ("""\
Return-Path: <helen@umbrella.example>
Delivered-To: sam@studio.example
From: Helen Park <helen@umbrella.example>
To: Sam Carter <sam@studio.example>
Subject: Brief for the autumn campaign
Date: Tue, 10 Sep 2024 13:45:00 +0100
Message-ID: <000801db0371$4a2b1c90$de7155b0$@umbrella.example>
X-Mailer: Microsoft Outlook 16.0
MIME-Version: 1.0
Content-Type: text/plain; charset="iso-8859-1"
Content-Transfer-Encoding: 8bit

Hi Sam,

Let\u2019s finalise the \u201czanthropy\u201d brief this week \u2013 the budget is \u20ac4,500.
I\u2019ll send the mood board separately\u2026

Helen
""").encode("cp1252")

M22_BODY = """\
Sam 你好，

关于新网站的合同，请查看我们的报价单。
如有问题请随时联系我。
内部代号：frimpledorf

谢谢！
王芳
"""
M22 = """\
Return-Path: <wang.fang@lotus-trading.example>
Delivered-To: sam@studio.example
From: """ + ew_b("王芳") + """ <wang.fang@lotus-trading.example>
To: "Sam Carter" <sam@studio.example>
Subject: """ + ew_b("关于新网站的合同") + """
Date: Tue, 15 Oct 2024 10:20:00 +0800
Message-ID: <202410151020001234567@lotus-trading.example>
X-Mailer: Foxmail 7.2.25.228[cn]
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: base64

""" + b64(M22_BODY.encode())

M28 = """\
Return-Path: <accounts@initech.example>
Delivered-To: sam@studio.example
From: Initech Accounts <accounts@initech.example>
To: sam@studio.example
Subject: Q4 budget approved
Date: Tue, 14 Nov 2023 15:30:00 +0000
Message-ID: <q4-budget-approved.20231114@initech.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Hello,

Your Q4 budget request (reference oxbarrowly) has been approved.
Purchase orders can be raised from Monday.

Initech Accounts Payable
"""

# ------------------------------------------------------------------ Sent ----
M27 = """\
From: Sam Carter <sam@studio.example>
To: Dana Whitfield <dana@globex.example>
Bcc: sam@studio.example
Subject: Invoice 2024-007 (February)
Date: Mon, 04 Mar 2024 09:00:00 +0000
Message-ID: <65e58e10.9c2d@studio.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 7bit

Hi Dana,

Please find the February figures below; the PDF follows from the
accounting system.

  Logo refresh, 14 h x 85 EUR      1,190.00 EUR
  Print files (nixtaplume set)       250.00 EUR
  Total                            1,440.00 EUR

Payment within 30 days. Thanks!
Sam
"""

# --------------------------------------------------------- Archive.2023 ----
M10 = """\
Return-Path: <ivan@initech.example>
Delivered-To: sam@studio.example
From: Ivan Petrov <ivan@initech.example>
To: sam@studio.example
Subject: Photos from the shoot
Date: Wed, 17 May 2023 09:00:00 +0200
Message-ID: <photos-shoot-0517@initech.example>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="=_never_seen_42"

Sam, the photos from the vorpalinth shoot are on the share.
Our list software stripped the attachments again, sorry.

Ivan
"""

M12 = """\
Return-Path: <juergen@bergmann.example>
Delivered-To: sam@studio.example
From: Jürgen Groß <juergen@bergmann.example>
To: Sam Carter <sam@studio.example>
Subject: Größe der Übersetzung — Änderungen ✓
Date: Mon, 14 Aug 2023 15:05:00 +0200
Message-ID: <8bit-utf8-0814@bergmann.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Hallo Sam,

die Übersetzung ist fertig. Größe: 42 Seiten, alle Änderungen aus der
plonkivere-Liste sind drin.

Grüße
Jürgen
"""

M14 = """\
Return-Path: <zoe@nordic.example>
Delivered-To: sam@studio.example
From: =?utf-8?b?Wm/DqyDDhW5nc3Ryw7Zt?= <zoe@nordic.example>
To: Sam Carter <sam@studio.example>
Subject: Re: =?utf-8?q?Caf=C3=A9_men=C3=BC?= =?utf-8?q?_f=C3=BCr_Freitag?=
Date: Fri, 22 Sep 2023 12:10:00 +0200
Message-ID: <3c1d9e0f-zoe@nordic.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Hej Sam, the thrumbelic menu cards look great =E2=80=94 print 200 please.
Zo=C3=AB
"""

M19_BODY = """\
サム様

いつもお世話になっております。
ウェブサイトの見積書についてご相談させてください。
Project code: quibbletorn

よろしくお願いいたします。
田中
"""
M19 = ("""\
Return-Path: <tanaka@kawasemi.example>
Delivered-To: sam@studio.example
From: """ + ew_b("田中 太郎", "ISO-2022-JP") + """ <tanaka@kawasemi.example>
To: Sam Carter <sam@studio.example>
Subject: """ + ew_b("お見積りの件について", "ISO-2022-JP") + """
Date: Mon, 02 Oct 2023 10:00:00 +0900
Message-ID: <20231002100000.tanaka@kawasemi.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=ISO-2022-JP
Content-Transfer-Encoding: 7bit

""").encode("ascii") + M19_BODY.encode("iso2022_jp")

M21 = """\
Return-Path: <kim@obscure-mailer.example>
Delivered-To: sam@studio.example
From: Kim Lund <kim@obscure-mailer.example>
To: sam@studio.example
Subject: Feedback on the naive illustrations
Date: Thu, 29 Jun 2023 18:40:00 +0000
Message-ID: <x-unknown-0629@obscure-mailer.example>
MIME-Version: 1.0
Content-Type: text/plain; charset="x-unknown"
Content-Transfer-Encoding: 8bit

Sam,

I love the naïve style of the blorptastic illustrations. Only the café
scene needs warmer colours.

Kim
"""

SOW_PDF = pdfish("SOW Globex 2023", 3000)
M23 = """\
Return-Path: <dana@globex.example>
Delivered-To: sam@studio.example
From: Dana Whitfield <dana@globex.example>
To: Sam Carter <sam@studio.example>
Subject: Signed SOW attached
Date: Wed, 08 Mar 2023 14:22:00 -0500
Message-ID: <CAGlobex.sow.20230308@mail.globex.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="000000000000sow8a1"

--000000000000sow8a1
Content-Type: text/plain; charset="UTF-8"

Hi Sam,

Attached is the signed statement of work for the gorbashank rebrand.

Dana

--000000000000sow8a1
Content-Type: application/pdf; name="SOW-Globex-2023.pdf"
Content-Disposition: attachment; filename="SOW-Globex-2023.pdf"
Content-Transfer-Encoding: base64
X-Attachment-Id: f_lf0a1b2c0

""" + b64(SOW_PDF) + """--000000000000sow8a1--
"""

# ------------------------------------------------------ Projects/Website ----
RATES_PDF = pdfish("Rates 2024", 1200)
GREETINGS = "Schöne Grüße aus München!\nDie Tarife gelten ab April.\n"
M16 = """\
Return-Path: <lena@acme.example>
Delivered-To: sam@studio.example
From: Lena Fischer <lena@acme.example>
To: Sam Carter <sam@studio.example>
Subject: [ACME-12] Rates and greetings
Date: Wed, 20 Mar 2024 16:00:00 +0100
Message-ID: <6d2f1c4e-rates@acme.example>
User-Agent: Mozilla Thunderbird
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="------------rfc2231x7Q"

This is a multi-part message in MIME format.
--------------rfc2231x7Q
Content-Type: text/plain; charset=UTF-8; format=flowed
Content-Transfer-Encoding: 7bit

Hi Sam, our new rates and a note from the Munich team are attached.
Purchase reference: cravendoodle.

Lena
--------------rfc2231x7Q
Content-Type: application/pdf; name="=?UTF-8?Q?=E2=82=AC_rates=2Epdf?="
Content-Disposition: attachment; filename*=UTF-8''%E2%82%AC%20rates.pdf
Content-Transfer-Encoding: base64

""" + b64(RATES_PDF) + """--------------rfc2231x7Q
Content-Type: text/plain; charset=UTF-8;
 name*0*=UTF-8''Sch%C3%B6ne%20Gr%C3%BC%C3%9Fe%20;
 name*1*=aus%20M%C3%BCnchen;
 name*2="_final.txt"
Content-Disposition: attachment;
 filename*0*=UTF-8''Sch%C3%B6ne%20Gr%C3%BC%C3%9Fe%20;
 filename*1*=aus%20M%C3%BCnchen;
 filename*2="_final.txt"
Content-Transfer-Encoding: base64

""" + b64(GREETINGS.encode()) + """
--------------rfc2231x7Q--
"""

M24 = """\
Return-Path: <carol@acme.example>
Delivered-To: sam@studio.example
From: Carol Nguyen <carol@acme.example>
To: Sam Carter <sam@studio.example>
Subject: [ACME-12] Meeting notes 12 Feb
Date: Mon, 12 Feb 2024 17:45:00 +0000
Message-ID: <OF9F8E7D6C.notes-ON85258A@acme.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="notes-boundary-1"

--notes-boundary-1
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 7bit

Sam, notes from today attached. The hulverine question is still open.

Carol

--notes-boundary-1
Content-Type: text/plain; charset=utf-8; name="meeting-notes.txt"
Content-Disposition: attachment; filename="meeting-notes.txt"
Content-Transfer-Encoding: quoted-printable

Meeting notes =E2=80=94 12 Feb 2024
Attendees: Bob, Carol, Sam
1. Sitemap approved; the legacy jibber=
quay pages get redirects.
2. Next review: 26 Feb.
--notes-boundary-1--
"""

SITEMAP_PDF = pdf([
    ["ACME Corp - Website relaunch", "Sitemap v3, signed 28 Feb 2024",
     "Home, Products, About, Contact"],
    ["Legacy section", "The quillofrax pages move to /archive."],
])
M30 = """\
Return-Path: <lena@acme.example>
Delivered-To: sam@studio.example
From: Lena Fischer <lena@acme.example>
To: Sam Carter <sam@studio.example>
Subject: [ACME-12] Signed sitemap
Date: Thu, 29 Feb 2024 12:15:00 +0100
Message-ID: <20240229111500.sitemap@acme.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="sitemap-pdf-30"

--sitemap-pdf-30
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 7bit

Sam, the signed sitemap is attached. Our reference: brindlequast.

Lena

--sitemap-pdf-30
Content-Type: application/pdf; name="sitemap-signed.pdf"
Content-Disposition: attachment; filename="sitemap-signed.pdf"
Content-Transfer-Encoding: base64

""" + b64(SITEMAP_PDF) + """--sitemap-pdf-30--
"""

LOGO_PNG = png(16, 16, lambda x, y: (200, 30 + 10 * x, 30 + 10 * y))
M25 = """\
Return-Path: <bob@acme.example>
Delivered-To: sam@studio.example
From: Bob Martin <bob@acme.example>
To: Sam Carter <sam@studio.example>
Subject: [ACME-12] New logo in the footer
Date: Tue, 20 Feb 2024 10:30:00 +0100
Message-ID: <20240220093000.logo@acme.example>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="outer-alt-25"

--outer-alt-25
Content-Type: text/plain; charset=utf-8

Sam, please use this logo in the footer (klatchmoor variant).
[acme-logo.png]

--outer-alt-25
Content-Type: multipart/related; boundary="related-25"; type="text/html"

--related-25
Content-Type: text/html; charset=utf-8

<html><body><p>Sam, please use this logo in the footer (klatchmoor variant).</p>
<p><img src="cid:logo123@acme.example" alt="ACME logo" width="16" height="16"></p>
</body></html>

--related-25
Content-Type: image/png; name="acme-logo.png"
Content-Disposition: inline; filename="acme-logo.png"
Content-ID: <logo123@acme.example>
Content-Transfer-Encoding: base64

""" + b64(LOGO_PNG) + """--related-25--

--outer-alt-25--
"""

M26 = """\
Return-Path: <priya@acme.example>
Delivered-To: sam@studio.example
From: Priya Shah <priya@acme.example>
To: Design Team: anna@x.example, Ben Okafor <ben@y.example>;
Cc: undisclosed-recipients:;
Subject: [ACME-12] Homepage wireframes v2: consolidated feedback
 from the design team
Date: Mon, 26 Feb 2024 08:00:00 +0000
Message-ID: <wireframes-v2-feedback@acme.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Team,

1. The hero block is too tall on mobile.
2. Keep the lumbriform navigation, but drop the mega menu.
3. Footer: new logo (Bob sent it last week).

Priya
"""

# ------------------------------------------------------------------ eml/ ----
def deep_nesting(levels=50):
    inner = ("Content-Type: text/plain; charset=utf-8\n\n"
             "You found the bottom: pindlewhisk.\n")
    for n in range(levels, 1, -1):
        b = "nest-%02d" % n
        inner = ('Content-Type: multipart/mixed; boundary="%s"\n\n'
                 "--%s\n%s\n--%s--\n" % (b, b, inner, b))
    return """\
From: Forward Bot <fwd@qa.example>
To: sam@studio.example
Subject: Fwd: Fwd: Fwd: nested 50 deep
Date: Tue, 05 Nov 2024 12:00:00 +0000
Message-ID: <deep-nesting-50@qa.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="nest-01"

--nest-01
""" + inner + "\n--nest-01--\n"


def huge_header(min_bytes=1_100_000):
    refs, size, i = [], 0, 0
    while size < min_bytes:
        i += 1
        r = "<msg-%06d.%08x@lists.example>" % (i, (i * 2654435761) & 0xffffffff)
        refs.append(r)
        size += len(r) + 2
    return ("""\
From: Long Thread <thread@lists.example>
To: sam@studio.example
Subject: Re: the thread that never ends
Date: Mon, 02 Dec 2024 09:00:00 +0000
Message-ID: <huge-header-1mb@lists.example>
In-Reply-To: """ + refs[-1] + """
References: """ + "\n ".join(refs) + """
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

The References header above lists %d message ids (over 1 MB).
Body word: quorvantine.
""" % len(refs))


OUTLOOK = """\
Received: from EX01.umbrella.example (192.0.2.80) by EX02.umbrella.example
 (192.0.2.81) with Microsoft SMTP Server; Mon, 16 Dec 2024 14:03:10 +0000
From: Helen Park <helen@umbrella.example>
To: Sam Carter <sam@studio.example>
Subject: Holiday schedule
Thread-Topic: Holiday schedule
Thread-Index: AdtP0m1a2b3c4d5e6f7a8b9c0d1e2f3a4b==
Date: Mon, 16 Dec 2024 14:03:07 +0000
Message-ID: <DB9PR01MB1234.holiday@umbrella.example>
Accept-Language: en-GB, en-US
Content-Language: en-GB
X-MS-Has-Attach:
X-MS-TNEF-Correlator:
MIME-Version: 1.0
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

Hi Sam,

Our office is closed from 23 Dec to 2 Jan. The rumblequid invoices can
wait until January.

Kind regards,
Helen
""".replace("\n", "\r\n")

ICS = """\
BEGIN:VCALENDAR
PRODID:-//ACME//Calendar 1.0//EN
VERSION:2.0
METHOD:REQUEST
BEGIN:VEVENT
UID:acme-review-20231211@acme.example
DTSTAMP:20231204T090000Z
DTSTART:20231211T140000Z
DTEND:20231211T150000Z
SUMMARY:ACME design review
DESCRIPTION:Agenda: tovarindle prototype walkthrough
ORGANIZER;CN=Bob Martin:mailto:bob@acme.example
ATTENDEE;RSVP=TRUE;CN=Sam Carter:mailto:sam@studio.example
END:VEVENT
END:VCALENDAR
""".replace("\n", "\r\n")
CALENDAR = """\
From: Bob Martin <bob@acme.example>
To: Sam Carter <sam@studio.example>
Subject: Invitation: ACME design review @ Mon 11 Dec 2023 15:00 (CET)
Date: Mon, 04 Dec 2023 09:00:00 +0000
Message-ID: <invite-acme-review-20231211@acme.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="cal-mixed"

--cal-mixed
Content-Type: multipart/alternative; boundary="cal-alt"

--cal-alt
Content-Type: text/plain; charset=UTF-8

You have been invited to ACME design review.
Mon 11 Dec 2023 15:00-16:00 (CET). Agenda: tovarindle prototype walkthrough.

--cal-alt
Content-Type: text/calendar; charset=UTF-8; method=REQUEST
Content-Transfer-Encoding: 7bit

""" + ICS + """
--cal-alt--

--cal-mixed
Content-Type: application/ics; name="invite.ics"
Content-Disposition: attachment; filename="invite.ics"
Content-Transfer-Encoding: base64

""" + b64(ICS.encode()) + """--cal-mixed--
"""

# ------------------------------------------------------------------ mbox ----
# Gmail Takeout style.  The bodies below are the ORIGINAL text; mboxrd()
# escapes them (any line matching ^>*From  gets one more '>').
MB1 = """\
X-GM-THRID: 1754422316408755201
X-Gmail-Labels: Inbox,Opened,Category Personal
Delivered-To: sam@studio.example
From: Tom Baker <tom@northwind.example>
To: Sam Carter <sam@studio.example>
Subject: Old archive notes
Date: Tue, 10 Jan 2023 09:12:00 +0000
Message-ID: <CAOldArchive.0110@mail.northwind.example>
MIME-Version: 1.0
Content-Type: text/plain; charset="UTF-8"

Sam,

Here is my note from last year, quoted as it was:

>From the archive: the 2019 brand guide lives on the shared drive.

The vexillorn folder has the originals.
Tom
"""

MB2 = """\
X-GM-THRID: 1757899901234567890
X-Gmail-Labels: Inbox,Important,Opened
Delivered-To: sam@studio.example
From: Tom Baker <tom@northwind.example>
To: Sam Carter <sam@studio.example>
Subject: Invoices address change
Date: Tue, 14 Feb 2023 16:30:00 +0000
Message-ID: <CAInvoices.0214@mail.northwind.example>
MIME-Version: 1.0
Content-Type: text/plain; charset="UTF-8"

Hi Sam,

From now on, please send invoices to accounts@northwind.example.
The wimbletack purchase order stays valid.

Tom
"""

MB3 = """\
X-GM-THRID: 1798200000000000001
X-Gmail-Labels: Sent
From: Sam Carter <sam@studio.example>
To: Tom Baker <tom@northwind.example>
Subject: Re: Summer catalogue
Date: Mon, 06 May 2024 10:00:00 +0200
Message-ID: <CAsam.summer.0506@mail.studio.example>
In-Reply-To: <CAsummer.0503@mail.northwind.example>
References: <CAsummer.0503@mail.northwind.example>
MIME-Version: 1.0
Content-Type: text/plain; charset="UTF-8"

Tom, the xylofrunge layout is ready for review. Proofs on Thursday.

Sam
"""

MB4 = """\
X-GM-THRID: 1772000000000000044
X-Gmail-Labels: Forums,Opened
Delivered-To: sam@studio.example
From: Freelance Designers <list@freelancers.example>
Reply-To: list@freelancers.example
To: list@freelancers.example
Subject: [freelancers] Digest, Vol 12, Issue 7
Date: Thu, 20 Jul 2023 05:00:00 +0000
Message-ID: <digest.v12i7@freelancers.example>
List-Id: Freelance Designers <freelancers.lists.freelancers.example>
List-Unsubscribe: <mailto:list-leave@freelancers.example>
Precedence: list
MIME-Version: 1.0
Content-Type: text/plain; charset="us-ascii"

Today's topics:

  1. Pricing logo work (yoddleberry method)
  2. Contract templates

----------------------------------------------------------------------
"""


def mboxrd(msgs):
    import re
    out = []
    for from_line, text in msgs:
        out.append(from_line + "\n")
        for line in text.splitlines(True):
            if re.match(r">*From ", line):
                line = ">" + line
            out.append(line)
        out.append("\n")
    return "".join(out)


# ----------------------------------------------------------------- write ----
def main():
    for d in ("maildir", "mbox", "eml"):
        shutil.rmtree(os.path.join(HERE, d), ignore_errors=True)
    for folder in ("INBOX", ".Sent", ".Archive.2023", "Projects/Website"):
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(HERE, "maildir", folder, sub))

    put("maildir/INBOX/cur/1707123600.M101P2001.studio:2,S", M01)
    put("maildir/.Sent/cur/1707141600.M102P2002.studio:2,S", M02)
    put("maildir/INBOX/cur/1707213600.M103P2003.studio:2,RS", M03)
    put("maildir/Projects/Website/cur/1707316200.M104P2004.studio:2,S", M04)
    put("maildir/INBOX/new/1709290000.M105P2005.studio", M05)
    put("maildir/INBOX/new/1717398000.M106P2006.studio", M06)
    put("maildir/INBOX/new/1719936300.M115P2015.studio", M15)
    put("maildir/INBOX/cur/1713340800.M107P2007.studio:2,S", M07)
    put("maildir/INBOX/cur/1710231302.M108P2008.studio:2,S", M08)
    put("maildir/INBOX/cur/1712715600.M109P2009.studio:2,S", M09)
    put("maildir/INBOX/cur/1716273000.M111P2011.studio:2,FS", M11)
    put("maildir/INBOX/cur/1704072600.M113P2013.studio:2,RS", M13)
    put("maildir/INBOX/cur/1713769920.M117P2017.studio:2,S", M17)
    put("maildir/INBOX/cur/1722924000.M118P2018.studio:2,S", M18)
    put("maildir/INBOX/cur/1725972300.M120P2020.studio:2,", M20)
    put("maildir/INBOX/cur/1728958800.M122P2022.studio:2,S", M22)
    put("maildir/INBOX/cur/1699975800.M128P2028.studio:2,S", M28)
    put("maildir/.Sent/cur/1709542800.M127P2027.studio:2,S", M27)

    arch = "maildir/.Archive.2023/cur/"
    for base, msg, flags in (
            ("1684306800.M110P3010.studio", M10, "S"),
            ("1692018300.M112P3012.studio", M12, "S"),
            ("1695377400.M114P3014.studio", M14, "RS"),
            ("1696208400.M119P3019.studio", M19, "S"),
            ("1688064000.M121P3021.studio", M21, "S"),
            ("1678303320.M123P3023.studio", M23, "S"),
            ("1699975801.M128P3028.studio", M28, "RS")):
        data = msg if isinstance(msg, bytes) else msg.encode("utf-8")
        put(arch + dovecot_name(base, data, flags), data)
    # Not mail: a photo someone copied into the maildir, named like mail.
    put(arch + "1703980800.M42P7.studio:2,S",
        png(48, 32, lambda x, y: ((x * 5) & 255, (y * 8) & 255, 128)))

    put("maildir/Projects/Website/cur/1710946800.M116P4016.studio:2,S", M16)
    put("maildir/Projects/Website/cur/1707759900.M124P4024.studio:2,RS", M24)
    put("maildir/Projects/Website/cur/1708421400.M125P4025.studio:2,S", M25)
    put("maildir/Projects/Website/cur/1708934400.M126P4026.studio:2,S", M26)
    put("maildir/Projects/Website/cur/1709205300.M130P4030.studio:2,S", M30)

    put("mbox/takeout.mbox", mboxrd([
        ("From 1754422316408755201@xxx Tue Jan 10 09:12:00 +0000 2023", MB1),
        ("From 1757899901234567890@xxx Tue Feb 14 16:30:00 +0000 2023", MB2),
        ("From 1798200000000000001@xxx Mon May 06 08:00:00 +0000 2024", MB3),
        ("From 1772000000000000044@xxx Thu Jul 20 05:00:00 +0000 2023", MB4),
    ]))

    put("eml/deep-nesting.eml", deep_nesting())
    put("eml/huge-header.eml", huge_header())
    put("eml/outlook-crlf.eml", OUTLOOK)
    put("eml/calendar-invite.eml", CALENDAR)

    # git keeps no empty directory: a zero-byte dot file holds each one.
    # Maildir readers must skip names starting with '.' in cur/ and new/.
    for root, dirs, files in os.walk(os.path.join(HERE, "maildir")):
        if not dirs and not files:
            open(os.path.join(root, ".gitkeep"), "wb").close()

    total = sum(os.path.getsize(os.path.join(HERE, p)) for p in WRITTEN)
    print("wrote %d files, %d bytes" % (len(WRITTEN), total))


if __name__ == "__main__":
    main()
