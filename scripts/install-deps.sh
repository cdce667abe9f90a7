#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs what building and testing kjump-purgatory needs on Debian 12.
# Run as root (or with sudo available). Safe to run again.
#
#   scripts/install-deps.sh          the build, the demo, the standalone tests
#   scripts/install-deps.sh --linux  also the real-kernel test: Debian's
#        linux-source-6.1 and build tools, busybox, and the kexec-tools
#        source package (a deb-src entry mirroring the existing Debian one
#        is added if there is none)
set -euo pipefail

packages=(
	make gcc gcc-multilib binutils nasm python3   # the build (gcc-multilib: -m32)
	qemu-system-x86 seabios ovmf                  # the guests and their firmware
	gnu-efi                                       # kernel A as an EFI application
	perl                                          # prove (TAP harness)
	clang libclang-rt-14-dev lib32stdc++-12-dev   # tests/fuzz.t: libFuzzer, sanitizers, -m32
	gdb iproute2                                  # tests/qemu/bios-nmi.t: QEMU's stub, ss
	gnuplot-nox                                   # make bench: the plot in docs/bench.png
)
linux=0
[ "${1:-}" = --linux ] && linux=1
[ $linux = 1 ] && packages+=(
	linux-source-6.1 linux-source-6.12                    # real-kernel builds (6.12: bookworm-security)
	bc flex bison libelf-dev libssl-dev
	busybox-static cpio dpkg-dev patch file       # initramfs, apt-get source
	makedumpfile crash                            # snapshots: in B (makedumpfile), on the host (crash)
	zlib1g-dev                                    # tools/kjhib.c (static, reads makedumpfile -c)
	e2fsprogs                                     # the disks: mkfs.ext4 -d, e2fsck, debugfs
)

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo

# deb-src for bookworm, from the URIs of the existing Debian entry.
if [ $linux = 1 ] && ! grep -rqs '^Types:.*deb-src\|^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	uri=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
	[ -n "$uri" ] || uri=$(sed -n 's/^deb \(http[^ ]*\) bookworm .*/\1/p' /etc/apt/sources.list 2>/dev/null | head -1)
	if [ -n "$uri" ]; then
		echo "install-deps: adding a deb-src entry for bookworm ($uri)"
		printf 'Types: deb-src\nURIs: %s\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uri" |
			$SUDO tee /etc/apt/sources.list.d/kjump-deb-src.sources >/dev/null
		$SUDO apt-get update -qq
	else
		echo "install-deps: no Debian apt entry found to derive a deb-src entry from" >&2
	fi
fi

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "install-deps: everything is installed"
	exit 0
fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
