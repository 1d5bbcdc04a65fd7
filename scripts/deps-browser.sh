#!/bin/sh
# deps-browser.sh: install headless Chromium (Debian `chromium`) for `make check-browser`, when missing.
# Kept apart from deps.sh: only the browser check needs it, and it is large.
set -eu

command -v chromium >/dev/null 2>&1 && exit 0
if dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q 'ok installed'; then
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "rvalid: check-browser needs the Debian package chromium, which is missing" >&2
	echo "rvalid: run as root, or: sudo apt-get install -y --no-install-recommends chromium" >&2
	exit 1
fi
echo "installing: chromium" >&2
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null; }; then
	echo "rvalid: could not install chromium (apt-get failed); check-browser cannot run" >&2
	exit 1
fi
command -v chromium >/dev/null 2>&1 || {
	echo "rvalid: chromium was installed but is not on PATH" >&2
	exit 1
}
