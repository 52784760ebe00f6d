#!/usr/bin/python3
"""Write crafted-pppmux.pcapng: one frame that carries two IP packets (RFC 3153 PPP
multiplexing, PPPMux), each of which dnsfail would analyse on its own.

Usage: /usr/bin/python3 captures/craft_pppmux.py [OUTPUT_DIR]   (default: this folder)

Python 3 standard library only, byte-for-byte deterministic; the IP, UDP and ICMP builders
and the pcapng blocks are craft.py's. Link type 9 (PPP). Frames:

  1  PPP, IPv4: client 192.0.2.10:40001 -> server 192.0.2.53:53, A first.mux.example, id 0x6d01
  2  PPP, IPv4: client 192.0.2.10:40002 -> server 192.0.2.53:53, A second.mux.example, id 0x6d02
  3  PPP multiplexed frame (protocol 0x0059) with two subframes, each PPP protocol 0x0021:
       a. ICMP port unreachable from the server quoting frame 1's query (whole)
       b. the server's SERVFAIL answer to frame 2's query
     dnsfail analyses the first IP packet noted in a frame, once (plugin/frame_stash.c,
     stash_taken): frame 3 is the ICMP error of frame 1's query, and nothing else.
"""

import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import craft  # noqa: E402
from craft import A, CLIENT4, SERVER4, client_query4, dns_query, ipv4, udp4, unreach4  # noqa: E402

LINKTYPE_PPP = 9
PPP_IP, PPP_MUX = 0x0021, 0x0059


def ppp(protocol, payload):
    """PPP in HDLC-like framing without the flags and FCS, as link type 9 stores it."""
    return b"\xff\x03" + struct.pack("!H", protocol) + payload


def pppmux_subframe(protocol, payload):
    """PFF set (protocol field present, 2 bytes), LXT set (2-byte length); the length counts
    the protocol field and the payload (RFC 3153 section 3)."""
    length = 2 + len(payload)
    assert length < 0x4000
    return struct.pack("!HH", 0xC000 | length, protocol) + payload


def servfail_answer(query):
    """query: the DNS message; the same question, QR, RD, RA, RCODE 2, no records."""
    qid, flags, qd = struct.unpack("!HHH", query[:6])
    question = query[12:]
    if query[-11:-10] == b"\x00" and query[-10:-8] == b"\x00\x29":
        question = query[12:-11]   # leave the OPT record out
    return struct.pack("!HHHHHH", qid, 0x8182, qd, 0, 0, 0) + question


def frames():
    q1 = client_query4(40001, 0x6D01, "first.mux.example", A, ident=0x0101)
    q2 = client_query4(40002, 0x6D02, "second.mux.example", A, ident=0x0102)
    error = unreach4(SERVER4, q1)
    answer = ipv4(SERVER4, CLIENT4, 17, udp4(SERVER4, CLIENT4, 53, 40002,
                                             servfail_answer(dns_query(0x6D02, "second.mux.example", A))),
                  ident=0x0201)
    mux = pppmux_subframe(PPP_IP, error) + pppmux_subframe(PPP_IP, answer)
    return [
        (ppp(PPP_IP, q1), "query A first.mux.example"),
        (ppp(PPP_IP, q2), "query A second.mux.example"),
        (ppp(PPP_MUX, mux), "one PPPMux frame, two IP packets: ICMP port unreachable quoting frame 1, "
                            "then SERVFAIL answering frame 2; dnsfail analyses the first only"),
    ]


def pcapng(frames_):
    return craft.pcapng(frames_, b"dnsfail captures/craft_pppmux.py", b"pppmux", LINKTYPE_PPP)


def main():
    craft.main("crafted-pppmux.pcapng", frames, pcapng)


if __name__ == "__main__":
    main()
