#!/usr/bin/env bash
# User-level benchmark of batch signing: `cachet-cli sign` of N copies of a PDF (PAdES-B-B, a P-256 PKCS#12 seal)
# with --jobs 1 and --jobs 2 (or JOBS), timed from the command's start to its end (JVM start-up included, as a user
# waits for it), next to the floor measured in the same run on the same copies: io.cachet.bench.PadesFloor (PDFBox
# load + incremental save with a placeholder, SHA-256, one P-256 signature, the file written; no CMS, no checks),
# warmed up, on as many threads.
#
#   tools/bench/cli-sign.sh PDF N
#   FORMAT=cades tools/bench/cli-sign.sh FILE N
#
# With FORMAT=cades, any FILE is signed as CAdES-B detached (`cachet-cli sign --format cades`) and compared, instead
# of with the floor, with `openssl cms -sign -binary -outform DER` (detached; same key, SHA-256, the signer's
# certificate included) run as one process per file, JOBS of them at a time (xargs -P): what a script that signs
# files one by one with openssl does, process start-up included on both sides. The first output of each must pass
# `openssl cms -verify -binary -content FILE`, or the script fails.
#
# Build first (no install needed):  mvn -B -o -q -pl tools/cli,tools/bench package -DskipTests
# Environment:  JOBS       thread counts (default "1 2")
#               CLI_JAR    default distribution/target/cachet-cli.jar, else tools/cli/target/io.cachet.cli-*-all.jar
#               BENCH_JAR  default tools/bench/target/cachet-bench.jar
#               JAVA_OPTS  options of both JVMs (default "-Xmx1g")
# Prints one line per job count: cachet-cli files/s, floor files/s, and the ratio; then the CPU time per file of each
# (cachet-cli: the whole process's user + system time, JVM start-up included, over N; the floor: its measured pass),
# which a busy machine disturbs less than wall time; the load average before and after.
# The first output of every run must pass pdfsig, or the script fails.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ $# -ne 2 ] || [ ! -f "$1" ] || ! [[ "$2" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: [FORMAT=cades] cli-sign.sh FILE N   (N copies of FILE are signed)" >&2
  exit 2
fi
format=${FORMAT:-pades}
case "$format" in pades|cades) ;; *) echo "cli-sign.sh: FORMAT is pades or cades" >&2; exit 2 ;; esac
pdf=$1
n=$2
jobs=${JOBS:-1 2}
java_opts=${JAVA_OPTS:--Xmx1g}
cli=${CLI_JAR:-}
if [ -z "$cli" ]; then
  cli=$root/distribution/target/cachet-cli.jar
  [ -f "$cli" ] || cli=$(ls "$root"/tools/cli/target/io.cachet.cli-*-all.jar 2>/dev/null | head -1 || true)
fi
bench=${BENCH_JAR:-$here/target/cachet-bench.jar}
for jar in "$cli" "$bench"; do
  if [ ! -f "$jar" ]; then
    echo "cli-sign.sh: ${jar:-cachet-cli.jar} is missing; build: mvn -B -o -q -pl tools/cli,tools/bench package -DskipTests" >&2
    exit 2
  fi
