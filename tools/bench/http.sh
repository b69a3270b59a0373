#!/usr/bin/env bash
# The server's HTTP paths under load over loopback, as a client sees them (see BENCHMARKS.md, "HTTP paths").
#
#   tools/bench/http.sh [JAR]          default JAR: distribution/target/cachet.jar (copied to a temporary folder)
#
# For each database (embedded H2, then PostgreSQL on 127.0.0.1:5432 in a scratch database dropped at the end) it
# starts `java -jar JAR --data DIR --port PORT` on a new data directory, waits for GET /health 200, takes over the
# initial administrator (new password through the password page, as a browser would) and makes an `operator` API
# key, prepares with openssl a P-256 CSR, an OCSP request (with a nonce) for a certificate it issued and an RFC 3161
# request, checks each answer once with openssl, then runs wrk (CONNECTIONS connections, 2 threads, DURATION
# seconds, after a warm-up of the same load not counted: WARMUP seconds, then WARMUP_STEP more at a time until the
# server's JIT compilers used less than JIT_QUIET ms of CPU in a step, WARMUP_MAX seconds at most) on:
#   static      GET /assets/...                the HTTP floor: Jetty and the HTTP guard serving a small file from
#                                              memory (the pages' icon, its URL read from the login page)
#   health      GET /health                    the readiness check (runs every health indicator: database, CA token)
#   issue       POST /api/v1/certificates      a seal certificate for the CSR (API key, JSON, CSR check, signature,
#                                              database row and audit record)
#   ocsp-get    GET /ocsp/<base64 request>     RFC 6960 over GET
#   ocsp-post   POST /ocsp                     RFC 6960 over POST
#   ocsp-nonce-less POST /ocsp                 the same certificate without a nonce (RFC 5019's profile): with
#                                              OCSP_REUSE above 0, the answer signed moments before is given again
#   tsa         POST /tsa                      RFC 3161
# and prints one table: requests/s, p50 and p99 latency, answers that were not the expected status (with the
# statuses seen), and each path's
# rate as a share of the static floor of the same run. When the benchmark jar is built (tools/bench/target/
# cachet-bench.jar), it first runs, in the same invocation, a short JMH pass (run.sh; 1 fork, 3 iterations of 3 s,
# 2 threads, soft token, P-256) of the same three operations in process (issuance on an H2 file, OCSP, RFC 3161)
# with the raw signature rate of their keys: the limits the HTTP figures compare with (JMH=0 skips it).
#
# Environment: DURATION (s, default 20), WARMUP (s, default 5), WARMUP_STEP (s, default 5), WARMUP_MAX (s, default
#              120), JIT_QUIET (ms, default 250), CONNECTIONS (default 8), PORT (default 18490),
#              DATABASES ("h2 postgresql", default), PGHOST/PGPORT/PGUSER (127.0.0.1/5432/postgres, trust),
#              PATHS (default "static health issue ocsp-get ocsp-post ocsp-nonce-less tsa"), JAVA_OPTS (extra server
#              JVM options), OCSP_REUSE (the responder's reuseSeconds, written to deploy/io.cachet.ca.status.ocsp.cfg;
#              default 300, 0 = every answer signed afresh),
#              PROFILE=1 records a JFR profile (settings=profile) of the server during each measured path, started
#              and stopped with jcmd so that start-up and warm-up stay out (OUT/<database>-<path>.jfr),
#              OUT (result folder, default tools/bench/target/http-results), KEEP=1 keeps the data directories
#              (under OUT), TOKEN (the CA's token driver: soft, the embedded default, or softhsm: the CA, OCSP and
#              TSA keys made at the first start on SoftHSM2 tokens in a new directory, as README's "Token drivers"
#              says; needs softhsm2).
# wrk, curl, openssl, jq and (for PostgreSQL) psql must be installed. wrk and the server share the machine's cores:
# the figures are those of one machine serving and loading itself, and read best as shares of the same run's floor.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
src_jar=${1:-$root/distribution/target/cachet.jar}
duration=${DURATION:-20}
warmup=${WARMUP:-5}
warmup_step=${WARMUP_STEP:-5}
warmup_max=${WARMUP_MAX:-120}
jit_quiet=${JIT_QUIET:-250}
connections=${CONNECTIONS:-8}
port=${PORT:-18490}
databases=${DATABASES:-h2 postgresql}
paths=" ${PATHS:-static health issue ocsp-get ocsp-post ocsp-nonce-less tsa} "
ocsp_reuse=${OCSP_REUSE:-300}
token=${TOKEN:-soft}
out=${OUT:-$here/target/http-results}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
base=http://127.0.0.1:$port

