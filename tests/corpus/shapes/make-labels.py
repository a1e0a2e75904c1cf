#!/usr/bin/env python3
"""Writes the labels- sample mail of tests/corpus/shapes (README.md there):
a Gmail Takeout style mbox whose messages carry X-Gmail-Labels in every
shape the parser must read (nested, quoted with a comma, non-ASCII, RFC 2047,
8-bit Latin-1, control characters and doubles, a 1 MB header), and one file
fetched from Gmail with the header. Deterministic: run it again and git
shows no change.

    python3 tests/corpus/shapes/make-labels.py
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def message(n, gm_id, labels, subject, word, date, extra=b""):
    """One message as bytes; LABELS is the raw header value (bytes) or None."""
    head = b"X-GM-THRID: " + gm_id.encode() + b"\n"
    if labels is not None:
        head += b"X-Gmail-Labels: " + labels + b"\n"
    head += extra
    head += (
        "Delivered-To: sam@studio.example\n"
        "From: Kari Nordmann <kari@kaneren.example>\n"
        "To: Sam Carter <sam@studio.example>\n"
        f"Subject: {subject}\n"
        f"Date: {date}\n"
        f"Message-ID: <labels-{n}@kaneren.example>\n"
        "MIME-Version: 1.0\n"
        'Content-Type: text/plain; charset="UTF-8"\n'
        "\n"
        f"Sam, this is about {word}.\n"
        "Kari\n"
    ).encode()
    return head


def big_labels():
    """About 1 MB of labels: Bulk000000, Bulk000001, ... and, past the
    200 kept, Clients/Kaneren, which must be dropped."""
    parts = []
    size = 0
    i = 0
    while size < 1024 * 1024:
        p = b"Bulk%06d" % i
        parts.append(p)
        size += len(p) + 1
        i += 1
    parts.append(b"Clients/Kaneren")
    return b",".join(parts)


MESSAGES = [
    # n, Gmail id, labels, subject, word, date, extra headers
    (1, "1800000000000000001", b"Inbox,Opened,Clients/Kaneren,Important",
     "Kaneren kickoff", "quorvintel", "Mon, 06 May 2024 09:00:00 +0000", b""),
    (2, "1800000000000000002", b"Archived,Clients/Acme,Category Updates",
     "Acme status", "brastomile", "Tue, 07 May 2024 09:00:00 +0000", b""),
    (3, "1800000000000000003", b'Clients/Acme/Web,"Label, with comma",Starred',
     "Acme web launch", "fendrocalp", "Wed, 08 May 2024 09:00:00 +0000", b""),
    (4, "1800000000000000004", b"Clients,Category Promotions,Unread",
     "Offers for clients", "glimwarrow", "Thu, 09 May 2024 09:00:00 +0000", b""),
    # Raw UTF-8; "Kåneren" is a near miss of /Kaneren/.
    (5, "1800000000000000005", "Inbox,Clients/Kåneren Øst,Ελληνικά".encode(),
     "Nordic office", "hestupline", "Fri, 10 May 2024 09:00:00 +0000", b""),
    # Gmail encodes a value with non-ASCII labels as one encoded word.
    (6, "1800000000000000006",
     b"=?UTF-8?Q?Inbox,Caf=C3=A9_cr=C3=A8me,Clients/Kaneren/Invoices?=",
     "Kaneren invoice", "jopplesque", "Sat, 11 May 2024 09:00:00 +0000", b""),
    # 1 MB: 200 labels kept, the rest (Clients/Kaneren at the end) dropped.
    (7, "1800000000000000007", big_labels(),
     "Too many labels", "kravendish", "Sun, 12 May 2024 09:00:00 +0000", b""),
    # 8-bit Latin-1 in no declared charset: read as windows-1252.
    (8, "1800000000000000008", b"Inbox,Caf\xe9 Paris",
     "Paris trip", "lustomerge", "Mon, 13 May 2024 09:00:00 +0000", b""),
    # No X-Gmail-Labels: another program's header is no label.
    (9, "1800000000000000009", None,
     "No labels here", "mizzleport", "Tue, 14 May 2024 09:00:00 +0000",
     b"X-Labels: Clients/Kaneren\n"),
    # Blanks, empty labels, doubles in any case and a control character.
    (10, "1800000000000000010", b"  inbox , INBOX,,Clients/KANEREN, \x01Tab\x01bed ,Inbox",
     "Messy labels", "nobbleview", "Wed, 15 May 2024 09:00:00 +0000", b""),
]

FETCHED = (
    "X-Gmail-Labels: Sent,Clients/Acme\n"
    "From: Sam Carter <sam@studio.example>\n"
    "To: Ann Lee <ann@acme.example>\n"
    "Subject: Fetched from Gmail\n"
    "Date: Thu, 16 May 2024 09:00:00 +0000\n"
    "Message-ID: <labels-11@studio.example>\n"
    "MIME-Version: 1.0\n"
    'Content-Type: text/plain; charset="UTF-8"\n'
    "\n"
    "Ann, the pellucidor mockups are attached to the ticket.\n"
    "Sam\n"
).encode()


def main():
    out = []
    for n, gm_id, labels, subject, word, date, extra in MESSAGES:
        out.append(b"From %s@xxx Mon May 06 09:00:00 +0000 2024\n" % gm_id.encode())
        out.append(message(n, gm_id, labels, subject, word, date, extra))
        out.append(b"\n")
    with open(os.path.join(HERE, "labels-takeout.mbox"), "wb") as f:
        f.write(b"".join(out))
    with open(os.path.join(HERE, "labels-fetched.eml"), "wb") as f:
        f.write(FETCHED)


if __name__ == "__main__":
    main()
