#!/usr/bin/env python3
"""Writes a synthetic, deterministic capture of mixed traffic for measuring what the
plugin costs per frame: mostly TCP and non-DNS UDP, some DNS queries and answers, ICMP
echo, and a share of ICMP errors quoting DNS (port unreachable, 8-byte quotes).

    make_mixed_capture.py OUT.pcap [FRAMES] [SEED]
"""
import random
import struct
import sys


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


def udp(sport, dport, payload):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0x1234) + payload


def tcp(sport, dport, seq, payload):
    return struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 0x50, 0x18, 65535, 0, 0) + payload


def dns_query(qid, name, qtype=1):
    q = b"".join(bytes([len(l)]) + l.encode() for l in name.split(".")) + b"\0"
    return struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + q + struct.pack("!HH", qtype, 1)


def dns_answer(qid, name):
    q = b"".join(bytes([len(l)]) + l.encode() for l in name.split(".")) + b"\0"
    return (struct.pack("!HHHHHH", qid, 0x8180, 1, 1, 0, 0) + q + struct.pack("!HH", 1, 1) +
            struct.pack("!HHHIH4s", 0xC00C, 1, 1, 300, 4, bytes([198, 51, 100, 7])))


def ether(payload):
    return b"\x02\0\0\0\0\x01" + b"\x02\0\0\0\0\x02" + b"\x08\x00" + payload


def main():
    out = sys.argv[1]
    frames = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    client, server, web = [10, 0, 0, 5], [10, 0, 0, 53], [192, 0, 2, 80]
    names = [f"host{i}.example.com" for i in range(200)]
    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        t = 1_700_000_000.0
        for i in range(frames):
            t += rng.random() * 0.002
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
            frame = ether(pkt)
            sec = int(t)
            f.write(struct.pack("<IIII", sec, int((t - sec) * 1e6), len(frame), len(frame)))
            f.write(frame)


if __name__ == "__main__":
    main()