for tool in wrk curl openssl jq java; do
  command -v $tool > /dev/null || { echo "http.sh: $tool is not installed" >&2; exit 2; }
done
case $token in
  soft) ;;
  softhsm) [ -f /usr/lib/softhsm/libsofthsm2.so ] || { echo "http.sh: TOKEN=softhsm needs softhsm2" >&2; exit 2; } ;;
  *) echo "http.sh: unknown TOKEN $token (soft, softhsm)" >&2; exit 2 ;;
esac
[ -f "$src_jar" ] || { echo "http.sh: $src_jar is missing; build it: mvn -o -B -q -pl distribution -am package -DskipTests" >&2; exit 2; }
if curl -s -o /dev/null "$base/health"; then
  echo "http.sh: something already answers on port $port; choose another with PORT=" >&2; exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/cachet-http-bench.XXXXXX")
server_pid=""
scratch_db=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2> /dev/null || true; wait "$server_pid" 2> /dev/null || true; fi
  if [ -n "$scratch_db" ]; then psql -q -d postgres -c "DROP DATABASE IF EXISTS $scratch_db" > /dev/null 2>&1 || true; fi
  if [ "${KEEP:-0}" = 1 ]; then mv "$work" "$out/work-$(date +%s)"; else rm -rf "$work"; fi
}
trap cleanup EXIT
mkdir -p "$out"
rm -rf "$out/jmh"
# the jar may be rebuilt by someone else meanwhile: run a copy
cp "$src_jar" "$work/cachet.jar"
jar=$work/cachet.jar
results=$out/results.tsv
: > "$results"
log=$out/run.log

load() { cut -d' ' -f1-3 /proc/loadavg; }
say() { echo "$*" | tee -a "$log"; }

: > "$log"
say "# $(date -u +%FT%TZ) on $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)), load $(load)"
say "# jar $src_jar ($(date -u -r "$src_jar" +%FT%TZ), sha256 $(sha256sum "$jar" | cut -c1-12)), tools/bench at git"\
  "$(git -C "$root" rev-parse --short HEAD 2> /dev/null || echo '?'), $(java -version 2>&1 | head -1),"\
  "$(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"
say "# CA token: $token"
say "# wrk: $connections connections, 2 threads, ${warmup}-${warmup_max}s warm-up (until the JIT compilers take under"\
  "${jit_quiet} ms of CPU in ${warmup_step} s) then ${duration}s measured per path"

# wrk's Lua: the request (method, body read from a file, headers) and, at the end, one machine-readable line
lua=$work/request.lua
cat > "$lua" << 'EOF'
local body_file = os.getenv("BODY_FILE")
wrk.method = os.getenv("METHOD") or "GET"
if body_file and body_file ~= "" then
  local f = assert(io.open(body_file, "rb"))
  wrk.body = f:read("*a")
  f:close()
end
if os.getenv("CONTENT_TYPE") and os.getenv("CONTENT_TYPE") ~= "" then
  wrk.headers["Content-Type"] = os.getenv("CONTENT_TYPE")
end
if os.getenv("AUTH") and os.getenv("AUTH") ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("AUTH")
end
local expected = tonumber(os.getenv("EXPECT") or "200")
local unexpected = 0
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  wrong = 0
  seen = ""
end
function response(status, headers, body)
  if status ~= expected then
    wrong = wrong + 1
    if not string.find(seen, tostring(status), 1, true) then seen = seen .. " " .. status end
  end
end
function done(summary, latency, requests)
  local statuses = ""
  for _, t in ipairs(threads) do
    unexpected = unexpected + t:get("wrong")
    for code in string.gmatch(t:get("seen"), "%d+") do
      if not string.find(" " .. statuses .. " ", " " .. code .. " ", 1, true) then
        statuses = (statuses == "") and code or (statuses .. " " .. code)
      end
    end
  end
  local shown = unexpected .. ""
  if unexpected > 0 then shown = unexpected .. " (" .. statuses .. ")" end
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT\t%.1f\t%.2f\t%.2f\t%.2f\t%d\t%s\t%d\n", summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, summary.requests,
    shown, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
