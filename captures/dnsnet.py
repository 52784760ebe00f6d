#!/usr/bin/python3
"""Traffic helpers used by record.sh inside network namespaces (stdlib only).

Subcommands:
  query    send one DNS query over UDP (fixed id / source port if given), with
           optional IPv4 TTL / IPv6 hop limit, DF / no-fragment, EDNS padding
           up to a given message size and an IPv6 Destination Options header;
           waits for an answer or an ICMP-reported error and prints the outcome.
  respond  tiny authoritative DNS responder for example.com (optionally late,
           optionally ignoring the first query for some names, optionally also
           over TCP with RFC 1035 4.2.2 length-prefixed messages).
  tcpreset accept DNS over TCP, then reset the connection.
  tcpsilent accept DNS over TCP, read the query and never answer.
  ntp      send one NTPv4 client packet (non-DNS UDP) to udp/123.
  echo     send ICMP / ICMPv6 echo requests from a raw socket, wait for replies.
  unreach8 answer UDP datagrams from port 53 to a closed port with an ICMP port
           unreachable quoting only the IP header and 8 bytes, from a raw socket.

Every packet on the wire is produced by the kernel of the namespace the
command runs in; this script only fills socket payloads and options, except
the ICMP messages of echo and unreach8, which it writes whole into raw sockets.
"""

import argparse
import errno
import os
import select
import socket
import struct
import sys
import time

QTYPES = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "PTR": 12, "MX": 15,
          "TXT": 16, "AAAA": 28, "SRV": 33, "ANY": 255}

# Linux socket option numbers that Python's socket module may not export.
IP_MTU_DISCOVER = getattr(socket, "IP_MTU_DISCOVER", 10)
IP_PMTUDISC_DO = getattr(socket, "IP_PMTUDISC_DO", 2)
IPV6_MTU_DISCOVER = getattr(socket, "IPV6_MTU_DISCOVER", 23)
IPV6_PMTUDISC_DO = getattr(socket, "IPV6_PMTUDISC_DO", 2)
IPV6_DONTFRAG = getattr(socket, "IPV6_DONTFRAG", 62)
IPV6_DSTOPTS = getattr(socket, "IPV6_DSTOPTS", 59)


def log(msg):
    print(msg, flush=True)


# ---------------------------------------------------------------- DNS wire

def encode_name(name):
    out = b""
    name = name.rstrip(".")
    if name:
        for label in name.split("."):
            raw = label.encode("ascii")
            if not 0 < len(raw) < 64:
                raise ValueError("bad label in %r" % name)
            out += bytes([len(raw)]) + raw
    return out + b"\x00"


def opt_rr(udp_size=1232, options=b""):
    return b"\x00" + struct.pack("!HHIH", 41, udp_size, 0, len(options)) + options


def build_query(qid, name, qtype, rd=True, edns=False, size=None):
    """DNS query; if size is given, EDNS(0) Padding (option 12) makes the
    whole DNS message exactly size bytes long."""
    flags = 0x0100 if rd else 0
    question = encode_name(name) + struct.pack("!HH", QTYPES.get(qtype, 1) if not qtype.isdigit() else int(qtype), 1)
    if size is not None:
        edns = True
    header = struct.pack("!HHHHHH", qid, flags, 1, 0, 0, 1 if edns else 0)
    msg = header + question
    if edns:
        options = b""
        if size is not None:
            padlen = size - len(msg) - len(opt_rr()) - 4
            if padlen < 0:
                raise ValueError("size %d too small" % size)
            options = struct.pack("!HH", 12, padlen) + b"\x00" * padlen
        msg += opt_rr(1232, options)
    if size is not None:
        assert len(msg) == size, (len(msg), size)
    return msg


def parse_question(msg):
    """Return (id, flags, qname, qtype, qclass, end_offset, has_opt)."""
    qid, flags, qd, an, ns, ar = struct.unpack("!HHHHHH", msg[:12])
    off = 12
    labels = []
    while True:
        n = msg[off]
        off += 1
        if n == 0:
            break
        labels.append(msg[off:off + n].decode("ascii", "replace"))
        off += n
    qtype, qclass = struct.unpack("!HH", msg[off:off + 4])
    off += 4
    return qid, flags, ".".join(labels).lower(), qtype, qclass, off, ar > 0


