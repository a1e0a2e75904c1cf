#!/usr/bin/env python3
"""Writes the TNEF sample messages (tests/corpus/shapes/tnef-*.eml) and the
raw TNEF streams in them as fuzz seeds (fuzz/seeds/tnef/*.tnef).

A small TNEF writer of our own, from the published format ([MS-OXTNEF]
2.1.3): the signature 0x223E9F78, a 2-byte legacy key, then attributes of
level (1 message, 2 attachment), id (the type in the high word), length,
data and a checksum (the sum of the data bytes, mod 65536); attachments
start with attAttachRendData and carry attAttachTitle, attAttachData and
attAttachment (their MAPI properties: PR_ATTACH_LONG_FILENAME,
PR_ATTACH_MIME_TAG...). Deterministic: run it again, nothing changes.

    python3 tests/corpus/shapes/make-tnef.py
"""
import base64
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = os.path.join(HERE, "..", "..", "..", "fuzz", "seeds", "tnef")

SIGNATURE = 0x223E9F78
LVL_MESSAGE, LVL_ATTACHMENT = 1, 2
# Attribute ids: (type << 16) | id.
ATT_TNEF_VERSION = 0x00089006
ATT_OEM_CODEPAGE = 0x00069007
ATT_MESSAGE_CLASS = 0x00078008
ATT_BODY = 0x0002800C
ATT_MAPI_PROPS = 0x00069003
ATT_ATTACH_RENDDATA = 0x00069002
ATT_ATTACH_TITLE = 0x00018010
ATT_ATTACH_DATA = 0x0006800F
ATT_ATTACH_METAFILE = 0x00068011
ATT_ATTACHMENT = 0x00069005
# MAPI property types and tags (id << 16 | type).
PT_LONG, PT_STRING8, PT_UNICODE, PT_BINARY = 0x0003, 0x001E, 0x001F, 0x0102
PR_ATTACH_EXTENSION = 0x3703
PR_ATTACH_METHOD = 0x3705
PR_ATTACH_LONG_FILENAME = 0x3707
PR_ATTACH_MIME_TAG = 0x370E
PR_DISPLAY_NAME = 0x3001
PR_RTF_COMPRESSED = 0x1009
PR_SUBJECT = 0x0037


def attribute(level, att, data):
    return (struct.pack("<BII", level, att, len(data)) + data +
            struct.pack("<H", sum(data) & 0xFFFF))


def pad4(b):
    return b + b"\0" * (-len(b) % 4)


def prop(ptype, pid, value):
    """One MAPI property: its tag, then its value as [MS-OXTNEF] 2.1.3.4."""
    tag = struct.pack("<I", pid << 16 | ptype)
    if ptype == PT_LONG:
        return tag + struct.pack("<I", value)
    if ptype == PT_STRING8:
        value = value.encode("ascii") + b"\0"
    elif ptype == PT_UNICODE:
        value = value.encode("utf-16-le") + b"\0\0"
    # Variable-size values: a count (1), the size, the bytes padded to 4.
    return tag + struct.pack("<II", 1, len(value)) + pad4(value)


def props(*ps):
    return struct.pack("<I", len(ps)) + b"".join(ps)


def renddata():
    # atyp 1 (file), position -1 (none), no icon size, flags 0
    return struct.pack("<HIHHI", 1, 0xFFFFFFFF, 0, 0, 0)


def message_start():
    """What Outlook puts before the attachments: version, code page, class,
    a short plain body and message properties with a (fake) RTF body."""
    # An RTF body stored uncompressed ("MELA"): compressed size (from after
    # this field), raw size, magic, CRC (0 when not compressed), the RTF.
    raw = b"{\\rtf1\\ansi See the files.\\par}"
    rtf = struct.pack("<IIII", 12 + len(raw), len(raw), 0x414C454D, 0) + raw
    return (struct.pack("<IH", SIGNATURE, 0x4A17) +
            attribute(LVL_MESSAGE, ATT_TNEF_VERSION, struct.pack("<I", 0x00010000)) +
            attribute(LVL_MESSAGE, ATT_OEM_CODEPAGE, struct.pack("<II", 1252, 0)) +
            attribute(LVL_MESSAGE, ATT_MESSAGE_CLASS, b"IPM.Microsoft Mail.Note\0") +
            attribute(LVL_MESSAGE, ATT_BODY, b"See the files.\r\n\0") +
            attribute(LVL_MESSAGE, ATT_MAPI_PROPS,
                      props(prop(PT_STRING8, PR_SUBJECT, "Files from Outlook"),
                            prop(PT_BINARY, PR_RTF_COMPRESSED, rtf))))


def attachment(title, data, long_name=None, mime=None, icon=False):
    out = (attribute(LVL_ATTACHMENT, ATT_ATTACH_RENDDATA, renddata()) +
           attribute(LVL_ATTACHMENT, ATT_ATTACH_TITLE, title.encode("ascii") + b"\0") +
           attribute(LVL_ATTACHMENT, ATT_ATTACH_DATA, data))
    if icon:
        out += attribute(LVL_ATTACHMENT, ATT_ATTACH_METAFILE, b"\x01\x00\x09\x00" * 8)
    ps = [prop(PT_LONG, PR_ATTACH_METHOD, 1),
          prop(PT_STRING8, PR_ATTACH_EXTENSION, os.path.splitext(title)[1])]
    if long_name is not None:
        ps.append(prop(PT_UNICODE, PR_ATTACH_LONG_FILENAME, long_name))
        ps.append(prop(PT_UNICODE, PR_DISPLAY_NAME, long_name))
    if mime is not None:
        ps.append(prop(PT_STRING8, PR_ATTACH_MIME_TAG, mime))
    return out + attribute(LVL_ATTACHMENT, ATT_ATTACHMENT, props(*ps))


