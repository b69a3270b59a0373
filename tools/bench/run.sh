#!/usr/bin/env bash
# Runs the trust-core benchmarks (JMH) once per thread count and prints the table of BENCHMARKS.md.
#
#   tools/bench/run.sh [JMH options and benchmark regexps...]
#
# Build first:  mvn -B -ntp -q -pl tools/bench -am install -DskipTests
# Corpus:       tools/bench/corpus.sh   (real PDFs from Debian documentation packages, for CorpusBenchmark)
# Environment:  THREADS   thread counts, one JMH run each (default "1 2")
#               OUT       result folder (default tools/bench/target/bench-results)
# Examples:     run.sh                                   the whole suite, ~12 min on 2 cores
#               run.sh -p token=soft -p key=EC_P256      one token and key
#               THREADS=1 run.sh 'OcspBenchmark'         OCSP only, one thread
#
# SoftHSM2 reads SOFTHSM2_CONF when the module is loaded and a JVM cannot set its own environment: this script
# writes a softhsm2.conf with a token directory in a temporary folder, exports it for the forked benchmark JVMs,
# and deletes the folder at the end.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar=$here/target/cachet-bench.jar
out=${OUT:-$here/target/bench-results}
threads=${THREADS:-1 2}
if [ ! -f "$jar" ]; then
  echo "run.sh: $jar is missing; build it: mvn -B -ntp -q -pl tools/bench -am install -DskipTests" >&2
  exit 2
fi
if [ ! -f /usr/lib/softhsm/libsofthsm2.so ]; then
  echo "run.sh: SoftHSM2 is not installed (apt-get install softhsm2), or pass -p token=soft" >&2
  exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/cachet-bench-softhsm.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n' \
  "$work/tokens" > "$work/softhsm2.conf"
export SOFTHSM2_CONF=$work/softhsm2.conf
# CorpusBenchmark reads the real-world PDFs that corpus.sh fetched (it reports a clear error when they are missing)
export CACHET_CORPUS=${CACHET_CORPUS:-$here/target/corpus}
export LC_ALL=C   # JMH writes numbers in the default locale: keep '.' as the decimal point in the CSV

# the durable repository is measured when the CA bundle has it
exclude=""
if ! unzip -l "$jar" 'io/cachet/ca/internal/JdbcCertificateRepository.class' > /dev/null 2>&1; then
  echo "run.sh: this CA bundle has no JdbcCertificateRepository: the H2 benchmarks are left out" >&2
  exclude='H2$'
fi

mkdir -p "$out"
rm -f "$out"/results-t*.csv
{ echo "# $(date -u +%FT%TZ) on $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)),"\
    "load $(cut -d' ' -f1-3 /proc/loadavg), git $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo '?')"
  java -version 2>&1; } | tee "$out/run.log"
for t in $threads; do
  skip=$exclude
  # the pieces without a token (PartsBenchmark) are measured on one thread only
  if [ "$t" != 1 ]; then skip=${skip:+$skip|}PartsBenchmark; fi
  java -jar "$jar" -t "$t" -rf csv -rff "$out/results-t$t.csv" ${skip:+-e "$skip"} "$@" 2>&1 | tee -a "$out/run.log"
  echo "# after -t $t: $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/run.log"
done
java -cp "$jar" io.cachet.bench.Report "$out"/results-t*.csv | tee "$out/table.md"