ZONE = {
    ("www.example.com", 1): [socket.inet_pton(socket.AF_INET, "203.0.113.80")],
    ("www.example.com", 28): [socket.inet_pton(socket.AF_INET6, "2001:db8:113::80")],
    ("mail.example.com", 1): [socket.inet_pton(socket.AF_INET, "203.0.113.25")],
    ("late.example.com", 1): [socket.inet_pton(socket.AF_INET, "203.0.113.80")],
    # cut-quote-answer.pcapng: both answers reach a closed port
    ("cutquote.example.com", 1): [socket.inet_pton(socket.AF_INET, "203.0.113.85")],
    ("cutquote.example.com", 28): [socket.inet_pton(socket.AF_INET6, "2001:db8:113::85")],
    # timeouts.pcapng: answered on a retry (--drop-first), 6 s late, 7 s late
    ("retried.example.com", 1): [socket.inet_pton(socket.AF_INET, "203.0.113.82")],
    ("slow.example.com", 1): [socket.inet_pton(socket.AF_INET, "203.0.113.83")],
    ("late7.example.com", 1): [socket.inet_pton(socket.AF_INET, "203.0.113.84")],
    # retry-late-answer.pcapng: answered 1.5 s late, after the client's retry
    ("retrylate.example.com", 1): [socket.inet_pton(socket.AF_INET, "203.0.113.85")],
    # answered by a responder started with --no-errors (a second, healthy server)
    ("servfail.example.com", 1): [socket.inet_pton(socket.AF_INET, "203.0.113.81")],
}
NO_ERRORS = False
FORCED_RCODE = None      # respond --rcode: every query gets this RCODE, no data
NAMES = {n for (n, _) in ZONE} | {"example.com"}


def soa_rr():
    rdata = (encode_name("ns.example.com") + encode_name("hostmaster.example.com")
             + struct.pack("!IIIII", 2024010101, 3600, 600, 86400, 300))
    return encode_name("example.com") + struct.pack("!HHIH", 6, 1, 300, len(rdata)) + rdata


# Names whose first label asks for an error answer: (12-bit RCODE, Extended DNS Error
# (RFC 8914) INFO-CODE and EXTRA-TEXT, or None). Extended RCODEs need EDNS in the query.
ERRORS = {
    "servfail": (2, (22, "no reachable authority for example.com")),
    "dnssec-bogus": (2, (6, "RRSIG over A failed to verify")),
    "refused": (5, (18, "recursion not allowed for this client")),
    "formerr": (1, None),
    "notimp": (4, None),
    "badvers": (16, None),
}


def ede_option(code, text):
    raw = text.encode("utf-8")
    return struct.pack("!HHH", 15, 2 + len(raw), code) + raw


def build_response(query):
    qid, flags, qname, qtype, qclass, end, has_opt = parse_question(query)
    error = None if NO_ERRORS else ERRORS.get(qname.split(".")[0])
    if FORCED_RCODE is not None:
        error = (FORCED_RCODE, None)
    if error and error[0] > 15 and not has_opt:
        error = (1, None)                           # no EDNS: an extended RCODE cannot be said
    answers = [] if error else ZONE.get((qname, qtype), [])
    if error:
        rcode = error[0]
    else:
        rcode = 0 if (qname in NAMES) else 3      # NXDOMAIN otherwise
    rflags = 0x8000 | 0x0400 | (flags & 0x0100) | (rcode & 0x0F)   # QR AA RD(copied)
    body = query[12:end]
    for rdata in answers:
        body += b"\xc0\x0c" + struct.pack("!HHIH", qtype, 1, 300, len(rdata)) + rdata
    nscount = 0
    if not answers and not error:
        body += soa_rr()
        nscount = 1
    if has_opt:
        options = ede_option(*error[1]) if error and error[1] else b""
        body += b"\x00" + struct.pack("!HHIH", 41, 1232, (rcode >> 4) << 24, len(options)) + options
    header = struct.pack("!HHHHHH", qid, rflags, 1, len(answers), nscount, 1 if has_opt else 0)
    return header + body, qname, qtype, rcode


