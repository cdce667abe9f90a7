# TAP for the real-kernel scripts (chain.sh, hibernate.sh), sourced.
# They set $name (the kernel) and $work (the run's directory) before any
# check runs.
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
# A failure also goes to stderr, which prove shows even when not verbose:
# the make check log then names the check, not only a count.
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; echo "not ok $n - $* ($name)" >&2; }
todo() { n=$((n + 1)); echo "not ok $n - $* # TODO"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }
# A failed run's serial logs are kept (the next run overwrites serial*.log).
finish() {
	echo "1..$n"
	if [ $failed -ne 0 ] && [ -d "${work:-}" ]; then
		local keep=$work/failed-$(date +%Y%m%dT%H%M%S)
		mkdir -p "$keep" && cp "$work"/serial*.log* "$keep"/ 2>/dev/null
		echo "# serial logs of this failed run kept in $keep"
		echo "# $name: serial logs of this failed run kept in $keep" >&2
	fi
	[ $failed -eq 0 ]
	exit
}
