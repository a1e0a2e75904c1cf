#!/usr/bin/env python3
"""Write the labelled mailbox under tests/labelled/ (maildir/ and LABELS).

Every message stands for one case of follow-ups and automated mail; LABELS
says what mailclerk must make of it, and tests/cli/labelled.sh checks that.
The output is committed; this script remakes it byte for byte (no clock, no
randomness): python3 tests/labelled/make.py
The user is sam@studio.example; "now" in the test is 2025-03-01 12:00 UTC.
"""
import base64
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
ME = "Sam Carter <sam@studio.example>"

# (label, message-id, folder, maildir flags, date, from, to, cc, subject,
#  extra headers, in-reply-to, body, attachments [(name, type, bytes)])
MESSAGES = []
LABELS = []


def msg(mid, folder, flags, date, frm, to, subject, body, cc=None, headers=(),
        reply_to=None, attachments=(), label=""):
    MESSAGES.append(dict(mid=mid, folder=folder, flags=flags, date=date, frm=frm, to=to,
                         cc=cc, subject=subject, headers=list(headers), irt=reply_to,
                         body=body, attachments=list(attachments)))
    if label:
        LABELS.append((mid, label))


# Automated mail: one message per signal, and the near misses.
msg("news-1@globex.example", "INBOX", "S", "Wed, 26 Feb 2025 08:00:00 +0000",
    "Globex News <news@globex.example>", ME, "Globex quarterly update",
    "Our quarter in review.\n", headers=["List-Id: Globex news <news.globex.example>"],
    label="automated List-Id")
msg("bulk-1@globex.example", "INBOX", "S", "Tue, 25 Feb 2025 08:00:00 +0000",
    "Globex <info@globex.example>", ME, "Spring catalogue",
    "New products this spring.\n", headers=["Precedence: bulk"],
    label="automated Precedence")
msg("unsub-1@globex.example", "INBOX", "S", "Mon, 24 Feb 2025 08:00:00 +0000",
    "Globex Offers <offers@globex.example>", ME, "This week's offers",
    "Ten percent off.\n",
    headers=["List-Unsubscribe: <mailto:unsubscribe@globex.example>"],
    label="automated List-Unsubscribe")
msg("post-1@acme.example", "INBOX", "S", "Mon, 24 Feb 2025 09:00:00 +0000",
    "Dev list <dev@acme.example>", ME, "[dev] build is green",
    "All green.\n", headers=["List-Post: <mailto:dev@acme.example>"],
    label="automated List-Post")
msg("autoreply-1@acme.example", "INBOX", "S", "Wed, 05 Feb 2025 10:00:00 +0000",
    "Carol Diaz <carol@acme.example>", ME, "Re: Workshop dates",
    "I am away until Monday.\n", headers=["X-Autoreply: yes"],
    label="automated X-Autoreply")
msg("autorespond-1@initech.example", "INBOX", "S", "Thu, 06 Feb 2025 10:00:00 +0000",
    "Erin Wu <erin@initech.example>", ME, "Re: Quote",
    "Thanks, we will get back to you.\n", headers=["X-Autorespond: yes"],
    label="automated X-Autorespond")
msg("bounce-1@acme.example", "INBOX", "S", "Thu, 20 Feb 2025 11:00:00 +0000",
    "Acme Billing <billing@acme.example>", ME, "Statement February",
    "Your statement is ready.\n", headers=["Return-Path: <>"],
    label="automated Return-Path")
msg("ticket-1@acme.example", "INBOX", "S", "Mon, 24 Feb 2025 12:00:00 +0000",
    "Acme Support <noreply@acme.example>", ME, "Ticket #123 was updated",
    "A comment was added.\n", label="automated machine sender noreply@acme.example")
msg("alert-1@monitor.initech.example", "INBOX", "S", "Tue, 25 Feb 2025 12:00:00 +0000",
    "Monitor <status@monitor.initech.example>", ME, "Disk usage 80%",
    "The disk is filling up.\n", label="automated config")
msg("dsn-1@mx.studio.example", "INBOX", "S", "Wed, 26 Feb 2025 12:00:00 +0000",
    "Mail Delivery System <postmaster@mx.studio.example>", ME,
    "Undelivered Mail Returned to Sender", None, label="automated multipart/report")
# A machine-looking sender the config says is a person: its question is owed.
msg("person-1@acme.example", "INBOX", "S", "Wed, 26 Feb 2025 15:00:00 +0000",
    "Acme Notifications Desk <notifications@acme.example>", ME, "Can you check invoice 77?",
    "Dana here, on the shared desk address: is invoice 77 right?\n",
    label="person owe")