# ---------------------------------------------------------------- helpers

def family_of(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def sockaddr_of(server, port):
    """(address, port), or for a scoped IPv6 address such as ff02::fb%eth0 (link-local
    multicast needs an interface) the 4-tuple with the interface's index."""
    if "%" in server:
        addr, ifname = server.split("%", 1)
        return (addr, port, 0, socket.if_nametoindex(ifname))
    return (server, port)


def cmd_query(a):
    fam = family_of(a.server)
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if a.sport:
        s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", a.sport))
    if a.ttl is not None:
        if fam == socket.AF_INET:
            s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, a.ttl)
        else:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, a.ttl)
    if a.df:
        if fam == socket.AF_INET:
            s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DO)
        else:
            s.setsockopt(socket.IPPROTO_IPV6, IPV6_MTU_DISCOVER, IPV6_PMTUDISC_DO)
            s.setsockopt(socket.IPPROTO_IPV6, IPV6_DONTFRAG, 1)
    if a.dstopts:
        if fam != socket.AF_INET6:
            sys.exit("--dstopts needs an IPv6 server")
        # Sticky Destination Options header (RFC 3542 IPV6_DSTOPTS): next
        # header + length bytes are filled in by the kernel; one PadN option
        # with 4 zero bytes makes the header 8 bytes long.
        s.setsockopt(socket.IPPROTO_IPV6, IPV6_DSTOPTS, bytes([0, 0, 1, 4, 0, 0, 0, 0]))
    s.connect(sockaddr_of(a.server, a.port))
    qid = int(a.id, 0)
    # --also: more types of the same name from the same socket at once, ids counting up
    # (as glibc sends A and AAAA); the answer awaited is the first one's.
    for n, qtype in enumerate([a.type] + (a.also or [])):
        msg = build_query((qid + n) & 0xFFFF, a.name, qtype, rd=not a.no_rd, edns=a.edns, size=a.size)
        s.send(msg)
        local = s.getsockname()
        log("query id=0x%04x %s %s from port %d to [%s]:%d, %d bytes"
            % ((qid + n) & 0xFFFF, a.name, qtype, local[1], a.server, a.port, len(msg)))
    if a.wait <= 0:
        s.close()       # gone at once: the port is closed before any answer comes
        log("  not waiting: port %d closed" % local[1])
        return
    deadline = time.monotonic() + a.wait
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            log("  no answer within %.1fs" % a.wait)
            return
        r, _, _ = select.select([s], [], [], left)
        if not r:
            continue
        try:
            data = s.recv(65535)
        except OSError as e:
            log("  socket error: %s" % (errno.errorcode.get(e.errno, e.errno)))
            return
        log("  answer: %d bytes, rcode %d" % (len(data), data[3] & 0x0F))
        return