EOF

. "$here/server.sh"   # start_server, stop_server, operator_key

# the requests, each answered once and checked with openssl before the load
prepare() { # DIR KEY
  local dir=$1 key=$2
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$dir/seal.key" -subj /CN=bench \
    -out "$dir/seal.csr" 2> /dev/null
  jq -n --rawfile csr "$dir/seal.csr" '{csr:$csr, commonName:"Bench e-seal", profile:"qscd", validityYears:1,
    organisation:{name:"Bench SAS", identifier:"NTRFR-123456789", country:"FR"}}' > "$dir/issue.json"
  local code
  code=$(curl -s -o "$dir/issued.json" -w '%{http_code}' -H "Authorization: Bearer $key" \
    -H 'Content-Type: application/json' --data-binary @"$dir/issue.json" "$base/api/v1/certificates")
  [ "$code" = 201 ] || { echo "http.sh: issuance answered $code: $(cat "$dir/issued.json")" >&2; exit 1; }
  jq -er .certificate "$dir/issued.json" > "$dir/cert.pem"
  curl -sf "$base/pki/chain.pem" > "$dir/chain.pem"
  # the issuing CA is the first certificate of the chain
  awk '/BEGIN CERTIFICATE/{n++} n==1' "$dir/chain.pem" > "$dir/issuing.pem"
  awk '/BEGIN CERTIFICATE/{n++} n==2' "$dir/chain.pem" > "$dir/root.pem"
  openssl verify -CAfile "$dir/root.pem" -untrusted "$dir/issuing.pem" "$dir/cert.pem" > /dev/null \
    || { echo "http.sh: the issued certificate does not verify with openssl" >&2; exit 1; }

  openssl ocsp -issuer "$dir/issuing.pem" -cert "$dir/cert.pem" -reqout "$dir/ocsp.der" > /dev/null 2>&1
  curl -sf -H 'Content-Type: application/ocsp-request' --data-binary @"$dir/ocsp.der" "$base/ocsp" > "$dir/ocsp-resp.der"
  local checked
  checked=$(openssl ocsp -respin "$dir/ocsp-resp.der" -issuer "$dir/issuing.pem" -cert "$dir/cert.pem" -no_nonce \
    -CAfile "$dir/chain.pem" 2>&1) || true
  case $checked in *"Response verify OK"*": good"*) ;;
    *) echo "http.sh: the OCSP answer does not verify as 'good' with openssl: $checked" >&2; exit 1 ;; esac
  # the nonce of the request is echoed
  [ "$(openssl ocsp -reqin "$dir/ocsp.der" -req_text | grep -A1 'OCSP Nonce' | tail -1 | xargs)" = \
    "$(openssl ocsp -respin "$dir/ocsp-resp.der" -resp_text -noverify | grep -A1 'OCSP Nonce' | tail -1 | xargs)" ] \
    || { echo "http.sh: the OCSP answer does not echo the request's nonce" >&2; exit 1; }
  # without a nonce: answered good, verifiably; with a reuse period, twice with the same bytes (given again)
  openssl ocsp -issuer "$dir/issuing.pem" -cert "$dir/cert.pem" -no_nonce -reqout "$dir/ocsp-nonce-less.der" > /dev/null 2>&1
  curl -sf -H 'Content-Type: application/ocsp-request' --data-binary @"$dir/ocsp-nonce-less.der" "$base/ocsp" > "$dir/ocsp-resp1.der"
  curl -sf -H 'Content-Type: application/ocsp-request' --data-binary @"$dir/ocsp-nonce-less.der" "$base/ocsp" > "$dir/ocsp-resp2.der"
  checked=$(openssl ocsp -respin "$dir/ocsp-resp2.der" -issuer "$dir/issuing.pem" -cert "$dir/cert.pem" -no_nonce \
    -CAfile "$dir/chain.pem" 2>&1) || true
  case $checked in *"Response verify OK"*": good"*) ;;
    *) echo "http.sh: the nonce-less OCSP answer does not verify as 'good' with openssl: $checked" >&2; exit 1 ;; esac
  if [ "$ocsp_reuse" -gt 0 ]; then
    cmp -s "$dir/ocsp-resp1.der" "$dir/ocsp-resp2.der" \
      || { echo "http.sh: two nonce-less OCSP requests in a row got different answers (reuseSeconds not applied)" >&2; exit 1; }
  fi
  # GET: the DER request in base64, URL-encoded (RFC 6960 A.1)
  ocsp_get=/ocsp/$(base64 -w0 "$dir/ocsp.der" | jq -sRr @uri)
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$base$ocsp_get")" = 200 ] \
    || { echo "http.sh: GET $ocsp_get did not answer 200" >&2; exit 1; }

  head -c 4096 /dev/urandom > "$dir/data.bin"
  openssl ts -query -data "$dir/data.bin" -sha256 -cert -out "$dir/tsa.tsq" 2> /dev/null
  curl -sf -H 'Content-Type: application/timestamp-query' --data-binary @"$dir/tsa.tsq" "$base/tsa" > "$dir/tsa.tsr"
  openssl ts -verify -queryfile "$dir/tsa.tsq" -in "$dir/tsa.tsr" -CAfile "$dir/root.pem" -untrusted "$dir/chain.pem" \
    > /dev/null 2>&1 || { echo "http.sh: the time-stamp does not verify with openssl" >&2; exit 1; }
}

