#!/usr/bin/env python3
"""Generate a realistic, deterministic Maildir corpus for benchmarking.

  contrib/bench/gen-corpus.py [-n 20000] [--seed 1] [--out DIR] [--profile small]


Writes DIR/maildir/ with six folders (INBOX, .Sent, .Archive.2023,
.Archive.2024, Projects/Website, Lists/Designers). Threads have quoted replies
with In-Reply-To/References. The bodies are plain or multipart/alternative
(text+html). About 30 % of the messages carry attachments with random binary
payloads (base64, 1 KB-200 KB, skewed small). It uses legacy charsets
(iso-8859-1, windows-1252, koi8-r, iso-2022-jp), RFC 2047 encoded words and
some CJK text. The average message is about 20 KB, and about 2 % of the messages
also appear, as an identical file, in a second folder.
Words come from the list below with Zipf-like frequencies, so common and rare
search terms behave as they would in real mail. The same seed and N always
give the same bytes. Python 3 standard library only.

--profile small keeps every shape but draws attachments from 1 KB-32 KB
instead (about 6.5 KB per message instead of 20 KB), for archives of a
million messages (scale.py).

--correspondents many writes the mail of a busier archive: each of the 12
clients has 150 more people, the other 38 clients of the benchmark's config
(client12.example ... client49.example) have 10-60 each, and 15 % of the
threads are with one of 6,000 one-off senders (vendorNNNN.example): about
8,000 addresses in 6,500 domains where the default has 31 in 15. Its
Message-IDs are random, as Gmail's and Outlook's are ("CA" and 32 base32
characters), where the default's begin with the date, as mutt's do: an
index keyed by them is written in random places, not at its end. generate() is also called by scale.py, one
date window per slice.
"""
import argparse
import base64
import bisect
import email.utils
import itertools
import json
import math
import os
import quopri
import random
import sys
import time

ME = ("Sam Carter", "sam@studio.example")

# Roughly in order of frequency in freelance/agency mail (rank 1 = most common).
WORDS = """
the to and you for of a on is we this it in be will with that please can
i have as at are our your if from next week thanks project by or would
just know let me send attached here new let's also file files update
should could about time review meeting call today tomorrow monday friday
design website draft version final feedback changes notes budget invoice
client team page pages copy text images photos logo brand colours fonts
layout mockup mockups wireframe wireframes homepage menu footer header
launch deadline schedule timeline estimate quote proposal contract scope
approval approve approved sign signed payment paid due month quarter
print printer proofs proof pdf size format export share shared folder
link access login account password server hosting domain email emails
newsletter campaign social post posts video shoot photographer studio
agency office meet coffee lunch thursday tuesday wednesday morning
afternoon evening weekend holiday back away still already soon later
sorry great good perfect fine sure okay thanks again best regards cheers
hello hi dear question questions answer issue issues problem fix fixed
bug bugs test testing staging live release deploy content migration
inventory sitemap navigation search mobile desktop tablet responsive
accessibility contrast spacing grid column columns row rows block blocks
hero banner button buttons form forms field fields checkout cart product
products catalogue catalog price prices pricing discount offer order
orders shipping delivery stock warehouse supplier suppliers partner
partners board director manager marketing sales legal finance accounts
purchase reference number total amount hours rate rates day days estimate
extra additional option options alternative version second third first
last previous latest current old original revised updated minor major
small large quick short long simple clear nice warm cold bright dark
blue green red white black grey orange yellow purple pink gold silver
paper card cards poster posters flyer flyers brochure brochures packaging
label labels sticker signage exhibition stand event events conference
workshop presentation slides deck report reports analytics traffic
visitors conversion results numbers figures data chart charts table
spreadsheet document documents template templates guide guidelines
style palette typography icon icons illustration illustrations animation
motion sound voice translation translations language languages english
german french japanese russian chinese local region market markets
customer customers user users feedback survey interview research persona
strategy plan planning goals goal priority priorities risk risks
dependency dependencies blocker blockers milestone milestones phase
sprint backlog ticket tickets estimate estimates capacity resource
resources freelancer contractor invoice invoices receipt receipts tax
vat bank transfer reminder overdue renewal licence license fonts stock
""".split()
# de-duplicate, keep first occurrence (= rank)
WORDS = list(dict.fromkeys(WORDS))

