#!/usr/bin/env python3
"""Write tests/corpus/shapes/flags-mutt.mbox: mbox flags as mutt writes them.

Each message carries a combination of Status (R read, O old) and X-Status
(A answered, F flagged, T draft, D deleted) headers, or garbage in them,
and its own made-up search word. tests/cli/flags.sh reads it. The output is
committed; this script remakes it byte for byte.  Run from anywhere:
    python3 tests/corpus/shapes/make-flags.py
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))

# (word, Message-ID or None, the flag header lines as bytes, what flags.sh expects)
MESSAGES = [
    ("glimmerbock", "flags-1@mutt.example", b"Status: RO\n", "seen"),
    ("tallowquist", "flags-2@mutt.example", b"Status: O\n", "none: old is no flag"),
    ("brackenfume", "flags-3@mutt.example", b"", "none: no Status at all"),
    ("oxlipgrove", "flags-4@mutt.example", b"Status: RO\nX-Status: AF\n",
     "seen, replied, flagged"),
    ("pebblewraith", "flags-5@mutt.example", b"Status: O\nX-Status: T\n", "draft"),
    ("sorrelmantle", "flags-6@mutt.example", b"Status: RO\nX-Status: D\n", "seen, trashed"),
    ("quincebarrow", "flags-7@mutt.example", b"status: Zq!R??\nx-status: xyz F 9\n",
     "names in any case, unknown letters ignored: seen, flagged"),
    ("mistletorch", "flags-8@mutt.example", b"Status: \xff\xfeR\x80\nX-Status: \xe9A\n",
     "not UTF-8: seen, replied"),
    ("larchpocket", "flags-9@mutt.example", b"X-Status: A\n", "replied, no Status: unread"),
    ("cobblewane", "flags-10@mutt.example", b"X-Status:\n\tF\n",
     "a folded value: only the first line counts, none"),
    ("fennelcrowd", None, b"Status: O\n", "no Message-ID; flags.sh marks it read"),
]


def message(i, word, mid, flags):
    head = b"From: Mutt User <mutt%d@mutt.example>\n" % i
    head += b"To: Sam <sam@studio.example>\n"
    head += b"Subject: flags %d\n" % i
    head += b"Date: Mon, 0%d Jan 2024 10:00:00 +0000\n" % (i % 9 + 1)
    if mid:
        head += b"Message-ID: <%s>\n" % mid.encode()
    head += flags
    body = b"This message's word is %s.\n" % word.encode()
    return b"From mutt%d@mutt.example Mon Jan  1 10:00:00 2024\n" % i + head + b"\n" + body


def main():
    out = b"\n".join(message(i + 1, *m[:3]) for i, m in enumerate(MESSAGES))
    with open(os.path.join(HERE, "flags-mutt.mbox"), "wb") as f:
        f.write(out)


if __name__ == "__main__":
    main()
