# SPDX-License-Identifier: GPL-2.0-only
# Sourced (not run) by the scripts that fetch from Debian sid: apt with a
# private state under ${KJ_CACHE:-~/.cache/kjump}/sid, from sid entries
# (binary packages for amd64 and i386, and sources) using the URI of the machine's own Debian entry, so
# the system's apt configuration is not touched.
#
# Sets sid_cache (the directory) and sid_apt (apt's options, an array), and
# defines sid_update, which refreshes the package lists and fails (status 1,
# with a message) when there is no Debian entry or no network; callers then
# fall back to what the cache already holds.

sid_cache=${KJ_CACHE:-$HOME/.cache/kjump}/sid
mkdir -p "$sid_cache/lists/partial" "$sid_cache/archives/partial"
sid_apt=(-o "Dir::Etc::SourceList=$sid_cache/sources.list" -o Dir::Etc::SourceParts=/dev/null
	 -o "Dir::State::Lists=$sid_cache/lists" -o "Dir::Cache::Archives=$sid_cache/archives"
	 -o Debug::NoLocking=1 -o APT::Sandbox::User=root
	 -o APT::Architectures::=amd64 -o APT::Architectures::=i386)

sid_update() {
	local uri
	uri=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
	[ -n "$uri" ] || uri=$(sed -n 's/^deb \(http[^ ]*\) bookworm .*/\1/p' /etc/apt/sources.list 2>/dev/null | head -1)
	if [ -z "$uri" ]; then
		echo "sid-apt: no Debian apt entry to take a URI from" >&2
		return 1
	fi
	printf '%s [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s sid main\n' \
		deb "$uri" deb-src "$uri" > "$sid_cache/sources.list"
	# The real-kernel tests run in parallel: one update at a time.
	flock "$sid_cache/lock" apt-get "${sid_apt[@]}" -qq update >&2 ||
		{ echo "sid-apt: apt update for sid failed" >&2; return 1; }
}