# Rare made-up code names: each appears in about 1 message out of 2,500.
CODENAMES = """
quasarwing blueheron copperfox velvetcrane ironlotus amberkite
silentoak mosslight tidewhistle emberglass nightwren frostpetal
glowmarten cinderleaf stormpike duskmantle brightfjord hollowreed
""".split()

LOCALE_TEXT = {
    "de": ["Schöne Grüße aus München", "Die Änderungen für die Übersetzung",
           "Können wir am Donnerstag telefonieren", "Größe und Farbe passen",
           "Vielen Dank für die schnelle Rückmeldung"],
    "fr": ["Bonne journée et à bientôt", "Les épreuves sont prêtes à être imprimées",
           "Réunion au café à quinze heures", "Le devis révisé est en pièce jointe",
           "Merci beaucoup, c'était très réussi"],
    "ru": ["Спасибо за быстрый ответ", "Макет сайта готов к проверке",
           "Счёт за март во вложении", "Давайте созвонимся в четверг",
           "Хорошего дня"],
    "ja": ["いつもお世話になっております", "見積書を確認しました",
           "来週の打ち合わせについて", "デザイン案をお送りします",
           "よろしくお願いいたします"],
    "zh": ["关于新网站的合同", "请查看我们的报价单", "设计稿已经完成",
           "下周二开会讨论", "谢谢您的帮助"],
}
LOCALE_CHARSET = {"de": "iso-8859-1", "fr": "windows-1252", "ru": "koi8-r",
                  "ja": "iso-2022-jp", "zh": "utf-8", "en": "utf-8"}
PY_CODEC = {"iso-8859-1": "latin-1", "windows-1252": "cp1252", "koi8-r": "koi8_r",
            "iso-2022-jp": "iso2022_jp", "utf-8": "utf-8"}

CLIENTS = [
    # (domain, project, locale, [(name, local part)])
    ("acme.example", "website", "en", [("Bob Martin", "bob"), ("Carol Nguyen", "carol"),
                                       ("Lena Fischer", "lena"), ("Priya Shah", "priya")]),
    ("globex.example", "rebrand", "en", [("Dana Whitfield", "dana"), ("Ravi Kumar", "ravi")]),
    ("initech.example", "intranet", "en", [("Eve Santos", "eve"), ("Ivan Petrov", "ivan")]),
    ("bergmann.example", "translation", "de", [("Jürgen Groß", "juergen"), ("Anke Möller", "anke")]),
    ("lefevre-paris.example", "catalogue", "fr", [("François Lefèvre", "francois"),
                                                  ("Hélène Dupré", "helene")]),
    ("kawasemi.example", "packaging", "ja", [("田中 太郎", "tanaka"), ("佐藤 花子", "sato")]),
    ("lotus-trading.example", "website", "zh", [("王芳", "wang.fang"), ("李伟", "li.wei")]),
    ("severstal-media.example", "campaign", "ru", [("Ольга Смирнова", "olga"),
                                                   ("Дмитрий Иванов", "dmitry")]),
    ("umbrella.example", "exhibition", "en", [("Helen Park", "helen"), ("Tom Baker", "tom")]),
    ("northwind.example", "newsletter", "en", [("Mike Osei", "mike"), ("Nina Holm", "nina")]),
    ("hooli.example", "app", "en", [("Gavin Bell", "gavin"), ("Monica Hall", "monica")]),
    ("wayne-foods.example", "labels", "en", [("Bruce Allen", "bruce"), ("Alfred Penn", "alfred")]),
]
LIST = ("Freelance Designers", "list@designers.example")

# --correspondents many: more people per client, more clients, one-off senders.
FIRST_NAMES = """Alex Amy Ana Ben Beth Carl Chen Dan Dora Eli Emma Finn Gia Hana Ian Ida Jack
Jana Kai Kim Leo Lia Max Mia Ned Noor Olu Pia Raj Rosa Sam Sara Teo Uma Vic Wen Yan Zoe""".split()
LAST_NAMES = """Adams Berg Costa Diaz Evans Ford Garcia Hahn Ito Jones Kato Lund Moreau Nagy Olsen
Perez Quinn Rossi Silva Tanaka Ueda Voss Weber Xu Young Zhang""".split()