done
for tool in openssl pdfsig; do
  command -v $tool > /dev/null || { echo "cli-sign.sh: $tool is missing (apt-get install openssl poppler-utils)" >&2; exit 2; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/cachet-cli-sign.XXXXXX")
trap 'rm -rf "$work"' EXIT
export LC_ALL=C

# a P-256 seal valid for two days, self-signed: the benchmark signs offline (--no-revocation-check)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/seal.key" -out "$work/seal.pem" \
  -days 2 -subj "/C=FR/O=Bench SAS/CN=Bench seal" -addext keyUsage=critical,nonRepudiation 2> /dev/null
printf 'bench-secret\n' > "$work/seal.pass"
openssl pkcs12 -export -inkey "$work/seal.key" -in "$work/seal.pem" -out "$work/seal.p12" \
  -passout file:"$work/seal.pass"

mkdir -p "$work/in"
base=$(basename "$pdf")
ext=${base##*.}
[ "$ext" = "$base" ] && ext=bin
name=${base%.*}
for i in $(seq -w 1 "$n"); do cp "$pdf" "$work/in/$name-$i.$ext"; done
inputs=("$work"/in/*)

now() { date +%s.%N; }
# CPU ms per file from a `time` output of "user sys" seconds
cpu_per_file() { awk -v n="$n" '{ printf "%.1f", ($1 + $2) * 1000 / n }' "$1"; }
# a detached CMS signature of inputs[0] that openssl verifies with the seal's certificate, or the script fails
cms_verifies() {
  openssl cms -verify -binary -inform DER -in "$1" -content "${inputs[0]}" -CAfile "$work/seal.pem" -purpose any \
    -out /dev/null 2> "$work/verify.log" || { cat "$work/verify.log" >&2; echo "cli-sign.sh: $2" >&2; exit 1; }
}
echo "# $(date -u +%FT%TZ) on $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)), git $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "# $pdf ($(stat -c %s "$pdf") bytes) x $n; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$format" = cades ]; then
  printf '%-5s %12s %16s %6s %14s %16s\n' jobs 'cli files/s' 'openssl files/s' 'ratio' 'cli CPU ms/f' 'openssl CPU ms/f'
else
  printf '%-5s %12s %14s %6s %14s %14s\n' jobs 'cli files/s' 'floor files/s' 'ratio' 'cli CPU ms/f' 'floor CPU ms/f'
fi
for j in $jobs; do
  rm -rf "$work/out" "$work/floor"
  mkdir -p "$work/out"
  start=$(now)
  TIMEFORMAT='%U %S'
  # shellcheck disable=SC2086
  if ! { time java $java_opts -jar "$cli" sign --in "${inputs[@]}" --out "$work/out" --key "$work/seal.p12" \
      --pin-file "$work/seal.pass" --no-revocation-check --jobs "$j" --format "$format" > "$work/cli.log" 2>&1 ; } \
      2> "$work/cpu"; then
    tail -5 "$work/cli.log" >&2
    echo "cli-sign.sh: cachet-cli sign failed (jobs $j)" >&2
    exit 1
  fi
  end=$(now)
  cli_cpu=$(cpu_per_file "$work/cpu")
  cli_rate=$(echo "$n / ($end - $start)" | bc -l)
  if [ "$format" = cades ]; then
    first=$(ls "$work/out" | head -1)
    cms_verifies "$work/out/$first" "openssl does not accept $first"
    rm -rf "$work/openssl" && mkdir -p "$work/openssl"
    start=$(now)
    { time printf '%s\0' "${inputs[@]}" | xargs -0 -P "$j" -I{} sh -c 'openssl cms -sign -binary -md sha256 \
        -in "$1" -signer "$2/seal.pem" -inkey "$2/seal.key" -outform DER -out "$2/openssl/$(basename "$1").p7s"' \
        _ {} "$work" ; } 2> "$work/cpu"
    end=$(now)
    cms_verifies "$work/openssl/$(basename "${inputs[0]}").p7s" "openssl cms -sign made no valid signature"
    floor_rate=$(echo "$n / ($end - $start)" | bc -l)
    floor_cpu=$(cpu_per_file "$work/cpu")
    printf '%-5s %12.1f %16.1f %5.0f%% %14s %16s\n' "$j" "$cli_rate" "$floor_rate" \
      "$(echo "100 * $cli_rate / $floor_rate" | bc -l)" "$cli_cpu" "$floor_cpu"
    continue
  fi
  pdfsig -nocert -no-ocsp "$work/out/$(basename "${inputs[0]}")" | grep -q 'Signature is Valid' \
    || { echo "cli-sign.sh: pdfsig does not accept the signed file" >&2; exit 1; }
  # shellcheck disable=SC2086
  floor_line=$(java $java_opts -cp "$bench" io.cachet.bench.PadesFloor "$j" "$work/floor" "${inputs[@]}")
  floor_rate=$(echo "$floor_line" | sed -E 's/.*= ([0-9.]+) files\/s.*/\1/')
  floor_cpu=$(echo "$floor_line" | sed -E 's/.*, ([0-9.]+) ms CPU per file/\1/')
  printf '%-5s %12.1f %14.1f %5.0f%% %14s %14s\n' "$j" "$cli_rate" "$floor_rate" \
    "$(echo "100 * $cli_rate / $floor_rate" | bc -l)" "$cli_cpu" "$floor_cpu"
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
