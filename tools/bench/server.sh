# Sourced by the HTTP benchmarks (http.sh, clickcert.sh, h2-file.sh; startup.sh for jit_cpu_ms): a server on a data
# directory and the operator's first steps, as README's "Run it" says. Expects: jar (the distribution's jar), port,
# base (http://127.0.0.1:$port), work (a scratch folder), server_pid (empty), and a function say (prints and logs a
# line); server_workspace sets jar, work and server_pid.

# What a script that runs its own server does first (clickcert.sh, h2-file.sh): refuses a port already answering,
# makes the scratch folder (work) removed on exit with the server stopped first, and runs a copy of SRC_JAR (jar),
# which may be rebuilt meanwhile. NAME names the script in messages and the folder.
server_workspace() { # NAME SRC_JAR
  local name=$1 src=$2
  if curl -s -o /dev/null "$base/health"; then
    echo "$name: something already answers on port $port; choose another with PORT=" >&2; exit 2
  fi
  work=$(mktemp -d "${TMPDIR:-/tmp}/cachet-${name%.sh}.XXXXXX")
  server_pid=""
  trap server_workspace_cleanup EXIT
  cp "$src" "$work/cachet.jar"
  jar=$work/cachet.jar
}

server_workspace_cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2> /dev/null || true; wait "$server_pid" 2> /dev/null || true; fi
  rm -rf "$work"
}

# CPU (ms) a JVM's C1 and C2 compiler threads have used so far, from /proc (they run beside the work measured and
# compete with it for the cores)
jit_cpu_ms() { # PID
  local tck=$(getconf CLK_TCK) total=0 t
  for t in /proc/$1/task/*; do
    case "$(cat "$t/comm" 2> /dev/null)" in
      C1\ Compiler*|C2\ Compiler*) total=$(( total + $(sed 's/.*) //' "$t/stat" 2> /dev/null \
        | awk -v t="$tck" '{print int(($12+$13)*1000/t)}') + 0 ));;
    esac
  done
  echo "$total"
}

start_server() { # DATA LABEL
  local data=$1 label=$2
  java ${JAVA_OPTS:-} -jar "$jar" --data "$data" --port "$port" > "$work/$label.log" 2>&1 &
  server_pid=$!
  local t0=$(date +%s)
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/health")" = 200 ]; do
    if ! kill -0 "$server_pid" 2> /dev/null; then
      echo "${0##*/}: the server ($label) stopped before /health answered 200:" >&2; tail -20 "$work/$label.log" >&2; exit 1
    fi
    if [ $(( $(date +%s) - t0 )) -gt 180 ]; then
      echo "${0##*/}: /health not 200 after 180 s ($label)" >&2; tail -20 "$work/$label.log" >&2; exit 1
    fi
    sleep 0.2
  done
  say "# $label: /health 200 after $(( $(date +%s) - t0 )) s"
}

stop_server() {
  kill "$server_pid"; wait "$server_pid" 2> /dev/null || true; server_pid=""
}

# the initial administrator's password replaced on the password page (the initial key works only then); prints the
# new password
take_over() { # DATA
  local data=$1 login password code
  login=$(sed -n 's/^login=//p' "$data/initial-admin.txt")
  password=$(sed -n 's/^password=//p' "$data/initial-admin.txt")
  local new="bench-owner-passphrase-$RANDOM$RANDOM"
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Origin: $base" --data-urlencode "login=$login" \
    --data-urlencode "current=$password" --data-urlencode "new=$new" --data-urlencode "confirm=$new" "$base/console/password")
  [ "$code" = 303 ] || { echo "${0##*/}: the initial password change answered $code" >&2; exit 1; }
  echo "$new"
}

# an operator key of the initial administrator (POST /api/v1/operators/me/api-keys with scope operator)
operator_key() { # DATA
  local data=$1 admin_key
  take_over "$data" > /dev/null
  admin_key=$(sed -n 's/^api-key=//p' "$data/initial-admin.txt")
  curl -sf -H "Authorization: Bearer $admin_key" -H 'Content-Type: application/json' \
    -d '{"scope":"operator","label":"http benchmark"}' "$base/api/v1/operators/me/api-keys" | jq -er .key
}

# a console session of LOGIN, its cookie kept in the curl cookie jar JAR
console_login() { # LOGIN PASSWORD JAR
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' -c "$3" -H "Origin: $base" --data-urlencode "login=$1" \
    --data-urlencode "password=$2" --data-urlencode "next=/console/" "$base/console/login")
  [ "$code" = 303 ] || { echo "${0##*/}: the console login of $1 answered $code" >&2; exit 1; }
}

# the anti-forgery field of the form that creates (action=create) on the console page PATH, for the session in JAR,
# as name=value (each form has a token of its own)
console_token() { # PATH JAR
  curl -sf -b "$2" "$base$1" | tr -d '\n' \
    | grep -o '<input type="hidden" name="[^"]*" value="[^"]*"> *<input type="hidden" name="action" value="create">' \
    | head -1 | sed 's/^<input type="hidden" name="\([^"]*\)" value="\([^"]*\)".*/\1=\2/'
}