def people(r, n):
    """N made-up (name, local part) pairs."""
    out = []
    for k in range(n):
        first, last = r.choice(FIRST_NAMES), r.choice(LAST_NAMES)
        out.append(("%s %s" % (first, last), "%s.%s%d" % (first.lower(), last.lower(), k)))
    return out


def many_correspondents():
    """The clients and the one-off senders of --correspondents many: always
    the same (their own seed)."""
    r = random.Random(7)
    clients = [(d, p, loc, ppl + people(r, 150)) for d, p, loc, ppl in CLIENTS]
    clients += [("client%02d.example" % i, "work", "en", people(r, r.randint(10, 60)))
                for i in range(12, 50)]
    others = [("vendor%04d.example" % i, "misc", "en", people(r, 1)) for i in range(6000)]
    return clients, others

SUBJECTS = [
    "{P} {w1} {w2}", "Re: {P} {w1}", "{w1} for the {p}", "Quick question about the {w1}",
    "{P}: {w1} and {w2}", "Updated {w1} ({p})", "Invoice {n} for {p}", "{w1} {w2} {w3}",
    "Feedback on {w1}", "{P} {w1} v{v}", "Next steps: {w1}", "Meeting notes {d}",
]
ATTACH_TYPES = [
    ("application/pdf", "pdf", 0.35), ("image/png", "png", 0.2), ("image/jpeg", "jpg", 0.2),
    ("application/zip", "zip", 0.1),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", 0.1),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", 0.05),
]
START = 1672531200          # 2023-01-01T00:00:00Z
SPAN = 2 * 365 * 86400      # to 2024-12-31
# Attachment sizes, log-uniform between these (bytes), per --profile.
PROFILES = {"full": (1024, 200 * 1024), "small": (1024, 32 * 1024)}


def year_of(t):
    return time.gmtime(t).tm_year


def folders(first_year, last_year):
    """The folders of a corpus whose mail is dated first_year..last_year:
    one archive per year; with the default dates, the six of the docstring."""
    return (["INBOX", ".Sent"] + [".Archive.%d" % y for y in range(first_year, last_year + 1)]
            + ["Projects/Website", "Lists/Designers"])


FOLDERS = folders(year_of(START), year_of(START + SPAN - 1))


class Gen:
    def __init__(self, seed, profile="full"):
        self.r = random.Random(seed)
        self.attach_lo, self.attach_hi = PROFILES[profile]
        n = len(WORDS)
        self.cum = list(itertools.accumulate(1.0 / (k + 2.7) for k in range(n)))
        self.counter = 0

    def word(self):
        x = self.r.random() * self.cum[-1]
        return WORDS[bisect.bisect_left(self.cum, x)]

    def sentence(self, lo=5, hi=16):
        ws = [self.word() for _ in range(self.r.randint(lo, hi))]
        ws[0] = ws[0].capitalize()
        return " ".join(ws) + self.r.choice([".", ".", ".", "?", "!"])

    def paragraph(self):
        return " ".join(self.sentence() for _ in range(self.r.randint(1, 5)))

    def body(self, locale, codename):
        paras = [self.paragraph() for _ in range(self.r.randint(1, 7))]
        if locale != "en" and self.r.random() < 0.8:
            paras.insert(self.r.randrange(len(paras) + 1),
                         "\n".join(self.r.sample(LOCALE_TEXT[locale], 2)))
        if codename:
            paras.insert(self.r.randrange(len(paras) + 1),
                         "Internal code name: %s." % codename)
        return paras

    def attachment_size(self):
        # log-uniform; full: 1 KB .. 200 KB, median ~14 KB, mean ~38 KB;
        # small: 1 KB .. 32 KB, median ~6 KB, mean ~9 KB
        return int(math.exp(self.r.uniform(math.log(self.attach_lo), math.log(self.attach_hi))))


def wrap(text, width=72):
    out = []
    for para in text.split("\n"):
        line = ""
        for w in para.split(" "):
            if line and len(line) + 1 + len(w) > width:
                out.append(line)
                line = w
            else:
                line = (line + " " + w) if line else w
        out.append(line)
    return "\n".join(out)


