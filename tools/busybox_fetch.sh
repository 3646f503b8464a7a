#!/bin/sh
# busybox_fetch.sh - get Debian 12's busybox-static for i386 with apt, and
# unpack it.  Prints the path of the unpacked busybox binary.
#
#   tools/busybox_fetch.sh [CACHE_DIR]      (default: ~/.cache/zc32/busybox)
#
# The host's dpkg architecture list is not touched: apt runs with a private
# state and cache directory (CACHE_DIR/apt), APT::Architecture=i386 and a
# copy of the host's own sources, so `update` reads only the i386 package
# lists and `download` fetches one .deb.  The .deb and the unpacked tree
# stay in CACHE_DIR (outside build/, so `make clean` does not download it
# again); a second run finds them and asks apt nothing.  Every apt call
# holds /tmp/apt.lock: apt-get of other users of this machine takes it too.
set -e

CACHE=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/zc32/busybox}
BIN=$CACHE/root/bin/busybox
if [ -x "$BIN" ]; then
	echo "$BIN"
	exit 0
fi

APTDIR=$CACHE/apt
mkdir -p "$APTDIR/state/lists/partial" "$APTDIR/cache/archives/partial" \
	"$APTDIR/sources.list.d" "$APTDIR/deb"
: > "$APTDIR/status"            # no packages "installed" in the i386 world
# The host's enabled sources (files apt reads: *.list and *.sources).
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] && cp "$f" "$APTDIR/sources.list.d/$(basename "$f" | tr '/' '_')"
done
[ -f "$APTDIR/sources.list.d/sources.list" ] &&
	mv "$APTDIR/sources.list.d/sources.list" "$APTDIR/sources.list.d/host.list"

# As root, apt's download sandbox user (_apt) cannot write into a cache
# under root's home: let root download (the files are root's anyway).
SANDBOX_ROOT=
[ "$(id -u)" -eq 0 ] && SANDBOX_ROOT=1

apt_private() {
	flock /tmp/apt.lock apt-get -q \
		-o APT::Architecture=i386 -o APT::Architectures=i386 \
		-o Dir::State="$APTDIR/state" -o Dir::State::status="$APTDIR/status" \
		-o Dir::Cache="$APTDIR/cache" \
		-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$APTDIR/sources.list.d" \
		-o Acquire::Languages=none -o Debug::NoLocking=1 \
		${SANDBOX_ROOT:+-o APT::Sandbox::User=root} "$@"
}

echo "busybox_fetch: apt-get update (i386 lists, private state in $APTDIR)" >&2
apt_private update >&2
echo "busybox_fetch: apt-get download busybox-static:i386" >&2
(cd "$APTDIR/deb" && apt_private download busybox-static:i386 >&2)
DEB=$(ls "$APTDIR"/deb/busybox-static_*_i386.deb | head -n1)
rm -rf "$CACHE/root.tmp" && mkdir -p "$CACHE/root.tmp"
dpkg-deb -x "$DEB" "$CACHE/root.tmp"
rm -rf "$CACHE/root" && mv "$CACHE/root.tmp" "$CACHE/root"
echo "$BIN"
