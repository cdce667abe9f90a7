#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs what building and testing kjump-purgatory needs on Debian 12.
# Run as root (or with sudo available). Safe to run again.
set -euo pipefail

packages=(
	make gcc gcc-multilib binutils nasm python3   # the build (gcc-multilib: -m32)
	qemu-system-x86 seabios ovmf                  # the guests and their firmware
	gnu-efi                                       # kernel A as an EFI application
	perl                                          # prove (TAP harness)
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "install-deps: everything is installed"
	exit 0
fi
echo "install-deps: installing ${missing[*]}"
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
