#!/bin/bash
# tools/bench/startup.sh JAR LABEL [PORT] [RESTARTS]   (see BENCHMARKS.md, Start-up)
# Time from `java -jar JAR --data DIR --port PORT` to GET /health 200 (wall clock, polled every 50 ms), for a
# first start on a new data directory and then RESTARTS restarts on it; also the CPU the process had used by then
# (user+sys, from /proc: less sensitive to a busy machine than the wall clock), how much of that CPU the JIT
# compiler threads took (C1 and C2 run beside the start and compete with it for the 2 cores), the resident memory
# then and IDLE seconds later (default 10), and the launcher's own "Cachet ready ... in X ms" line.
. "$(dirname "$0")/server.sh"   # jit_cpu_ms
JAR=$1; LABEL=$2; PORT=${3:-18480}; N=${4:-3}
DIR=$(mktemp -d /tmp/cachet-measure-XXXX)
TCK=$(getconf CLK_TCK)
run() {
  local kind=$1
  local start=$(date +%s%N)
  java $JAVA_OPTS -jar "$JAR" --data "$DIR/data" --port $PORT > "$DIR/$kind.log" 2>&1 &
  local pid=$!
  while true; do
    code=$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$PORT/health 2>/dev/null)
    if [ "$code" = "200" ]; then break; fi
    if ! kill -0 $pid 2>/dev/null; then echo "$LABEL $kind: process died"; tail -20 "$DIR/$kind.log"; return 1; fi
    sleep 0.05
  done
  local end=$(date +%s%N)
  local cpu=$(awk -v t=$TCK '{print int(($14+$15)*1000/t)}' /proc/$pid/stat)
  local jit=$(jit_cpu_ms $pid)
  local rss=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status)
  local ready=$(grep -o "in [0-9]* ms" "$DIR/$kind.log" | head -1)
  sleep ${IDLE:-10}
  local idle=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status)
  echo "$LABEL $kind: health 200 after $(( (end-start)/1000000 )) ms wall, $cpu ms CPU (JIT compilers $jit ms); RSS $rss MB, $idle MB ${IDLE:-10} s later; launcher: ready ${ready:-?}; load $(cut -d' ' -f1 /proc/loadavg)"
  kill $pid; wait $pid 2>/dev/null
}
run first
for i in $(seq 1 $N); do run restart$i; done
rm -rf "$DIR"