load_path() { # DB NAME EXPECT METHOD URL-PATH [BODY CONTENT-TYPE AUTH]
  local db=$1 name=$2 expect=$3 method=$4 path=$5 body=${6:-} ctype=${7:-} auth=${8:-}
  case $paths in *" $name "*) ;; *) return 0 ;; esac
  local env=(EXPECT=$expect METHOD=$method BODY_FILE=$body CONTENT_TYPE=$ctype AUTH=$auth)
  # warm-up: at least WARMUP seconds, then more rounds of WARMUP_STEP seconds until the server's JIT compilers are
  # nearly idle (under JIT_QUIET ms of CPU in the last round), at most WARMUP_MAX seconds in all. A path that goes
  # through Jersey, HK2, Jackson, the JDBC driver and BouncyCastle (issuance) kept C2 busy for ~50 s of load on a
  # 2-core machine, and measuring before that measured the compiler, not the path.
  local warmed=0 step=$warmup jit_before jit_after
  while :; do
    jit_before=$(jit_cpu_ms "$server_pid")
    env "${env[@]}" wrk -t2 -c"$connections" -d"${step}s" -s "$lua" "$base$path" > /dev/null 2>&1 || true
    jit_after=$(jit_cpu_ms "$server_pid")
    warmed=$(( warmed + step ))
    if [ $(( (jit_after - jit_before) * warmup_step / step )) -lt "$jit_quiet" ] \
      || [ $(( warmed + warmup_step )) -gt "$warmup_max" ]; then break; fi
    step=$warmup_step
  done
  say "# $db $name: warmed up for ${warmed} s; the JIT compilers took $(( jit_after - jit_before )) ms of CPU in its last ${step} s"
  if [ "${PROFILE:-0}" = 1 ]; then
    jcmd "$server_pid" JFR.start name=http-bench settings=profile filename="$out/$db-$name.jfr" > /dev/null
  fi
  local before=$(load)
  local line
  line=$(env "${env[@]}" wrk -t2 -c"$connections" -d"${duration}s" --timeout 10s -s "$lua" "$base$path" 2>&1 \
    | tee -a "$log" | grep '^RESULT' | cut -f2-) || { echo "http.sh: wrk failed on $name" >&2; exit 1; }
  if [ "${PROFILE:-0}" = 1 ]; then
    jcmd "$server_pid" JFR.stop name=http-bench > /dev/null
    say "# $db $name: profile in $out/$db-$name.jfr"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$db" "$name" "$line" "${before%% *}" "$(load | cut -d' ' -f1)" "$warmed" \
    | tee -a "$results" > /dev/null
  say "# $db $name: $(echo "$line" | cut -f1) req/s; load $before -> $(load)"
}

