#!/bin/sh
# The dependencies of the arm64 cross build (make cross-arm64): Debian's cross
# compiler, qemu-user to run the unit tests, and the :arm64 -dev packages of
# the libraries through multiarch (arm64 is added as a foreign architecture
# when it is not one yet).  Installs what is missing (with sudo when not
# root), or prints the commands and fails; TONGBAN_NO_AUTO_INSTALL=1 only
# reports.
#
#   sh scripts/deps-arm64.sh BUILD
#
# libpq-dev cannot be installed for two architectures at once (it is not
# Multi-Arch: same: pg_config.h differs), and installing libpq-dev:arm64 would
# remove the native one.  So the arm64 libpq5 is installed, and libpq-dev:arm64
# is only unpacked into BUILD/libpq, with a libpq.pc of its own in
# BUILD/libpq/pkgconfig for the cross pkg-config.
build=${1:?usage: deps-arm64.sh BUILD}

# the :arm64 packages the programs and the unit tests link (not tongban-pdf's)
PKGS="libc6 libncurses-dev libsqlite3-dev libcurl4-openssl-dev libjson-c-dev
libmicrohttpd-dev libsodium-dev zlib1g-dev check libvterm-dev libpq5"

if [ "$(id -u)" = 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	sudo="sudo"
else
	sudo="none"
fi

add_arch=""
dpkg --print-foreign-architectures | grep -qx arm64 || add_arch=1
missing=""
command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || missing="crossbuild-essential-arm64"
command -v qemu-aarch64 >/dev/null 2>&1 || missing="$missing qemu-user"
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p:arm64" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p:arm64"
done

if [ -n "$add_arch$missing" ]; then
	steps=""
	[ -n "$add_arch" ] && steps="dpkg --add-architecture arm64 && "
	steps="${steps}apt-get update && apt-get install -y --no-install-recommends$missing"
	if [ "${TONGBAN_NO_AUTO_INSTALL:-0}" = 1 ] || [ "$sudo" = none ]; then
		echo "tongban: the arm64 cross build needs packages. As root run:" >&2
		echo "    $steps" >&2
		exit 1
	fi
	echo "tongban: arm64 cross build: $steps" >&2
	if [ -n "$add_arch" ]; then
		$sudo dpkg --add-architecture arm64 || exit 1
	fi
	$sudo apt-get update -q >&2 || exit 1
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends $missing >&2 || exit 1
fi

# libpq-dev:arm64, unpacked (see above)
pq="$build/libpq"
[ -f "$pq/pkgconfig/libpq.pc" ] && ! grep -q "^Requires.private:" "$pq/pkgconfig/libpq.pc" && exit 0
rm -rf "$pq"
mkdir -p "$pq/pkgconfig" || exit 1
(cd "$pq" && apt-get download -q libpq-dev:arm64 >&2) || {
	echo "tongban: apt-get download libpq-dev:arm64 failed" >&2
	exit 1
}
dpkg-deb -x "$pq"/libpq-dev_*_arm64.deb "$pq/root" || exit 1
root=$(cd "$pq/root" && pwd)
lib="$root/usr/lib/aarch64-linux-gnu"
# link the installed libpq5:arm64, never the static libpq.a
rm -f "$lib/libpq.a" "$lib/libpq.so"
ln -s /usr/lib/aarch64-linux-gnu/libpq.so.5 "$lib/libpq.so"
# Requires.private (libssl, libcrypto) only matters for static linking, and
# pkg-config --cflags fails on it when libssl-dev:arm64 is not installed
sed -e "s|^prefix=.*|prefix=$root/usr|" -e '/^Requires.private:/d' \
	"$lib/pkgconfig/libpq.pc" >"$pq/pkgconfig/libpq.pc"
