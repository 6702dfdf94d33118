#!/bin/sh
# A stand-in for pppd, for wvdial to start as its "PPPD Path" in tests and `make start` (a real
# pppd needs /dev/ppp and root). It writes the log lines pppd writes on the descriptor wvdial
# passes as `logfd` (wvdial echoes them with "--> "), then holds the "link" until SIGTERM.
#
# Environment:
#   LOKOLE_FAKE_PPP_NET_DIR  a folder standing for /sys/class/net: ppp0/statistics/{rx,tx}_bytes
#                            is created there while the link is up, and removed at the end
#   LOKOLE_FAKE_PPPD_EXIT    exit with this pppd exit code instead of connecting
#                            (16 = modem hung up, 19 = authentication failed)
set -u

logfd=2
previous=""
for argument in "$@"; do
  if [ "$previous" = "logfd" ]; then logfd="$argument"; fi
  previous="$argument"
done

say() {
  # The descriptor wvdial named; stderr if it is not open.
  eval "printf '%s\n' \"\$1\" >&$logfd" 2>/dev/null || printf '%s\n' "$1" >&2
}

net_dir="${LOKOLE_FAKE_PPP_NET_DIR:-}"

cleanup() {
  if [ -n "$net_dir" ]; then rm -rf "$net_dir/ppp0"; fi
}

say "Using interface ppp0"
say "Connect: ppp0 <--> ${1:-/dev/modem}"

if [ -n "${LOKOLE_FAKE_PPPD_EXIT:-}" ]; then
  sleep 0.2
  say "Connection terminated."
  exit "$LOKOLE_FAKE_PPPD_EXIT"
fi

if [ -n "$net_dir" ]; then
  mkdir -p "$net_dir/ppp0/statistics"
  echo 4242 >"$net_dir/ppp0/statistics/rx_bytes"
  echo 1717 >"$net_dir/ppp0/statistics/tx_bytes"
fi
say "local  IP address 10.64.64.64"
say "remote IP address 10.64.64.1"
say "primary   DNS address 172.24.97.1"
say "secondary DNS address 172.24.97.2"

# pppd exits with 5 when a signal ends the link.
trap 'say "Terminating on signal 15"; say "Connection terminated."; cleanup; exit 5' TERM INT HUP
while :; do
  sleep 1 &
  wait $!
done
