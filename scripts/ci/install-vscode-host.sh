#!/usr/bin/env bash
# Installs what the integration tests need to run inside a real VS Code on a machine that cannot
# download VS Code: code-server (VS Code 1.100.3 for the web, on Node 20) from the npm registry,
# plus Debian's chromium (the browser that drives the workbench), ripgrep and libkrb5-dev
# (needed by code-server's native modules), and python3-torch with python3-numpy, which run the
# scripts `noise-lab export --to pytorch` writes (test/unit/export: PyTorch against Noise Lab's
# own numbers). Idempotent: skips whatever is already there.
# Run as root (CI is root). Prints the code-server folder on the last line.
set -euo pipefail

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.100.3}"
CACHE="${NOISE_LAB_CACHE:-$HOME/.cache/noise-lab}"
DEST="$CACHE/code-server-$CODE_SERVER_VERSION"
MARKER="$DEST/.noise-lab-installed"
log() { echo "[install-vscode-host] $*" >&2; }

# ---- Debian packages -------------------------------------------------------------------------
need=()
for p in libkrb5-dev ripgrep chromium python3-torch python3-numpy; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if ((${#need[@]})); then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  apt_retry() { # apt may be locked by another process for a while
    for i in $(seq 1 30); do
      if $SUDO env DEBIAN_FRONTEND=noninteractive "$@"; then return 0; fi
      log "apt failed (locked?), retry $i/30 in 10 s"; sleep 10
    done
    return 1
  }
  log "apt-get install ${need[*]}"
  apt_retry apt-get update -qq
  apt_retry apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  log "apt packages already installed"
fi

# ---- code-server -----------------------------------------------------------------------------
if [ -f "$MARKER" ] && [ -x "$DEST/node_modules/.bin/code-server" ]; then
  log "code-server $CODE_SERVER_VERSION already installed"
else
  start=$(date +%s)
  # @vscode/ripgrep's postinstall downloads ripgrep from GitHub, which this machine cannot reach.
  # Pre-seed its download cache with Debian's rg, packed the way it expects.
  tmp="${TMPDIR:-/tmp}"
  for rgcache in "$tmp/vscode-ripgrep-cache-1.15.11"; do
    tgz="$rgcache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
    if [ ! -s "$tgz" ]; then
      mkdir -p "$rgcache"
      tar -C /usr/bin -czf "$tgz" rg
    fi
  done

  rm -rf "$DEST"
  mkdir -p "$DEST"
  cd "$DEST"
  echo '{ "name": "noise-lab-code-server", "private": true }' > package.json
  log "npm install code-server@$CODE_SERVER_VERSION into $DEST (takes a few minutes)"
  # npm 11 blocks dependency install scripts that are not approved ("allowScripts"). code-server's
  # postinstall runs `npm install` for lib/vscode (native modules: node-pty, spdlog, kerberos, …),
  # so the approval must reach those nested npm runs too: an npm_config_* env var does.
  # npm versions that do not know these settings ignore them.
  export npm_config_dangerously_allow_all_scripts=true
  # code-server's postinstall.sh refuses to run as root unless npm_config_unsafe_perm=true
  # (npm 11 warns "Unknown env config unsafe-perm"; harmless).
  export npm_config_unsafe_perm=true npm_config_yes=true
  export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
  npm install --no-save --no-package-lock "code-server@$CODE_SERVER_VERSION" >"$DEST/npm-install.log" 2>&1 || {
    tail -40 "$DEST/npm-install.log" >&2; log "npm install failed (full log: $DEST/npm-install.log)"; exit 1; }

  # If ripgrep still ended up missing, put Debian's in place.
  for rgdir in "$DEST"/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep; do
    if [ -d "$rgdir" ] && [ ! -x "$rgdir/bin/rg" ]; then
      mkdir -p "$rgdir/bin"; cp /usr/bin/rg "$rgdir/bin/rg"; log "copied /usr/bin/rg into $rgdir/bin"
    fi
  done

  # Check the result: lib/vscode must have its own node_modules (from code-server's postinstall),
  # and code-server must start.
  [ -d "$DEST/node_modules/code-server/lib/vscode/node_modules" ] || {
    log "code-server's postinstall did not run (no lib/vscode/node_modules); see $DEST/npm-install.log"; exit 1; }
  ver=$(XDG_CONFIG_HOME="$DEST/.check-config" XDG_DATA_HOME="$DEST/.check-data" \
        "$DEST/node_modules/.bin/code-server" --version 2>&1 | tail -1) || {
    log "code-server does not start: $ver"; exit 1; }
  rm -rf "$DEST/.check-config" "$DEST/.check-data"
  case "$ver" in *"Code 1.100."*) ;; *) log "unexpected code-server --version output: $ver"; exit 1 ;; esac
  log "code-server --version: $ver"
  echo "$CODE_SERVER_VERSION $(date -u +%FT%TZ) $(( $(date +%s) - start ))s" > "$MARKER"
  log "installed in $(( $(date +%s) - start )) s"
fi
echo "$DEST"
