#!/usr/bin/env bash
# Install every build and test dependency from Debian 12's archive.
# Safe to run any number of times: it installs only what is missing, and
# keeps package scripts from starting services (tests start their own
# daemons on loopback and stop them by PID).
set -euo pipefail

packages=(
	# build
	build-essential cmake pkg-config
	libssl-dev libcurl4-openssl-dev libxml2-dev libcjson-dev
	libmicrohttpd-dev libev-dev libcmocka-dev zlib1g-dev
	# test helpers
	openssl jq xxd curl ca-certificates procps python3
	systemd		# systemd-analyze verify (test_units); nothing started
	# real peers the tests run against
	rpki-client fort-validator stayrtr rtr-tools bird2 gobgpd rsync nginx
)

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "install-deps: all ${#packages[@]} packages present"
	exit 0
fi

SUDO=
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
fi

# Keep maintainer scripts from starting nginx, bird, rsync and friends;
# remove the guard afterwards only if we put it there.
guard=
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
	$SUDO chmod 755 /usr/sbin/policy-rc.d
	guard=1
fi
cleanup() {
	if [ -n "$guard" ]; then
		$SUDO rm -f /usr/sbin/policy-rc.d
	fi
}
trap cleanup EXIT

echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
	--no-install-recommends "${missing[@]}"
