#!/usr/bin/env bash
# Start-up and `cachet-cli audit verify` with a large embedded database (issue 15 item 7; BENCHMARKS.md, "Growth with
# the work"):
#
#   tools/bench/growth-startup.sh CACHET_JAR CLI_JAR CERTIFICATES REVOKED AUDIT_RECORDS [PORT]
#
# Starts the server on a new data directory under /tmp/growth-start-*, restarts it once on its (nearly empty) database,
# stops it, fills its embedded H2 with CERTIFICATES rows of its own CA (REVOKED of them revoked) and AUDIT_RECORDS audit
# records (io.cachet.bench.Growth fill), starts it again (a new CRL: the one kept lists none of the revocations) and
# once more (the CRL of that start served again), then runs `cachet-cli audit verify --data` with 64 MiB of
# heap. Each start: wall time from `java -jar` to GET /health 200 (polled every 100 ms). Deletes the folder at the end.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar=$1; cli=$2; certs=$3; revoked=$4; audit=$5; port=${6:-18617}
bench=${JAR:-$here/target/cachet-bench.jar}
dir=$(mktemp -d /tmp/growth-start-XXXX)
trap 'rm -rf "$dir"' EXIT
start() {
  local t0=$(date +%s%N)
  java -jar "$jar" --data "$dir/data" --port "$port" > "$dir/$1.log" 2>&1 &
  pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health")" = 200 ]; do
    kill -0 $pid 2>/dev/null || { echo "$1: the server died"; tail -20 "$dir/$1.log"; exit 1; }
    sleep 0.1
  done
  echo "start.$1 $(( ($(date +%s%N) - t0) / 1000000 )) ms to /health 200 (load $(cut -d' ' -f1 /proc/loadavg)); launcher: $(grep -o 'ready[^,]* in [0-9]* ms' "$dir/$1.log" | head -1)"
}
stop() { kill $pid; wait $pid 2>/dev/null || true; }
start first; stop
start restart-small; stop
java -Xmx2g -cp "$bench" io.cachet.bench.Growth fill "jdbc:h2:file:$dir/data/db/cachet;DB_CLOSE_ON_EXIT=FALSE" \
  "$dir/data/keys/ca-chain.pem" "$certs" "$revoked" "$audit" 2>&1 | grep -v 'INFO\|^[A-Z][a-z][a-z] [0-9]'
echo "db.size $(du -sm "$dir/data/db" | cut -f1) MiB"
start restart-large
curl -s -o "$dir/crl" -w "crl.fetch %{time_total} s, %{size_download} bytes\n" "http://127.0.0.1:$port/pki/crl"
stop
# again: the CRL that start made is still current (nothing revoked since), so this start serves it (ca_crl)
start restart-large-again
stop
/usr/bin/time -f "cli.audit.verify %e s wall, max RSS %M KiB" env JAVA_TOOL_OPTIONS=-Xmx64m \
  java -Xmx64m -jar "$cli" audit verify --data "$dir/data" 2>&1 | grep -v JAVA_TOOL_OPTIONS | tail -4
