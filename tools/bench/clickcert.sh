#!/usr/bin/env bash
# Click&Cert under load over loopback, as holders' browsers use it (see BENCHMARKS.md, "Click&Cert under load").
#
#   tools/bench/clickcert.sh [JAR]      default JAR: distribution/target/cachet.jar (cachet-cli.jar beside it)
#
# Starts `java -jar JAR` on a new data directory (the embedded H2), takes over the initial administrator, creates a
# registration officer (roles operator and ra-officer) on the console's operators page and an API key for them on
# /console/api-keys, runs `cachet-cli demo --medium cloud` HOLDERS times (each an order through identification, the
# organisation check, acceptance and issuance to an ACTIVE customer space of its own holder), then
# io.cachet.bench.ClickCertLoad from the benchmark jar: USERS browsers spread over those holders, each with its own
# session, each in a loop: upload a PDF of 1 MB, seal it with the password typed again, download the sealed PDF;
# WARMUP seconds of that load, then DURATION seconds measured. Prints sealed documents per second and p50/p99 of each
# step; checks the last sealed PDF with pdfsig, and with DSS offline (cachet-cli verify, the server's chain trusted:
# prints the level reached). The server lets one holder make 300 changes an hour in Click&Cert (an upload and a seal
# are two): enough holders keep the run below that (HOLDERS x 150 cycles).
#
# Environment: USERS (default 20), HOLDERS (default 6), WARMUP (s, 60: the sealing path runs through DSS, PDFBox
#              and BouncyCastle, which C2 compiles for about a minute of load on 2 cores), DURATION (s, 30), PORT
#              (18495), LEVEL (Click&Cert's PAdES level, B, T, LT or LTA; default: the server's, LT), OUT (result
#              folder, default tools/bench/target/clickcert-results), JAVA_OPTS (extra server JVM options), PROFILE=1 (a JFR profile of
#              the server over the measured seconds, OUT/clickcert.jfr).
# Needs: curl, jq, pdfsig (poppler-utils), the benchmark jar (mvn -B -ntp -q -pl tools/bench -am install -DskipTests).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
src_jar=${1:-$root/distribution/target/cachet.jar}
cli_jar=$(dirname "$src_jar")/cachet-cli.jar
bench_jar=$here/target/cachet-bench.jar
users=${USERS:-20}
holders=${HOLDERS:-6}
warmup=${WARMUP:-60}
duration=${DURATION:-30}
port=${PORT:-18495}
out=${OUT:-$here/target/clickcert-results}
base=http://127.0.0.1:$port

for tool in curl jq pdfsig java; do
  command -v $tool > /dev/null || { echo "clickcert.sh: $tool is not installed" >&2; exit 2; }
done
for f in "$src_jar" "$cli_jar" "$bench_jar"; do
  [ -f "$f" ] || { echo "clickcert.sh: $f is missing; build it (README, Benchmarks)" >&2; exit 2; }
done
. "$here/server.sh"   # server_workspace, start_server, stop_server, take_over, console_login, console_token
server_workspace clickcert.sh "$src_jar"
mkdir -p "$out"
log=$out/run.log
: > "$log"
say() { echo "$*" | tee -a "$log"; }

say "# $(date -u +%FT%TZ) on $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)), load"\
  "$(cut -d' ' -f1-3 /proc/loadavg); jar sha256 $(sha256sum "$jar" | cut -c1-12), git"\
  "$(git -C "$root" rev-parse --short HEAD 2> /dev/null || echo '?'); $users users over $holders holders, ${warmup}s warm-up,"\
  "${duration}s measured"

data=$work/data
mkdir -p "$data/deploy"
if [ -n "${LEVEL:-}" ]; then
  printf 'level=%s\n' "$LEVEL" > "$data/deploy/io.cachet.delivery.cloud.clickcert.cfg"
fi
start_server "$data" server

# a registration officer who can also act as operator, and their API key, made as an administrator would
admin=$(sed -n 's/^login=//p' "$data/initial-admin.txt")
admin_password=$(take_over "$data")
console_login "$admin" "$admin_password" "$work/admin.jar"
officer=bench-officer first="bench-first-passphrase-$RANDOM$RANDOM" password="quiet-lantern-meadow-$RANDOM$RANDOM"
code=$(curl -s -o "$work/operators.html" -w '%{http_code}' -b "$work/admin.jar" -H "Origin: $base" \
  --data-urlencode "$(console_token /console/operators "$work/admin.jar")" --data-urlencode action=create \
  --data-urlencode "login=$officer" --data-urlencode role=operator --data-urlencode role=ra-officer \
  --data-urlencode "password=$first" "$base/console/operators")
