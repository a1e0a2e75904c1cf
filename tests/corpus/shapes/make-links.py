#!/usr/bin/env python3
"""Write tests/corpus/shapes/links-*: mail for --format=files and links.

links-mutt.mbox holds three messages with their flags in Status/X-Status
(as mutt writes them) and body lines that mboxrd quoting changed;
links-odd.eml is one message the test puts into a folder whose path has odd
characters. Each message has its own made-up search word.
tests/cli/links.sh reads them. The output is committed; this script remakes
it byte for byte.  Run from anywhere:
    python3 tests/corpus/shapes/make-links.py
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))

# (word, flag header lines, body lines after the word's, as stored in the mbox)
MESSAGES = [
    ("quillfenwick", b"Status: RO\nX-Status: F\n",
     # mboxrd: ">From" was "From", ">>From" was ">From"
     b">From here on, the quoted line.\n>>From the archive, quoted twice.\n"),
    ("marrowtansy", b"Status: O\n", b"Not read yet.\n"),
    ("pewterglade", b"Status: RO\n", b"A copy of this one is also in a maildir.\n"),
]


def message(i, word, flags, lines):
    head = b"From: Lin Marsh <lin@links.example>\n"
    head += b"To: Sam <sam@studio.example>\n"
    head += b"Subject: links %d\n" % i
    head += b"Date: Tue, 0%d Oct 2024 09:00:00 +0000\n" % i
    head += b"Message-ID: <links-%d@links.example>\n" % i
    head += flags
    body = b"This message's word is %s.\n" % word.encode() + lines
    return b"From lin@links.example Tue Oct  1 09:00:00 2024\n" + head + b"\n" + body


def main():
    out = b"\n".join(message(i + 1, *m) for i, m in enumerate(MESSAGES))
    with open(os.path.join(HERE, "links-mutt.mbox"), "wb") as f:
        f.write(out)
    odd = (b"From: Lin Marsh <lin@links.example>\nTo: Sam <sam@studio.example>\n"
           b"Subject: links odd\nDate: Tue, 08 Oct 2024 09:00:00 +0000\n"
           b"Message-ID: <links-odd@links.example>\n\n"
           b"This message's word is thimbleraft.\n")
    with open(os.path.join(HERE, "links-odd.eml"), "wb") as f:
        f.write(odd)


if __name__ == "__main__":
    main()
