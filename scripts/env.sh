# Sourced by bin/ and .ci/: puts a Node >= 24 and pnpm first on PATH, installing them
# project-locally under tools/ when the machine's Node is older (it only needs npm).
ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
TOOLS="$ROOT/tools"
NODE_MAJOR_WANTED=24
PNPM_VERSION=10.34.8

_log() { [ -n "${ETCD_ANALYZER_QUIET_SETUP:-}" ] || echo "setup: $*" >&2; }

_node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  if [ -x "$TOOLS/node/node_modules/.bin/node" ]; then
    PATH="$TOOLS/node/node_modules/.bin:$PATH"
  elif command -v node >/dev/null && [ "$(_node_major node)" -ge "$NODE_MAJOR_WANTED" ]; then
    :
  else
    _log "installing Node $NODE_MAJOR_WANTED into tools/node (machine has $(node --version 2>/dev/null || echo none))"
    mkdir -p "$TOOLS/node"
    npm install --silent --no-audit --no-fund --prefix "$TOOLS/node" "node@$NODE_MAJOR_WANTED" >&2
    PATH="$TOOLS/node/node_modules/.bin:$PATH"
  fi
  export PATH
}

ensure_pnpm() {
  if [ ! -x "$TOOLS/pnpm/node_modules/.bin/pnpm" ]; then
    _log "installing pnpm $PNPM_VERSION into tools/pnpm"
    mkdir -p "$TOOLS/pnpm"
    npm install --silent --no-audit --no-fund --prefix "$TOOLS/pnpm" "pnpm@$PNPM_VERSION" >&2
  fi
  PATH="$TOOLS/pnpm/node_modules/.bin:$PATH"
  export PATH
}

# Installs workspace dependencies when the lockfile changed since the last install.
ensure_deps() {
  local stamp="$ROOT/node_modules/.install-stamp"
  if [ ! -f "$stamp" ] || [ "$ROOT/pnpm-lock.yaml" -nt "$stamp" ]; then
    _log "installing dependencies (pnpm install)"
    (cd "$ROOT" && pnpm install --frozen-lockfile --reporter=silent >&2) && touch "$stamp"
  fi
}

ensure_node
ensure_pnpm
