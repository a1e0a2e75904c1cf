#!/usr/bin/env python3
"""A hostile IMAP server for tests/cli/imap.sh: junk-server.py MODE PORTFILE.

Listens on 127.0.0.1 (port written to PORTFILE), answers one connection at a
time, plaintext, and misbehaves as MODE says:
  garbage   a greeting of binary junk
  literal   a sane greeting, then a capability answer announcing a 4 GB
            literal and streaming zeros after it
  badfetch  logs in and lists fine, then answers the folder's UID FETCH with
            a FETCH response that is not IMAP
  no        logs in, then answers EXAMINE with NO and its own text
  names     a working server whose LIST "" "*" returns hostile names (empty,
            8-bit, "../../etc", "a%2Fb"), each folder holding one message
  nobody    a working server that answers a body FETCH without the body
  sizelie   a working server whose RFC822.SIZE says 100 bytes for a 2 MB
            message
  desync    a working server whose UID list answer has an unreadable line,
            followed by more answer lines
"""
import socket, sys

mode, portfile = sys.argv[1], sys.argv[2]
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(4)
with open(portfile + ".tmp", "w") as f:
    f.write(str(srv.getsockname()[1]))
import os
os.rename(portfile + ".tmp", portfile)


NAMES = [b"INBOX", b"", b"caf\xe9", b"../../etc", b"a%2Fb"]


def message(name):
    mid = name.hex() or "empty"
    body = b"From: a@junk.example\r\nSubject: folder %s\r\nMessage-ID: <f-%s@junk>\r\n\r\nbody\r\n" % (
        name.hex().encode(), mid.encode())
    if mode == "sizelie":
        body += b"x" * (2 * 1024 * 1024) + b"\r\n"
    return body


def read_command(f, c):
    """A command line with any literals ({n}) read in, or None."""
    line = f.readline()
    if not line:
        return None
    while line.rstrip(b"\r\n").endswith(b"}") and b"{" in line:
        n = int(line.rstrip(b"\r\n").rsplit(b"{", 1)[1][:-1].rstrip(b"+"))
        c.sendall(b"+ go on\r\n")
        line += f.read(n) + f.readline()
    return line


def argument(line):
    """The mailbox argument of EXAMINE: quoted, literal or atom."""
    rest = line.split(b" ", 2)[2].rstrip(b"\r\n")
    if rest.startswith(b'"'):
        return rest[1:-1].replace(b'\\"', b'"').replace(b"\\\\", b"\\")
    if rest.startswith(b"{"):
        return rest.split(b"\r\n", 1)[1]
    return rest


def serve_mailbox(c, f):
    """The working modes: a server with NAMES, one message each."""
    c.sendall(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] junk server ready\r\n")
    current = None
    while True:
        line = read_command(f, c)
        if line is None:
            return
        tag, cmd = line.split(b" ", 2)[:2]
        cmd = cmd.strip().upper()
        if cmd == b"CAPABILITY":
            c.sendall(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n" + tag + b" OK done\r\n")
        elif cmd == b"LOGIN":
            c.sendall(tag + b" OK logged in\r\n")
        elif cmd == b"LIST":
            if line.rstrip().endswith(b'""'):
                c.sendall(b'* LIST (\\Noselect) "/" ""\r\n' + tag + b" OK done\r\n")
            else:
                out = b""
                for n in (NAMES if mode == "names" else [b"INBOX"]):
                    out += b'* LIST () "/" {%d}\r\n%s\r\n' % (len(n), n)
                c.sendall(out + tag + b" OK done\r\n")
        elif cmd == b"EXAMINE":
            current = argument(line)
            c.sendall(b"* 1 EXISTS\r\n* OK [UIDVALIDITY 7] x\r\n" + tag + b" OK [READ-ONLY] done\r\n")
        elif cmd == b"UID" and b"RFC822.SIZE" in line:
            size = 100 if mode == "sizelie" else len(message(current))
            out = b"* 1 FETCH (UID 1 RFC822.SIZE %d)\r\n" % size
            if mode == "desync":
                out = b"* 1 FETCH (UID 1 RFC822.SIZE ((((\r\n* 1 FETCH (UID 1)\r\n" + tag + b" OK done\r\n"
                out += b"* 2 FETCH (UID 2 RFC822.SIZE 10)\r\n"
            c.sendall(out + tag + b" OK done\r\n")
        elif cmd == b"UID":
            if mode == "nobody":
                c.sendall(b"* 1 FETCH (UID 1 FLAGS ())\r\n" + tag + b" OK done\r\n")
            else:
                body = message(current)
                c.sendall(b"* 1 FETCH (UID 1 FLAGS () BODY[] {%d}\r\n%s)\r\n" % (len(body), body)
                          + tag + b" OK done\r\n")
        elif cmd == b"LOGOUT":
            c.sendall(b"* BYE\r\n" + tag + b" OK bye\r\n")
            return
        else:
            c.sendall(tag + b" BAD what?\r\n")


def serve(c):
    f = c.makefile("rb")
    if mode in ("names", "nobody", "sizelie", "desync"):
        return serve_mailbox(c, f)
    if mode == "garbage":
        c.sendall(b"\x00\xff\xfe junk \x1b[31m {12}\r\n" * 50)
        return
    c.sendall(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] junk server ready\r\n")
    for line in f:
        parts = line.split(b" ", 2)
        if len(parts) < 2:
            return
        tag, cmd = parts[0], parts[1].strip().upper()
        if mode == "literal" and cmd == b"CAPABILITY":
            c.sendall(b"* CAPABILITY {4294967290}\r\n")
            zeros = b"\0" * 65536
            try:
                for _ in range(2000):  # 128 MB, then give up
                    c.sendall(zeros)
            except OSError:
                pass
            return
        if cmd == b"CAPABILITY":
            c.sendall(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n" + tag + b" OK done\r\n")
        elif cmd == b"LOGIN":
            c.sendall(tag + b" OK logged in\r\n")
        elif cmd == b"LIST":
            c.sendall(b'* LIST () "/" INBOX\r\n' + tag + b" OK done\r\n")
        elif cmd == b"EXAMINE":
            if mode == "no":
                c.sendall(tag + b" NO [NONEXISTENT] Mailbox is on holiday\r\n")
            else:
                c.sendall(b"* 1 EXISTS\r\n* OK [UIDVALIDITY 7] x\r\n* OK [UIDNEXT 2] x\r\n"
                          + tag + b" OK [READ-ONLY] done\r\n")
        elif cmd == b"UID" and mode == "badfetch":
            c.sendall(b"* 1 FETCH (UID 1 RFC822.SIZE 10 BODY[] {99999} \x00\xff)\r\n"
                      b"* 1 FETCH ((((((((((((((((((((\r\n" + tag + b" OK done\r\n")
        elif cmd == b"LOGOUT":
            c.sendall(b"* BYE\r\n" + tag + b" OK bye\r\n")
            return
        else:
            c.sendall(tag + b" BAD what?\r\n")


while True:
    c, _ = srv.accept()
    try:
        serve(c)
    except OSError:
        pass
    finally:
        c.close()