def enc_word(text, charset, r):
    """RFC 2047-encode a header phrase when it is not plain ASCII."""
    if text.isascii():
        return text
    try:
        raw = text.encode(PY_CODEC[charset])
    except UnicodeEncodeError:
        charset, raw = "utf-8", text.encode("utf-8")
    if charset == "iso-2022-jp" or r.random() < 0.6:
        return "=?%s?B?%s?=" % (charset.upper(), base64.b64encode(raw).decode())
    q = "".join(chr(b) if (48 <= b <= 57 or 65 <= b <= 90 or 97 <= b <= 122) else
                "_" if b == 32 else "=%02X" % b for b in raw)
    return "=?%s?Q?%s?=" % (charset.upper(), q)


def fmt_addr(name, addr, charset, r):
    if name.isascii():
        return "%s <%s>" % (name, addr)
    return "%s <%s>" % (enc_word(name, charset, r), addr)


def qp(data):
    return quopri.encodestring(data).decode("ascii")


def b64(data):
    s = base64.b64encode(data).decode("ascii")
    return "\n".join(s[i:i + 76] for i in range(0, len(s), 76))


def html_of(paras):
    esc = lambda s: s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    body = "\n".join("<p>%s</p>" % esc(p).replace("\n", "<br>\n") for p in paras)
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
            "<style>p{font-family:Helvetica,Arial,sans-serif;font-size:14px}</style>"
            "</head>\n<body>\n%s\n</body></html>\n" % body)


def make_message(g, m):
    """m: dict with the message's metadata. Returns bytes."""
    r = g.r
    locale = m["locale"]
    charset = LOCALE_CHARSET[locale]
    if locale == "en" and r.random() < 0.08:
        charset = r.choice(["iso-8859-1", "windows-1252"])
    codec = PY_CODEC[charset]
    paras = m["paras"]
    text = "\n\n".join(wrap(p) for p in paras)
    if charset == "windows-1252":
        text = text.replace("Thanks", "\u201cThanks\u201d", 1).replace(" it's", " it\u2019s")
    if m["quote"]:
        text += "\n\n" + m["quote"]
    text += "\n\n-- \n%s\n" % m["from"][0]
    try:
        raw_text = text.encode(codec)
    except UnicodeEncodeError:
        charset, codec = "utf-8", "utf-8"
        raw_text = text.encode(codec)

    hdr = []
    if m["from"][1] != ME[1]:
        hdr.append("Return-Path: <%s>" % m["from"][1])
        hdr.append("Delivered-To: %s" % ME[1])
        hdr.append("Received: from mail.%s (mail.%s [192.0.2.%d])\n\tby mx.studio.example "
                   "(Postfix) with ESMTPS id %08X\n\tfor <%s>; %s" % (
                       m["from"][1].split("@")[1], m["from"][1].split("@")[1],
                       r.randint(1, 254), r.getrandbits(32), ME[1],
                       email.utils.formatdate(m["date"] + r.randint(1, 30), usegmt=True)))
    hcs = charset  # header words use the body's charset where they can
    hdr.append("From: " + fmt_addr(m["from"][0], m["from"][1], hcs, r))
    hdr.append("To: " + ", ".join(fmt_addr(n, a, hcs, r) for n, a in m["to"]))
    if m["cc"]:
        hdr.append("Cc: " + ", ".join(fmt_addr(n, a, hcs, r) for n, a in m["cc"]))
    hdr.append("Subject: " + enc_word(m["subject"], hcs, r))
    tz = m["tz"]
    hdr.append("Date: " + email.utils.formatdate(m["date"] + tz * 3600, localtime=False)
               .replace("-0000", "%+03d00" % tz))
    hdr.append("Message-ID: <%s>" % m["mid"])
    if m["irt"]:
        hdr.append("In-Reply-To: <%s>" % m["irt"])
        refs = ["<%s>" % x for x in m["refs"]]
        hdr.append("References: " + "\n ".join(refs))
    if m.get("list"):
        hdr.append("List-Id: Freelance Designers <designers.lists.designers.example>")
        hdr.append("List-Unsubscribe: <mailto:leave@designers.example>")
        hdr.append("Precedence: list")
    hdr.append("MIME-Version: 1.0")

    if charset == "iso-2022-jp":
        cte, enc_text = "7bit", raw_text.decode("ascii")
    elif charset == "utf-8" and locale == "zh":
        cte, enc_text = "base64", b64(raw_text)
    elif charset == "utf-8":
        if raw_text.isascii():
            cte, enc_text = "7bit", raw_text.decode("ascii")
        else:
            cte, enc_text = "quoted-printable", qp(raw_text)
    elif r.random() < 0.5:
        cte, enc_text = "quoted-printable", qp(raw_text)
    else:
        cte, enc_text = "8bit", raw_text.decode("latin-1")  # raw bytes kept below
    text_part = ("Content-Type: text/plain; charset=%s\nContent-Transfer-Encoding: %s\n\n%s"
                 % (charset, cte, enc_text.rstrip("\n") + "\n"))

    if m["html"]:
        h = html_of(paras + ([m["quote"]] if m["quote"] else []))
        html_part = ("Content-Type: text/html; charset=utf-8\n"
                     "Content-Transfer-Encoding: quoted-printable\n\n" + qp(h.encode()))
        b = "alt-%016x" % r.getrandbits(64)
        body_part = ('Content-Type: multipart/alternative; boundary="%s"\n\n'
                     "--%s\n%s\n--%s\n%s\n--%s--\n" % (b, b, text_part, b, html_part, b))
    else:
        body_part = text_part

    if m["attachments"]:
        b = "mix-%016x" % r.getrandbits(64)
        parts = [body_part]
        for ctype, fname, size in m["attachments"]:
            payload = r.randbytes(size)
            parts.append('Content-Type: %s; name="%s"\nContent-Disposition: attachment; '
                         'filename="%s"\nContent-Transfer-Encoding: base64\n\n%s\n'
                         % (ctype, fname, fname, b64(payload)))
        body = ('Content-Type: multipart/mixed; boundary="%s"\n\n' % b +
                "".join("--%s\n%s\n" % (b, p) for p in parts) + "--%s--\n" % b)
    else:
        body = body_part
    head, _, rest = body.partition("\n\n")
    out = "\n".join(hdr) + "\n" + head + "\n\n" + rest
    # 8bit legacy text went through latin-1 as a byte carrier; everything
    # else is ASCII or UTF-8 at this point.
    if cte == "8bit" and charset != "utf-8":
        return out.encode("latin-1")
    return out.encode("utf-8")


