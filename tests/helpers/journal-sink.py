#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""journal-sink.py SOCKET OUT [SECONDS]: receive journal native-protocol datagrams
on the unix socket SOCKET (as systemd-journald does) and append each to OUT,
decoded as KEY=value lines followed by a line "--".  Writes OUT.ready once the
socket is bound; stops after SECONDS (default 10) without a datagram.  The
tests use it to read kexec's audit trail."""
import os
import socket
import struct
import sys


def decode(d):
    out, i = [], 0
    while i < len(d):
        nl = d.index(b'\n', i)
        line = d[i:nl]
        if b'=' in line:
            out.append(line.decode(errors='replace'))
            i = nl + 1
        else:  # KEY \n le64 length, value, \n
            n = struct.unpack('<Q', d[nl + 1:nl + 9])[0]
            val = d[nl + 9:nl + 9 + n]
            out.append(line.decode() + '=' + val.decode(errors='replace').replace('\n', '\\n'))
            i = nl + 9 + n + 1
    return out


def main():
    if len(sys.argv) < 3 or sys.argv[1] in ('-h', '--help'):
        print(__doc__)
        return 0 if len(sys.argv) > 1 else 2
    path, out = sys.argv[1], sys.argv[2]
    wait = float(sys.argv[3]) if len(sys.argv) > 3 else 10.0
    if os.path.exists(path):
        os.unlink(path)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    s.settimeout(wait)
    open(out + '.ready', 'w').close()
    with open(out, 'a') as f:
        try:
            while True:
                d = s.recv(1 << 20)
                f.write('\n'.join(decode(d)) + '\n--\n')
                f.flush()
        except socket.timeout:
            pass
    return 0


sys.exit(main())
