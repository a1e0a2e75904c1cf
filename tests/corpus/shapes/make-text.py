#!/usr/bin/env python3
"""Write the text-*.eml sample messages of tests/corpus/shapes/: search text
folding (case and diacritics in every script, NFKC) and words that are only in
an HTML alternative (issue 12, items 5 and 6).

The output is committed; this script documents how it was made and remakes it
byte for byte.  Run from anywhere:  python3 tests/corpus/shapes/make-text.py
Each message has its own made-up ASCII search word (README.md lists them).
"""
import base64
import os
import quopri

HERE = os.path.dirname(os.path.abspath(__file__))


def ew(text):
    """One RFC 2047 B encoded word, UTF-8."""
    return "=?UTF-8?B?%s?=" % base64.b64encode(text.encode("utf-8")).decode()


def head(n, subject, date, extra=""):
    return ("From: Text Shapes <shapes@text.example>\n"
            "To: Sam <sam@studio.example>\n"
            "Subject: %s\n"
            "Date: %s\n"
            "Message-ID: <text-%s@text.example>\n"
            "MIME-Version: 1.0\n%s" % (subject, date, n, extra))


def plain(n, subject, date, body, cte="8bit"):
    if cte == "quoted-printable":
        data = quopri.encodestring(body.encode("utf-8")).decode("ascii")
    elif cte == "base64":
        data = base64.encodebytes(body.encode("utf-8")).decode("ascii")
    else:
        data = body
    return head(n, subject, date,
                "Content-Type: text/plain; charset=utf-8\n"
                "Content-Transfer-Encoding: %s\n" % cte) + "\n" + data


MESSAGES = {
    # Greek: tonos and dialytika, mixed case. Found by ελληνικα, ΕΛΛΗΝΙΚΑ, προιον.
    "text-greek.eml": plain(
        "greek", ew("Ελληνικά έγγραφα"), "Mon, 02 Sep 2024 09:00:00 +0300",
        "Καλημέρα,\n\nτα Ελληνικά έγγραφα για το νέο προϊόν είναι έτοιμα.\n"
        "Κωδικός: quillobrand\n", "quoted-printable"),
    # German: ß in a mixed-case word. Found by grosse, GROSSE, größe.
    "text-german.eml": plain(
        "german", ew("Die Größe der Lieferung"), "Tue, 03 Sep 2024 10:00:00 +0200",
        "Hallo Sam,\n\ndie Größe der Kisten passt nicht in die Straße.\n"
        "Stichwort: frostwimble\n"),
    # German in capitals: GROSSE with SS. Found by grosse, größe.
    "text-german-caps.eml": plain(
        "german-caps", "GROSSE KISTEN", "Wed, 04 Sep 2024 11:00:00 +0200",
        "ACHTUNG: GROSSE KISTEN KOMMEN MORGEN.\nSTICHWORT: TRUNDLEPICK\n"),
    # Full-width Latin: ＡＣＭＥ and a full-width unique word.
    "text-fullwidth.eml": plain(
        "fullwidth", ew("ＡＣＭＥ 請求書"), "Thu, 05 Sep 2024 12:00:00 +0900",
        "ＡＣＭＥ株式会社 御中\n\n請求書を送付します。ＺＡＲＱＵＩＬＬ\n", "base64"),
    # Ligatures: ﬁ and ﬂ as one character each.
    "text-ligature.eml": plain(
        "ligature", "The final file", "Fri, 06 Sep 2024 13:00:00 +0000",
        "Here is the ﬁnal ﬁle for the ﬂumbrix project at ACME.\n"),
    # Cyrillic: case, ё and й.
    "text-cyrillic.eml": plain(
        "cyrillic", ew("ПРИВЕТ из Москвы"), "Sat, 07 Sep 2024 14:00:00 +0300",
        "ПРИВЕТ, Сэм!\n\nЁЛКИ и ГРИБЫ уже на складе. Кодовое слово: КВАРТОЛИН.\n",
        "base64"),
    # Japanese with dakuten: ガラス (glass) and がっこう (school), never カラス
    # (crow) or かっこう (cuckoo), which text-japanese-ka.eml has.
    "text-japanese-ga.eml": plain(
        "japanese-ga", ew("ガラスの注文"), "Sun, 08 Sep 2024 15:00:00 +0900",
        "ガラスの注文は、がっこうに届きます。\nキーワード: glintmarrow\n", "base64"),
    "text-japanese-ka.eml": plain(
        "japanese-ka", ew("カラスの写真"), "Mon, 09 Sep 2024 16:00:00 +0900",
        "カラスの写真と、かっこうの声。\nキーワード: hushpebble\n", "base64"),
}

# multipart/alternative whose HTML has a word the plain text lacks.
HTML_ONLY = head(
    "html-only", "Your autumn offer", "Tue, 10 Sep 2024 17:00:00 +0000",
    'Content-Type: multipart/alternative; boundary="alt-text-1"\n') + """
--alt-text-1
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 7bit

Our autumn offer is here. Plain word: mossgrindle.

--alt-text-1
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

<html><body><p>Our autumn offer is here. Plain word: mossgrindle.</p>
<p style=3D"font-size:small">Only the HTML says <b>vortaphlex</b>.</p>
</body></html>

--alt-text-1--
"""
MESSAGES["text-html-only.eml"] = HTML_ONLY


def main():
    for name, text in sorted(MESSAGES.items()):
        with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)


if __name__ == "__main__":
    main()