def cmd_respond(a):
    global NO_ERRORS, FORCED_RCODE
    NO_ERRORS = a.no_errors
    FORCED_RCODE = a.rcode
    drop_first = {n.lower().rstrip(".") for n in (a.drop_first or [])}
    udp, listeners = [], []
    for addr in a.listen:
        fam = family_of(addr)
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if fam == socket.AF_INET6:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        s.bind((addr, a.port))
        udp.append(s)
        if a.tcp:
            t = socket.socket(fam, socket.SOCK_STREAM)
            t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if fam == socket.AF_INET6:
                t.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            t.bind((addr, a.port))
            t.listen(8)
            listeners.append(t)
    if a.ready:
        with open(a.ready, "w") as f:
            f.write("ready\n")
    log("responder on %s port %d%s, delay %.1fs%s"
        % (",".join(a.listen), a.port, " (udp+tcp)" if a.tcp else "", a.delay,
           ", dropping the first query for " + ",".join(sorted(drop_first)) if drop_first else ""))

    def answer(data, peer, proto, delay=True):
        """The response to one query, or None to stay silent."""
        try:
            resp, qname, qtype, rcode = build_response(data)
        except Exception as e:  # not a DNS query we understand
            log("  ignored %d bytes (%s) from %s: %s" % (len(data), proto, peer[0], e))
            return None
        qid = struct.unpack("!H", data[:2])[0]
        if qname in drop_first:
            drop_first.discard(qname)
            log("  dropped id=0x%04x %s (first query, %s) from [%s]:%d" % (qid, qname, proto, peer[0], peer[1]))
            return None
        if a.delay and delay:
            time.sleep(a.delay)
        log("  answered id=0x%04x %s type %d rcode %d (%s) to [%s]:%d"
            % (qid, qname, qtype, rcode, proto, peer[0], peer[1]))
        return resp

    conns = {}   # TCP connection -> [peer, receive buffer]
    end = time.monotonic() + a.max_time
    while time.monotonic() < end:
        r, _, _ = select.select(udp + listeners + list(conns), [], [], 0.5)
        for s in r:
            if s in udp and a.batch:
                # One delay, then every query waiting is answered back to back.
                time.sleep(a.delay)
                queued = []
                s.setblocking(False)
                try:
                    while True:
                        queued.append(s.recvfrom(65535))
                except BlockingIOError:
                    pass
                s.setblocking(True)
                replies = [(answer(data, peer, "udp", delay=False), peer) for data, peer in queued]
                for resp, peer in replies:
                    if resp is not None:
                        s.sendto(resp, peer)
            elif s in udp:
                data, peer = s.recvfrom(65535)
                resp = answer(data, peer, "udp")
                if resp is not None:
                    s.sendto(resp, peer)
            elif s in listeners:
                c, peer = s.accept()
                c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                conns[c] = [peer, b""]
            else:
                peer, buf = conns[s]
                try:
                    data = s.recv(65535)
                except OSError:
                    data = b""
                if not data:            # the client closed: close our side too
                    s.close()
                    del conns[s]
                    continue
                buf += data
                # RFC 1035 4.2.2: each message is preceded by a two-byte length
                while len(buf) >= 2 and len(buf) >= 2 + struct.unpack("!H", buf[:2])[0]:
                    n = struct.unpack("!H", buf[:2])[0]
                    msg, buf = buf[2:2 + n], buf[2 + n:]
                    resp = answer(msg, peer, "tcp")
                    if resp is not None:
                        # length and message in one send: one segment on the wire
                        s.sendall(struct.pack("!H", len(resp)) + resp)
                conns[s][1] = buf


