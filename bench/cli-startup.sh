#!/usr/bin/env bash
# Start-up of the command-line client: wall and CPU time of `keisei sessions list` against a running suite, median
# of N runs per variant, the variants interleaved (one run of each in turn) so that a change in the machine's load
# hits them alike. Needs a login (keisei login URL) or KEISEI_URL and KEISEI_TOKEN, and GNU time.
#
#   bench/cli-startup.sh [N]        (default 10)
#
# Variants: the jar with the JVM's defaults; ./keisei without its class-data archive (KEISEI_CLI_CDS=off: only the
# script's JVM options); ./keisei as shipped (JVM options and the archive, made by a first run beforehand).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:-10}"
JAR="$HERE/cli/target/keisei-cli.jar"
names=("java -jar (JVM defaults)" "./keisei, no AppCDS archive" "./keisei (options + AppCDS archive)")
commands=("java -jar $JAR sessions list" "env KEISEI_CLI_CDS=off $HERE/keisei sessions list" "$HERE/keisei sessions list")

"$HERE/keisei" sessions list >/dev/null   # makes the archive in the background if there is none
for _ in $(seq 60); do
  ls "${XDG_CACHE_HOME:-$HOME/.cache}"/keisei/cli-*.jsa >/dev/null 2>&1 && break
  sleep 1
done

tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
for i in $(seq "$N"); do
  for v in 0 1 2; do
    /usr/bin/time -f "%e %U %S" -o "$tmp/t" ${commands[$v]} >/dev/null
    read -r wall user sys <"$tmp/t"
    echo "$wall" >>"$tmp/wall.$v"
    echo "$user $sys" | awk '{print $1 + $2}' >>"$tmp/cpu.$v"
  done
done

median() { sort -n "$1" | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2) * 1000}'; }
echo "| variant | wall ms (median of $N) | CPU ms, user+sys (median) | wall ms, every run |"
echo "| --- | ---: | ---: | --- |"
for v in 0 1 2; do
  runs="$(awk '{printf "%s%d", (NR>1?" ":""), $1*1000}' "$tmp/wall.$v")"
  echo "| ${names[$v]} | $(median "$tmp/wall.$v") | $(median "$tmp/cpu.$v") | $runs |"
done
echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java: $(java -version 2>&1 | head -2 | tail -1)"
