#!/usr/bin/python3
"""Write crafted.pcapng: hand-built frames for cases no real stack produces.

Usage: /usr/bin/python3 captures/craft.py [OUTPUT_DIR]   (default: this folder)

Python 3 standard library only.  The output is byte-for-byte deterministic:
fixed timestamps (from 2024-01-01T00:00:00Z, 100 ms apart), fixed MAC and IP
addresses, ports, IP ids and DNS ids.  Every IPv4 header, UDP, ICMP and
ICMPv6 checksum is valid, in the outer packets and in the quoted ones (a
quote's checksums are those of the original packet before it was cut).
Each frame carries a pcapng comment naming its case (see README.md).
"""

import os
import socket
import struct
import sys

# ------------------------------------------------------------ addresses

MAC_CLIENT = bytes.fromhex("02000000000a")
MAC_SERVER = bytes.fromhex("020000000035")
MAC_ROUTER = bytes.fromhex("020000000001")

CLIENT4, SERVER4, ROUTER4, FAR4 = "192.0.2.10", "192.0.2.53", "192.0.2.1", "198.51.100.53"
CLIENT6, SERVER6, ROUTER6, FAR6 = "2001:db8::10", "2001:db8::53", "2001:db8::1", "2001:db8:ffff::53"

BASE_NS = 1704067200 * 10**9          # 2024-01-01T00:00:00Z
STEP_NS = 100 * 10**6                 # 100 ms between frames

# ------------------------------------------------------------ checksums


def csum(data):
    if len(data) % 2:
        data += b"\x00"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def a4(x):
    return socket.inet_pton(socket.AF_INET, x)


def a6(x):
    return socket.inet_pton(socket.AF_INET6, x)

# ------------------------------------------------------------ builders


def ipv4(src, dst, proto, payload, ident, ttl=64, tos=0, df=False, mf=False,
         frag_off=0, options=b""):
    assert len(options) % 4 == 0 and len(options) <= 40
    ihl = 5 + len(options) // 4
    flags_frag = (0x4000 if df else 0) | (0x2000 if mf else 0) | (frag_off // 8)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, tos, ihl * 4 + len(payload), ident,
                      flags_frag, ttl, proto, 0, a4(src), a4(dst)) + options
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def udp4(src, dst, sport, dport, payload, offload=False):
    """offload: the checksum field as a capture on the sending host shows it when the NIC
    computes the checksum: the pseudo-header's sum alone, not complemented (Linux's
    udp4_hwcsum), instead of the checksum that goes on the wire."""
    length = 8 + len(payload)
    pseudo = a4(src) + a4(dst) + struct.pack("!BBH", 0, 17, length)
    hdr = struct.pack("!HHHH", sport, dport, length, 0)
    c = (~csum(pseudo) & 0xFFFF) if offload else (csum(pseudo + hdr + payload) or 0xFFFF)
    return struct.pack("!HHHH", sport, dport, length, c) + payload


def udp6(src, dst, sport, dport, payload):
    length = 8 + len(payload)
    pseudo = a6(src) + a6(dst) + struct.pack("!IxxxB", length, 17)
    hdr = struct.pack("!HHHH", sport, dport, length, 0)
    c = csum(pseudo + hdr + payload) or 0xFFFF
    return struct.pack("!HHHH", sport, dport, length, c) + payload


def tcp4(src, dst, sport, dport, seq, ack, flags):
    """A TCP header without options or payload, with a valid checksum."""
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0)
    pseudo = a4(src) + a4(dst) + struct.pack("!BBH", 0, 6, len(hdr))
    c = csum(pseudo + hdr)
    return hdr[:16] + struct.pack("!H", c) + hdr[18:]


def icmp4(type_, code, rest, body):
    """rest: the 4 bytes after the checksum."""
    msg = struct.pack("!BBH", type_, code, 0) + rest + body
    return msg[:2] + struct.pack("!H", csum(msg)) + msg[4:]


def icmp6(src, dst, type_, code, rest, body):
    msg = struct.pack("!BBH", type_, code, 0) + rest + body
    pseudo = a6(src) + a6(dst) + struct.pack("!IxxxB", len(msg), 58)
    return msg[:2] + struct.pack("!H", csum(pseudo + msg)) + msg[4:]


