#!/bin/sh
# The dependencies of make check-musl: musl-gcc (Debian's musl-tools), and
# json-c and Check built with it, as static libraries, from
# Debian's own source packages (Debian ships no musl builds of them).  The
# sources come through apt-get source with a deb-src list of its own in
# BUILD/apt (the same mirrors as the system's), so the system's apt
# configuration is left as it is.  Installs the missing tools (with sudo when
# not root), or prints the apt-get line and fails; TONGBAN_NO_AUTO_INSTALL=1
# only reports.
#
#   sh scripts/deps-musl.sh BUILD
#
# The libraries land in BUILD/sysroot (lib/pkgconfig for pkg-config); built
# once, then reused.
build=${1:?usage: deps-musl.sh BUILD}

missing=""
command -v musl-gcc >/dev/null 2>&1 || missing="musl-tools"
command -v cmake >/dev/null 2>&1 || missing="$missing cmake"
command -v dpkg-source >/dev/null 2>&1 || missing="$missing dpkg-dev"
command -v make >/dev/null 2>&1 || missing="$missing make"
if [ -n "$missing" ]; then
	line="apt-get install -y --no-install-recommends $missing"
	if [ "$(id -u)" = 0 ]; then
		sudo=""
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		sudo="sudo"
	else
		sudo="none"
	fi
	if [ "${TONGBAN_NO_AUTO_INSTALL:-0}" = 1 ] || [ "$sudo" = none ]; then
		echo "tongban: make check-musl needs packages. Run:" >&2
		echo "    sudo $line" >&2
		exit 1
	fi
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		$missing >&2 || exit 1
fi

mkdir -p "$build" || exit 1
build=$(cd "$build" && pwd)
sysroot="$build/sysroot"
[ -f "$sysroot/lib/libjson-c.a" ] && [ -f "$sysroot/lib/libcheck.a" ] && exit 0

apt="$build/apt"
src="$build/src"
rm -rf "$apt" "$src" "$sysroot"
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/sources" "$src" || exit 1
for f in /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] && sed 's/^Types:.*/Types: deb-src/' "$f" >"$apt/sources/${f##*/}"
done
if [ -f /etc/apt/sources.list ]; then
	sed -n 's/^deb /deb-src /p' /etc/apt/sources.list >"$apt/sources/sources.list"
fi
# apt lists and caches of its own: the system's apt sees none of this
aptget() {
	apt-get -q -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$apt/sources" \
		-o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache" "$@"
}
echo "tongban: building json-c and Check for musl in $build" >&2
aptget update >&2 || exit 1
(cd "$src" && aptget source json-c check >&2) || exit 1

log="$build/deps.log"
: >"$log"
jobs=$(nproc 2>/dev/null || echo 2)
fail() {
	tail -n 30 "$log" >&2
	echo "tongban: $1 failed for musl (whole log: $log)" >&2
	exit 1
}
cmake_lib() { # source package, then its cmake options
	dir=$(cd "$src" && ls -d "$1"-[0-9]* | head -n 1)
	shift
	cmake -S "$src/$dir" -B "$src/$dir-build" -DCMAKE_C_COMPILER=musl-gcc \
		-DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$sysroot" \
		-DCMAKE_INSTALL_LIBDIR=lib -DBUILD_SHARED_LIBS=OFF "$@" >>"$log" 2>&1 &&
		cmake --build "$src/$dir-build" -j"$jobs" >>"$log" 2>&1 &&
		cmake --install "$src/$dir-build" >>"$log" 2>&1
}
cmake_lib json-c -DBUILD_STATIC_LIBS=ON -DBUILD_TESTING=OFF -DDISABLE_WERROR=ON ||
	fail json-c
cmake_lib check -DCHECK_ENABLE_TESTS=OFF -DCHECK_ENABLE_SUBUNIT=OFF ||
	fail Check
# static only (the tests link with -static); Check's check.pc names a
# libcheck_pic that its CMake build does not make
rm -f "$sysroot"/lib/*.so*
sed -i 's/-lcheck_pic/-lcheck/' "$sysroot/lib/pkgconfig/check.pc"
# the sources and build trees are not needed again (and their *.d files must
# not reach the Makefile's dependency list)
rm -rf "$src" "$apt"
