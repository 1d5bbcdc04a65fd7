#!/bin/sh
# deps.sh: install the Debian packages rvalid needs to build and test, when missing.
# Called by the Makefile before configure; a no-op when everything is there.
set -eu

pkgs="gcc make autoconf pkg-config libpcre2-dev libyaml-dev libcjson-dev
libcurl4-openssl-dev libssl-dev zlib1g-dev libcmocka-dev clang
libclang-rt-14-dev clang-format groff-base groff libxml2-utils"

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing="$missing $p"
	fi
done
command -v python3 >/dev/null 2>&1 || missing="$missing python3"
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "rvalid: missing Debian packages:$missing" >&2
	echo "rvalid: run as root, or: sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
