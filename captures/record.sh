#!/bin/bash
# Record real kernel traffic for the dnsfail plugin test captures.
#
# Usage (as root):  captures/record.sh [OUTPUT_DIR [SCENARIO...]]
#   OUTPUT_DIR defaults to captures/; with no SCENARIO every capture is recorded.
#   A SCENARIO is a capture name with or without .pcapng (e.g. timeouts tcp-answers);
#   `record.sh --list` prints them, `record.sh --list-resolvers` those with real resolvers.
#
# Every capture is made in fresh network namespaces named dnsfail-* joined by
# veth pairs; nothing leaves those namespaces.  Captures are taken with
# dumpcap on the client's interface (eth0 in dnsfail-cli), full snaplen,
# pcapng.  All namespaces and helper processes are removed on exit.
# Needs: iproute2, dumpcap, tshark, dig (dnsutils), nft (nftables), python3; the resolver
# scenarios also reordercap (wireshark-common), dnsmasq (dnsmasq-base), unbound and nsd.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Every scenario, in recording order; scenario NAME writes NAME.pcapng (function sc_NAME).
ALL_SCENARIOS=(incident-port-unreachable router-host-unreachable router-net-unreachable
    firewall-reject ipv6 late-answer tcp-reject tcp-rst time-exceeded
    mdns-llmnr-unreachable frag-needed ordinary-dns failover-recovered error-answers
    tcp-accepted-reset timeouts tcp-answers multicast-unanswered cut-quote-answer)
ALL_SCENARIOS+=(nxdomain-only)
ALL_SCENARIOS+=(retry-silent retry-silent-tail retry-late-answer)
# Real resolvers (dnsmasq, unbound; nsd as authoritative server), recorded on the resolver's host.
RESOLVER_SCENARIOS=(dnsmasq-upstream-unreachable dnsmasq-upstream-silent dnsmasq-upstream-refused
    unbound-upstream-unreachable unbound-upstream-silent unbound-upstream-refused
    unbound-recursive-recovered unbound-recursive-all-down unbound-two-clients unbound-tcp-refused)
