#!/usr/bin/env bash
# README command 1: install what is missing, build the wasm renderer and the page, and serve
# web/dist/ on a local port. Usage: bash scripts/serve.sh [PORT]   (default 8000, or $PORT)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

section "Set-up (installs only what is missing)"
ensure_build_tools

section "Build (wasm + page)"
build_site

port="${1:-${PORT:-8000}}"
# Take the next free port if that one is busy.
port="$(python3 - "$port" <<'PY'
import socket, sys
port = int(sys.argv[1])
for candidate in range(port, port + 50):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", candidate))
        except OSError:
            continue
        print(candidate)
        break
else:
    sys.exit("no free port near %d" % port)
PY
)"
host="${HOST:-127.0.0.1}"

section "Serving web/dist/"
echo "chartroom is at: http://$host:$port/"
echo "(any static file server can host web/dist/; press Ctrl-C to stop)"
exec python3 -m http.server "$port" --bind "$host" --directory "$DIST_DIR"