def plan(g, n, start=START, t0_span=SPAN - 40 * 86400, many=False):
    """Yield message metadata dicts, thread by thread, until n messages;
    threads start in [start, start + t0_span) (replies come up to ~5 weeks
    later). MANY: --correspondents many."""
    r = g.r
    clients, one_off = many_correspondents() if many else (CLIENTS, [])
    contacts = [(dom, proj, loc, name, "%s@%s" % (lp, dom))
                for dom, proj, loc, ppl in clients for name, lp in ppl]
    others = [(dom, proj, loc, name, "%s@%s" % (lp, dom))
              for dom, proj, loc, ppl in one_off for name, lp in ppl]
    # a few very active contacts (Zipf-ish)
    cweights = [1.0 / (i + 1) ** 0.8 for i in range(len(contacts))]
    if many:
        r.shuffle(contacts)   # the most active ones in every client, not the first's
    by_domain = {}
    for c in contacts:
        by_domain.setdefault(c[0], []).append(c)
    made = 0
    tid = 0
    while made < n:
        tid += 1
        t0 = start + r.randrange(t0_span)
        if r.random() < 0.08:   # mailing list thread
            dom, proj, loc = "designers.example", "list", "en"
            people = [(LIST[0], LIST[1])]
            is_list = True
        else:
            if many and r.random() < 0.15:
                dom, proj, loc, name, addr = r.choice(others)
            else:
                dom, proj, loc, name, addr = r.choices(contacts, cweights)[0]
            people = [(name, addr)]
            extra = [c for c in by_domain.get(dom, ()) if c[4] != addr]
            if extra and r.random() < 0.3:
                c = r.choice(extra)
                people.append((c[3], c[4]))
            is_list = False
        length = min(1 + int(r.expovariate(0.45)), 12)
        length = min(length, n - made)
        w1, w2, w3 = g.word(), g.word(), g.word()
        subj = r.choice(SUBJECTS).format(
            P="[%s-%d]" % (dom.split(".")[0].split("-")[0].upper(), r.randint(1, 60)),
            p=proj, w1=w1, w2=w2, w3=w3, n="%d-%03d" % (max(year_of(t0 - 1), year_of(start)),
                                                         r.randint(1, 200)),
            v=r.randint(2, 5), d=time.strftime("%d %b", time.gmtime(t0)))
        if loc != "en" and r.random() < 0.5:
            subj = r.choice(LOCALE_TEXT[loc])
        mids, prev = [], None
        date = t0
        sender_is_me = (not is_list) and r.random() < 0.25
        for k in range(length):
            g.counter += 1
            if k:
                date += r.randint(600, 3 * 86400)
                if is_list:
                    sender_is_me = False
                elif sender_is_me:
                    sender_is_me = r.random() < 0.1
                else:
                    sender_is_me = r.random() < 0.45
            frm = ME if sender_is_me else r.choice(people)
            to = [p for p in people if p != frm] if sender_is_me else [ME]
            if is_list:
                frm, to = (r.choice([("Anna Lee", "anna@freelancers.example"),
                                     ("Ben Okafor", "ben@freelancers.example"),
                                     ("Chloe Dubois", "chloe@freelancers.example")]),
                           [LIST])
            host = "mail.studio.example" if frm == ME else frm[1].split("@")[1]
            if many:
                mid = "CA%s@%s" % (base64.b32encode(r.randbytes(20)).decode().rstrip("="), host)
            else:
                mid = "%d.%d.%x@%s" % (date, g.counter, r.getrandbits(24), host)
            codename = r.choice(CODENAMES) if r.random() < 0.0075 else None
            paras = g.body(loc if frm != ME else "en", codename)
            quote = None
            if prev is not None and r.random() < 0.8:
                ql = wrap(" ".join(prev["paras"][:2]))
                quote = "On %s, %s wrote:\n" % (
                    time.strftime("%a, %d %b %Y %H:%M", time.gmtime(prev["date"])),
                    prev["from"][0]) + "\n".join("> " + l for l in ql.split("\n"))
            atts = []
            if r.random() < 0.30:
                for _ in range(1 if r.random() < 0.8 else 2):
                    ctype, ext, _w = r.choices(ATTACH_TYPES, [a[2] for a in ATTACH_TYPES])[0]
                    atts.append((ctype, "%s-%s-%d.%s" % (proj, g.word(), r.randint(1, 99), ext),
                                 g.attachment_size()))
            m = {
                "from": frm, "to": to,
                "cc": [p for p in people[1:] if p != frm and r.random() < 0.5] if not is_list else [],
                "subject": subj if k == 0 else ("Re: " + subj if not subj.startswith("Re:") else subj),
                "date": date, "tz": r.choice([0, 0, 1, 2, -5, -8, 9, 8, 3]),
                "mid": mid, "irt": prev["mid"] if prev else None,
                "refs": mids[-10:], "locale": loc if frm != ME else "en",
                "paras": paras, "quote": quote, "html": r.random() < 0.4,
                "attachments": atts, "list": is_list, "project": proj,
            }
            mids.append(mid)
            prev = m
            made += 1
            yield m


