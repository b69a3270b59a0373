#!/usr/bin/env bash
# Runs the JMH benchmarks once per thread count and prints the tables of BENCHMARKS.md.
#
#   tools/bench/run.sh                       the default suite (13 min 38 s on 2 cores at load 10, see below)
#   tools/bench/run.sh [JMH options and benchmark regexps...]     your own selection
#
# Build first:  mvn -B -ntp -q -pl tools/bench -am install -DskipTests
# Corpus:       tools/bench/corpus.sh   (real PDFs from Debian documentation packages, for CorpusBenchmark)
# Environment:  THREADS   thread counts, one JMH run each (default "2", the cores of the build machines;
#                         "1 2" with SUITE=all)
#               SUITE     "default" or "all" (ignored when benchmarks or options are given)
#               OUT       result folder (default tools/bench/target/bench-results)
#
# Every benchmark runs 2 forks of 2 warm-up iterations of 3 s and 5 measured iterations of 5 s (the classes'
# annotations). After each iteration, in the same fork, every benchmark thread measures the raw limit for 1 s
# (RawLimit); the table gives the median and the range (min-max) over the 10 measured iterations of each path and of
# its raw limit, and their ratio iteration by iteration, from JMH's JSON (-rf json, per-iteration rawData).
#
# The default suite is what the 20 minutes of the README allow: the CA key and the seal key on Cachet's software
# token (the server's default) with EC P-256, 2 threads: issuance and OCSP on the H2 file database (the server's
# embedded one), RFC 3161, and the six signature paths (ours and plain DSS) - 9 benchmarks x 2 forks x 40-55 s
# (fixture, warm-up, 5 x (5 s + 1 s raw)). The rest:
#   SUITE=all run.sh                                  everything: both tokens, P-256 and RSA-3072, 1 and 2
#                                                     threads, H2 in memory, the reference build+sign and the
#                                                     pieces (77 benchmarks, ~2 h 20 min)
#   THREADS=1 run.sh -p token=softhsm 'OcspBenchmark'  a subset (JMH regexps, -p parameter=value)
#   THREADS=1 run.sh 'PartsBenchmark'                  the pieces of issuance without a token (~7 min)
#
# SoftHSM2 reads SOFTHSM2_CONF when the module is loaded and a JVM cannot set its own environment: this script
# writes a softhsm2.conf with a token directory in a temporary folder, exports it for the forked benchmark JVMs,
# and deletes the folder at the end.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar=$here/target/cachet-bench.jar
out=${OUT:-$here/target/bench-results}
suite=${SUITE:-default}
if [ $# -gt 0 ]; then
  suite=custom
elif [ "$suite" = default ]; then
  set -- -p token=soft -p key=EC_P256 'IssuanceBenchmark\.issueH2' 'OcspBenchmark\.respondH2' 'TsaBenchmark\.respond' \
    'SignatureBenchmark\.'
elif [ "$suite" != all ]; then
  echo "run.sh: SUITE is 'default' or 'all', not '$suite'" >&2
  exit 2
fi
threads=${THREADS:-$([ "$suite" = all ] && echo "1 2" || echo 2)}
if [ ! -f "$jar" ]; then
  echo "run.sh: $jar is missing; build it: mvn -B -ntp -q -pl tools/bench -am install -DskipTests" >&2
  exit 2
fi
if [ "$suite" != default ] && [ ! -f /usr/lib/softhsm/libsofthsm2.so ]; then
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
export LC_ALL=C   # JMH writes numbers in the default locale: keep '.' as the decimal point

# the durable repository is measured when the CA bundle has it
exclude=""
if ! unzip -l "$jar" 'io/cachet/ca/internal/JdbcCertificateRepository.class' > /dev/null 2>&1; then
  echo "run.sh: this CA bundle has no JdbcCertificateRepository: the H2 benchmarks are left out" >&2
  exclude='H2$'
fi

mkdir -p "$out"
rm -f "$out"/results-t*.json
{ echo "# $(date -u +%FT%TZ) on $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)),"\
    "load $(cut -d' ' -f1-3 /proc/loadavg), git $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo '?'),"\
    "suite $suite, threads $threads: $*"
  java -version 2>&1; } | tee "$out/run.log"
for t in $threads; do
  skip=$exclude
  # the pieces without a token (PartsBenchmark) are measured on one thread only
  if [ "$t" != 1 ]; then skip=${skip:+$skip|}PartsBenchmark; fi
  java -jar "$jar" -t "$t" -rf json -rff "$out/results-t$t.json" ${skip:+-e "$skip"} "$@" 2>&1 | tee -a "$out/run.log"
  echo "# after -t $t: $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/run.log"
done
java -cp "$jar" io.cachet.bench.Report "$out"/results-t*.json | tee "$out/table.md"
