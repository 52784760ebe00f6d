#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz harnesses: tests/fuzz/corpus/<harness>/.

Seeds come from two places:
  - the bundled captures (captures/*.pcapng, read here with the standard library):
    every ICMP/ICMPv6 error (quote harness), every DNS message over UDP or TCP
    (dns_message harness), and each capture's DNS events turned into a tracker
    operation sequence and an incident record sequence;
  - crafted edge cases, written below, each named for what it tests. They are also
    the regression tests: the replay runner runs every file on every ctest run.

Deterministic: the same captures give the same files, byte for byte. Files this script
did not write (inputs libFuzzer found, merged in with run_fuzzers.sh --merge-into) are
left alone; seeds it writes are named cap-* and edge-*.

    python3 tests/fuzz/make_corpus.py            # (re)write the seeds
    python3 tests/fuzz/make_corpus.py --check    # exit 1 if a seed would change
"""
import argparse
import hashlib
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, "..", ".."))
DNS_PORTS = {53, 5353, 5355}


# ---- pcapng ----------------------------------------------------------------------------

def pcapng_packets(path):
    """Yields (frame number, interface link type, packet bytes) of EPBs and SPBs."""
    with open(path, "rb") as f:
        data = f.read()
    pos, endian, links, frame = 0, "<", [], 0
    while pos + 12 <= len(data):
        btype = struct.unpack_from(endian + "I", data, pos)[0]
        if btype == 0x0A0D0D0A:  # section header: its byte-order magic sets the endianness
            endian = "<" if data[pos + 8:pos + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            links = []
        blen = struct.unpack_from(endian + "I", data, pos + 4)[0]
        if blen < 12 or pos + blen > len(data):
            break
        body = data[pos + 8:pos + blen - 4]
        if btype == 1:
            links.append(struct.unpack_from(endian + "H", body, 0)[0])
        elif btype == 6:
            iface, _, _, caplen, _ = struct.unpack_from(endian + "IIIII", body, 0)
            frame += 1
            yield frame, links[iface] if iface < len(links) else 1, body[20:20 + caplen]
        elif btype == 3:
            frame += 1
            yield frame, links[0] if links else 1, body[4:]
        pos += blen


# ---- decoding just enough of Ethernet, IP, ICMP, UDP and TCP -------------------------

def ethernet_payload(pkt):
    if len(pkt) < 14:
        return None, None
    etype, off = struct.unpack_from("!H", pkt, 12)[0], 14
    while etype in (0x8100, 0x88A8) and len(pkt) >= off + 4:
        etype, off = struct.unpack_from("!H", pkt, off + 2)[0], off + 4
    return etype, pkt[off:]


def ip_payload(etype, ip):
    """(version, src, dst, protocol, payload) of an unfragmented datagram, else None."""
    if etype == 0x0800 and len(ip) >= 20 and ip[0] >> 4 == 4:
        ihl = (ip[0] & 15) * 4
        total = struct.unpack_from("!H", ip, 2)[0]
        if struct.unpack_from("!H", ip, 6)[0] & 0x1FFF:
            return None
        return 4, ip[12:16], ip[16:20], ip[9], ip[ihl:max(ihl, min(total, len(ip)))]
    if etype == 0x86DD and len(ip) >= 40 and ip[0] >> 4 == 6:
        nxt, off = ip[6], 40
        end = min(len(ip), 40 + struct.unpack_from("!H", ip, 4)[0])
        while nxt in (0, 43, 60) and off + 2 <= end:
            nxt, off = ip[off], off + (ip[off + 1] + 1) * 8
        return 6, ip[8:24], ip[24:40], nxt, ip[off:end]
    return None


class Event:
    """One DNS thing a capture shows, from the client's side."""

    def __init__(self, what, time_ns, client, server, cport, sport, tcp, dns_id=None, question=None,
                 rcode=0, icmp=None):
        self.what, self.time_ns = what, time_ns
        self.client, self.server, self.cport, self.sport, self.tcp = client, server, cport, sport, tcp
        self.dns_id, self.question, self.rcode, self.icmp = dns_id, question, rcode, icmp


def dns_question(msg):
    """(wire name, qtype) of the first question, uncompressed names only."""
    if len(msg) < 12 or struct.unpack_from("!H", msg, 4)[0] == 0:
        return None
    pos = 12
    while pos < len(msg) and msg[pos] != 0:
        if msg[pos] & 0xC0:
            return None
        pos += 1 + msg[pos]
    if pos + 5 > len(msg):
        return None
    return msg[12:pos + 1], struct.unpack_from("!H", msg, pos + 1)[0]


def capture_seeds(path):
    """Yields (harness, name, bytes) for one capture, and returns its events."""
    stem = os.path.splitext(os.path.basename(path))[0]
    seeds, events = [], []
    for frame, link, pkt in pcapng_packets(path):
        if link != 1:
            continue
        etype, ip = ethernet_payload(pkt)
        parsed = ip_payload(etype, ip) if ip else None
        if not parsed:
            continue
        version, src, dst, proto, payload = parsed
        time_ns = frame * 1000000  # order is what matters to the sequences
        if (proto == 1 and version == 4) or (proto == 58 and version == 6):
            if payload and payload[0] in ((3, 11, 12) if version == 4 else (1, 2, 3, 4)):
                control = 0 if version == 4 else 1
                seeds.append(("quote", "cap-%s-%d" % (stem, frame), bytes([control]) + payload))
                events.append(Event("error", time_ns, None, None, 0, 0, False, icmp=(version, payload)))
            continue
        if proto not in (6, 17) or len(payload) < 8:
            continue
        sport, dport = struct.unpack_from("!HH", payload, 0)
        if sport not in DNS_PORTS and dport not in DNS_PORTS:
            continue
        if proto == 17:
            msg = payload[8:]
        else:
            doff = (payload[12] >> 4) * 4
            msg = payload[doff + 2:] if len(payload) > doff + 2 else b""
        if len(msg) < 12:
            continue
        seeds.append(("dns_message", "cap-%s-%d" % (stem, frame), bytes([0, frame & 0xFF]) + msg))
        dns_id, flags = struct.unpack_from("!HH", msg, 0)
        q = dns_question(msg)
        if flags & 0x8000:
            events.append(Event("answer", time_ns, dst, src, dport, sport, proto == 6, dns_id, q, flags & 15))
        else:
            events.append(Event("query", time_ns, src, dst, sport, dport, proto == 6, dns_id, q))
    return seeds, events


# ---- capture events as harness inputs ----------------------------------------------------

class Pool:
    """Maps a capture's addresses (or names) to the harness's pool indexes, in order seen."""

    def __init__(self, size):
        self.size, self.seen = size, {}

    def __call__(self, key):
        if key not in self.seen:
            self.seen[key] = len(self.seen) % self.size
        return self.seen[key]


def quoted_flow(icmp):
    """(client, server, client port, server port, tcp, dns id) from an ICMP error's quote."""
    version, msg = icmp
    ip = msg[8:]
    if version == 4 and len(ip) >= 20:
        ihl = (ip[0] & 15) * 4
        src, dst, proto, t = ip[12:16], ip[16:20], ip[9], ip[ihl:]
    elif version == 6 and len(ip) >= 40:
        src, dst, proto, t = ip[8:24], ip[24:40], ip[6], ip[40:]
    else:
        return None
    if proto not in (6, 17) or len(t) < 4:
        return None
    sport, dport = struct.unpack_from("!HH", t, 0)
    dns = t[8:] if proto == 17 else t[22:]
    dns_id = struct.unpack_from("!H", dns, 0)[0] if len(dns) >= 2 else None
    return src, dst, sport, dport, proto == 6, dns_id


def time_byte(prev_ns, now_ns):
    """The tracker harness's time operand: ms steps (0..63) or seconds (64 + s)."""
    gap_ms = max(0, (now_ns - prev_ns) // 1000000)
    return min(gap_ms, 63) if gap_ms < 64 else 64 + min(gap_ms // 1000, 63)


def tracker_sequence(events):
    clients, servers, ports, names = Pool(3), Pool(4), Pool(4), Pool(5)
    out = bytearray([0, 7, 0, 0])  # normal times; 8 queries; default window and timeout
    prev = 0

    def flow(client, server, cport, sport, tcp):
        return (clients(client) | servers(server) << 2 | ports(cport) << 4 | (0x40 if sport == 5353 else 0)
                | (0x80 if tcp else 0))

    for ev in events:
        t = time_byte(prev, ev.time_ns)
        prev = ev.time_ns
        if ev.what == "query":
            qb = names(ev.question) if ev.question else 0
            op = 0 if ev.question else 0x80
            out += bytes([op, t, flow(ev.client, ev.server, ev.cport, ev.sport, ev.tcp), 0x03,
                          ev.dns_id & 7, qb | (0x80 if ev.question and ev.question[1] == 28 else 0), 0])
        elif ev.what == "answer":
            qb = names(ev.question) if ev.question else 0
            out += bytes([5 | 0x40, t, flow(ev.client, ev.server, ev.cport, ev.sport, ev.tcp), 0x03, ev.dns_id & 7, qb])
        else:
            f = quoted_flow(ev.icmp)
            if not f:
                continue
            client, server, cport, sport, tcp, dns_id = f
            op = 1 if dns_id is not None else 1 | 0x80
            out += bytes([op, t, flow(client, server, cport, sport, tcp), 0x03, (dns_id or 0) & 7])
            out += bytes([3, flow(client, server, cport, sport, tcp), 0])  # note_failure
    out += bytes([6, 64 + 30])  # take the timeouts 30 s later
    return bytes(out)


def incident_sequence(events):
    """FAILURE records for errors and failing answers, ANSWER/NXDOMAIN for the rest."""
    clients, servers = Pool(4), Pool(4)
    out = bytearray([3, 100, 0])  # 4 resolutions, 10 s window, no report in between
    for ev in events:
        if ev.what == "query":
            continue
        if ev.what == "error":
            f = quoted_flow(ev.icmp)
            if not f:
                continue
            client, server, _, sport, tcp, _ = f
            rec_ev, kind = 0, 0  # FAILURE, kind icmp_error
        elif ev.rcode in (0, 3):
            client, server, sport, tcp = ev.client, ev.server, ev.sport, ev.tcp
            rec_ev, kind = (4, 0) if ev.rcode == 0 else (5, 0)
        else:
            client, server, sport, tcp = ev.client, ev.server, ev.sport, ev.tcp
            rec_ev, kind = 0, 2 << 3  # kind error_answer
        who = clients(client) | servers(server) << 2 | servers(server) << 4 | (0x80 if tcp else 0)
        port_pick = {53: 0, 5353: 1, 5355: 2}.get(sport, 3)
        out += bytes([rec_ev, kind, 0x02 | 0x08, who, port_pick << 4, 10, 0, 0])
    return bytes(out)


# ---- crafted edge cases --------------------------------------------------------------------

def be16(v):
    return struct.pack("!H", v & 0xFFFF)


def dns_header(qd=1, an=0, ns=0, ar=0, dns_id=0x1234, flags=0x0100):
    return be16(dns_id) + be16(flags) + be16(qd) + be16(an) + be16(ns) + be16(ar)


def name(*labels):
    return b"".join(bytes([len(l)]) + l for l in labels) + b"\0"


QUERY = dns_header() + name(b"www", b"example", b"com") + be16(1) + be16(1)
V4_CLIENT, V4_SERVER = bytes([192, 0, 2, 10]), bytes([203, 0, 113, 9])
V6_CLIENT = bytes.fromhex("20010db8000000000000000000000010")
V6_SERVER = bytes.fromhex("20010db8000000000000000000000009")


def ipv4(payload, proto=17, ihl=5, frag=0, total=None, src=V4_CLIENT, dst=V4_SERVER, version=4):
    opts = b"\x01" * (max(ihl, 5) * 4 - 20)
    total = 20 + len(opts) + len(payload) if total is None else total
    return (bytes([version << 4 | ihl, 0]) + be16(total) + be16(0x4242) + be16(frag) + bytes([64, proto]) +
            be16(0) + src + dst + opts + payload)


def ipv6(payload, nxt=17, plen=None, src=V6_CLIENT, dst=V6_SERVER):
    plen = len(payload) if plen is None else plen
    return bytes([0x60, 0, 0, 0]) + be16(plen) + bytes([nxt, 64]) + src + dst + payload


def udp(payload, sport=40000, dport=53, length=None):
    return be16(sport) + be16(dport) + be16(8 + len(payload) if length is None else length) + be16(0xBEEF) + payload


def tcp(payload, sport=40000, dport=53, offset=5, flags=0x18):
    return (be16(sport) + be16(dport) + struct.pack("!II", 1000, 0) + bytes([offset << 4, flags]) + be16(65535) +
            be16(0) + be16(0) + b"\0" * (offset * 4 - 20) + payload)


def icmp4(quote, type_=3, code=3, rest=0):
    return bytes([type_, code]) + be16(0) + struct.pack("!I", rest) + quote


def icmp6(quote, type_=1, code=4, rest=0):
    return bytes([type_, code]) + be16(0) + struct.pack("!I", rest) + quote


def ext(nxt, hdr_len=0):
    return bytes([nxt, hdr_len]) + b"\0" * ((hdr_len + 1) * 8 - 2)


def edge_quotes():
    v4 = 0    # control byte: ICMPv4, default DNS ports
    v6 = 1    # ICMPv6
    udp_q = udp(QUERY)
    yield "edge-v4-port-unreachable", bytes([v4]) + icmp4(ipv4(udp_q))
    yield "edge-v4-rfc792-8-bytes", bytes([v4]) + icmp4(ipv4(udp_q)[:28])
    yield "edge-v4-cut-in-ip-header", bytes([v4]) + icmp4(ipv4(udp_q)[:15])
    yield "edge-v4-ihl-4", bytes([v4]) + icmp4(ipv4(udp_q, ihl=4))
    yield "edge-v4-ihl-0", bytes([v4]) + icmp4(ipv4(udp_q, ihl=0))
    yield "edge-v4-ihl-15-past-quote", bytes([v4]) + icmp4(ipv4(b"", ihl=15)[:40])
    yield "edge-v4-ihl-15-options", bytes([v4]) + icmp4(ipv4(udp_q, ihl=15))
    yield "edge-v4-wrong-version", bytes([v4]) + icmp4(ipv4(udp_q, version=6))
    yield "edge-v4-non-first-fragment", bytes([v4]) + icmp4(ipv4(udp_q, frag=0x2001))
    yield "edge-v4-first-fragment-mf", bytes([v4]) + icmp4(ipv4(udp_q, frag=0x2000))
    yield "edge-v4-total-len-0", bytes([v4]) + icmp4(ipv4(udp_q, total=0))
    yield "edge-v4-total-len-short", bytes([v4]) + icmp4(ipv4(udp_q, total=24))
    yield "edge-v4-total-len-huge", bytes([v4]) + icmp4(ipv4(udp_q, total=65535))
    yield "edge-v4-udp-length-0", bytes([v4]) + icmp4(ipv4(udp(QUERY, length=0)))
    yield "edge-v4-udp-length-huge", bytes([v4]) + icmp4(ipv4(udp(QUERY, length=65535)))
    yield "edge-v4-udp-cut-in-ports", bytes([v4]) + icmp4(ipv4(udp_q)[:22])
    yield "edge-v4-dns-header-cut", bytes([v4]) + icmp4(ipv4(udp_q)[:28 + 7])
    yield "edge-v4-dns-question-cut", bytes([v4]) + icmp4(ipv4(udp_q)[:28 + 18])
    yield "edge-v4-quoted-response", bytes([v4]) + icmp4(ipv4(udp(dns_header(flags=0x8180) + QUERY[12:], 53, 40000)))
    yield "edge-v4-53-to-53-response", bytes([v4]) + icmp4(ipv4(udp(dns_header(flags=0x8180) + QUERY[12:], 53, 53)))
    yield "edge-v4-time-exceeded", bytes([v4]) + icmp4(ipv4(udp_q), 11, 0)
    yield "edge-v4-param-problem", bytes([v4]) + icmp4(ipv4(udp_q), 12, 0, 0x08000000)
    yield "edge-v4-frag-needed-mtu", bytes([v4]) + icmp4(ipv4(udp_q), 3, 4, 1280)
    yield "edge-v4-every-code-99", bytes([v4]) + icmp4(ipv4(udp_q), 3, 99)
    yield "edge-v4-echo-not-error", bytes([v4]) + icmp4(ipv4(udp_q), 8, 0)
    yield "edge-v4-short-icmp", bytes([v4]) + icmp4(b"")[:5]
    # RFC 4884: the length field (in 32-bit words) says 128 bytes, more than there are, or too few.
    yield "edge-v4-rfc4884-length", bytes([v4]) + icmp4(ipv4(udp_q + b"\0" * 80), 3, 3, 0x00200000)
    yield "edge-v4-rfc4884-length-past-end", bytes([v4]) + icmp4(ipv4(udp_q), 3, 3, 0x00FF0000)
    yield "edge-v4-rfc4884-length-under-128", bytes([v4]) + icmp4(ipv4(udp_q), 3, 3, 0x00040000)
    # ICMP errors quoting ICMP errors (which must not be followed), and other transports.
    inner = icmp4(ipv4(udp_q))
    yield "edge-v4-quotes-icmp-error", bytes([v4]) + icmp4(ipv4(inner, proto=1))
    yield "edge-v6-quotes-icmpv6-error", bytes([v6]) + icmp6(ipv6(icmp6(ipv6(udp_q)), nxt=58))
    yield "edge-v4-quotes-esp", bytes([v4]) + icmp4(ipv4(b"\0" * 16, proto=50))
    # TCP: a SYN, a segment with a 2-byte length prefix, a data offset past the quote.
    yield "edge-v4-tcp-syn", bytes([v4]) + icmp4(ipv4(tcp(b"", flags=0x02), proto=6))
    yield "edge-v4-tcp-dns", bytes([v4]) + icmp4(ipv4(tcp(be16(len(QUERY)) + QUERY), proto=6))
    yield "edge-v4-tcp-offset-15", bytes([v4]) + icmp4(ipv4(tcp(QUERY, offset=15), proto=6))
    yield "edge-v4-tcp-offset-0", bytes([v4]) + icmp4(ipv4(tcp(QUERY, offset=5)[:12] + b"\x00" + tcp(QUERY)[13:], proto=6))
    yield "edge-v4-tcp-cut-8", bytes([v4]) + icmp4(ipv4(tcp(QUERY), proto=6)[:28])
    # DNS inside the quote with the name problems of dns_message.
    loop = dns_header() + b"\xc0\x0c" + be16(1) + be16(1)
    yield "edge-v4-dns-pointer-loop", bytes([v4]) + icmp4(ipv4(udp(loop)))
    yield "edge-v4-all-ports", bytes([v4 | 2]) + icmp4(ipv4(udp(QUERY, 1234, 4321)))
    yield "edge-v4-small-reason-buffer", bytes([v4 | 4 | (0 << 3)]) + icmp4(ipv4(udp_q), 3, 10)
    # IPv6: extension headers, chains too long, running out, fragments.
    yield "edge-v6-port-unreachable", bytes([v6]) + icmp6(ipv6(udp_q))
    yield "edge-v6-packet-too-big", bytes([v6]) + icmp6(ipv6(udp_q), 2, 0, 1280)
    yield "edge-v6-time-exceeded", bytes([v6]) + icmp6(ipv6(udp_q), 3, 0)
    yield "edge-v6-param-problem", bytes([v6]) + icmp6(ipv6(udp_q), 4, 1, 40)
    yield "edge-v6-every-unreach-code", bytes([v6 | 4]) + icmp6(ipv6(udp_q), 1, 2)
    yield "edge-v6-cut-header", bytes([v6]) + icmp6(ipv6(udp_q)[:39])
    yield "edge-v6-wrong-version", bytes([v6]) + icmp6(ipv4(udp_q) + b"\0" * 20)
    chain = ext(0) * 16 + ext(17)  # 17 hop-by-hop headers: one too many
    yield "edge-v6-ext-chain-too-long", bytes([v6]) + icmp6(ipv6(chain + udp_q, nxt=0))
    yield "edge-v6-ext-chain-16", bytes([v6]) + icmp6(ipv6(ext(60) * 15 + ext(17) + udp_q, nxt=60))
    # Every header says another follows: a loop in what it claims, stopped by the count.
    yield "edge-v6-ext-chain-loop", bytes([v6]) + icmp6(ipv6(ext(0) * 40, nxt=0))
    yield "edge-v6-ext-runs-out", bytes([v6]) + icmp6(ipv6(ext(43, 2)[:10], nxt=43))
    yield "edge-v6-ext-len-past-quote", bytes([v6]) + icmp6(ipv6(bytes([17, 255]) + b"\0" * 6, nxt=60))
    yield "edge-v6-ext-cut-at-next", bytes([v6]) + icmp6(ipv6(b"\x11", nxt=0))
    frag_first = bytes([17, 0]) + be16(0x0001) + b"\0\0\0\1"       # offset 0, more fragments
    frag_later = bytes([17, 0]) + be16(0x0009) + b"\0\0\0\1"       # offset 1: no UDP header here
    yield "edge-v6-first-fragment", bytes([v6]) + icmp6(ipv6(frag_first + udp_q, nxt=44))
    yield "edge-v6-non-first-fragment", bytes([v6]) + icmp6(ipv6(frag_later + udp_q, nxt=44))
    yield "edge-v6-fragment-cut", bytes([v6]) + icmp6(ipv6(frag_first[:5], nxt=44))
    yield "edge-v6-auth-header", bytes([v6]) + icmp6(ipv6(bytes([17, 1]) + b"\0" * 10 + udp_q, nxt=51))
    yield "edge-v6-auth-cut", bytes([v6]) + icmp6(ipv6(bytes([17, 200]) + b"\0" * 6, nxt=51))
    yield "edge-v6-mobility-hip-shim6", bytes([v6]) + icmp6(ipv6(ext(139) + ext(140) + ext(17) + udp_q, nxt=135))
    yield "edge-v6-rfc4884-length", bytes([v6]) + icmp6(ipv6(udp_q + b"\0" * 80), 1, 4, 0x11000000)
    yield "edge-v6-rfc4884-past-end", bytes([v6]) + icmp6(ipv6(udp_q), 1, 4, 0xFF000000)
    yield "edge-v6-tcp-rst", bytes([v6]) + icmp6(ipv6(tcp(b"", flags=0x04), nxt=6))
    yield "edge-v6-not-error", bytes([v6]) + icmp6(ipv6(udp_q), 128, 0)


def edge_dns():
    c = bytes([0, 0])          # no small buffer; the extra decode at offset 0
    small = bytes([7, 128])    # 7-byte buffer; the extra decode mid-message
    q = QUERY
    yield "edge-query", c + q
    yield "edge-query-small-buffer", small + q
    yield "edge-empty", c
    yield "edge-id-only", c + q[:2]
    yield "edge-header-only", c + q[:12]
    yield "edge-qdcount-0", c + dns_header(qd=0)
    yield "edge-root-name", c + dns_header() + b"\0" + be16(2) + be16(1)
    yield "edge-type-cut", c + q[:-3]
    yield "edge-class-cut", c + q[:-1]
    # Compression pointers: to itself, forward, a two-step loop, a chain backwards, into a label.
    yield "edge-pointer-to-itself", c + dns_header() + b"\xc0\x0c" + be16(1) + be16(1)
    yield "edge-pointer-forward", c + dns_header() + b"\xc0\x0e" + name(b"a") + be16(1) + be16(1)
    yield "edge-pointer-loop-two", bytes([0, 60]) + dns_header() + b"\x01a\xc0\x10\xc0\x0c" + be16(1) + be16(1)
    yield "edge-pointer-backwards-chain", bytes([0, 200]) + (dns_header() + name(b"com") + b"\x07example\xc0\x0c" +
                                                          b"\x03www\xc0\x11" + be16(1) + be16(1))
    yield "edge-pointer-into-header", c + dns_header() + b"\xc0\x02" + be16(1) + be16(1)
    yield "edge-pointer-cut", c + dns_header() + b"\xc0"
    yield "edge-pointer-max-offset", c + dns_header() + b"\xff\xff" + be16(1) + be16(1)
    yield "edge-reserved-label-40", c + dns_header() + b"\x40abc\0" + be16(1) + be16(1)
    yield "edge-reserved-label-80", c + dns_header() + b"\x80abc\0" + be16(1) + be16(1)
    yield "edge-label-past-end", c + dns_header() + b"\x3fabc"
    yield "edge-label-63", c + dns_header() + name(b"x" * 63) + be16(1) + be16(1)
    # 255 octets is the limit: 4 labels of 63 = 256 with the root, one too many.
    yield "edge-name-256", c + dns_header() + name(*[b"y" * 63] * 4) + be16(1) + be16(1)
    yield "edge-name-255", c + dns_header() + name(*([b"y" * 63] * 3 + [b"y" * 61])) + be16(1) + be16(1)
    yield "edge-name-long-by-pointers", bytes([0, 128]) + (dns_header() + name(*[b"z" * 63] * 3) +
                                                          b"\x3f" + b"w" * 63 + b"\xc0\x0c" + be16(1) + be16(1))
    yield "edge-name-escapes", bytes([3, 0]) + dns_header() + name(b"a.b", b"\\\"();@$", b"\x00\x7f\xff ") + be16(1) + be16(1)
    yield "edge-name-escapes-small", bytes([5, 0]) + dns_header() + name(b"\x00\x01\x02\x03\x04") + be16(1) + be16(1)
    yield "edge-unknown-type", c + dns_header() + name(b"x") + be16(65280) + be16(0x8001)
    # Counts far above what is there: the EDNS walk must stop at the bytes.
    yield "edge-counts-65535", c + dns_header(0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF) + b"\0" * 40
    yield "edge-counts-high-one-rr", c + (dns_header(1, 0xFFFF, 0, 0xFFFF, flags=0x8182) + QUERY[12:] +
                                         b"\xc0\x0c" + be16(1) + be16(1) + b"\0\0\0\x3c" + be16(4) + b"\1\2\3\4")
    opt = lambda rdata, ttl=b"\x01\x00\x00\x00": b"\0" + be16(41) + be16(1232) + ttl + be16(len(rdata)) + rdata
    ede = lambda code, text: be16(15) + be16(2 + len(text)) + be16(code) + text
    resp = dns_header(1, 0, 0, 1, flags=0x8182) + QUERY[12:]
    yield "edge-edns-servfail-ede", c + resp + opt(ede(6, b"DNSSEC bogus"))
    yield "edge-edns-ede-escapes", c + resp + opt(ede(22, b'no "reach"\\\x00\x1f\x7f\xfe'))
    yield "edge-edns-ede-long-text", c + resp + opt(ede(9, b"\x01" * 300))
    yield "edge-edns-ede-too-short", c + resp + opt(be16(15) + be16(1) + b"\x00")
    yield "edge-edns-option-past-end", c + resp + opt(be16(15) + be16(200) + be16(6))
    yield "edge-edns-rdata-cut", c + resp + opt(ede(6, b"cut here"))[:-4]
    yield "edge-edns-two-ede", c + resp + opt(ede(3, b"first") + ede(4, b"second"))
    yield "edge-edns-badvers", c + dns_header(1, 0, 0, 1, flags=0x8180) + QUERY[12:] + opt(b"", b"\x01\x01\x00\x00")
    yield "edge-edns-after-answer", c + (dns_header(1, 1, 0, 1, flags=0x8180) + QUERY[12:] + b"\xc0\x0c" + be16(1) +
                                         be16(1) + b"\0\0\0\x3c" + be16(4) + b"\1\2\3\4" + opt(b""))
    yield "edge-edns-fixed-cut", c + resp + opt(b"")[:7]


def edge_tracker():
    # configuration: extreme?, max, window, timeout; then operations (see fuzz_tracker.c)
    add = lambda t, flow, fp, dns_id, q: bytes([0, t, flow, fp, dns_id, q, 0])
    err = lambda t, flow, fp, dns_id: bytes([1, t, flow, fp, dns_id])
    seq = bytes([0, 0, 0, 0]) + add(1, 0, 3, 1, 0) + add(1, 0, 3, 2, 0) + err(1, 0, 3, 1) + err(1, 0, 3, 5)
    yield "edge-match-by-id", seq
    yield "edge-retries", bytes([0, 7, 40, 0]) + b"".join(add(64 + 1, i << 4, 3, i, 0) for i in range(4)) + err(1, 0x30, 3, 3)
    evict = b"".join(add(1, i & 0x3F, i & 0xFF, i & 7, i % 5) for i in range(80))
    yield "edge-evict-max-1", bytes([0, 0, 0, 0]) + evict + err(1, 0, 3, 1) + bytes([6, 64 + 60])
    yield "edge-evict-max-64", bytes([0, 63, 0, 0]) + evict + err(1, 5, 3, 5) + bytes([6, 64 + 60])
    yield "edge-timeouts", bytes([0, 7, 0, 20]) + add(1, 0, 0, 1, 0) + add(1, 1, 0, 2, 1) + bytes([7, 6, 64 + 3, 7])
    yield "edge-late-answer", (bytes([0, 7, 0, 10]) + add(1, 0, 0, 1, 0) + bytes([6, 64 + 5]) +
                               bytes([5 | 0x40, 1, 0, 0, 1, 0]) + bytes([5, 1, 0, 0, 1, 0]))
    yield "edge-failures", bytes([0, 3, 0, 0]) + bytes([3, 0, 0, 3, 0, 0, 4, 0, 0, 4, 0, 0, 2, 0, 0, 1, 2, 0, 0, 1])
    yield "edge-reset-configure", (bytes([0, 3, 0, 0]) + add(1, 0, 0, 1, 0) + bytes([8]) + add(1, 0, 0, 1, 0) +
                                   bytes([9, 0, 0x80, 0x80]) + err(1, 0, 0, 1))
    yield "edge-time-back", bytes([0, 7, 0, 0]) + add(1, 0, 0, 1, 0) + err(0x80 | 5, 0, 0, 1) + add(0x80 | 63, 0, 0, 1, 0)
    yield "edge-extreme-times", bytes([1, 7, 0, 0]) + add(0xC1, 0, 0, 1, 0) + add(0xC0, 0, 0, 1, 0) + err(0xC1, 0, 0, 1)
    yield "edge-no-question", bytes([0, 7, 0, 0]) + bytes([0x80, 1, 0, 0, 1, 0, 0]) + err(1, 0, 0, 1) + bytes([0x81, 1, 0, 0, 0])


def edge_answer_log():
    # limit, then operations (see fuzz_answer_log.c): add t flow fp id q; find t flow fp id
    add = lambda t, flow, fp, dns_id, q=0, flags=0: bytes([0 | flags, t, flow, fp, dns_id, q])
    find = lambda t, flow, fp, dns_id, flags=0: bytes([1 | flags, t, flow, fp, dns_id])
    # Two answers on one flow, lengths 40 and 41; 8-byte quotes of each, then one by id.
    pair = add(1, 0, 0x01, 1, 0) + add(1, 0, 0x05, 2, 0x80)
    yield "edge-cut-quote-pair", bytes([0xFF]) + pair + find(1, 0, 0x01, 0, 0x80) + find(1, 0, 0x05, 0, 0x80) + find(1, 0, 0x05, 1)
    yield "edge-partial-checksum", bytes([0xFF]) + add(1, 0, 0x03 | (1 << 5), 1) + find(1, 0, 0x01 | (1 << 3), 0, 0x80)
    yield "edge-tcp-and-no-fields", bytes([0xFF]) + add(1, 0x20, 0x01, 1) + add(1, 0, 0x00, 1) + find(1, 0x20, 0x01, 1) + find(1, 0, 0x00, 1)
    many = b"".join(add(1, i & 0x17, i & 0x7F, i & 3, i & 0x83, (i & 1) << 7) for i in range(300))
    yield "edge-evict", bytes([0]) + many + find(1, 0, 0x01, 1) + find(1, 0x12, 0x01, 0, 0x80)
    yield "edge-old-and-reset", (bytes([7]) + add(1, 0, 1, 1) + find(64 + 13, 0, 1, 1) + bytes([2]) + add(1, 0, 1, 1) +
                                 bytes([3, 0xFF]) + find(1, 0, 1, 1) + find(0xC1, 0, 1, 1) + find(0xC0, 0, 1, 1))


def edge_incident():
    # header: max resolutions, window, report_every; records as fuzz_incident.c reads them
    rec = lambda ev=0, kind=0, flags=0x0A, who=0, tmode=0, t=10, name=0, reason=0: bytes(
        [ev, kind, flags, who, tmode, t, name, reason])
    yield "edge-one-failure", bytes([0, 100, 0]) + rec()
    yield "edge-retries-then-answer", bytes([0, 100, 0]) + rec() + rec() + rec(ev=4)
    yield "edge-nxdomain", bytes([0, 100, 0]) + rec() + rec(ev=5)
    yield "edge-error-answers", bytes([0, 100, 0]) + rec(kind=2 << 3) + rec(kind=(2 << 3) | 0x40) + rec(kind=1 << 3)
    yield "edge-timeout-and-late", bytes([0, 100, 0]) + rec(kind=4 << 3) + rec(ev=6)
    yield "edge-case-folded-names", bytes([0, 100, 0]) + rec(name=0) + rec(name=1) + rec(ev=4, name=1)
    yield "edge-names-to-escape", bytes([0, 100, 0]) + rec(name=5, reason=5) + rec(name=6, who=0x2A)
    many = b"".join(rec(who=i & 0x3F, name=i % 7, tmode=(i & 3) << 2, t=200) for i in range(100))
    yield "edge-fold-max-1", bytes([0, 100, 0]) + many
    yield "edge-fold-max-8-reports", bytes([7, 100, 0x80]) + many
    yield "edge-ipv6-and-routers", bytes([0, 100, 0]) + rec(who=0x22) + rec(who=0x12 | 0x40) + b"\x14\xe9"
    garbage_addr = bytes([7]) + bytes(range(16))
    yield "edge-garbage-addresses", bytes([0, 100, 0]) + rec(flags=0x0B)[:6] + garbage_addr * 3 + bytes([0, 0])
    garbage_name = bytes(range(255)) + be16(0xFFFF) + b"\xff\x07" + b"\x01" * 64
    yield "edge-garbage-name", bytes([0, 100, 0]) + rec()[:6] + bytes([0xF0]) + garbage_name + bytes([0xF1])
    yield "edge-unterminated-text", bytes([0, 100, 0]) + rec()[:6] + bytes([0xF1, 0xF1])
    ext_fields = be16(7) + bytes([9, 3, 3, 250]) + b"\xff" * 8 + be16(0xFFF) + be16(0xFFFF) + b"\x80" + b"\0" * 7 + b"\x7f" + b"\xff" * 7
    yield "edge-garbage-fields", bytes([0, 100, 0]) + bytes([7 | (9 << 3), 0xFF, 0x2A, 0, 0, 10, 0, 0]) + ext_fields
    yield "edge-extreme-times", (bytes([0, 0xFF, 0]) + b"\x7f" + b"\xff" * 7 +
                                 bytes([0, 0, 0x0A, 0, 3]) + b"\x80" + b"\0" * 7 + bytes([0, 0]) +
                                 bytes([0, 0, 0x0A, 0, 3]) + b"\x7f" + b"\xff" * 7 + bytes([0, 0]))
    yield "edge-version-and-frame", bytes([0, 100, 0]) + bytes([0, 0, 0xCA, 0, 0]) + b"\0\0\0\x63" + b"\xff\xff\xff\xff" + bytes([10, 0, 0])


# ---- writing ------------------------------------------------------------------------------

def all_seeds():
    seeds = []
    captures = sorted(f for f in os.listdir(os.path.join(TOP, "captures")) if f.endswith(".pcapng"))
    for cap in captures:
        path = os.path.join(TOP, "captures", cap)
        stem = os.path.splitext(cap)[0]
        cap_seeds, events = capture_seeds(path)
        seeds += cap_seeds
        if events:
            seeds.append(("tracker", "cap-" + stem, tracker_sequence(events)))
            seeds.append(("incident", "cap-" + stem, incident_sequence(events)))
    for harness, gen in (("quote", edge_quotes), ("dns_message", edge_dns), ("tracker", edge_tracker),
                         ("incident", edge_incident), ("answer_log", edge_answer_log)):
        seeds += [(harness, n, d) for n, d in gen()]
    # Identical inputs (the same query in several captures) are kept once, under the first name.
    seen, unique = set(), []
    for harness, n, d in seeds:
        key = (harness, hashlib.sha1(d).hexdigest())
        if key not in seen:
            seen.add(key)
            unique.append((harness, n, d))
    return unique


# Seeds that reproduce a bug not fixed yet in a file this work may not touch: written to
# crashes-found/<harness>-<name> (described in docs/fuzzing.md) instead of the corpus, so
# the replay tests stay green. Move a name back out of this set once its bug is fixed.
KNOWN_BUGS = set()  # ("tracker", "edge-extreme-times") moved out: tracker.c saturates time differences


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="only report seeds that would change")
    args = ap.parse_args()
    changed = 0
    counts = {}
    for harness, n, d in all_seeds():
        if (harness, n) in KNOWN_BUGS:
            path = os.path.join(HERE, "crashes-found", "%s-%s" % (harness, n))
        else:
            path = os.path.join(HERE, "corpus", harness, n)
        counts[harness] = counts.get(harness, 0) + 1
        old = open(path, "rb").read() if os.path.exists(path) else None
        if old == d:
            continue
        changed += 1
        if args.check:
            print("would change: " + os.path.relpath(path, TOP))
            continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(d)
    print("make_corpus: " + ", ".join("%s %d" % kv for kv in sorted(counts.items())) +
          ("; %d would change" if args.check else "; %d written") % changed)
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