if [ "${JMH:-1}" = 1 ] && [ -f "$here/target/cachet-bench.jar" ]; then
  say "# in process (JMH), load $(load)"
  THREADS=2 OUT=$out/jmh "$here/run.sh" -p token=soft -p key=EC_P256 -f 1 -wi 1 -w 3 -i 3 -r 3 \
    'IssuanceBenchmark\.issueH2' 'OcspBenchmark\.respond$' 'TsaBenchmark\.respond' > "$out/jmh.log" 2>&1 \
    || { echo "http.sh: the JMH pass failed, see $out/jmh.log" >&2; exit 1; }
  say "# in process (JMH) done, load $(load)"
fi

for db in $databases; do
  data=$work/data-$db
  mkdir -p "$data/deploy" "$work/req-$db"
  printf 'reuseSeconds=%s\n' "$ocsp_reuse" > "$data/deploy/io.cachet.ca.status.ocsp.cfg"
  if [ "$token" = softhsm ]; then
    mkdir -p "$work/softhsm-$db"
    printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$work/softhsm-$db" \
      > "$work/softhsm-$db.conf"
    export SOFTHSM2_CONF=$work/softhsm-$db.conf
    printf 'library=/usr/lib/softhsm/libsofthsm2.so\n' > "$data/deploy/io.cachet.token.softhsm.cfg"
    printf 'tokenDriver.target=(token.driver=softhsm)\n' > "$data/deploy/io.cachet.ca.cfg"
  fi
  case $db in
    h2) ;;
    postgresql)
      command -v psql > /dev/null || { echo "http.sh: psql is not installed" >&2; exit 2; }
      scratch_db=cachet_http_bench_$$
      psql -q -d postgres -c "CREATE DATABASE $scratch_db" > /dev/null
      printf 'url=jdbc:postgresql://%s:%s/%s\nuser=%s\npassword=\n' "$PGHOST" "$PGPORT" "$scratch_db" "$PGUSER" \
        > "$data/deploy/io.cachet.store.cfg" ;;
    *) echo "http.sh: unknown database $db (h2, postgresql)" >&2; exit 2 ;;
  esac
  start_server "$data" "$db"
  key=$(operator_key "$data")
  prepare "$work/req-$db" "$key"
  r=$work/req-$db
  icon=$(curl -sf "$base/console/login" | grep -o 'rel="icon" href="/assets/[^"]*"' | head -1 | cut -d'"' -f4) \
    && [ -n "$icon" ] || { echo "http.sh: no icon asset named on /console/login" >&2; exit 1; }
  load_path "$db" static 200 GET "$icon"
  load_path "$db" health 200 GET /health
  load_path "$db" issue 201 POST /api/v1/certificates "$r/issue.json" application/json "$key"
  load_path "$db" ocsp-get 200 GET "$ocsp_get"
  load_path "$db" ocsp-post 200 POST /ocsp "$r/ocsp.der" application/ocsp-request
  load_path "$db" ocsp-nonce-less 200 POST /ocsp "$r/ocsp-nonce-less.der" application/ocsp-request
  load_path "$db" tsa 200 POST /tsa "$r/tsa.tsq" application/timestamp-query
  stop_server
  if [ -n "$scratch_db" ]; then
    say "# $db: $(psql -Atq -d "$scratch_db" -c 'SELECT count(*) FROM ca_certificate' 2> /dev/null || echo '?') certificate rows in the scratch database"
    psql -q -d postgres -c "DROP DATABASE $scratch_db" > /dev/null; scratch_db=""
  fi
done
say "# end $(date -u +%FT%TZ), load $(load)"

# the table: each path's rate also as a share of the same database run's static floor
awk -F'\t' '
  BEGIN { print "| database | path | req/s | p50 ms | p99 ms | max ms | requests | unexpected status | socket errors | share of static | load before, after | warm-up s |";
          print "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|" }
  $2 == "static" { floor[$1] = $3 }
  { share = (floor[$1] > 0) ? sprintf("%.1f %%", 100 * $3 / floor[$1]) : "–";
    printf "| %s | %s | %.0f | %.1f | %.1f | %.0f | %d | %s | %d | %s | %s, %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, share, $10, $11, $12 }
' "$results" | tee "$out/table.md"
if [ -f "$out/jmh/table.md" ]; then
  echo
  echo "In process, same invocation (JMH, 1 fork x 3 iterations of 3 s, 2 threads, soft token, P-256):"
  cat "$out/jmh/table.md"
fi
