#!/usr/bin/env python3
"""Writes a synthetic, deterministic capture (pcap) for measuring what the plugin costs
per frame. The output depends only on the arguments.

    make_mixed_capture.py OUT.pcap [FRAMES] [SEED] [--profile mixed|realistic|ordinary|everyday|flood|resolver]

Profiles:
  mixed      (default; the input of the hand measurements in docs/design.md, unchanged)
             mostly TCP and non-DNS UDP, 10% DNS queries, 10% answers, ICMP echo, and 2%
             ICMP port unreachable quoting a DNS query (half whole, half 8-byte quotes).
  realistic  ordinary traffic (TCP, QUIC-like UDP, ICMP echo, IPv6) around DNS exchanges
             over IPv4 and IPv6 from 50 clients to 3 servers: most answered NOERROR, and a
             share of failures of every kind dnsfail reports: NXDOMAIN, SERVFAIL, REFUSED,
             FORMERR, SERVFAIL with an EDNS Extended DNS Error, ICMP port unreachable
             (whole and 8-byte quotes, with retries), ICMP host unreachable and
             administratively prohibited from a router, ICMPv6 port unreachable, and DNS
             over TCP refused with a reset.
  ordinary   the ordinary traffic of "realistic" alone: no DNS, no ICMP error (what
             dnsfail should cost next to nothing on).
  everyday   the traffic of "realistic" with DNS at an everyday share: one draw in 20 is
             a DNS exchange instead of three in 10, so about 10% of the frames are DNS or
             ICMP errors instead of 48%, with the same failures in the same proportions
             (about three times the DNS share of the real captures measured in
             docs/PERFORMANCE.md).
  resolver   a resolver's two legs, as a capture on the resolver's host holds them: the
             ordinary traffic of "realistic" around DNS exchanges of 40 clients with a
             forwarding resolver (10.0.0.53 toward them, 10.9.0.2 toward its upstreams),
             which forwards each question it has not cached to an upstream (same name, its
             own id and port): most answered by 10.9.0.54; a share sent to 10.9.0.53, whose
             DNS port is closed (ICMP port unreachable, then SERVFAIL to the client, or the
             resolver tries 10.9.0.54 and recovers), or which answers REFUSED (REFUSED
             passed on); NXDOMAIN passed on; answers from the cache with no upstream query.
  flood      the adversarial case: a flood of unanswered queries (many clients, ports, ids
             and names; never answered, so every one stays tracked), 10% ordinary TCP and
             0.5% ICMP errors quoting recent queries of the flood.
"""
import argparse
import random
import struct


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(src, dst, proto, payload, ident):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, 0x4000, 64, proto, 0, bytes(src), bytes(dst))
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def ipv6(src, dst, nxt, payload):
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload), nxt, 64, src, dst) + payload


def udp(sport, dport, payload):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0x1234) + payload


def tcp(sport, dport, seq, payload):
    return struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 0x50, 0x18, 65535, 0, 0) + payload


def tcp_flags(sport, dport, seq, ack, flags):
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 0x50, flags, 65535 if flags == 0x02 else 0, 0, 0)


def qname(name):
    return b"".join(bytes([len(l)]) + l.encode() for l in name.split(".")) + b"\0"


def dns_query(qid, name, qtype=1):
    return struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + qname(name) + struct.pack("!HH", qtype, 1)


def dns_answer(qid, name, qtype=1):
    """A NOERROR answer to the question (name, qtype) with one A record (an answer that
    repeats another question would answer no query)."""
    return (struct.pack("!HHHHHH", qid, 0x8180, 1, 1, 0, 0) + qname(name) + struct.pack("!HH", qtype, 1) +
            struct.pack("!HHHIH4s", 0xC00C, 1, 1, 300, 4, bytes([198, 51, 100, 7])))


def dns_error_answer(qid, name, qtype, rcode, ede=None):
    """An answer with no records and the given RCODE; with ede=(info_code, text), an OPT
    record carrying an Extended DNS Error (RFC 8914)."""
    arcount = 1 if ede else 0
    msg = struct.pack("!HHHHHH", qid, 0x8180 | rcode, 1, 0, 0, arcount) + qname(name) + struct.pack("!HH", qtype, 1)
    if ede:
        text = ede[1].encode()
        opt = struct.pack("!HHH", 15, 2 + len(text), ede[0]) + text
        msg += b"\0" + struct.pack("!HHIH", 41, 1232, 0, len(opt)) + opt
    return msg


def ether(payload, ethertype=0x0800):
    return b"\x02\0\0\0\0\x01" + b"\x02\0\0\0\0\x02" + struct.pack("!H", ethertype) + payload


