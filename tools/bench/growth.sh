#!/usr/bin/env bash
# How cost grows with the work (issue 15 item 7; see BENCHMARKS.md, "Growth with the work").
#
#   tools/bench/growth.sh h2|pg CERTIFICATES REVOKED AUDIT_RECORDS [SECONDS]
#
# Makes a fresh database (H2: a file database under /tmp/growth-h2-*, durable as the server's, WRITE_DELAY=0;
# PostgreSQL: database growth_bench on 127.0.0.1:5432, user postgres, dropped and created again), fills it through
# io.cachet.bench.Growth (a real CA on the software token, CERTIFICATES rows of real certificates, the first REVOKED
# of them revoked, AUDIT_RECORDS records chained by the audit module's hash), measures OCSP, issuance, CRL building,
# revocation (and issuance meanwhile) and the database part of a start, each loop SECONDS long (default 10), then
# runs the audit log's verification in a JVM of 64 MiB of heap. Prints "name value unit" lines.
# Environment: JAR (default tools/bench/target/cachet-bench.jar), KEEP=1 keeps the H2 files, PGDB (growth_bench).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar=${JAR:-$here/target/cachet-bench.jar}
kind=$1; certs=$2; revoked=$3; audit=$4; secs=${5:-10}
case "$kind" in
  h2)
    dir=$(mktemp -d /tmp/growth-h2-XXXX)
    url="jdbc:h2:file:$dir/cachet;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0"
    trap '[ "${KEEP:-0}" = 1 ] || rm -rf "$dir"' EXIT;;
  pg)
    db=${PGDB:-growth_bench}
    psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
    url="jdbc:postgresql://127.0.0.1:5432/$db";;
  *) echo "h2 or pg, not $kind" >&2; exit 2;;
esac
echo "# $kind certificates=$certs revoked=$revoked audit=$audit git=$(git -C "$here" rev-parse --short HEAD) $(date -u +%FT%TZ) load $(cut -d' ' -f1 /proc/loadavg)"
java -Xmx2g -cp "$jar" io.cachet.bench.Growth measure "$url" "$certs" "$revoked" "$audit" "$secs"
[ "$kind" = h2 ] && echo "db.size $(du -sm "$dir" | cut -f1) MiB"
[ "$kind" = pg ] && echo "db.size $(psql -tA -h 127.0.0.1 -U postgres -c "SELECT pg_database_size('$db')/1048576") MiB"
/usr/bin/time -f "verify.rss.max %M KiB" java -Xmx64m -cp "$jar" io.cachet.bench.Growth verify "$url"
