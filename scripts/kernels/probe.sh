#!/usr/bin/env bash
# One failure of each event type while `netladder watch --json` runs, so the
# matrix reports what a user of this kernel would see: probe.sh OUT_DIR
# writes watch.jsonl, watch.err and probe.log there. Everything happens in a
# namespace of its own with its own resolver; only watch is outside it.
set -uo pipefail
out=$1
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
ns=nlk-probe-$$
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  ip netns del "$ns" 2>/dev/null
  rm -rf "/etc/netns/$ns" "$tmp"
}
trap cleanup EXIT

ip netns add "$ns"
ip -n "$ns" link set lo up
# A link where nobody answers ARP: the neighbour fails after two probes.
ip -n "$ns" link add nlk0 type veth peer name nlk1
ip -n "$ns" link set nlk0 up
ip -n "$ns" link set nlk1 up
ip -n "$ns" addr add 10.213.99.1/24 dev nlk0
ip netns exec "$ns" sysctl -q -w net.ipv4.neigh.nlk0.mcast_solicit=2 net.ipv4.neigh.nlk0.retrans_time_ms=300
mkdir -p "/etc/netns/$ns"
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' > "/etc/netns/$ns/resolv.conf"

node "$repo/dist/cli/index.js" watch --json > "$out/watch.jsonl" 2> "$out/watch.err" &
watch=$!
for _ in $(seq 600); do
  grep -q watching "$out/watch.err" && break
  kill -0 "$watch" 2>/dev/null || break
  sleep 0.5
done
if ! kill -0 "$watch" 2>/dev/null; then
  wait "$watch"
  echo "watch exited with $? before watching" > "$out/probe.log"
  exit 0
fi
pids+=("$watch")

inns() { ip netns exec "$ns" "$@"; }
# The servers read a pipe nobody writes to, so they stay until killed.
mkfifo "$tmp/idle"
exec 3<> "$tmp/idle"
# The tests' resolver: nx-* names get NXDOMAIN.
inns python3 "$repo/test/fixtures/dns-server.py" 127.0.0.1 <&3 > "$tmp/dns.log" &
pids+=($!)
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=nlk-probe.test -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null
inns openssl s_server -quiet -accept 127.0.0.1:8443 -cert "$tmp/cert.pem" -key "$tmp/key.pem" <&3 > /dev/null 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q ready "$tmp/dns.log" && break; sleep 0.2; done

{
  inns python3 "$here/probe.py" 10.213.99.77 nx-probe.nlk.test
  echo "dig: $(inns dig @127.0.0.1 nx-probe.nlk.test +tries=1 +time=2 | awk '/status:/ { print $6 }')"
  echo "openssl: $(inns openssl s_client -connect 127.0.0.1:8443 -verify_return_error < /dev/null 2>&1 | grep -m1 -o 'verify error:[^:]*:[^:]*')"
} > "$out/probe.log" 2>&1
# Late events (neighbour timers, TIME_WAIT) have time to arrive.
sleep 3
kill -INT "$watch"
wait "$watch"
exit 0
