#!/usr/bin/env python3
"""Write the contacts-*.eml sample messages of tests/corpus/shapes/: the
address book (issue 13, item 2): one person's addresses within a client (the
same name written differently, a personal address the config lists), role
names that must not merge, a relay's "via" name, a person in two clients'
mail, a nameless address, a long name to fold, and a display name full of
what vCard and mutt lines must escape (RFC 2047 encoded: control characters,
a newline, commas, semicolons, a backslash, a TAB).

The output is committed; this script documents how it was made and remakes it
byte for byte.  Run from anywhere:  python3 tests/corpus/shapes/make-contacts.py
Each message has its own made-up search word (README.md lists them).
"""
import base64
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def ew(text):
    """One RFC 2047 B encoded word, UTF-8."""
    return "=?UTF-8?B?%s?=" % base64.b64encode(text.encode("utf-8")).decode()


def message(n, sender, date, word, to="Sam <sam@studio.example>", cc=None):
    return ("From: %s\n"
            "To: %s\n%s"
            "Subject: Contacts shape %s\n"
            "Date: %s\n"
            "Message-ID: <contacts-%s@shapes.example>\n"
            "MIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=utf-8\n"
            "Content-Transfer-Encoding: 8bit\n"
            "\n"
            "Search word: %s\n" % (sender, to, "Cc: %s\n" % cc if cc else "",
                                   n, date, n, word))


HOSTILE = "Anna\x01 van\tVries, Jr.; QA\\Lead\r\nTeam"
LONG = ("Maximiliane Theodora Ålesund-Øvergård von Hohenzollern-Sigmaringen "
        "und Wittelsbach-Großherzogtum")

MESSAGES = {
    # Piet's work address, twice: the most used.
    "contacts-work-1.eml": message(
        "work-1", "Piet de Vries <piet@ferrule.example>",
        "Fri, 01 Mar 2024 09:00:00 +0000", "plovermint"),
    "contacts-work-2.eml": message(
        "work-2", "Piet de Vries <piet@ferrule.example>",
        "Tue, 05 Mar 2024 09:00:00 +0000", "quobbleton"),
    # The same name in other case, spacing and Outlook's quotes, another
    # address of the same domain: one person.
    "contacts-alias.eml": message(
        "alias", "\"'PIET  DE VRIES'\" <p.devries@ferrule.example>",
        "Fri, 08 Mar 2024 09:00:00 +0000", "snarvelop"),
    # Piet's personal address, which the test config lists under ferrule:
    # "Piet" begins "Piet de Vries". Cc'd to his work address, so filed.
    "contacts-personal.eml": message(
        "personal", "Piet <piet.personal@mail.example>",
        "Sun, 10 Mar 2024 20:00:00 +0000", "drindlewash",
        cc="Piet de Vries <piet@ferrule.example>"),
    # Two addresses named "Info": a role, not a person; two rows.
    "contacts-info-1.eml": message(
        "info-1", "Info <info@ferrule.example>",
        "Sat, 02 Mar 2024 08:00:00 +0000", "crumplevast"),
    "contacts-info-2.eml": message(
        "info-2", "Info <hello@ferrule.example>",
        "Sun, 03 Mar 2024 08:00:00 +0000", "wembleprox"),
    # A Google group writes Piet's name over its own address: not Piet's.
    "contacts-relay.eml": message(
        "relay", "'Piet de Vries' via Ferrule Team <team@groups.example>",
        "Mon, 11 Mar 2024 10:00:00 +0000", "glorbisham",
        to="Ferrule Team <team@groups.example>",
        cc="Sam <sam@studio.example>, Info <info@ferrule.example>"),
    # Piet writes to quayside too: a row in each client's book.
    "contacts-two-clients.eml": message(
        "two-clients", "Piet de Vries <piet@ferrule.example>",
        "Tue, 12 Mar 2024 11:00:00 +0000", "fennowhistle",
        cc="Mira Quist <mira@quayside.example>"),
    # An address without a name: the vCard's FN and mutt's name are it.
    "contacts-nameless.eml": message(
        "nameless", "<jon@quayside.example>",
        "Wed, 13 Mar 2024 12:00:00 +0000", "brastlewick"),
    # A name longer than a vCard line, non-ASCII around the 75th octet.
    "contacts-long.eml": message(
        "long", "%s <max@quayside.example>" % ew(LONG),
        "Thu, 14 Mar 2024 13:00:00 +0000", "yompletree"),
    # Everything vCard and mutt lines must escape or drop.
    "contacts-hostile.eml": message(
        "hostile", "%s <anna@ferrule.example>" % ew(HOSTILE),
        "Fri, 15 Mar 2024 14:00:00 +0000", "zintlegrove"),
}


def main():
    for name, text in sorted(MESSAGES.items()):
        with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)


if __name__ == "__main__":
    main()
