#!/usr/bin/env python3
"""A TCP proxy that cuts connections, and a server that never speaks.

  cut-proxy.py [--fin|--hang] [--cuts K] PORTFILE TARGET_HOST TARGET_PORT CUT_AFTER_BYTES
  cut-proxy.py --stall PORTFILE

Listens on 127.0.0.1 on a free port and writes the port number to PORTFILE
once it listens (written whole: rename of a temporary file). Each connection
is forwarded both ways to TARGET_HOST:TARGET_PORT; once CUT_AFTER_BYTES bytes
have gone from the server to the client on that connection, both sides are
closed abruptly (a TCP reset, as after a cut cable or a crashed server).
The client gets exactly CUT_AFTER_BYTES bytes at most.

  --fin      close with an orderly FIN instead of a reset (the client sees
             end of file right after the CUT_AFTER_BYTES-th byte)
  --hang     do not close: stop forwarding and keep both sides open, silent
             (a server that stalls mid-response; for read timeouts)
  --cuts K   cut only the first K connections; later ones pass untouched
             (default: every connection is cut)
  --stall    no target: accept connections and never send a byte nor close
             (for connect/greeting timeouts)

Connections are served one after another or at once (a thread each). Runs
until killed (SIGTERM/SIGINT). On stderr, one line per connection.
Python 3 standard library only.
"""

import argparse
import os
import select
import signal
import socket
import struct
import sys
import threading


def log(msg):
    sys.stderr.write("cut-proxy[%d]: %s\n" % (os.getpid(), msg))
    sys.stderr.flush()


def write_port(path, port):
    tmp = "%s.tmp%d" % (path, os.getpid())
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.rename(tmp, path)


def abort(sock):
    """Close with a reset (SO_LINGER 0)."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    sock.close()


def relay(n, client, args, cut):
    try:
        server = socket.create_connection((args.host, args.port), timeout=10)
    except OSError as e:
        log("conn %d: cannot reach %s:%d: %s" % (n, args.host, args.port, e))
        abort(client)
        return
    server.settimeout(None)
    left = args.bytes if cut else None
    to_client = 0
    how = "closed"
    try:
        socks = [client, server]
        while socks:
            r, _, _ = select.select(socks, [], [])
            if client in r:
                data = client.recv(65536)
                if not data:
                    how = "client closed"
                    break
                server.sendall(data)
            if server in r:
                data = server.recv(65536 if left is None else max(1, min(65536, left)))
                if not data:
                    how = "server closed"
                    break
                if left is not None:
                    data = data[:left]
                    left -= len(data)
                client.sendall(data)
                to_client += len(data)
                if left == 0:
                    how = "cut"
                    break
    except OSError as e:
        how = "error: %s" % e
    log("conn %d: %s after %d bytes to the client" % (n, how, to_client))
    if how == "cut" and args.hang:
        hold.append((client, server))  # silent and open until we are killed
        return
    if how == "cut" and not args.fin:
        abort(client)
        abort(server)
        return
    for s in (client, server):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        s.close()


hold = []


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--stall", action="store_true")
    p.add_argument("--fin", action="store_true")
    p.add_argument("--hang", action="store_true")
    p.add_argument("--cuts", type=int, default=-1)
    p.add_argument("portfile")
    p.add_argument("host", nargs="?")
    p.add_argument("port", nargs="?", type=int)
    p.add_argument("bytes", nargs="?", type=int)
    args = p.parse_args()
    if not args.stall and (args.host is None or args.port is None or args.bytes is None):
        p.error("TARGET_HOST TARGET_PORT CUT_AFTER_BYTES are needed (or --stall)")

    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGINT, lambda *_: os._exit(0))
    signal.signal(signal.SIGHUP, lambda *_: os._exit(0))

    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 0))
    ls.listen(16)
    write_port(args.portfile, ls.getsockname()[1])

    n = 0
    while True:
        client, _ = ls.accept()
        n += 1
        if args.stall:
            log("conn %d: stalled" % n)
            hold.append(client)
            continue
        cut = args.cuts < 0 or n <= args.cuts
        threading.Thread(target=relay, args=(n, client, args, cut), daemon=True).start()


if __name__ == "__main__":
    main()