[ "$code" = 200 ] && grep -q "$officer" "$work/operators.html" \
  || { echo "clickcert.sh: creating the officer on /console/operators answered $code" >&2; exit 1; }
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Origin: $base" --data-urlencode "login=$officer" \
  --data-urlencode "current=$first" --data-urlencode "new=$password" --data-urlencode "confirm=$password" \
  "$base/console/password")
[ "$code" = 303 ] || { echo "clickcert.sh: the officer's first password change answered $code" >&2; exit 1; }
console_login "$officer" "$password" "$work/officer.jar"
curl -s -o "$work/api-keys.html" -b "$work/officer.jar" -H "Origin: $base" \
  --data-urlencode "$(console_token /console/api-keys "$work/officer.jar")" --data-urlencode action=create \
  --data-urlencode label=clickcert-bench --data-urlencode scope=operator "$base/console/api-keys"
key=$(sed -n 's/.*<code id="secret">\([^<]*\)<\/code>.*/\1/p' "$work/api-keys.html" | head -1)
[ -n "$key" ] || { echo "clickcert.sh: no API key shown on /console/api-keys" >&2; exit 1; }

say "# the demo, $holders times: orders to ACTIVE customer spaces"
: > "$work/accounts.tsv"
for h in $(seq 1 "$holders"); do
  java -jar "$cli_jar" demo --server "$base" --api-key "$key" --medium cloud --out "$work/demo-$h" > "$work/demo-$h.log" 2>&1 \
    || { echo "clickcert.sh: the demo failed:" >&2; tail -20 "$work/demo-$h.log" >&2; exit 1; }
  summary=$work/demo-$h/summary.json
  [ "$(jq -r .state "$summary")" = ACTIVE ] || { echo "clickcert.sh: the demo's order is not ACTIVE" >&2; exit 1; }
  jq -r '[.holderEmail, .holderPassword, .orderId] | @tsv' "$summary" >> "$work/accounts.tsv"
done

if [ "${PROFILE:-0}" = 1 ]; then
  ( sleep "$warmup"; jcmd "$server_pid" JFR.start name=clickcert settings=profile duration="${duration}s" \
      filename="$out/clickcert.jfr" > /dev/null ) &
fi
say "# load, load average $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$bench_jar" io.cachet.bench.ClickCertLoad --server "$base" --accounts "$work/accounts.tsv" --users "$users" \
  --warmup "$warmup" --duration "$duration" --out "$work/load" | tee -a "$log" | tee "$out/table.md"
say "# end $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
[ -f "$work/load/sealed.pdf" ] || { echo "clickcert.sh: no document was sealed in the measured window" >&2; exit 1; }
cp "$work/load/sealed.pdf" "$out/sealed.pdf"
pdfsig "$out/sealed.pdf" > "$out/pdfsig.txt" 2>&1 || true
grep -q "Signature Validation: Signature is Valid" "$out/pdfsig.txt" \
  || { echo "clickcert.sh: pdfsig does not find the last sealed PDF's signature valid:" >&2; cat "$out/pdfsig.txt" >&2; exit 1; }
say "# the last sealed PDF: pdfsig finds its signature valid ($out/sealed.pdf)"
# and DSS, with what the PDF carries only (the server's chain trusted): the level the seal reached
curl -s -o "$out/chain.pem" "$base/pki/chain.pem"
java -jar "$cli_jar" verify --offline --trust "$out/chain.pem" --reports "$out/reports" "$out/sealed.pdf" \
  > "$out/verify.txt" 2>&1 \
  || { echo "clickcert.sh: DSS does not find the last sealed PDF valid:" >&2; cat "$out/verify.txt" >&2; exit 1; }
say "# DSS (cachet-cli verify --offline): $(grep -m1 -oE '[A-Z_]+ \([A-Z_]+\), PAdES-[A-Z-]+' "$out/verify.txt")"
stop_server