def cmd_tcpreset(a):
    """Accept TCP connections on the DNS port, then reset them (SO_LINGER 0): a server
    that is there but drops the connection, which is not a refusal."""
    s = socket.socket(family_of(a.listen), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((a.listen, a.port))
    s.listen(4)
    if a.ready:
        open(a.ready, "w").close()
    s.settimeout(a.max_time)
    try:
        while True:
            conn, peer = s.accept()
            time.sleep(0.1)
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()
            log("  reset the connection from [%s]:%d" % (peer[0], peer[1]))
    except socket.timeout:
        pass


def cmd_tcpsilent(a):
    """Accept TCP connections on the DNS port and read the queries, but never answer:
    the connection stays open until the client closes it, then this side closes too."""
    lst = socket.socket(family_of(a.listen), socket.SOCK_STREAM)
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind((a.listen, a.port))
    lst.listen(4)
    if a.ready:
        open(a.ready, "w").close()
    log("tcpsilent on %s port %d" % (a.listen, a.port))
    conns = {}
    end = time.monotonic() + a.max_time
    while time.monotonic() < end:
        r, _, _ = select.select([lst] + list(conns), [], [], 0.5)
        for s in r:
            if s is lst:
                c, peer = lst.accept()
                conns[c] = peer
                log("  accepted [%s]:%d" % peer[:2])
                continue
            try:
                data = s.recv(65535)
            except OSError:
                data = b""
            if data:
                log("  read %d bytes from [%s]:%d, not answering" % ((len(data),) + conns[s][:2]))
            else:
                log("  [%s]:%d closed, closing" % conns[s][:2])
                s.close()
                del conns[s]


def cmd_ntp(a):
    fam = family_of(a.server)
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", a.sport))
    s.connect((a.server, 123))
    # NTPv4 client request: LI=0 VN=4 Mode=3, poll 6, precision -20,
    # fixed transmit timestamp so the payload is the same on every run.
    pkt = struct.pack("!BBbb", 0x23, 0, 6, -20) + b"\x00" * 36 + struct.pack("!II", 0xE9000000, 0x12345678)
    s.send(pkt)
    log("ntp request from port %d to [%s]:123" % (a.sport, a.server))
    r, _, _ = select.select([s], [], [], a.wait)
    if r:
        try:
            s.recv(2048)
            log("  got an answer")
        except OSError as e:
            log("  socket error: %s" % errno.errorcode.get(e.errno, e.errno))
    else:
        log("  no answer")


def inet_csum(data):
    if len(data) % 2:
        data += b"\x00"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def cmd_echo(a):
    fam = family_of(a.target)
    ident = int(a.ident, 0)
    payload = b"dnsfail echo payload 0123456789abcdef"
    if fam == socket.AF_INET:
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        req_type, rep_type = 8, 0
    else:
        s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
        req_type, rep_type = 128, 129
    for seq in range(1, a.count + 1):
        hdr = struct.pack("!BBHHH", req_type, 0, 0, ident, seq)
        csum = inet_csum(hdr + payload) if fam == socket.AF_INET else 0  # kernel fills ICMPv6 checksum
        pkt = struct.pack("!BBHHH", req_type, 0, csum, ident, seq) + payload
        s.sendto(pkt, (a.target, 0))
        deadline = time.monotonic() + a.wait
        got = False
        while not got and time.monotonic() < deadline:
            r, _, _ = select.select([s], [], [], max(0.0, deadline - time.monotonic()))
            if not r:
                break
            data, _ = s.recvfrom(2048)
            if fam == socket.AF_INET:
                data = data[(data[0] & 0x0F) * 4:]
            if len(data) >= 8:
                t, _, _, rid, rseq = struct.unpack("!BBHHH", data[:8])
                got = (t == rep_type and rid == ident and rseq == seq)
        log("echo id=0x%04x seq=%d to %s: %s" % (ident, seq, a.target, "reply" if got else "no reply"))
        if seq < a.count:
            time.sleep(a.interval)


SO_MARK = getattr(socket, "SO_MARK", 36)


def cmd_unreach8(a):
    """An IP stack that answers a UDP datagram for a closed port with an ICMP port
    unreachable quoting the IP header and the first 8 bytes of the datagram, RFC 792's
    minimum (lwIP, the stack of many embedded devices, quotes exactly that: IP_HLEN +
    ICMP_DEST_UNREACH_DATASIZE). Linux quotes up to 576 bytes, so the namespace's own
    port unreachable must be dropped (record.sh does it with nftables); the messages sent
    here carry the firewall mark --mark, which that rule lets through.

    Watches the datagrams from source port 53 to --port (a raw socket sees them whether
    or not a socket holds the port) and answers each, --count in all."""
    rx = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_UDP)
    tx = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    tx.setsockopt(socket.SOL_SOCKET, SO_MARK, int(a.mark, 0))
    if a.ready:
        open(a.ready, "w").close()
    sent = 0
    end = time.monotonic() + a.max_time
    while sent < a.count and time.monotonic() < end:
        r, _, _ = select.select([rx], [], [], 0.5)
        if not r:
            continue
        packet, _ = rx.recvfrom(65535)
        ihl = (packet[0] & 0x0F) * 4
        if len(packet) < ihl + 8:
            continue
        sport, dport = struct.unpack("!HH", packet[ihl:ihl + 4])
        if sport != 53 or dport != a.port:
            continue
        quote = packet[:ihl + 8]
        body = struct.pack("!BBHI", 3, 3, 0, 0) + quote
        body = body[:2] + struct.pack("!H", inet_csum(body)) + body[4:]
        src = socket.inet_ntoa(packet[12:16])
        tx.sendto(body, (src, 0))
        sent += 1
        log("  unreach8: port %d unreachable to %s, quoting %d bytes (%d sent)" % (dport, src, len(quote), sent))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)

    q = sub.add_parser("query")
    q.add_argument("--server", required=True)
    q.add_argument("--port", type=int, default=53)
    q.add_argument("--sport", type=int, default=0)
    q.add_argument("--id", default="0x1234")
    q.add_argument("--name", required=True)
    q.add_argument("--type", default="A")
    q.add_argument("--no-rd", action="store_true")
    q.add_argument("--edns", action="store_true")
    q.add_argument("--size", type=int, help="pad the DNS message to this many bytes (EDNS padding)")
    q.add_argument("--ttl", type=int, help="IPv4 TTL / IPv6 unicast hop limit")
    q.add_argument("--df", action="store_true", help="never fragment (IP_PMTUDISC_DO)")
    q.add_argument("--dstopts", action="store_true", help="add an IPv6 Destination Options header")
    q.add_argument("--also", action="append", metavar="TYPE",
                   help="then the same name with this type, from the same socket, next id (repeatable)")
    q.add_argument("--wait", type=float, default=2.0, help="seconds to wait for an answer; 0: close at once")
    q.set_defaults(func=cmd_query)

    r = sub.add_parser("respond")
    r.add_argument("--listen", action="append", required=True)
    r.add_argument("--port", type=int, default=53)
    r.add_argument("--delay", type=float, default=0.0)
    r.add_argument("--ready")
    r.add_argument("--max-time", type=float, default=60.0)
    r.add_argument("--no-errors", action="store_true", help="answer the error names (ERRORS) normally")
    r.add_argument("--rcode", type=int, help="answer every query with this RCODE (5: REFUSED), no data")
    r.add_argument("--drop-first", action="append", metavar="NAME",
                   help="ignore the first query for NAME, answer later ones (repeatable)")
    r.add_argument("--tcp", action="store_true",
                   help="also serve DNS over TCP on the same addresses (length-prefixed)")
    r.add_argument("--batch", action="store_true",
                   help="UDP: wait --delay once, then answer every query waiting, back to back")
    r.set_defaults(func=cmd_respond)

    tr = sub.add_parser("tcpreset", help="accept TCP on the DNS port, then reset")
    tr.add_argument("--listen", required=True)
    tr.add_argument("--port", type=int, default=53)
    tr.add_argument("--ready")
    tr.add_argument("--max-time", type=float, default=10.0)
    tr.set_defaults(func=cmd_tcpreset)

    ts = sub.add_parser("tcpsilent", help="accept TCP on the DNS port, read, never answer")
    ts.add_argument("--listen", required=True)
    ts.add_argument("--port", type=int, default=53)
    ts.add_argument("--ready")
    ts.add_argument("--max-time", type=float, default=30.0)
    ts.set_defaults(func=cmd_tcpsilent)

    n = sub.add_parser("ntp")
    n.add_argument("--server", required=True)
    n.add_argument("--sport", type=int, default=50123)
    n.add_argument("--wait", type=float, default=1.0)
    n.set_defaults(func=cmd_ntp)

    e = sub.add_parser("echo")
    e.add_argument("--target", required=True)
    e.add_argument("--ident", default="0x0dfa")
    e.add_argument("--count", type=int, default=2)
    e.add_argument("--interval", type=float, default=0.2)
    e.add_argument("--wait", type=float, default=1.0)
    e.set_defaults(func=cmd_echo)

    u = sub.add_parser("unreach8", help="ICMP port unreachable quoting 8 bytes, for a closed port")
    u.add_argument("--port", type=int, required=True, help="the closed UDP port")
    u.add_argument("--count", type=int, default=1)
    u.add_argument("--mark", default="0x1c8", help="firewall mark of the messages sent")
    u.add_argument("--ready")
    u.add_argument("--max-time", type=float, default=30.0)
    u.set_defaults(func=cmd_unreach8)

    a = p.parse_args()
    a.func(a)


if __name__ == "__main__":
    main()
