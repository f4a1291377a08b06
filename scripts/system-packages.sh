# Sourced: installs the Debian packages the lab and the integration tests need, only when missing.
# Maps each command to the package that ships it.
# With "tests", also the browser the HTML report tests render in.
ensure_system_packages() {
  local need=() pair bin pkg extra=""
  [ "${1:-}" = "tests" ] && extra="chromium:chromium"
  for pair in $extra etcd:etcd-server etcdctl:etcd-client prometheus:prometheus \
      prometheus-node-exporter:prometheus-node-exporter nats-server:nats-server strace:strace; do
    bin=${pair%%:*}; pkg=${pair#*:}
    command -v "$bin" >/dev/null 2>&1 || need+=("$pkg")
  done
  [ ${#need[@]} -eq 0 ] && return 0
  echo "setup: installing Debian packages: ${need[*]}" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${need[@]}" >&2
  # Debian enables the packaged services; the lab runs its own instances on its own ports.
  for svc in prometheus prometheus-node-exporter nats-server etcd; do
    $sudo systemctl disable --now "$svc" >/dev/null 2>&1 || true
  done
}
