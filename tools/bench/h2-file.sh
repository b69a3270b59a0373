#!/usr/bin/env bash
# How the embedded H2 database's file grows with issuance (see BENCHMARKS.md, "H2's file and its chunks").
#
#   tools/bench/h2-file.sh [JAR]       default JAR: distribution/target/cachet.jar (copied to a temporary folder)
#
# Starts `java -jar JAR --data DIR --port PORT` on a new data directory (embedded H2), makes an operator API key as
# http.sh does, then io.cachet.bench.PacedIssuance from the benchmark jar issues seal certificates over HTTP at RATE
# per second (CLIENTS threads) for DURATION seconds, printing every EVERY seconds the certificates issued and the
# size of DATA/db/cachet.mv.db while the server runs (a stop compacts it, so only the running size tells the growth).
# Environment: RATE (default 100), DURATION (s, default 240), CLIENTS (default 4), EVERY (s, default 15), PORT
# (default 18496), JAVA_OPTS (extra server JVM options).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
src_jar=${1:-$root/distribution/target/cachet.jar}
bench_jar=$here/target/cachet-bench.jar
rate=${RATE:-100}
seconds=${DURATION:-240}
clients=${CLIENTS:-4}
every=${EVERY:-15}
port=${PORT:-18496}
base=http://127.0.0.1:$port

for tool in curl jq openssl java; do
  command -v $tool > /dev/null || { echo "h2-file.sh: $tool is not installed" >&2; exit 2; }
done
for f in "$src_jar" "$bench_jar"; do
  [ -f "$f" ] || { echo "h2-file.sh: $f is missing; build it (README, Benchmarks)" >&2; exit 2; }
done
. "$here/server.sh"   # server_workspace, start_server, stop_server, operator_key
server_workspace h2-file.sh "$src_jar"
say() { echo "$*"; }

say "# $(date -u +%FT%TZ) on $(nproc) CPUs, jar $src_jar (sha256 $(sha256sum "$jar" | cut -c1-12)), $rate issuances/s" \
  "for $seconds s from $clients clients"
data=$work/data
start_server "$data" server
key=$(operator_key "$data")
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/seal.key" -subj /CN=bench \
  -out "$work/seal.csr" 2> /dev/null
jq -n --rawfile csr "$work/seal.csr" '{csr:$csr, commonName:"Bench e-seal", profile:"qscd", validityYears:1,
  organisation:{name:"Bench SAS", identifier:"NTRFR-123456789", country:"FR"}}' > "$work/issue.json"
java -cp "$bench_jar" io.cachet.bench.PacedIssuance "$base" "$key" "$work/issue.json" "$rate" "$seconds" "$clients" \
  "$data/db/cachet.mv.db" "$every"
stop_server