class Writer:
    def __init__(self, f, rng, limit):
        self.f, self.rng, self.t, self.n, self.limit = f, rng, 1_700_000_000.0, 0, limit
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))

    def frame(self, frame, gap=None):
        if self.n >= self.limit:    # an exchange cut at the end: exactly `limit` frames
            return
        self.t += self.rng.random() * 0.002 if gap is None else gap
        sec = int(self.t)
        self.f.write(struct.pack("<IIII", sec, int((self.t - sec) * 1e6), len(frame), len(frame)))
        self.f.write(frame)
        self.n += 1


def profile_mixed(w, frames, rng):
    client, server, web = [10, 0, 0, 5], [10, 0, 0, 53], [192, 0, 2, 80]
    names = [f"host{i}.example.com" for i in range(200)]
    for i in range(frames):
        gap = rng.random() * 0.002
        r = rng.random()
        ident = i & 0xFFFF
        if r < 0.60:
            pkt = ipv4(client, web, 6, tcp(40000 + i % 50, 443, i * 1000, bytes(rng.randrange(0, 1200))), ident)
        elif r < 0.75:
            pkt = ipv4(client, web, 17, udp(50000 + i % 20, 443, bytes(rng.randrange(20, 1200))), ident)
        elif r < 0.85:
            pkt = ipv4(client, server, 17, udp(30000 + i % 1000, 53, dns_query(i & 0xFFFF, rng.choice(names))), ident)
        elif r < 0.95:
            pkt = ipv4(server, client, 17, udp(53, 30000 + i % 1000, dns_answer(i & 0xFFFF, rng.choice(names))), ident)
        elif r < 0.98:
            pkt = ipv4(client, web, 1, struct.pack("!BBHHH", 8, 0, 0, 1, i & 0xFFFF) + bytes(56), ident)
        else:
            quoted = ipv4(client, server, 17, udp(30000 + i % 1000, 53, dns_query(i & 0xFFFF, rng.choice(names))), ident)
            body = quoted if rng.random() < 0.5 else quoted[:28]
            pkt = ipv4(server, client, 1, struct.pack("!BBHI", 3, 3, 0, 0) + body, ident)
        w.frame(ether(pkt), gap=gap)


def v6(prefix, host):
    return bytes([0x20, 0x01, 0x0d, 0xb8, 0, prefix] + [0] * 9 + [host])


REALISTIC_ORDINARY_DRAWS = 0.70  # "realistic": a draw below this is ordinary traffic, above it a DNS exchange
EVERYDAY_DNS_DRAWS = 0.05


