#!/usr/bin/env bash
# User-level benchmark of batch signing: `cachet-cli sign` of N copies of a PDF (PAdES-B-B, a P-256 PKCS#12 seal)
# with --jobs 1 and --jobs 2 (or JOBS), timed from the command's start to its end (JVM start-up included, as a user
# waits for it), next to the floor measured in the same run on the same copies: io.cachet.bench.PadesFloor (PDFBox
# load + incremental save with a placeholder, SHA-256, one P-256 signature, the file written; no CMS, no checks),
# warmed up, on as many threads.
#
#   tools/bench/cli-sign.sh PDF N
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
  echo "usage: cli-sign.sh PDF N   (N copies of PDF are signed)" >&2
  exit 2
fi
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
name=$(basename "$pdf" .pdf)
for i in $(seq -w 1 "$n"); do cp "$pdf" "$work/in/$name-$i.pdf"; done
inputs=("$work"/in/*.pdf)

now() { date +%s.%N; }
echo "# $(date -u +%FT%TZ) on $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)), git $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "# $pdf ($(stat -c %s "$pdf") bytes) x $n; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-5s %12s %14s %6s %14s %14s\n' jobs 'cli files/s' 'floor files/s' 'ratio' 'cli CPU ms/f' 'floor CPU ms/f'
for j in $jobs; do
  rm -rf "$work/out" "$work/floor"
  mkdir -p "$work/out"
  start=$(now)
  TIMEFORMAT='%U %S'
  # shellcheck disable=SC2086
  if ! { time java $java_opts -jar "$cli" sign --in "${inputs[@]}" --out "$work/out" --key "$work/seal.p12" \
      --pin-file "$work/seal.pass" --no-revocation-check --jobs "$j" > "$work/cli.log" 2>&1 ; } 2> "$work/cpu"; then
    tail -5 "$work/cli.log" >&2
    echo "cli-sign.sh: cachet-cli sign failed (jobs $j)" >&2
    exit 1
  fi
  end=$(now)
  cli_cpu=$(awk -v n="$n" '{ printf "%.1f", ($1 + $2) * 1000 / n }' "$work/cpu")
  pdfsig -nocert -no-ocsp "$work/out/$(basename "${inputs[0]}")" | grep -q 'Signature is Valid' \
    || { echo "cli-sign.sh: pdfsig does not accept the signed file" >&2; exit 1; }
  cli_rate=$(echo "$n / ($end - $start)" | bc -l)
  # shellcheck disable=SC2086
  floor_line=$(java $java_opts -cp "$bench" io.cachet.bench.PadesFloor "$j" "$work/floor" "${inputs[@]}")
  floor_rate=$(echo "$floor_line" | sed -E 's/.*= ([0-9.]+) files\/s.*/\1/')
  floor_cpu=$(echo "$floor_line" | sed -E 's/.*, ([0-9.]+) ms CPU per file/\1/')
  printf '%-5s %12.1f %14.1f %5.0f%% %14s %14s\n' "$j" "$cli_rate" "$floor_rate" \
    "$(echo "100 * $cli_rate / $floor_rate" | bc -l)" "$cli_cpu" "$floor_cpu"
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