ALL_SCENARIOS+=("${RESOLVER_SCENARIOS[@]}")
if [[ ${1:-} == --list ]]; then printf '%s\n' "${ALL_SCENARIOS[@]}"; exit 0; fi
if [[ ${1:-} == --list-resolvers ]]; then printf '%s\n' "${RESOLVER_SCENARIOS[@]}"; exit 0; fi
OUT=${1:-$HERE}
if [[ $# -gt 0 ]]; then shift; fi
SCENARIOS=()
for s in "$@"; do
    s=${s%.pcapng}
    [[ " ${ALL_SCENARIOS[*]} " == *" $s "* ]] || { echo "record.sh: unknown scenario '$s' (see --list)" >&2; exit 2; }
    SCENARIOS+=("$s")
done
[[ ${#SCENARIOS[@]} -gt 0 ]] || SCENARIOS=("${ALL_SCENARIOS[@]}")
PY=/usr/bin/python3
TOOL=$HERE/dnsnet.py

CLI=dnsfail-cli
RTR=dnsfail-rtr
SRV=dnsfail-srv
RES=dnsfail-res           # the resolver's host (resolver scenarios only)

# Addresses
C4=192.51.100.15          # client
R4C=192.51.100.1          # router, client side
R4S=203.0.113.1           # router, server side
S4=203.0.113.2            # DNS server
C6=2001:db8:51::15
R6C=2001:db8:51::1
R6S=2001:db8:113::1
S6=2001:db8:113::2

die() { echo "record.sh: $*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || die "must run as root"
for t in ip dumpcap tshark dig nft "$PY"; do
    command -v "$t" >/dev/null || die "missing tool: $t"
done
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

# One run at a time (the namespace names are fixed): a second run waits for the first.
exec 9>/run/dnsfail-record.lock
flock -w 1800 9 || die "another record.sh has held the lock for 30 minutes"

WORK=$(mktemp -d /tmp/dnsfail-record.XXXXXX)
PIDS=()
NETNS_ETC=
CAP_PID=
CAP_TMP=
CAP_MULTI=0

ns_del_all() {
    local ns
    for ns in $CLI $RTR $SRV $RES; do
        if [[ -e /run/netns/$ns ]]; then
            ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
            ip netns del "$ns"
        fi
    done
}

cleanup() {
    local rc=$?
    set +e
    local p
    for p in "${PIDS[@]}" $CAP_PID; do
        kill "$p" 2>/dev/null
    done
    for p in "${PIDS[@]}" $CAP_PID; do
        wait "$p" 2>/dev/null
    done
    ns_del_all
    [[ -n ${NETNS_ETC:-} ]] && rm -rf "$NETNS_ETC"
    [[ -n $CAP_TMP ]] && rm -f "$CAP_TMP"
    [[ -n ${DNSFAIL_RECORD_KEEP:-} ]] && cp -r "$WORK" "$DNSFAIL_RECORD_KEEP"
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

ns_new() {
    local ns=$1
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    nsx "$ns" sysctl -qw \
        net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
        net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0
}

# veth NS1 IF1 NS2 IF2: a veth pair straight between two namespaces
veth() { ip link add "$2" netns "$1" type veth peer name "$4" netns "$3"; }

# Wait until every veth is operationally UP (carrier events are applied
# asynchronously by the kernel's linkwatch, up to ~1 s later) and no IPv6
# address is tentative, so the first packets of a capture are not lost.
wait_up() {
    local ns ok
    for _ in $(seq 40); do
        ok=1
        for ns in "$@"; do
            if ip -n "$ns" -o link show | grep -E ': eth[0-9]+@' | grep -qv 'state UP'; then ok=0; fi
            if [[ -n $(ip -n "$ns" -6 addr show tentative) ]]; then ok=0; fi
        done
        [[ $ok -eq 1 ]] && return 0
        sleep 0.1
    done
    die "links in $* did not come up"
}

# Client and server on one link, /32 and /128 addresses with peer routes.
topo_direct() {
    ns_del_all
    ns_new $CLI; ns_new $SRV
    veth $CLI eth0 $SRV eth0
    ip -n $CLI addr add $C4/32 dev eth0
    ip -n $CLI addr add $C6/128 dev eth0 nodad
    ip -n $SRV addr add $S4/32 dev eth0
    ip -n $SRV addr add $S6/128 dev eth0 nodad
    ip -n $CLI link set eth0 up
    ip -n $SRV link set eth0 up
    ip -n $CLI route add 203.0.113.0/24 dev eth0
    ip -n $CLI -6 route add 2001:db8:113::/64 dev eth0
    ip -n $SRV route add $C4/32 dev eth0
    ip -n $SRV -6 route add $C6/128 dev eth0
    wait_up $CLI $SRV
}

# client --eth0-- router --eth1-- server LAN (203.0.113.0/24, 2001:db8:113::/64)
# The router has only its connected routes.
topo_routed() {
    local far_mtu=${1:-1500}
    ns_del_all
    ns_new $CLI; ns_new $RTR; ns_new $SRV
    nsx $RTR sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
    veth $CLI eth0 $RTR eth0
    veth $RTR eth1 $SRV eth0
    ip -n $RTR link set eth1 mtu "$far_mtu"
    ip -n $SRV link set eth0 mtu "$far_mtu"
    ip -n $CLI addr add $C4/24 dev eth0
    ip -n $CLI addr add $C6/64 dev eth0 nodad
    ip -n $RTR addr add $R4C/24 dev eth0
    ip -n $RTR addr add $R6C/64 dev eth0 nodad
    ip -n $RTR addr add $R4S/24 dev eth1
    ip -n $SRV addr add $S4/24 dev eth0
    if [[ $far_mtu -ge 1280 ]]; then   # below 1280 the kernel disables IPv6 on the link
        ip -n $RTR addr add $R6S/64 dev eth1 nodad
        ip -n $SRV addr add $S6/64 dev eth0 nodad
    fi
    ip -n $CLI link set eth0 up
    ip -n $RTR link set eth0 up
    ip -n $RTR link set eth1 up
    ip -n $SRV link set eth0 up
    ip -n $CLI route add default via $R4C
    ip -n $CLI -6 route add default via $R6C
    ip -n $SRV route add default via $R4S
    if [[ $far_mtu -ge 1280 ]]; then ip -n $SRV -6 route add default via $R6S; fi
    wait_up $CLI $RTR $SRV
}

# Start dumpcap on the client's eth0 (or NS's eth0, or NS's interfaces IFACES, e.g. "eth0 eth1");
# the file appears as $OUT/NAME on cap_stop.
cap_start() {
    CAP_NAME=$1
    CAP_TMP=$OUT/.$1.tmp
    rm -f "$CAP_TMP"
    local ifs=() i
    for i in ${3:-eth0}; do ifs+=(-i "$i"); done
    CAP_MULTI=$(( ${#ifs[@]} > 2 ))
    ip netns exec "${2:-$CLI}" dumpcap -q -n "${ifs[@]}" -w "$CAP_TMP" >"$WORK/dumpcap.out" 2>"$WORK/dumpcap.err" &
    CAP_PID=$!
    for _ in $(seq 50); do
        grep -q "Capturing on" "$WORK/dumpcap.err" 2>/dev/null && break
        kill -0 $CAP_PID 2>/dev/null || die "dumpcap failed: $(cat "$WORK/dumpcap.err")"
        sleep 0.1
    done
    sleep 0.3
}

cap_stop() {
    sleep "${1:-0.5}"
    kill -TERM $CAP_PID
    wait $CAP_PID || true
    CAP_PID=
    if [[ $CAP_MULTI -eq 1 ]]; then
        # dumpcap writes each interface's packets as its buffer fills, not merged by
        # time: put the frames of all interfaces in time order (same packets, same IDBs)
        reordercap "$CAP_TMP" "$CAP_TMP.sorted" >/dev/null
        mv -f "$CAP_TMP.sorted" "$CAP_TMP"
    fi
    chmod 0644 "$CAP_TMP"
    mv -f "$CAP_TMP" "$OUT/$CAP_NAME"
    CAP_TMP=
    echo "== wrote $OUT/$CAP_NAME ($(stat -c %s "$OUT/$CAP_NAME") bytes)"
}

# start_responder NS DELAY ADDR... [--no-errors]: the python DNS responder in the background
start_responder() {
    local ns=$1 delay=$2; shift 2
    local args=() a
    for a in "$@"; do
        if [[ $a == --* ]]; then args+=("$a"); else args+=(--listen "$a"); fi
    done
    rm -f "$WORK/ready"
    ip netns exec "$ns" "$PY" "$TOOL" respond "${args[@]}" --delay "$delay" --ready "$WORK/ready" --max-time 60 \
        >>"$WORK/responder.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 50); do [[ -e $WORK/ready ]] && return 0; sleep 0.1; done
    die "responder did not start"
}

# start_helper SUBCOMMAND ADDR: a dnsnet.py TCP helper (tcpreset, tcpsilent) in the
# server namespace, in the background; returns once it listens.
start_helper() {
    rm -f "$WORK/ready"
    nsx $SRV "$PY" "$TOOL" "$1" --listen "$2" --ready "$WORK/ready" --max-time 60 >>"$WORK/responder.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 50); do [[ -e $WORK/ready ]] && return 0; sleep 0.1; done
    die "$1 did not start"
}

# wait_log REGEX SECONDS: wait until a helper has logged a line matching REGEX
wait_log() {
    local i
    for i in $(seq $(($2 * 10))); do
        grep -qE "$1" "$WORK/responder.log" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "!! no '$1' in the helpers' log after $2 s" >&2
    FAILED=1
}

stop_helpers() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
    PIDS=()
}

q() { nsx $CLI "$PY" "$TOOL" query "$@"; }
# dig prints to stdout; only the interesting lines are shown
d() { nsx $CLI dig "$@" 2>&1 | grep -E '^;; (communications error|connection|no servers|.*timed out|->>HEADER)' || true; }

# expect FILE DISPLAY_FILTER COUNT: sanity check on a finished capture
FAILED=0
expect() {
    local n
    n=$(tshark -r "$OUT/$1" -Y "$2" 2>/dev/null | wc -l)
    if [[ $n -ne $3 ]]; then
        echo "!! $1: '$2' matched $n frames, expected $3" >&2
        FAILED=1
    fi
}

# check_tail FILE OP SECONDS: the capture's last frame comes OP ('>=' or '<') SECONDS after
# its last DNS query.
check_tail() {
    local last_q last_f
    last_q=$(tshark -r "$OUT/$1" -Y 'dns.flags.response==0 && !icmp' -T fields -e frame.time_relative 2>/dev/null | tail -n 1)
    last_f=$(tshark -r "$OUT/$1" -T fields -e frame.time_relative 2>/dev/null | tail -n 1)
    if ! "$PY" -c "import sys; sys.exit(0 if float('$last_f') - float('$last_q') $2 $3 else 1)"; then
        echo "!! $1: last frame at $last_f s, not $2 $3 s after the last query ($last_q s)" >&2
        FAILED=1
    fi
}

# expect_tail FILE SECONDS: the capture goes on for at least SECONDS after its last DNS
# query, so that a query left unanswered there is a timeout, not "capture ended".
expect_tail() { check_tail "$1" '>=' "$2"; }

# drop_dns_to ADDR: the server namespace silently drops UDP DNS queries to ADDR (a firewall
# that drops, so nothing answers and no ICMP error comes back).
drop_dns_to() {
    nsx $SRV nft -f - <<EOF
table ip dnsfail {
    chain input {
        type filter hook input priority 0; policy accept;
        ip daddr $1 udp dport 53 drop
    }
}
EOF
}

# 1. Incident: nothing listens on udp/53; dig retries on ECONNREFUSED
#    (3 queries, same id, new source port each time).
sc_incident_port_unreachable() {
    echo "-- incident-port-unreachable"
    topo_direct
    cap_start incident-port-unreachable.pcapng
    d @$S4 www.yummyrecipesforme.com A +tries=3 +timeout=1
    cap_stop
    expect incident-port-unreachable.pcapng 'dns && !icmp && udp.dstport==53' 3
    expect incident-port-unreachable.pcapng 'icmp.type==3 && icmp.code==3 && ip.src==203.0.113.2' 3
}

# 2. Router's ARP for 203.0.113.9 fails -> ICMP host unreachable.
sc_router_host_unreachable() {
    echo "-- router-host-unreachable"
    topo_routed
    cap_start router-host-unreachable.pcapng
    d @203.0.113.9 hostdown.example.com A +tries=1 +timeout=5
    cap_stop
    expect router-host-unreachable.pcapng 'icmp.type==3 && icmp.code==1 && ip.src==192.51.100.1' 1
}

# 3. Router has no route to 198.18.0.0/15 -> ICMP net unreachable.
sc_router_net_unreachable() {
    echo "-- router-net-unreachable"
    topo_routed
    cap_start router-net-unreachable.pcapng
    d @198.18.0.53 noroute.example.com A +tries=1 +timeout=2
    cap_stop
    expect router-net-unreachable.pcapng 'icmp.type==3 && icmp.code==0 && ip.src==192.51.100.1' 1
}

# 4. nftables on the server rejects udp/53 with three different codes,
#    one server address per rule (address last octet = ICMP code).
sc_firewall_reject() {
    echo "-- firewall-reject"
    topo_direct
    for a in 203.0.113.13 203.0.113.10 203.0.113.9; do ip -n $SRV addr add $a/32 dev eth0; done
    nsx $SRV nft -f - <<'EOF'
table ip dnsfail {
    chain input {
        type filter hook input priority 0; policy accept;
        ip daddr 203.0.113.13 udp dport 53 reject with icmp type admin-prohibited
        ip daddr 203.0.113.10 udp dport 53 reject with icmp type host-prohibited
        ip daddr 203.0.113.9 udp dport 53 reject with icmp type net-prohibited
    }
}
EOF
    cap_start firewall-reject.pcapng
    d @203.0.113.13 admin.example.com A +tries=1 +timeout=1
    d @203.0.113.10 host.example.com A +tries=1 +timeout=1
    d @203.0.113.9 net.example.com A +tries=1 +timeout=1
    cap_stop
    expect firewall-reject.pcapng 'icmp.type==3 && icmp.code==13 && ip.src==203.0.113.13' 1
    expect firewall-reject.pcapng 'icmp.type==3 && icmp.code==10 && ip.src==203.0.113.10' 1
    expect firewall-reject.pcapng 'icmp.type==3 && icmp.code==9 && ip.src==203.0.113.9' 1
}

# 5. IPv6 through a router whose server side link has MTU 1280.
sc_ipv6() {
    echo "-- ipv6"
    topo_routed 1280
    ip -n $RTR -6 route add prohibit 2001:db8:bad::/48
    cap_start ipv6.pcapng
    d @$S6 noport6.example.com AAAA +tries=1 +timeout=1                 # closed port: 1/4 from server
    d @2001:db8:dead::53 noroute6.example.com AAAA +tries=1 +timeout=2  # no route: 1/0 from router
    d @2001:db8:bad::53 prohibit6.example.com AAAA +tries=1 +timeout=2  # prohibit route: 1/1 from router
    d @2001:db8:113::9 noaddr6.example.com AAAA +tries=1 +timeout=5     # ND fails: 1/3 from router
    q --server $S6 --sport 40601 --id 0x6001 --name hoplimit6.example.com --type AAAA --ttl 1 --wait 1  # 3/0
    q --server $S6 --sport 40602 --id 0x6002 --name toobig6.example.com --type AAAA --size 1400 --df --wait 1  # 2/0
    q --server $S6 --sport 40603 --id 0x6003 --name dstopt6.example.com --type AAAA --dstopts --wait 1  # 1/4
    cap_stop
    expect ipv6.pcapng 'icmpv6.type==1 && icmpv6.code==4 && ipv6.src==2001:db8:113::2' 2
    expect ipv6.pcapng 'icmpv6.type==1 && icmpv6.code==0 && ipv6.src==2001:db8:51::1' 1
    expect ipv6.pcapng 'icmpv6.type==1 && icmpv6.code==1 && ipv6.src==2001:db8:51::1' 1
    expect ipv6.pcapng 'icmpv6.type==1 && icmpv6.code==3 && ipv6.src==2001:db8:51::1' 1
    expect ipv6.pcapng 'icmpv6.type==3 && icmpv6.code==0 && ipv6.src==2001:db8:51::1' 1
    expect ipv6.pcapng 'icmpv6.type==2 && icmpv6.mtu==1280 && ipv6.src==2001:db8:51::1' 1
    expect ipv6.pcapng 'ipv6.dstopts && icmpv6.type==1 && icmpv6.code==4' 1
}

# 6. The server answers 2 s late; dig has given up after 1 s and closed its
#    socket, so the client's kernel answers the late response with a port
#    unreachable quoting a DNS response.
sc_late_answer() {
    echo "-- late-answer"
    topo_direct
    start_responder $SRV 2.0 $S4
    cap_start late-answer.pcapng
    d @$S4 late.example.com A +tries=1 +timeout=1
    cap_stop 1.8
    stop_helpers
    expect late-answer.pcapng 'icmp.type==3 && icmp.code==3 && ip.src==192.51.100.15 && dns.flags.response==1' 1
}

# 7. dig +tcp: firewall rejects the SYN with admin-prohibited ...
sc_tcp_reject() {
    echo "-- tcp-reject"
    topo_direct
    nsx $SRV nft -f - <<'EOF'
table ip dnsfail {
    chain input {
        type filter hook input priority 0; policy accept;
        tcp dport 53 reject with icmp type admin-prohibited
    }
}
EOF
    cap_start tcp-reject.pcapng
    d @$S4 tcpreject.example.com A +tcp +tries=1 +timeout=2
    cap_stop
    expect tcp-reject.pcapng 'icmp.type==3 && icmp.code==13 && tcp.flags.syn==1' 1
}

# ... and a closed tcp/53 answers with a RST.
sc_tcp_rst() {
    echo "-- tcp-rst"
    topo_direct
    cap_start tcp-rst.pcapng
    d @$S4 tcprst.example.com A +tcp +tries=1 +timeout=2
    cap_stop
    expect tcp-rst.pcapng 'tcp.flags.reset==1 && ip.src==203.0.113.2' 1
}

# 8. IP_TTL=1 through the router -> ICMP time exceeded in transit.
sc_time_exceeded() {
    echo "-- time-exceeded"
    topo_routed
    cap_start time-exceeded.pcapng
    q --server $S4 --sport 40801 --id 0x0801 --name ttl.example.com --type A --ttl 1 --wait 1
    cap_stop
    expect time-exceeded.pcapng 'icmp.type==11 && icmp.code==0 && ip.src==192.51.100.1' 1
}

# 9. Unicast DNS-format queries to the mDNS and LLMNR ports, nothing listening.
sc_mdns_llmnr_unreachable() {
    echo "-- mdns-llmnr-unreachable"
    topo_direct
    cap_start mdns-llmnr-unreachable.pcapng
    q --server $S4 --port 5353 --sport 40901 --id 0x0000 --no-rd --name printer.local --type A --wait 1
    q --server $S4 --port 5355 --sport 40902 --id 0x0902 --no-rd --name wpad --type A --wait 1
    cap_stop
    expect mdns-llmnr-unreachable.pcapng 'icmp.type==3 && icmp.code==3 && udp.dstport==5353' 1
    expect mdns-llmnr-unreachable.pcapng 'icmp.type==3 && icmp.code==3 && udp.dstport==5355' 1
}

# 10. DF query of 800 bytes, router's server-side link MTU 576 -> frag needed.
sc_frag_needed() {
    echo "-- frag-needed"
    topo_routed 576
    cap_start frag-needed.pcapng
    q --server $S4 --sport 41001 --id 0x1001 --name bigquery.example.com --type A --size 800 --df --wait 1
    cap_stop
    expect frag-needed.pcapng 'icmp.type==3 && icmp.code==4 && icmp.mtu==576 && ip.src==192.51.100.1' 1
}

# 11. Normal DNS (no errors that quote DNS), NTP to a closed port, echo.
sc_ordinary_dns() {
    echo "-- ordinary-dns"
    topo_direct
    start_responder $SRV 0 $S4 $S6
    cap_start ordinary-dns.pcapng
    d @$S4 www.example.com A +tries=1 +timeout=1
    d @$S4 www.example.com AAAA +tries=1 +timeout=1
    d @$S6 mail.example.com A +tries=1 +timeout=1
    d @$S4 nosuchname.example.com A +tries=1 +timeout=1
    nsx $CLI "$PY" "$TOOL" ntp --server $S4 --sport 41123
    nsx $CLI "$PY" "$TOOL" ntp --server $S6 --sport 41124
    nsx $CLI "$PY" "$TOOL" echo --target $S4 --count 2
    nsx $CLI "$PY" "$TOOL" echo --target $S6 --count 2
    cap_stop
    stop_helpers
    expect ordinary-dns.pcapng 'dns.flags.response==1 && !icmp && !icmpv6' 4
    expect ordinary-dns.pcapng 'icmp.type==3 && icmp.code==3 && udp.dstport==123' 1
    expect ordinary-dns.pcapng 'icmpv6.type==1 && icmpv6.code==4 && udp.dstport==123' 1
    expect ordinary-dns.pcapng 'icmp.type==0 || icmpv6.type==129' 4
}

# 12. Failed, then recovered: glibc's resolver with two nameservers moves on from
#     the first (port unreachable) to the second, which answers; a server that was down
#     answers a later retry; and one question keeps failing. One failed resolution, two
#     recovered, four failed attempts.
sc_failover_recovered() {
    echo "-- failover-recovered"
    topo_direct
    for a in 203.0.113.3 203.0.113.4; do ip -n $SRV addr add $a/32 dev eth0; done
    mkdir -p /etc/netns/$CLI
    NETNS_ETC=/etc/netns/$CLI
    printf 'nameserver 203.0.113.2\nnameserver 203.0.113.3\noptions timeout:1 attempts:1\n' >$NETNS_ETC/resolv.conf
    start_responder $SRV 0 203.0.113.3
    cap_start failover-recovered.pcapng
    nsx $CLI getent ahostsv4 www.example.com >/dev/null || true
    d @203.0.113.4 retry.example.com A +tries=1 +timeout=1
    start_responder $SRV 0 203.0.113.4
    d @203.0.113.4 retry.example.com A +tries=1 +timeout=1
    d @$S4 stillbroken.example.com A +tries=2 +timeout=1
    cap_stop
    stop_helpers
    rm -rf "$NETNS_ETC"; NETNS_ETC=
    expect failover-recovered.pcapng 'icmp.type==3 && icmp.code==3' 4
    expect failover-recovered.pcapng 'dns.flags.response==1 && !icmp' 2
}

# 13. Error answers from a responder: SERVFAIL (with Extended DNS Errors), REFUSED,
#     FORMERR, NOTIMP, BADVERS (extended RCODE 16 in EDNS), NXDOMAIN; and a SERVFAIL
#     answered by a second server afterwards (recovered).
sc_error_answers() {
    echo "-- error-answers"
    topo_direct
    ip -n $SRV addr add 203.0.113.3/32 dev eth0
    start_responder $SRV 0 $S4
    start_responder $SRV 0 203.0.113.3 --no-errors
    cap_start error-answers.pcapng
    d @$S4 servfail.example.com A +tries=1 +timeout=1
    d @$S4 dnssec-bogus.example.com A +tries=1 +timeout=1
    d @$S4 refused.example.com A +tries=1 +timeout=1
    d @$S4 formerr.example.com A +tries=1 +timeout=1 +noedns
    d @$S4 notimp.example.com TXT +tries=1 +timeout=1
    d @$S4 badvers.example.com A +tries=1 +timeout=1
    d @$S4 nosuchname.example.com A +tries=1 +timeout=1
    d @$S4 www.example.com A +tries=1 +timeout=1
    d @203.0.113.3 servfail.example.com A +tries=1 +timeout=1
    cap_stop
    stop_helpers
    expect error-answers.pcapng 'dns.flags.response==1 && dns.flags.rcode==0 && ip.src==203.0.113.3' 1
    expect error-answers.pcapng 'dns.flags.response==1 && dns.flags.rcode==2' 2
    expect error-answers.pcapng 'dns.flags.response==1 && dns.flags.rcode==5' 1
    expect error-answers.pcapng 'dns.flags.response==1 && dns.flags.rcode==1' 1
    expect error-answers.pcapng 'dns.flags.response==1 && dns.flags.rcode==4' 1
    expect error-answers.pcapng 'dns.flags.response==1 && dns.flags.rcode==3' 1
}

# 14. A server that accepts DNS over TCP and then resets the connection: not a refusal.
sc_tcp_accepted_reset() {
    echo "-- tcp-accepted-reset"
    topo_direct
    start_helper tcpreset $S4
    cap_start tcp-accepted-reset.pcapng
    d @$S4 acceptreset.example.com A +tcp +tries=1 +timeout=2
    cap_stop
    stop_helpers
    expect tcp-accepted-reset.pcapng 'tcp.flags.syn==1 && tcp.flags.ack==1 && ip.src==203.0.113.2' 1
    expect tcp-accepted-reset.pcapng 'tcp.flags.reset==1 && ip.src==203.0.113.2' 1
}

# 15. Silence and late answers (the plugin's timeout preference, 5 s by default).
#     (a) nftables drops udp/53 to 203.0.113.5: two queries 5 s apart, no answer.
#     (b) the responder on .2 ignores the first query for retried.example.com: one
#         timed-out attempt, then the retry is answered (a recovered resolution).
#     (c) the responder on .6 answers 6 s late; dig (+timeout=8) still waits for it.
#     (d) the responder on .7 answers 7 s late; dig (+timeout=3) has closed its socket,
#         so the client's kernel answers the response with an ICMP port unreachable.
#     Every query has at least 5 s of capture after it.
sc_timeouts() {
    echo "-- timeouts"
    topo_direct
    for a in 203.0.113.5 203.0.113.6 203.0.113.7; do ip -n $SRV addr add $a/32 dev eth0; done
    drop_dns_to 203.0.113.5
    : >"$WORK/responder.log"
    start_responder $SRV 0 $S4 --drop-first=retried.example.com
    start_responder $SRV 6 203.0.113.6
    start_responder $SRV 7 203.0.113.7
    cap_start timeouts.pcapng
    d @203.0.113.5 silent.example.com A +tries=2 +timeout=5     # t=0, 5: no answer; dig gives up at 10
    d @$S4 retried.example.com A +tries=2 +timeout=5            # t=10 dropped, t=15 answered
    d @203.0.113.6 slow.example.com A +tries=1 +timeout=8       # t=15, answered at 21
    d @203.0.113.7 late7.example.com A +tries=1 +timeout=3      # t=21, dig gives up at 24
    wait_log 'answered .* late7\.example\.com' 10               # answer at 28 -> ICMP 3/3 from the client
    cap_stop 1
    stop_helpers
    local f=timeouts.pcapng
    expect $f 'dns.qry.name=="silent.example.com" && dns.flags.response==0 && !icmp' 2
    expect $f 'dns.qry.name=="silent.example.com" && dns.flags.response==1' 0
    expect $f 'dns.qry.name=="retried.example.com" && dns.flags.response==0 && !icmp' 2
    expect $f 'dns.qry.name=="retried.example.com" && dns.flags.response==1 && dns.flags.rcode==0 && dns.count.answers==1' 1
    expect $f 'dns.qry.name=="slow.example.com" && dns.flags.response==0' 1
    expect $f 'dns.qry.name=="slow.example.com" && dns.flags.response==1 && dns.time > 5.5' 1
    expect $f 'dns.qry.name=="late7.example.com" && dns.flags.response==1 && !icmp && dns.time > 6.5' 1
    expect $f 'icmp.type==3 && icmp.code==3 && ip.src==192.51.100.15 && dns.flags.response==1 && dns.qry.name=="late7.example.com"' 1
    expect_tail $f 5
}

# 16. DNS over TCP (RFC 1035 4.2.2, length-prefixed): error answers with Extended DNS
#     Errors, NOERROR, NXDOMAIN, two queries on one connection (+keepopen), and a
#     server that accepts the connection, reads the query and never answers.
sc_tcp_answers() {
    echo "-- tcp-answers"
    topo_direct
    ip -n $SRV addr add 203.0.113.3/32 dev eth0
    start_responder $SRV 0 $S4 --tcp
    start_helper tcpsilent 203.0.113.3
    cap_start tcp-answers.pcapng
    d @$S4 servfail.example.com A +tcp +tries=1 +timeout=2
    d @$S4 refused.example.com A +tcp +tries=1 +timeout=2
    d @$S4 www.example.com A +tcp +tries=1 +timeout=2
    d @$S4 nosuch.example.com A +tcp +tries=1 +timeout=2
    d @$S4 +tcp +keepopen +tries=1 +timeout=2 a.example.com A b.example.com A
    d @203.0.113.3 tcpsilent.example.com A +tcp +tries=1 +timeout=5
    sleep 1.5                               # then one echo, >= 5 s after the silent query
    nsx $CLI "$PY" "$TOOL" echo --target $S4 --count 1 >/dev/null
    cap_stop
    stop_helpers
    local f=tcp-answers.pcapng
    expect $f 'tcp && dns.flags.response==0' 7
    expect $f 'tcp && dns.flags.response==1' 6
    expect $f 'tcp && dns.flags.response==1 && dns.flags.rcode==2 && dns.opt.code==15 && dns.opt.data[0:2]==00:16' 1
    expect $f 'tcp && dns.flags.response==1 && dns.flags.rcode==5 && dns.opt.code==15 && dns.opt.data[0:2]==00:12' 1
    expect $f 'tcp && dns.flags.response==1 && dns.flags.rcode==0 && dns.count.answers==1' 1
    expect $f 'tcp && dns.flags.response==1 && dns.flags.rcode==3' 3
    expect $f 'tcp.flags.syn==1 && tcp.flags.ack==0 && ip.dst==203.0.113.2' 5   # a and b share one connection
    expect $f 'dns.qry.name=="tcpsilent.example.com" && dns.flags.response==0' 1
    expect $f 'dns.qry.name=="tcpsilent.example.com" && dns.flags.response==1' 0
    expect $f 'tcp.flags.syn==1 && tcp.flags.ack==1 && ip.src==203.0.113.3' 1
    expect_tail $f 5
}

# 17. Queries to multicast groups (mDNS over IPv4 and IPv6, LLMNR) that nobody answers,
#     beside a unicast query a firewall drops. A member of a group answers from its own
#     address, so a multicast query is never timed: only the unicast one is a timeout.
#     Nobody sends an ICMP error about a multicast datagram (RFC 1122 3.2.2).
sc_multicast_unanswered() {
    echo "-- multicast-unanswered"
    topo_direct
    ip -n $CLI route add 224.0.0.0/4 dev eth0
    ip -n $SRV addr add 203.0.113.5/32 dev eth0
    drop_dns_to 203.0.113.5
    cap_start multicast-unanswered.pcapng
    q --server 224.0.0.251 --port 5353 --sport 5353 --id 0x0000 --no-rd --name printer.local --type A --wait 1
    q --server 224.0.0.252 --port 5355 --sport 41701 --id 0x1701 --no-rd --name wpad --type A --wait 1
    q --server ff02::fb%eth0 --port 5353 --sport 5353 --id 0x0000 --no-rd --name printer.local --type AAAA --wait 1
    q --server 203.0.113.5 --sport 41702 --id 0x1702 --name dropped.example.com --type A --wait 1
    sleep 5.5                               # then one echo, > 5 s after every query
    nsx $CLI "$PY" "$TOOL" echo --target $S4 --count 1 >/dev/null
    cap_stop
    local f=multicast-unanswered.pcapng
    expect $f 'ip.dst==224.0.0.251 && udp.dstport==5353 && dns.flags.response==0' 1
    expect $f 'ip.dst==224.0.0.252 && udp.dstport==5355 && dns.flags.response==0' 1
    expect $f 'ipv6.dst==ff02::fb && udp.dstport==5353 && dns.flags.response==0' 1
    expect $f 'ip.dst==203.0.113.5 && dns.flags.response==0' 1
    expect $f 'dns.flags.response==1 || icmp.type==3 || icmpv6.type==1' 0
    expect_tail $f 5
}

# 18. Undeliverable answers, quoted in 8 bytes: a client asks A and AAAA of one name from
#     one socket (as glibc does) and closes it at once; the server answers both, back to
#     back, 0.5 s later, to the closed port. The client's IP stack answers each with an ICMP
#     port unreachable quoting only the IP header and the UDP header (RFC 792's minimum,
#     as lwIP does): Linux would quote 576 bytes, so its own is dropped and dnsnet.py
#     unreach8 sends the 8-byte one. Captured on the server: both answers have left before
#     the first error comes back, so only the UDP length tells which answer each quotes.
sc_cut_quote_answer() {
    echo "-- cut-quote-answer"
    topo_direct
    nsx $CLI nft -f - <<'EOF'
table ip dnsfail {
    chain output {
        type filter hook output priority 0; policy accept;
        icmp type destination-unreachable meta mark != 0x1c8 drop
    }
}
EOF
    : >"$WORK/responder.log"
    start_responder $SRV 0.5 $S4 --batch
    rm -f "$WORK/ready"
    nsx $CLI "$PY" "$TOOL" unreach8 --port 42001 --count 2 --mark 0x1c8 --ready "$WORK/ready" --max-time 20 \
        >>"$WORK/responder.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 50); do [[ -e $WORK/ready ]] && break; sleep 0.1; done
    [[ -e $WORK/ready ]] || die "unreach8 did not start"
    cap_start cut-quote-answer.pcapng $SRV
    q --server $S4 --sport 42001 --id 0x2101 --name cutquote.example.com --type A --also AAAA --wait 0
    wait_log 'unreach8: .*\(2 sent\)' 5
    cap_stop
    stop_helpers
    local f=cut-quote-answer.pcapng
    expect $f 'dns.flags.response==0 && udp.srcport==42001' 2
    expect $f 'dns.flags.response==1 && udp.dstport==42001 && !icmp' 2
    # 8-byte quotes: Wireshark finds no DNS in them
    expect $f 'icmp.type==3 && icmp.code==3 && ip.src==192.51.100.15 && udp.srcport==53 && !dns' 2
    # both answers on the wire before the first error
    local last_answer first_error
    last_answer=$(tshark -r "$OUT/$f" -Y 'dns.flags.response==1 && !icmp' -T fields -e frame.number 2>/dev/null | tail -n 1)
    first_error=$(tshark -r "$OUT/$f" -Y 'icmp.type==3' -T fields -e frame.number 2>/dev/null | head -n 1)
    if [[ -z $last_answer || -z $first_error || $first_error -le $last_answer ]]; then
        echo "!! $f: the first error (frame ${first_error:-none}) is not after both answers (${last_answer:-none})" >&2
        FAILED=1
    fi
}

# 19. NXDOMAIN only: three names that do not exist, each answered NXDOMAIN by a working
#     server at once; nothing else fails, nothing is left waiting. The report says "No DNS
#     failures" and counts the NXDOMAIN answers.
sc_nxdomain_only() {
    echo "-- nxdomain-only"
    topo_direct
    start_responder $SRV 0 $S4
    cap_start nxdomain-only.pcapng
    d @$S4 nosuchname.example.com A +tries=1 +timeout=1
    d @$S4 nosuchname.example.com AAAA +tries=1 +timeout=1
    d @$S4 typo.example.org A +tries=1 +timeout=1
    cap_stop
    stop_helpers
    local f=nxdomain-only.pcapng
    expect $f 'dns.flags.response==0 && !icmp && !icmpv6' 3
    expect $f 'dns.flags.response==1 && dns.flags.rcode==3' 3
    expect $f '(dns.flags.response==1 && dns.flags.rcode!=3) || icmp.type==3 || icmpv6.type==1' 0
}

# expect_short_tail FILE SECONDS: the capture ends less than SECONDS after its last query
# (the client's retries are the only evidence that it gave up).
expect_short_tail() { check_tail "$1" '<' "$2"; }

# 20. A stub resolver retrying a silent server: dig +tries=3 +timeout=1 to an address
#     whose DNS a firewall drops; the capture stops right after the third try, so only
#     the client's own retries show that it gave up on the first two.
sc_retry_silent() {
    echo "-- retry-silent"
    topo_direct
    ip -n $SRV addr add 203.0.113.5/32 dev eth0
    drop_dns_to 203.0.113.5
    cap_start retry-silent.pcapng
    d @203.0.113.5 silent3.example.com A +tries=3 +timeout=1 &   # t=0, 1, 2
    local dig_pid=$!
    sleep 2.3
    cap_stop 0
    wait $dig_pid || true
    local f=retry-silent.pcapng
    expect $f 'dns.qry.name=="silent3.example.com" && dns.flags.response==0 && !icmp' 3
    expect $f 'dns.flags.response==1 || icmp.type==3' 0
    expect_short_tail $f 1
}

# 21. The same silent server with a long tail: the capture runs on for more than the
#     5 s timeout after the third try (an echo then), so every try times out.
sc_retry_silent_tail() {
    echo "-- retry-silent-tail"
    topo_direct
    ip -n $SRV addr add 203.0.113.5/32 dev eth0
    drop_dns_to 203.0.113.5
    cap_start retry-silent-tail.pcapng
    d @203.0.113.5 silent3.example.com A +tries=3 +timeout=1     # t=0, 1, 2; dig gives up at 3
    sleep 4.5                               # then one echo, > 5 s after the last try
    nsx $CLI "$PY" "$TOOL" echo --target $S4 --count 1 >/dev/null
    cap_stop
    local f=retry-silent-tail.pcapng
    expect $f 'dns.qry.name=="silent3.example.com" && dns.flags.response==0 && !icmp' 3
    expect $f 'dns.flags.response==1 || icmp.type==3' 0
    expect_tail $f 5
}

# 22. A client that retries, then the answer to its first try comes: the responder
#     answers 1.5 s late, dig retries after 1 s. The first try was overtaken, not failed.
sc_retry_late_answer() {
    echo "-- retry-late-answer"
    topo_direct
    start_responder $SRV 1.5 $S4
    cap_start retry-late-answer.pcapng
    d @$S4 retrylate.example.com A +tries=2 +timeout=1           # t=0, 1; answers at 1.5, 2.5
    sleep 5.5                               # then one echo, > 5 s after the last try
    nsx $CLI "$PY" "$TOOL" echo --target $S4 --count 1 >/dev/null
    cap_stop
    stop_helpers
    local f=retry-late-answer.pcapng
    expect $f 'dns.qry.name=="retrylate.example.com" && dns.flags.response==0 && !icmp' 2
    expect $f 'dns.qry.name=="retrylate.example.com" && dns.flags.response==1 && !icmp' 2
    expect_tail $f 5
}

# ---------------------------------------------------------------- real resolvers
# Address plan of the resolver scenarios (apart from the other captures' plan):
#   clients   192.0.2.10, 192.0.2.11       dnsfail-cli eth0
#   resolver  192.0.2.53 (client side)     dnsfail-res eth0
#             198.51.100.2 (upstream side) dnsfail-res eth1
#   upstreams 198.51.100.53 (the forwarders' upstream), 198.51.100.54 (a working one),
#             198.51.100.10 (root), 198.51.100.20, 198.51.100.21 (example.)   dnsfail-srv eth0
# Captures are taken on the resolver's host, on both its interfaces (eth0 and eth1), so
# they hold the client-facing leg and the upstream leg.
RC1=192.0.2.10
RC2=192.0.2.11
RES_C=192.0.2.53
RES_U=198.51.100.2
UP=198.51.100.53
UP_OK=198.51.100.54
ROOT=198.51.100.10
AUTH1=198.51.100.20
AUTH2=198.51.100.21
RESOLVERS=$HERE/resolvers

topo_resolver() {
    ns_del_all
    ns_new $CLI; ns_new $RES; ns_new $SRV
    local ns
    for ns in $CLI $RES $SRV; do    # IPv4 only: no router solicitations, no MLD reports
        nsx $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    done
    veth $CLI eth0 $RES eth0
    veth $RES eth1 $SRV eth0
    ip -n $CLI addr add $RC1/24 dev eth0
    ip -n $CLI addr add $RC2/24 dev eth0
    ip -n $RES addr add $RES_C/24 dev eth0
    ip -n $RES addr add $RES_U/24 dev eth1
    local a
    for a in $UP $UP_OK $ROOT $AUTH1 $AUTH2; do ip -n $SRV addr add $a/24 dev eth0; done
    ip -n $CLI link set eth0 up
    ip -n $RES link set eth0 up
    ip -n $RES link set eth1 up
    ip -n $SRV link set eth0 up
    wait_up $CLI $RES $SRV
}

# wait_listen NS ADDR PROTO WHAT: wait until something in NS listens on ADDR port 53
wait_listen() {
    local opt=-lun
    [[ $3 == tcp ]] && opt=-ltn
    for _ in $(seq 50); do
        nsx "$1" ss -H $opt "src $2 sport = :53" | grep -q . && return 0
        sleep 0.1
    done
    die "$4 does not listen on $2 port 53: $(tail -n 5 "$WORK"/*.log 2>/dev/null)"
}

# start_dnsmasq: dnsmasq in the foreground in the resolver's namespace (resolvers/dnsmasq.conf)
start_dnsmasq() {
    ip netns exec $RES dnsmasq -k --conf-file="$RESOLVERS/dnsmasq.conf" --pid-file="$WORK/dnsmasq.pid" \
        --log-facility="$WORK/dnsmasq.log" >>"$WORK/dnsmasq.log" 2>&1 &
    PIDS+=($!)
    wait_listen $RES $RES_C udp dnsmasq
}

# start_unbound CONF [LINE...]: unbound -d with resolvers/CONF, pid and log files in $WORK
# and any further server: LINEs (root-hints)
start_unbound() {
    local conf=$1; shift
    { echo "server:"
      echo "    pidfile: \"$WORK/unbound.pid\""
      echo "    logfile: \"$WORK/unbound.log\""
      echo "    directory: \"$WORK\""
      local l; for l in "$@"; do echo "    $l"; done
      echo "include: \"$RESOLVERS/$conf\""; } >"$WORK/unbound.conf"
    ip netns exec $RES unbound -d -c "$WORK/unbound.conf" >>"$WORK/unbound.log" 2>&1 &
    PIDS+=($!)
    wait_listen $RES $RES_C udp unbound
}

# start_nsd NAME CONF ADDR...: nsd -d with resolvers/CONF listening on ADDRs, files in $WORK/NAME
start_nsd() {
    local name=$1 conf=$2 a; shift 2
    mkdir -p "$WORK/$name"
    { echo "server:"
      for a in "$@"; do echo "    ip-address: $a"; done
      echo "    zonesdir: \"$RESOLVERS\""
      echo "    pidfile: \"$WORK/$name/nsd.pid\""
      echo "    logfile: \"$WORK/$name.log\""
      echo "    zonelistfile: \"$WORK/$name/zone.list\""
      echo "    xfrdfile: \"$WORK/$name/xfrd.state\""
      echo "    xfrdir: \"$WORK/$name\""
      echo "include: \"$RESOLVERS/$conf\""; } >"$WORK/$name.conf"
    ip netns exec $SRV nsd -d -c "$WORK/$name.conf" >>"$WORK/$name.log" 2>&1 &
    PIDS+=($!)
    for a in "$@"; do wait_listen $SRV "$a" udp nsd; done
}

# reject_tcp_dns_to ADDR: the upstream namespace answers TCP connections to ADDR port 53 with a reset
reject_tcp_dns_to() {
    nsx $SRV nft -f - <<NFT
table ip dnsfail {
    chain input {
        type filter hook input priority 0; policy accept;
        ip daddr $1 tcp dport 53 reject with tcp reset
    }
}
NFT
}

# expect_some FILE DISPLAY_FILTER: at least one frame matches
expect_some() {
    if ! tshark -r "$OUT/$1" -Y "$2" 2>/dev/null | grep -q .; then
        echo "!! $1: nothing matched '$2'" >&2
        FAILED=1
    fi
}

# dr CLIENT ARGS...: dig from a client address to the resolver
dr() { local c=$1; shift; d -b "$c" @$RES_C "$@"; }

# upstream_mode closed|silent|refused: what 198.51.100.53 does with DNS over UDP: nothing
# listens (ICMP port unreachable), a firewall drops it, or the responder answers REFUSED.
upstream_mode() {
    case $1 in
        closed) ;;
        silent) drop_dns_to $UP ;;
        refused) start_responder $SRV 0 $UP --rcode=5 ;;
    esac
}

# forwarder_case RESOLVER MODE NAME TRIES: one client asks one name (dig retries after 3 s,
# TRIES queries are expected), the forwarder asks 198.51.100.53; the capture runs on for
# 5 s after the last query.
forwarder_case() {
    local resolver=$1 mode=$2 f=$3.pcapng tries=$4
    echo "-- $3"
    topo_resolver
    upstream_mode "$mode"
    if [[ $resolver == dnsmasq ]]; then start_dnsmasq; else start_unbound unbound-forward.conf; fi
    cap_start $f $RES "eth0 eth1"
    dr $RC1 www.example.com A +tries=2 +timeout=3
    sleep 5.2
    nsx $CLI "$PY" "$TOOL" echo --target $RES_C --count 1 >/dev/null
    cap_stop
    stop_helpers
    expect $f "ip.src==$RC1 && ip.dst==$RES_C && dns.flags.response==0 && !icmp" "$tries"
    expect_some $f "ip.src==$RES_U && ip.dst==$UP && dns.flags.response==0 && !icmp"
    expect_tail $f 5
}

# 23.-25. dnsmasq forwarding to an upstream whose port is closed, that drops, that refuses.
#     dnsmasq says nothing to the client while its upstream is unreachable or silent (the
#     client retries; dnsmasq forwards the retry with the same upstream query id), and
#     passes REFUSED on.
sc_dnsmasq_upstream_unreachable() { forwarder_case dnsmasq closed dnsmasq-upstream-unreachable 2; }
sc_dnsmasq_upstream_silent() { forwarder_case dnsmasq silent dnsmasq-upstream-silent 2; }
sc_dnsmasq_upstream_refused() { forwarder_case dnsmasq refused dnsmasq-upstream-refused 1; }
# 26.-28. the same with unbound as the forwarder. It tries the upstream five times: at once
#     when it refuses, and answers the client SERVFAIL; backing off from 376 ms when it is
#     unreachable or silent, and gives up after 2.3 s, past Debian's discard-timeout
#     (1.9 s): it drops its SERVFAIL to the client's query; the client's retry (after 3 s)
#     gets SERVFAIL at once.
sc_unbound_upstream_unreachable() { forwarder_case unbound closed unbound-upstream-unreachable 2; }
sc_unbound_upstream_silent() { forwarder_case unbound silent unbound-upstream-silent 2; }
sc_unbound_upstream_refused() { forwarder_case unbound refused unbound-upstream-refused 1; }

# count_queries_to ADDR: how many UDP DNS queries the upstream namespace has seen to ADDR
# (an nftables counter, set up by count_dns_to)
count_dns_to() {
    nsx $SRV nft -f - <<NFT
table ip dnsfail_count {
    chain input {
        type filter hook input priority -10; policy accept;
        ip daddr $1 udp dport 53 counter
    }
}
NFT
}
count_queries_to() { nsx $SRV nft list table ip dnsfail_count | sed -n 's/.*counter packets \([0-9]*\).*/\1/p'; }

# recursive_setup: the root server, and unbound recursing from it (QNAME minimisation, 0x20)
recursive_setup() {
    topo_resolver
    start_nsd nsd-root nsd-root.conf $ROOT
    start_unbound unbound-recursive.conf "root-hints: \"$RESOLVERS/root.hints\""
}

# 29. unbound recursing: the root delegates example. to ns1 (198.51.100.20, its nsd is down:
#     port closed) and ns2 (198.51.100.21, answers). unbound picks a server at random, so the
#     client asks one name after another until unbound has asked ns1 once (at most 16
#     names: it picks ns1 about every other time); each is answered (after 2.3 s when unbound tried ns1 first: discard-timeout: 0),
#     the failures towards ns1 are recovered ones.
sc_unbound_recursive_recovered() {
    local f=unbound-recursive-recovered.pcapng n
    echo "-- unbound-recursive-recovered"
    recursive_setup
    start_nsd nsd-example nsd-example.conf $AUTH2
    count_dns_to $AUTH1
    cap_start $f $RES "eth0 eth1"
    for n in www mail ftp db h5 h6 h7 h8 h9 h10 h11 h12 h13 h14 h15 h16; do
        dr $RC1 $n.example. A +tries=1 +timeout=5
        [[ $(count_queries_to) -gt 0 ]] && break
    done
    cap_stop
    stop_helpers
    expect_some $f "icmp.type==3 && icmp.code==3 && ip.src==$AUTH1"
    expect_some $f "ip.src==$AUTH2 && dns.flags.response==1 && dns.flags.rcode==0"
    expect $f "ip.src==$RES_C && dns.flags.response==1 && dns.flags.rcode!=0" 0
    expect_some $f "ip.src==$RES_C && dns.flags.response==1 && dns.count.answers==1"
}

# 30. The same with both name servers of example. down (ports closed): unbound tries each
#     four times, backing off, asks the root again, and answers the client SERVFAIL after
#     4.5 s (discard-timeout: 0), with an Extended DNS Error where it gives one (ede: yes).
sc_unbound_recursive_all_down() {
    local f=unbound-recursive-all-down.pcapng
    echo "-- unbound-recursive-all-down"
    recursive_setup
    cap_start $f $RES "eth0 eth1"
    dr $RC1 www.example. A +tries=1 +timeout=8
    sleep 0.5
    cap_stop
    stop_helpers
    expect $f "ip.src==$RES_C && dns.flags.response==1 && dns.flags.rcode==2" 1
    # unbound 1.17.1 gives no Extended DNS Error with this SERVFAIL (ede: yes notwithstanding)
    expect $f "ip.src==$RES_C && dns.flags.response==1 && dns.opt.code==15" 0
    expect_some $f "icmp.type==3 && icmp.code==3 && ip.src==$AUTH1"
    expect_some $f "icmp.type==3 && icmp.code==3 && ip.src==$AUTH2"
}

# 31. One resolver, two clients, two upstreams: 192.0.2.10 asks www.example.org (forwarded to
#     198.51.100.53, port closed: no answer, then SERVFAIL to the retry after 3 s) while
#     192.0.2.11 asks www.example.com and nosuchname.example.com (forwarded to 198.51.100.54,
#     answered 0.3 s late: an address and NXDOMAIN). Only the first client's failure has an
#     upstream cause.
sc_unbound_two_clients() {
    local f=unbound-two-clients.pcapng
    echo "-- unbound-two-clients"
    topo_resolver
    start_responder $SRV 0.3 $UP_OK
    start_unbound unbound-split.conf
    cap_start $f $RES "eth0 eth1"
    dr $RC1 www.example.org A +tries=2 +timeout=3 &
    local dig_pid=$!
    dr $RC2 www.example.com A +tries=1 +timeout=5
    dr $RC2 nosuchname.example.com A +tries=1 +timeout=5
    wait $dig_pid || true
    sleep 5.2                               # then one echo, > 5 s after the last query
    nsx $CLI "$PY" "$TOOL" echo --target $RES_C --count 1 >/dev/null
    cap_stop
    stop_helpers
    expect $f "ip.src==$RES_C && ip.dst==$RC1 && dns.flags.response==1 && dns.flags.rcode==2" 1
    expect $f "ip.src==$RES_C && ip.dst==$RC2 && dns.flags.response==1 && dns.flags.rcode==0 && dns.count.answers==1" 1
    expect $f "ip.src==$RES_C && ip.dst==$RC2 && dns.flags.response==1 && dns.flags.rcode==3" 1
    expect_some $f "icmp.type==3 && icmp.code==3 && ip.src==$UP"
    expect_tail $f 5
}

# 32. unbound forwarding over TCP only (tcp-upstream: yes) to 198.51.100.53, whose firewall
#     answers the connection attempts with a reset.
sc_unbound_tcp_refused() {
    local f=unbound-tcp-refused.pcapng
    echo "-- unbound-tcp-refused"
    topo_resolver
    reject_tcp_dns_to $UP
    start_unbound unbound-forward-tcp.conf
    cap_start $f $RES "eth0 eth1"
    dr $RC1 www.example.com A +tries=1 +timeout=5
    sleep 0.5
    cap_stop
    stop_helpers
    expect_some $f "ip.src==$UP && tcp.flags.reset==1"
    expect $f "ip.src==$RES_C && dns.flags.response==1" 1
}

START=$(date +%s.%N)
for s in "${SCENARIOS[@]}"; do
    "sc_${s//-/_}"
done

ns_del_all
END=$(date +%s.%N)
echo "record.sh: done in $($PY -c "print('%.1f s' % ($END - $START))")"
[[ $FAILED -eq 0 ]] || die "some captures did not contain the expected frames"