msg("nomark-1@acme.example", "INBOX", "S", "Fri, 14 Feb 2025 09:00:00 +0000",
    "Bob Stone <bob@acme.example>", ME, "Printer quotes", "Which printer do we use?\n",
    headers=["Auto-Submitted: no"], label="person")
msg("nomark-1-re@studio.example", "Sent", "S", "Fri, 14 Feb 2025 10:00:00 +0000",
    ME, "Bob Stone <bob@acme.example>", "Re: Printer quotes", "The usual one.\n",
    reply_to="nomark-1@acme.example")
msg("nomark-1-re2@acme.example", "INBOX", "S", "Fri, 28 Feb 2025 09:00:00 +0000",
    "Bob Stone <bob@acme.example>", ME, "Re: Printer quotes", "Fine, thanks.\n",
    headers=["Precedence: first-class"], reply_to="nomark-1-re@studio.example",
    label="person owe")

# Follow-ups with acme.
msg("t1@acme.example", "INBOX", "S", "Thu, 20 Feb 2025 09:00:00 +0000",
    "Bob Stone <bob@acme.example>", ME, "Quote for the brochure",
    "Could you send a quote?\n", label="owe")
msg("t2@acme.example", "INBOX", "S", "Mon, 10 Feb 2025 09:00:00 +0000",
    "Bob Stone <bob@acme.example>", ME, "Logo files", "Where are the logo files?\n")
msg("t2-re@studio.example", "Sent", "S", "Tue, 25 Feb 2025 09:00:00 +0000",
    ME, "Bob Stone <bob@acme.example>", "Re: Logo files", "Attached soon.\n",
    reply_to="t2@acme.example", label="answered")
msg("t3@acme.example", "INBOX", "RS", "Sat, 15 Feb 2025 09:00:00 +0000",
    "Carol Diaz <carol@acme.example>", ME, "Meeting notes",
    "Notes from Tuesday, any comments?\n", label="replied-flag")
msg("t4@acme.example", "INBOX", "S", "Sat, 22 Feb 2025 09:00:00 +0000",
    "Dave Moss <dave@acme.example>", "Team <team@acme.example>", "Schedule for March",
    "Sam, can you confirm the dates?\n", cc=ME, label="owe")
msg("t5@acme.example", "INBOX", "S", "Sun, 23 Feb 2025 09:00:00 +0000",
    "Erin Moss <erin@acme.example>", "Team <team@acme.example>", "Office closed Friday",
    "The office is closed on Friday.\n", label="not-addressed")
msg("t6@studio.example", "Sent", "S", "Sat, 01 Feb 2025 09:00:00 +0000",
    ME, "Bob Stone <bob@acme.example>", "Invoice 2025-01",
    "Please find the January invoice.\n", label="chase")
msg("t6-ooo@acme.example", "INBOX", "S", "Sat, 01 Feb 2025 09:01:00 +0000",
    "Bob Stone <bob@acme.example>", ME, "Out of office: Invoice 2025-01",
    "I am out of the office.\n", headers=["Auto-Submitted: auto-replied"],
    reply_to="t6@studio.example", label="automated Auto-Submitted")
msg("t7@studio.example", "Sent", "S", "Mon, 24 Feb 2025 09:00:00 +0000",
    ME, "Bob Stone <bob@acme.example>", "Draft contract", "Here is the draft.\n",
    label="too-young")
msg("t8@acme.example", "INBOX", "S", "Tue, 01 Oct 2024 09:00:00 +0000",
    "Bob Stone <bob@acme.example>", ME, "Old question", "Still there?\n",
    label="history owe")
msg("t9@acme.example", "INBOX", "S", "Tue, 18 Feb 2025 09:00:00 +0000",
    "Bob Stone <bob@acme.example>", ME, "Photos for the site", "Photos attached.\n",
    label="owe done")
msg("t10@acme.example", "INBOX", "S", "Wed, 19 Feb 2025 09:00:00 +0000",
    "Bob Stone <bob@acme.example>", ME, "Hosting renewal", "Renew hosting?\n",
    label="owe snooze")
msg("w1@acme.example", "INBOX", "S", "Fri, 10 Jan 2025 09:00:00 +0000",
    "Bob Stone <bob@acme.example>", ME, "Website copy", "The copy for the website.\n")
msg("w1-re@studio.example", "Sent", "S", "Sat, 11 Jan 2025 09:00:00 +0000",
    ME, "Bob Stone <bob@acme.example>", "Re: Website copy", "Thanks, will use it.\n",
    reply_to="w1@acme.example", label="chase quiet-project")
