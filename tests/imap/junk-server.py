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


def serve(c):
    f = c.makefile("rb")
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