def ipv6(src, dst, nh, payload, hlim=64):
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload), nh, hlim, a6(src), a6(dst)) + payload


def eth(dst, src, ethertype, payload):
    return dst + src + struct.pack("!H", ethertype) + payload


def eth4(dst, src, pkt):
    return eth(dst, src, 0x0800, pkt)


def eth6(dst, src, pkt):
    return eth(dst, src, 0x86DD, pkt)

# ------------------------------------------------------------ DNS


def name_wire(name):
    """name: str (dotted, ASCII) or list of raw bytes labels."""
    if isinstance(name, str):
        labels = [l.encode("ascii") for l in name.rstrip(".").split(".") if l]
    else:
        labels = name
    return b"".join(bytes([len(l)]) + l for l in labels) + b"\x00"


def dns_query(qid, name, qtype=1, rd=True, edns=True):
    """Query as dig would send it: RD, one question, EDNS(0) OPT (1232)."""
    qname = name if isinstance(name, bytes) else name_wire(name)
    msg = struct.pack("!HHHHHH", qid, 0x0100 if rd else 0, 1, 0, 0, 1 if edns else 0)
    msg += qname + struct.pack("!HH", qtype, 1)
    if edns:
        msg += b"\x00" + struct.pack("!HHIH", 41, 1232, 0, 0)
    return msg


A, NS, AAAA = 1, 2, 28

# ------------------------------------------------------------ ICMP errors


def unreach4(reporter, orig, code=3, quote_len=None, length_words=0, mtu=0):
    """ICMP destination unreachable from `reporter` to the original's source."""
    quote = orig if quote_len is None else orig[:quote_len]
    rest = struct.pack("!BBH", 0, length_words, mtu)
    return ipv4(reporter, socket.inet_ntop(socket.AF_INET, orig[12:16]), 1,
                icmp4(3, code, rest, quote), ident=0x7000, tos=0xC0)


def unreach6(reporter, orig, code=4, quote_len=None, rest=b"\x00" * 4, type_=1):
    quote = orig if quote_len is None else orig[:quote_len]
    dst = socket.inet_ntop(socket.AF_INET6, orig[8:24])
    return ipv6(reporter, dst, 58, icmp6(reporter, dst, type_, code, rest, quote))


def client_query4(sport, qid, name, qtype=A, dst=SERVER4, ident=0x0100, dport=53, options=b"", msg=None,
                  offload=False):
    payload = msg if msg is not None else dns_query(qid, name, qtype)
    return ipv4(CLIENT4, dst, 17, udp4(CLIENT4, dst, sport, dport, payload, offload), ident=ident, df=True,
                options=options)


def client_query6(sport, qid, name, qtype=AAAA, dst=SERVER6):
    return ipv6(CLIENT6, dst, 17, udp6(CLIENT6, dst, sport, 53, dns_query(qid, name, qtype)))