PDF = b"%PDF-1.4\n% labelled mailbox spec\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
msg("spec-1@acme.example", "INBOX", "RS", "Wed, 12 Feb 2025 09:00:00 +0000",
    "Carol Diaz <carol@acme.example>", ME, "Specs for the app",
    "Specs and a brief attached.\n",
    attachments=[("spec.pdf", "application/pdf", PDF),
                 ("brief.txt", "text/plain", b"Brief: an app for field staff.\n")],
    label="replied-flag saved-file")

# Globex: quiet for longer than its followup_days (30); its newsletters are
# not an exchange.
msg("g1@globex.example", "INBOX", "S", "Tue, 14 Jan 2025 09:00:00 +0000",
    "Jane Roe <jane@globex.example>", ME, "Q1 plan", "Shall we plan Q1?\n")
msg("g1-re@studio.example", "Sent", "S", "Wed, 15 Jan 2025 09:00:00 +0000",
    ME, "Jane Roe <jane@globex.example>", "Re: Q1 plan", "Yes, next week.\n",
    reply_to="g1@globex.example", label="chase quiet-client")
# Initech: a fresh question.
msg("i1@initech.example", "INBOX", "S", "Wed, 26 Feb 2025 09:00:00 +0000",
    "Tom Lee <tom@initech.example>", ME, "Kickoff", "When can we start?\n", label="owe")
# Umbrella is `active = no`.
msg("u1@umbrella.example", "INBOX", "S", "Sun, 15 Dec 2024 09:00:00 +0000",
    "Ann Bell <ann@umbrella.example>", ME, "Are you available?", "A small job?\n",
    label="owe inactive")


def render(m):
    lines = ["Return-Path: <>" if "Return-Path: <>" in m["headers"] else
             "Return-Path: <%s>" % m["frm"].split("<")[-1].rstrip(">"),
             "From: " + m["frm"], "To: " + m["to"]]
    if m["cc"]:
        lines.append("Cc: " + m["cc"])
    lines += ["Subject: " + m["subject"], "Date: " + m["date"],
              "Message-ID: <%s>" % m["mid"]]
    if m["irt"]:
        lines += ["In-Reply-To: <%s>" % m["irt"], "References: <%s>" % m["irt"]]
    lines += [h for h in m["headers"] if not h.startswith("Return-Path")]
    lines.append("MIME-Version: 1.0")
    if m["mid"].startswith("dsn-"):
        b = "dsn-boundary"
        lines += ["Content-Type: multipart/report; report-type=delivery-status;",
                  ' boundary="%s"' % b, "", "--" + b,
                  "Content-Type: text/plain; charset=us-ascii", "",
                  "Your message to nobody@acme.example could not be delivered.", "",
                  "--" + b, "Content-Type: message/delivery-status", "",
                  "Reporting-MTA: dns; mx.studio.example", "",
                  "Final-Recipient: rfc822; nobody@acme.example", "Action: failed",
                  "Status: 5.1.1", "", "--" + b + "--", ""]
    elif m["attachments"]:
        b = "part-boundary"
        lines += ['Content-Type: multipart/mixed; boundary="%s"' % b, "", "--" + b,
                  "Content-Type: text/plain; charset=utf-8", "", m["body"].rstrip("\n")]
        for name, ctype, data in m["attachments"]:
            enc = base64.b64encode(data).decode()
            lines += ["--" + b, "Content-Type: %s; name=\"%s\"" % (ctype, name),
                      "Content-Disposition: attachment; filename=\"%s\"" % name,
                      "Content-Transfer-Encoding: base64", ""]
            lines += [enc[i:i + 76] for i in range(0, len(enc), 76)]
        lines += ["--" + b + "--", ""]
    else:
        lines += ["Content-Type: text/plain; charset=utf-8", "", m["body"].rstrip("\n"), ""]
    return "\n".join(lines)


def main():
    out = os.path.join(HERE, "maildir")
    shutil.rmtree(out, ignore_errors=True)
    for folder in ("INBOX", ".Sent"):
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(out, folder, sub))
            if sub != "cur":
                open(os.path.join(out, folder, sub, ".gitkeep"), "w").close()
    for n, m in enumerate(MESSAGES):
        folder = "INBOX" if m["folder"] == "INBOX" else ".Sent"
        name = "1740000%03d.M%dP1.labelled:2,%s" % (n, n, m["flags"])
        with open(os.path.join(out, folder, "cur", name), "w") as f:
            f.write(render(m))
    with open(os.path.join(HERE, "LABELS"), "w") as f:
        f.write("# Message-ID, then what mailclerk must make of it (tests/cli/labelled.sh).\n")
        for mid, label in LABELS:
            f.write("%s\t%s\n" % (mid, label))


if __name__ == "__main__":
    main()