def folder_for(m, r, now):
    """Older years are archived; NOW is the archive's last day."""
    if m["list"]:
        return "Lists/Designers"
    if m["from"] == ME:
        return ".Sent"
    year = year_of(m["date"])
    if m["project"] == "website" and r.random() < 0.6:
        return "Projects/Website"
    if year < year_of(now):
        return ".Archive.%d" % year if r.random() < 0.8 else "INBOX"
    if m["date"] < now - 120 * 86400:
        return ".Archive.%d" % year_of(now) if r.random() < 0.6 else "INBOX"
    return "INBOX"


def generate(root, n, seed, dup_rate=0.02, profile="full", start=START,
             t0_span=SPAN - 40 * 86400, now=START + SPAN, first=0, correspondents="few"):
    """Write n messages into the Maildir tree ROOT (which must not exist) and
    return the summary. Threads start in [start, start + t0_span); NOW is the
    archive's last day (folders, new/). FIRST offsets the file names, so
    that slices written by separate calls do not collide. CORRESPONDENTS:
    "few" or "many" (--correspondents)."""
    if os.path.exists(root):
        sys.exit("%s exists; remove it first" % root)
    # The folders of the window's years, made up front (empty ones too); a
    # reply dated past the window gets its year's archive when it comes.
    made = folders(year_of(start), year_of(start + t0_span))
    if ".Archive.%d" % year_of(now) not in made:
        made.insert(-2, ".Archive.%d" % year_of(now))
    for f in made:
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(root, f, sub))
    made = list(made)

    def ensure(folder):
        if folder not in made:
            for sub in ("cur", "new", "tmp"):
                os.makedirs(os.path.join(root, folder, sub))
            made.append(folder)
    g = Gen(seed, profile)
    fr = random.Random(seed + 1)   # folder/dup decisions, independent of content
    dup_folders = [f for f in made if f != "Lists/Designers"]
    total_bytes = files = dups = 0
    per_folder = {f: 0 for f in made}
    t_start = time.time()
    for i, m in enumerate(plan(g, n, start, t0_span, correspondents == "many")):
        data = make_message(g, m)
        folder = folder_for(m, fr, now)
        ensure(folder)
        recent = m["date"] > now - 10 * 86400 and folder == "INBOX"
        base = "%d.M%dP%d.benchhost" % (m["date"], first + i, 4000 + i % 1000)
        if recent and fr.random() < 0.5:
            path = os.path.join(root, folder, "new", base)
        else:
            flags = "S" if fr.random() < 0.85 else fr.choice(["", "RS", "FS", "PS"])
            path = os.path.join(root, folder, "cur", base + ":2," + flags)
        with open(path, "wb") as fh:
            fh.write(data)
        os.utime(path, (m["date"], m["date"]))
        files += 1
        total_bytes += len(data)
        per_folder[folder] = per_folder.get(folder, 0) + 1
        if fr.random() < dup_rate:
            other = fr.choice([f for f in dup_folders if f != folder])
            p2 = os.path.join(root, other, "cur", base + ".dup:2,S")
            with open(p2, "wb") as fh:
                fh.write(data)
            os.utime(p2, (m["date"], m["date"]))
            files += 1
            dups += 1
            total_bytes += len(data)
            per_folder[other] += 1
    return {
        "seed": seed, "messages": n, "files": files, "duplicate_copies": dups,
        "total_bytes": total_bytes, "average_bytes": total_bytes // max(files, 1),
        "per_folder_files": per_folder, "maildir": root, "profile": profile,
        "correspondents": correspondents,
        "seconds": round(time.time() - t_start, 1),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=20000, help="number of messages (default 20000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                  "work", "corpus-20000"))
    ap.add_argument("--dup-rate", type=float, default=0.02)
    ap.add_argument("--profile", choices=sorted(PROFILES), default="full",
                    help="attachment sizes: full (1-200 KB, ~20 KB a message; default) or "
                    "small (1-32 KB, ~6.5 KB a message)")
    ap.add_argument("--correspondents", choices=("few", "many"), default="few",
                    help="few (31 addresses, Message-IDs that begin with the date; default) "
                    "or many (about 8,000 addresses, random Message-IDs)")
    a = ap.parse_args()

    summary = generate(os.path.join(a.out, "maildir"), a.n, a.seed, a.dup_rate, a.profile,
                       correspondents=a.correspondents)
    with open(os.path.join(a.out, "corpus.json"), "w") as fh:
        json.dump(summary, fh, indent=1)
    print("%d messages (%d files incl. %d duplicate copies), %.1f MB, average %.1f KB/file, "
          "seed %d, %.0f s" % (a.n, summary["files"], summary["duplicate_copies"],
                               summary["total_bytes"] / 1e6,
                               summary["total_bytes"] / summary["files"] / 1024, a.seed,
                               summary["seconds"]))
    print("folders: " + ", ".join("%s %d" % kv for kv in summary["per_folder_files"].items()))


if __name__ == "__main__":
    main()