def pseudo_random(n, seed):
    """Deterministic bytes that look binary (a linear congruential generator)."""
    out = bytearray()
    x = seed
    for _ in range(n):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        out.append(x >> 16 & 0xFF)
    return bytes(out)


# The files inside, also read back by tests/cli/tnef.sh.
RATES_TXT = (b"Rates for 2024\r\n"
             b"Design: 95 EUR per hour; the word to find is plimsquorth.\r\n")
# A .docx is a zip: "PK" and then anything will do here.
PROPOSAL_DOCX = b"PK\x03\x04" + pseudo_random(3000, 7)
NOTES_TXT = "Notizen zur Übergabe, Stichwort vandergroast.\n".encode("utf-8")
LONG_NAME = "Übergabeprotokoll für Ελληνικά Kunden – März 2024 (endgültig).txt"

TWO_FILES = (message_start() +
             attachment("RATES-~1.TXT", RATES_TXT, long_name="rates-2024.txt",
                        mime="text/plain", icon=True) +
             attachment("PROPOS~1.DOC", PROPOSAL_DOCX, long_name="proposal.docx",
                        mime="application/vnd.openxmlformats-officedocument."
                        "wordprocessingml.document"))
LONG = message_start() + attachment("BERGAB~1.TXT", NOTES_TXT, long_name=LONG_NAME)
NO_FILES = message_start()
BAD_SIGNATURE = struct.pack("<I", 0x223E9F79) + TWO_FILES[4:]
TRUNCATED = TWO_FILES[:len(TWO_FILES) - 700]
# The attAttachData of the second file claims 16 bytes fewer than it has:
# its checksum is then read from the file's bytes.
_at = TWO_FILES.index(PROPOSAL_DOCX) - 4
LYING_LENGTH = (TWO_FILES[:_at] + struct.pack("<I", len(PROPOSAL_DOCX) - 16) +
                TWO_FILES[_at + 4:])


def message(name, msgid, subject, date, word, tnef, ctype, filename):
    b64 = base64.encodebytes(tnef).decode("ascii")
    name_param = '; name="%s"' % filename if filename else ""
    disposition = ('Content-Disposition: attachment; filename="%s"\n' % filename
                   if filename else "")
    return (f"""From: Kai Lindqvist <kai@fjordline.example>
To: Sam Studio <sam@studio.example>
Subject: {subject}
Date: {date}
Message-ID: <{msgid}>
MIME-Version: 1.0
X-Mailer: Microsoft Outlook 16.0
Content-Type: multipart/mixed; boundary="tnef-{name}"

--tnef-{name}
Content-Type: text/plain; charset=us-ascii

Hi Sam,

the files are attached ({word}).

Kai

--tnef-{name}
Content-Type: {ctype}{name_param}
Content-Transfer-Encoding: base64
{disposition}
{b64}
--tnef-{name}--
""")


MESSAGES = [
    ("two-files", "tnef-two-files.1@fjordline.example", "Rates and proposal",
     "Tue, 05 Mar 2024 10:00:00 +0100", "trevalunk", TWO_FILES,
     "application/ms-tnef", "winmail.dat"),
    ("long-name", "tnef-long-name.2@fjordline.example", "Handover notes",
     "Wed, 06 Mar 2024 11:00:00 +0100", "grumbeldash", LONG,
     "application/vnd.ms-tnef", None),
    ("no-files", "tnef-no-files.3@fjordline.example", "Just the RTF body",
     "Thu, 07 Mar 2024 12:00:00 +0100", "sniggerwald", NO_FILES,
     "application/octet-stream", "winmail.dat"),
    ("bad-signature", "tnef-bad-signature.4@fjordline.example", "Broken winmail, signature",
     "Fri, 08 Mar 2024 13:00:00 +0100", "wobblecrest", BAD_SIGNATURE,
     "application/ms-tnef", "winmail.dat"),
    ("truncated", "tnef-truncated.5@fjordline.example", "Broken winmail, cut short",
     "Sat, 09 Mar 2024 14:00:00 +0100", "frondlemere", TRUNCATED,
     "application/ms-tnef", "winmail.dat"),
    ("lying-length", "tnef-lying-length.6@fjordline.example", "Broken winmail, length",
     "Sun, 10 Mar 2024 15:00:00 +0100", "quastelbrim", LYING_LENGTH,
     "application/ms-tnef", "winmail.dat"),
]


def main():
    os.makedirs(SEEDS, exist_ok=True)
    for name, msgid, subject, date, word, tnef, ctype, filename in MESSAGES:
        with open(os.path.join(HERE, "tnef-%s.eml" % name), "w", newline="\n") as f:
            f.write(message(name, msgid, subject, date, word, tnef, ctype, filename))
        with open(os.path.join(SEEDS, "%s.tnef" % name), "wb") as f:
            f.write(tnef)


if __name__ == "__main__":
    main()
