#!/bin/sh
# Executable wrapper around code-server-host.mjs, for tools that want a "VS Code executable" path
# (e.g. NOISE_LAB_VSCODE_PATH=scripts/vscode-host/code-server-host.sh, or runTests' vscodeExecutablePath).
exec node "$(dirname "$0")/code-server-host.mjs" "$@"