def profile_realistic(w, frames, rng, ordinary_only=False, dns_draws=None):
    """dns_draws: the share of draws that are DNS exchanges, when not realistic's own
    (0.30). The ordinary draws keep realistic's proportions, and realistic's own
    captures are byte for byte those of earlier rounds."""
    clients = [[10, 1, i // 250, 1 + i % 250] for i in range(50)]
    servers = [[10, 0, 0, 53], [10, 0, 1, 53], [10, 0, 2, 53]]
    router = [10, 0, 255, 1]
    web = [192, 0, 2, 80]
    names = [f"host{i}.example.com" for i in range(500)]
    ident = 0

    def nid():
        nonlocal ident
        ident = (ident + 1) & 0xFFFF
        return ident

    def q4(c, s, sport, qid, name, qtype):
        return ipv4(c, s, 17, udp(sport, 53, dns_query(qid, name, qtype)), nid())

    while w.n < frames:
        r = rng.random()
        if ordinary_only:
            r *= REALISTIC_ORDINARY_DRAWS
        elif dns_draws is not None:
            r = r * REALISTIC_ORDINARY_DRAWS / (1.0 - dns_draws) if r < 1.0 - dns_draws else REALISTIC_ORDINARY_DRAWS
        c = rng.choice(clients)
        if r < 0.55:
            w.frame(ether(ipv4(c, web, 6, tcp(40000 + w.n % 50, 443, w.n * 1000, bytes(rng.randrange(0, 1400))), nid())))
        elif r < 0.66:
            w.frame(ether(ipv4(c, web, 17, udp(50000 + w.n % 20, 443, bytes(rng.randrange(20, 1200))), nid())))
        elif r < 0.68:
            w.frame(ether(ipv4(c, web, 1, struct.pack("!BBHHH", 8, 0, 0, 1, w.n & 0xFFFF) + bytes(56), nid())))
        elif r < REALISTIC_ORDINARY_DRAWS:
            w.frame(ether(ipv6(v6(1, c[3]), v6(2, 80), 6, tcp(40000 + w.n % 50, 443, w.n, bytes(rng.randrange(0, 1200)))), 0x86DD))
        else:
            # One DNS exchange: a query and what follows it.
            s = rng.choice(servers)
            sport, qid, name = rng.randrange(32768, 61000), rng.randrange(0x10000), rng.choice(names)
            qtype = rng.choice((1, 1, 28, 28, 65, 15))
            k = rng.random()
            if k < 0.70:    # answered
                w.frame(ether(q4(c, s, sport, qid, name, qtype)))
                w.frame(ether(ipv4(s, c, 17, udp(53, sport, dns_answer(qid, name)), nid())), gap=0.0005)
            elif k < 0.76:  # NXDOMAIN
                w.frame(ether(q4(c, s, sport, qid, name, qtype)))
                w.frame(ether(ipv4(s, c, 17, udp(53, sport, dns_error_answer(qid, name, qtype, 3)), nid())), gap=0.0005)
            elif k < 0.80:  # SERVFAIL, REFUSED, FORMERR, some with an Extended DNS Error
                rcode = rng.choice((2, 2, 5, 1))
                ede = (22, "no reachable authority") if rcode == 2 and rng.random() < 0.5 else None
                w.frame(ether(q4(c, s, sport, qid, name, qtype)))
                w.frame(ether(ipv4(s, c, 17, udp(53, sport, dns_error_answer(qid, name, qtype, rcode, ede)), nid())), gap=0.0005)
            elif k < 0.88:  # port unreachable from the server, retried, whole or 8-byte quote
                for _ in range(rng.randrange(1, 4)):
                    quoted = q4(c, s, sport, qid, name, qtype)
                    w.frame(ether(quoted))
                    body = quoted if rng.random() < 0.5 else quoted[:28]
                    w.frame(ether(ipv4(s, c, 1, struct.pack("!BBHI", 3, 3, 0, 0) + body, nid())), gap=0.0001)
            elif k < 0.92:  # host unreachable / administratively prohibited from a router
                code = rng.choice((1, 13))
                quoted = q4(c, s, sport, qid, name, qtype)
                w.frame(ether(quoted))
                w.frame(ether(ipv4(router, c, 1, struct.pack("!BBHI", 3, code, 0, 0) + quoted[:28], nid())), gap=0.003)
            elif k < 0.97:  # IPv6: answered, or ICMPv6 port unreachable
                c6, s6 = v6(1, c[3]), v6(0, 53 + servers.index(s))
                quoted = ipv6(c6, s6, 17, udp(sport, 53, dns_query(qid, name, qtype)))
                w.frame(ether(quoted, 0x86DD))
                if rng.random() < 0.5:
                    w.frame(ether(ipv6(s6, c6, 17, udp(53, sport, dns_answer(qid, name))), 0x86DD), gap=0.0005)
                else:
                    w.frame(ether(ipv6(s6, c6, 58, struct.pack("!BBHI", 1, 4, 0, 0) + quoted), 0x86DD), gap=0.0001)
            else:           # DNS over TCP refused with a reset
                seq = rng.randrange(1 << 32)
                w.frame(ether(ipv4(c, s, 6, tcp_flags(sport, 53, seq, 0, 0x02), nid())))
                w.frame(ether(ipv4(s, c, 6, tcp_flags(53, sport, 0, (seq + 1) & 0xFFFFFFFF, 0x14), nid())), gap=0.0001)


RESOLVER_DNS_DRAWS = 0.30  # "resolver": the share of draws that are a client's DNS exchange


def profile_resolver(w, frames, rng):
    clients = [[10, 1, 0, 1 + i] for i in range(40)]
    resolver, resolver_up = [10, 0, 0, 53], [10, 9, 0, 2]
    closed, working = [10, 9, 0, 53], [10, 9, 0, 54]
    web = [192, 0, 2, 80]
    names = [f"host{i}.example.com" for i in range(500)]
    ident = 0

    def nid():
        nonlocal ident
        ident = (ident + 1) & 0xFFFF
        return ident

    def send(src, dst, sport, dport, msg, gap=None):
        w.frame(ether(ipv4(src, dst, 17, udp(sport, dport, msg), nid())), gap=gap)

    def forward(upstream, name, qtype):
        """The resolver's query upstream; returns it (for an ICMP error's quote) and its id and port."""
        uid, uport = rng.randrange(0x10000), rng.randrange(32768, 61000)
        pkt = ipv4(resolver_up, upstream, 17, udp(uport, 53, dns_query(uid, name, qtype)), nid())
        w.frame(ether(pkt), gap=0.0002)
        return pkt, uid, uport

    def unreachable(quoted):
        w.frame(ether(ipv4(closed, resolver_up, 1, struct.pack("!BBHI", 3, 3, 0, 0) + quoted, nid())), gap=0.0001)

    while w.n < frames:
        r = rng.random()
        c = rng.choice(clients)
        if r < 1.0 - RESOLVER_DNS_DRAWS:
            if r < 0.55:
                w.frame(ether(ipv4(c, web, 6, tcp(40000 + w.n % 50, 443, w.n * 1000, bytes(rng.randrange(0, 1400))), nid())))
            else:
                w.frame(ether(ipv4(c, web, 17, udp(50000 + w.n % 20, 443, bytes(rng.randrange(20, 1200))), nid())))
            continue
        sport, qid, name = rng.randrange(32768, 61000), rng.randrange(0x10000), rng.choice(names)
        qtype = rng.choice((1, 1, 28, 28, 65, 15))
        send(c, resolver, sport, 53, dns_query(qid, name, qtype))
        k = rng.random()
        if k < 0.15:    # from the cache
            send(resolver, c, 53, sport, dns_answer(qid, name, qtype), gap=0.0001)
        elif k < 0.75:  # forwarded, answered
            _, uid, uport = forward(working, name, qtype)
            send(working, resolver_up, 53, uport, dns_answer(uid, name, qtype), gap=0.0005)
            send(resolver, c, 53, sport, dns_answer(qid, name, qtype), gap=0.0001)
        elif k < 0.80:  # NXDOMAIN, passed on
            _, uid, uport = forward(working, name, qtype)
            send(working, resolver_up, 53, uport, dns_error_answer(uid, name, qtype, 3), gap=0.0005)
            send(resolver, c, 53, sport, dns_error_answer(qid, name, qtype, 3), gap=0.0001)
        elif k < 0.88:  # the closed upstream, twice: SERVFAIL to the client
            for _ in range(2):
                quoted, _, _ = forward(closed, name, qtype)
                unreachable(quoted)
            send(resolver, c, 53, sport, dns_error_answer(qid, name, qtype, 2), gap=0.0001)
        elif k < 0.95:  # the closed upstream, then the working one: recovered
            quoted, _, _ = forward(closed, name, qtype)
            unreachable(quoted)
            _, uid, uport = forward(working, name, qtype)
            send(working, resolver_up, 53, uport, dns_answer(uid, name, qtype), gap=0.0005)
            send(resolver, c, 53, sport, dns_answer(qid, name, qtype), gap=0.0001)
        else:           # REFUSED upstream, passed on
            _, uid, uport = forward(closed, name, qtype)
            send(closed, resolver_up, 53, uport, dns_error_answer(uid, name, qtype, 5), gap=0.0003)
            send(resolver, c, 53, sport, dns_error_answer(qid, name, qtype, 5), gap=0.0001)


def profile_flood(w, frames, rng):
    server, web = [10, 0, 0, 53], [192, 0, 2, 80]
    recent = []
    i = 0
    while w.n < frames:
        r = rng.random()
        i += 1
        if r < 0.10:
            w.frame(ether(ipv4([10, 1, 0, 5], web, 6, tcp(40000 + i % 50, 443, i * 1000, bytes(rng.randrange(0, 1200))), i & 0xFFFF)))
        elif r < 0.105 and recent:
            quoted = rng.choice(recent)
            w.frame(ether(ipv4(server, quoted[12:16], 1, struct.pack("!BBHI", 3, 3, 0, 0) + quoted[:28], i & 0xFFFF)))
        else:
            c = [10, 2 + (i >> 16) % 200, (i >> 8) & 0xFF, i & 0xFF]
            quoted = ipv4(c, server, 17, udp(rng.randrange(1024, 65536), 53,
                                             dns_query(rng.randrange(0x10000), f"q{i}.r{rng.randrange(10**6)}.flood.example")),
                          i & 0xFFFF)
            w.frame(ether(quoted), gap=0.0001)
            recent.append(quoted)
            if len(recent) > 64:
                recent.pop(0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("frames", nargs="?", type=int, default=5000)
    ap.add_argument("seed", nargs="?", type=int, default=1)
    ap.add_argument("--profile", choices=("mixed", "realistic", "ordinary", "everyday", "flood", "resolver"),
                    default="mixed")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    with open(a.out, "wb") as f:
        w = Writer(f, rng, a.frames)
        if a.profile == "ordinary":
            profile_realistic(w, a.frames, rng, ordinary_only=True)
        elif a.profile == "everyday":
            profile_realistic(w, a.frames, rng, dns_draws=EVERYDAY_DNS_DRAWS)
        else:
            {"mixed": profile_mixed, "realistic": profile_realistic, "flood": profile_flood,
             "resolver": profile_resolver}[a.profile](w, a.frames, rng)


if __name__ == "__main__":
    main()