def icmp_ext_iface_v4(ifindex, addr, ifname):
    """RFC 4884 extension structure holding one RFC 5837 Interface
    Information Object (incoming interface: ifIndex, IPv4 address, name)."""
    name = ifname.encode()
    name_sub = bytes([((len(name) + 1 + 3) // 4) * 4]) + name
    name_sub += b"\x00" * (name_sub[0] - len(name_sub))
    body = struct.pack("!I", ifindex) + struct.pack("!HH", 1, 0) + a4(addr) + name_sub
    obj = struct.pack("!HBB", 4 + len(body), 2, 0x0E) + body      # class 2, ifIndex|IPAddr|name
    ext = struct.pack("!BBH", 0x20, 0, 0) + obj                   # version 2
    return ext[:2] + struct.pack("!H", csum(ext)) + ext[4:]


def icmp_ext_iface_v6(ifindex, addr):
    body = struct.pack("!I", ifindex) + struct.pack("!HH", 2, 0) + a6(addr)
    obj = struct.pack("!HBB", 4 + len(body), 2, 0x0C) + body      # ifIndex|IPAddr
    ext = struct.pack("!BBH", 0x20, 0, 0) + obj
    return ext[:2] + struct.pack("!H", csum(ext)) + ext[4:]

# ------------------------------------------------------------ frames


def frames():
    out = []

    def add(frame, comment):
        out.append((frame, comment))

    cs, sc = (MAC_SERVER, MAC_CLIENT), (MAC_CLIENT, MAC_SERVER)   # (dst, src)
    rc = (MAC_CLIENT, MAC_ROUTER)
    cs6 = cs

    # a) query + ICMP port unreachable quoting only IPv4 header + 8 bytes.
    qa = client_query4(40000, 0x1234, "www.example.com", A, ident=0x0a01)
    add(eth4(*cs, qa), "a) DNS query id 0x1234 www.example.com A 192.0.2.10:40000 -> 192.0.2.53:53")
    add(eth4(*sc, unreach4(SERVER4, qa, 3, quote_len=28)),
        "a) ICMP 3/3 port unreachable quoting only IPv4 header + 8 bytes (RFC 792 minimum) of frame 1")

    # b) quoted IPv4 header with options.
    ra = bytes([0x94, 0x04, 0x00, 0x00])                           # Router Alert, IHL 6
    qb1 = client_query4(40002, 0x2001, "ipopt.example.com", A, ident=0x0b01, options=ra)
    add(eth4(*sc, unreach4(SERVER4, qb1)),
        "b) ICMP 3/3 quoting IPv4 with IHL 6 (Router Alert option) + UDP + DNS query id 0x2001 ipopt.example.com A")
    rr = bytes([0x07, 39, 4]) + b"\x00" * 36 + b"\x00"            # Record Route, 9 slots + EOL, IHL 15
    qb2 = client_query4(40003, 0x2002, "rr.example.com", A, ident=0x0b02, options=rr)
    add(eth4(*sc, unreach4(SERVER4, qb2)),
        "b) ICMP 3/3 quoting IPv4 with IHL 15 (Record Route option, 40 option bytes) + UDP + DNS query id 0x2002 rr.example.com A")

    # c) RFC 4884: original datagram zero-padded to 128 bytes + extension.
    qc = client_query4(40004, 0x4884, "rfc4884.example.com", A, dst=FAR4, ident=0x0c01)
    assert len(qc) < 128
    body = qc + b"\x00" * (128 - len(qc)) + icmp_ext_iface_v4(3, "198.51.100.1", "eth1")
    add(eth4(*rc, ipv4(ROUTER4, CLIENT4, 1, icmp4(3, 1, struct.pack("!BBH", 0, 128 // 4, 0), body),
                       ident=0x7001, tos=0xC0)),
        "c) ICMP 3/1 host unreachable from router 192.0.2.1, RFC 4884 length 32 words (128 bytes) "
        "+ extension (Interface Information Object); quotes DNS query id 0x4884 rfc4884.example.com A to 198.51.100.53")
    qc6 = client_query6(40005, 0x4886, "rfc4884-6.example.com", AAAA, dst=FAR6)
    assert len(qc6) < 128
    body6 = qc6 + b"\x00" * (128 - len(qc6)) + icmp_ext_iface_v6(3, "2001:db8:ffff::1")
    add(eth6(*rc, ipv6(ROUTER6, CLIENT6, 58,
                       icmp6(ROUTER6, CLIENT6, 1, 3, bytes([128 // 8, 0, 0, 0]), body6))),
        "c) ICMPv6 1/3 address unreachable from router 2001:db8::1, RFC 4884 length 16 (64-bit words, 128 bytes) "
        "+ extension; quotes DNS query id 0x4886 rfc4884-6.example.com AAAA to 2001:db8:ffff::53")

    # d) parameter problem quoting a DNS query.
    qd = client_query4(40006, 0x0c0c, "paramprob.example.com", A, ident=0x0d01)
    add(eth4(*sc, ipv4(SERVER4, CLIENT4, 1, icmp4(12, 0, struct.pack("!BBH", 1, 0, 0), qd),
                       ident=0x7002, tos=0xC0)),
        "d) ICMP 12/0 parameter problem (pointer 1) quoting DNS query id 0x0c0c paramprob.example.com A")

    # e) ICMPv6 port unreachable quoting HBH + DST + Fragment + UDP/53.
    dns_e = dns_query(0x0e0e, "exthdr6.example.com", AAAA)
    udp_e = udp6(CLIENT6, SERVER6, 40008, 53, dns_e)
    frag = struct.pack("!BBHI", 17, 0, 0, 0x0000E001)              # offset 0, M=0 (atomic first fragment)
    dst_opts = bytes([44, 0, 1, 4, 0, 0, 0, 0])                    # next: Fragment, PadN
    hbh = bytes([60, 0, 1, 4, 0, 0, 0, 0])                         # next: Destination Options, PadN
    qe = ipv6(CLIENT6, SERVER6, 0, hbh + dst_opts + frag + udp_e)
    add(eth6(*sc, unreach6(SERVER6, qe, 4)),
        "e) ICMPv6 1/4 quoting IPv6 + Hop-by-Hop + Destination Options + Fragment (offset 0, M=0, id 0xe001) "
        "+ UDP 40008->53 + DNS query id 0x0e0e exthdr6.example.com AAAA")

    # f) quotes cut short.
    qf1 = client_query4(40009, 0x0f01, "truncated.example.com", A, ident=0x0f01)
    cut = 20 + 8 + 12 + 1 + 5                                      # ... + "\x09trunc"
    add(eth4(*sc, unreach4(SERVER4, qf1, quote_len=cut)),
        "f) ICMP 3/3 quote cut in the middle of the question name (after 'trunc' of truncated.example.com), DNS id 0x0f01")
    qf2 = client_query4(40010, 0x0f02, "afterudp.example.com", A, ident=0x0f02)
    add(eth4(*sc, unreach4(SERVER4, qf2, quote_len=28)),
        "f) ICMP 3/3 quote ends right after the UDP header (40010->53); no matching query in this file")
    qf3 = client_query4(40011, 0x0f03, "midheader.example.com", A, ident=0x0f03)
    add(eth4(*sc, unreach4(SERVER4, qf3, quote_len=28 + 6)),
        "f) ICMP 3/3 quote ends in the middle of the DNS header (6 of 12 bytes: id 0x0f03, flags, qdcount)")
    qf4 = client_query4(40012, 0x0f04, "midip.example.com", A, ident=0x0f04)
    add(eth4(*sc, unreach4(SERVER4, qf4, quote_len=12)),
        "f) ICMP 3/3 quote ends in the middle of the IPv4 header (12 of 20 bytes)")

    # g) odd names.
    q1 = name_wire("www.example.com")
    msg = struct.pack("!HHHHHH", 0x6701, 0x0100, 2, 0, 0, 0) + q1 + struct.pack("!HH", A, 1)
    msg += b"\x03ptr" + struct.pack("!H", 0xC000 | 16) + struct.pack("!HH", A, 1)   # ptr -> "example.com" at 16
    add(eth4(*sc, unreach4(SERVER4, client_query4(40013, 0, None, ident=0x1001, msg=msg))),
        "g) ICMP 3/3 quoting DNS id 0x6701 with 2 questions: www.example.com A, ptr.example.com A (compression pointer to offset 16)")
    msg = struct.pack("!HHHHHH", 0x6702, 0x0100, 1, 0, 0, 0) + b"\x03bad\xc0\x0c" + struct.pack("!HH", A, 1)
    add(eth4(*sc, unreach4(SERVER4, client_query4(40014, 0, None, ident=0x1002, msg=msg))),
        "g) ICMP 3/3 quoting DNS id 0x6702 whose question name is 'bad' + a compression pointer to offset 12 (a loop)")
    odd = name_wire([b"caf\xc3\xa9", b"a.b", b"bell\x07\x00\x7f\xff", b"example", b"com"])
    add(eth4(*sc, unreach4(SERVER4, client_query4(40015, 0x6703, odd, A, ident=0x1003))),
        "g) ICMP 3/3 quoting DNS id 0x6703 name labels 'caf\\xc3\\xa9' 'a.b' 'bell\\x07\\x00\\x7f\\xff' 'example' 'com' A")
    add(eth4(*sc, unreach4(SERVER4, client_query4(40016, 0x6704, b"\x00", NS, ident=0x1004))),
        "g) ICMP 3/3 quoting DNS id 0x6704 query for the root name '.' NS")

    # h) not DNS.
    ntp = struct.pack("!BBbb", 0x23, 0, 6, -20) + b"\x00" * 36 + struct.pack("!II", 0xE9000000, 0x12345678)
    qh = ipv4(CLIENT4, SERVER4, 17, udp4(CLIENT4, SERVER4, 40017, 123, ntp), ident=0x1101, df=True)
    add(eth4(*sc, unreach4(SERVER4, qh)), "h) ICMP 3/3 quoting UDP 40017->123 (NTP client request): not DNS")
    echo_payload = bytes(range(32))
    req = ipv4(CLIENT4, SERVER4, 1, icmp4(8, 0, struct.pack("!HH", 0x0e0e, 1), echo_payload), ident=0x1102, df=True)
    add(eth4(*cs, req), "h) ICMP echo request id 0x0e0e seq 1")
    rep = ipv4(SERVER4, CLIENT4, 1, icmp4(0, 0, struct.pack("!HH", 0x0e0e, 1), echo_payload), ident=0x7003)
    add(eth4(*sc, rep), "h) ICMP echo reply id 0x0e0e seq 1")
    req_far = ipv4(CLIENT4, FAR4, 1, icmp4(8, 0, struct.pack("!HH", 0x0e0e, 2), echo_payload), ident=0x1103,
                   df=True, ttl=1)
    add(eth4(*rc, ipv4(ROUTER4, CLIENT4, 1, icmp4(11, 0, b"\x00" * 4, req_far), ident=0x7004, tos=0xC0)),
        "h) ICMP 11/0 time exceeded from router 192.0.2.1 quoting an ICMP echo request (id 0x0e0e seq 2, TTL 1) to 198.51.100.53")

    # i) quote of a non-first fragment of a UDP/53 datagram: no UDP header
    #    inside; its first bytes even look like ports ?->53 (a trap).
    frag_data = bytes.fromhex("9c4b0035003000000000") + b"\x00" * 38 + bytes.fromhex("0001") + b"\x00" * 8
    qi = ipv4(CLIENT4, SERVER4, 17, frag_data, ident=0x1201, frag_off=1480)
    add(eth4(*sc, unreach4(SERVER4, qi)),
        "i) ICMP 3/3 quoting a non-first IPv4 fragment (protocol UDP, offset 1480, id 0x1201): payload is not a UDP header")

    # j) ICMPv6 error whose quoted extension header chain runs out of the quote.
    dns_j = dns_query(0x0a0a, "chain6.example.com", AAAA)
    udp_j = udp6(CLIENT6, SERVER6, 40019, 53, dns_j)
    hbh_j = bytes([60, 0, 1, 4, 0, 0, 0, 0])                       # 8 bytes, next: DST
    dst_j = bytes([17, 2, 1, 20]) + b"\x00" * 20                   # 24 bytes, PadN 20, next: UDP
    qj = ipv6(CLIENT6, SERVER6, 0, hbh_j + dst_j + udp_j)
    add(eth6(*sc, unreach6(SERVER6, qj, 4, quote_len=40 + 8 + 8)),
        "j) ICMPv6 1/4 quote = IPv6 header + Hop-by-Hop + first 8 of 24 bytes of a Destination Options header; "
        "UDP/DNS (id 0x0a0a chain6.example.com) not in the quote")

    # k) DNS over TCP accepted (SYN, SYN/ACK, ACK) and then reset before any data, the reset
    #    acknowledging the SYN: a real stack's timing rarely gives this; not a refusal.
    isn_c, isn_s = 1000, 5000
    add(eth4(*cs, ipv4(CLIENT4, SERVER4, 6, tcp4(CLIENT4, SERVER4, 40020, 53, isn_c, 0, 0x02), ident=0x1301, df=True)),
        "k) TCP SYN 40020->53, seq 1000")
    add(eth4(*sc, ipv4(SERVER4, CLIENT4, 6, tcp4(SERVER4, CLIENT4, 53, 40020, isn_s, isn_c + 1, 0x12), ident=0x7101,
                       df=True)), "k) TCP SYN/ACK 53->40020, ack 1001: the server accepts")
    add(eth4(*cs, ipv4(CLIENT4, SERVER4, 6, tcp4(CLIENT4, SERVER4, 40020, 53, isn_c + 1, isn_s + 1, 0x10),
                       ident=0x1302, df=True)), "k) TCP ACK 40020->53")
    add(eth4(*sc, ipv4(SERVER4, CLIENT4, 6, tcp4(SERVER4, CLIENT4, 53, 40020, isn_s + 1, isn_c + 1, 0x14),
                       ident=0x7102, df=True)),
        "k) TCP RST/ACK 53->40020, ack 1001 after the connection was accepted: not a refusal")

    # l) captured on the sending host with UDP checksum offload: the captured queries carry
    #    the pseudo-header sum, the wire the real checksum, and the 8-byte quote the latter.
    #    Two tries from one socket (same ports and length, new IP and DNS ids): only the
    #    computed checksum tells that the error quotes the first.
    ql_wire = client_query4(40021, 0x5151, "offload.example.com", A, ident=0x1401)
    add(eth4(*cs, client_query4(40021, 0x5151, "offload.example.com", A, ident=0x1401, offload=True)),
        "l) DNS query id 0x5151 offload.example.com A 192.0.2.10:40021 -> 192.0.2.53:53, IP id 0x1401, "
        "UDP checksum left to the NIC (pseudo-header sum)")
    add(eth4(*cs, client_query4(40021, 0x5152, "offload.example.com", A, ident=0x1402, offload=True)),
        "l) the same question again from the same socket: DNS id 0x5152, IP id 0x1402, checksum left to the NIC")
    add(eth4(*sc, unreach4(SERVER4, ql_wire, 3, quote_len=28)),
        "l) ICMP 3/3 quoting only IPv4 header + 8 bytes of the first query as sent (IP id 0x1401, real UDP checksum)")
    return out

# ------------------------------------------------------------ pcapng


def pad4(b):
    return b + b"\x00" * (-len(b) % 4)


def option(code, value):
    return struct.pack("<HH", code, len(value)) + pad4(value)


def block(btype, body):
    total = 12 + len(body)
    return struct.pack("<II", btype, total) + body + struct.pack("<I", total)


def pcapng(frames_, application=b"dnsfail captures/craft.py", interface=b"crafted", linktype=1):
    """A pcapng file of (frame, comment) pairs: one interface, nanosecond timestamps."""
    shb_opts = option(4, application) + option(0, b"")
    shb = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1) + shb_opts)
    idb_opts = option(2, interface) + option(9, bytes([9])) + option(0, b"")   # ns resolution
    idb = block(1, struct.pack("<HHI", linktype, 0, 262144) + idb_opts)
    out = shb + idb
    for i, (frame, comment) in enumerate(frames_):
        ts = BASE_NS + i * STEP_NS
        opts = option(1, comment.encode()) + option(0, b"")
        body = struct.pack("<IIIII", 0, ts >> 32, ts & 0xFFFFFFFF, len(frame), len(frame)) + pad4(frame) + opts
        out += block(6, body)
    return out


def main(filename="crafted.pcapng", make_frames=None, make_pcapng=None):
    """Writes filename into argv[1] (default: this folder); other generators pass their own."""
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    os.makedirs(outdir, exist_ok=True)
    fr = (make_frames or frames)()
    path = os.path.join(outdir, filename)
    with open(path + ".tmp", "wb") as f:
        f.write((make_pcapng or pcapng)(fr))
    os.replace(path + ".tmp", path)
    for i, (_, comment) in enumerate(fr, 1):
        print("%2d  %s" % (i, comment))
    print("wrote %s (%d frames)" % (path, len(fr)))


if __name__ == "__main__":
    main()
