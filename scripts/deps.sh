#!/bin/sh
# Check the build dependencies through pkg-config; install the missing Debian
# packages (with sudo when not root), or print the exact apt-get line and fail.
# Used by the Makefile and by .ci/run.  TONGBAN_NO_AUTO_INSTALL=1 only reports.
#
#   sh scripts/deps.sh [build|test] [clang]
#
# build: what the programs need; test (the default): that and what the tests
# need as well; clang: the compiler of make check-clang too.
mode=${1:-test}
compiler=${2:-}

# pkg-config module -> Debian package
MODULES="ncursesw:libncurses-dev sqlite3:libsqlite3-dev libcurl:libcurl4-openssl-dev
json-c:libjson-c-dev libmicrohttpd:libmicrohttpd-dev libsodium:libsodium-dev
pangocairo:libpango1.0-dev cairo-pdf:libcairo2-dev libqrencode:libqrencode-dev
libpq:libpq-dev zlib:zlib1g-dev"
[ "$mode" = build ] || MODULES="$MODULES check:check vterm:libvterm-dev"

missing=""
command -v pkg-config >/dev/null 2>&1 || missing="pkg-config"
for m in $MODULES; do
	mod=${m%%:*}
	pkg=${m#*:}
	if ! pkg-config --exists "$mod" 2>/dev/null; then
		missing="$missing $pkg"
	fi
done
command -v cc >/dev/null 2>&1 || missing="$missing gcc"
if [ "$compiler" = clang ]; then
	command -v clang >/dev/null 2>&1 || missing="$missing clang"
fi
command -v make >/dev/null 2>&1 || missing="$missing make"
# the message catalogues (po/*.po) are compiled with msgfmt
command -v msgfmt >/dev/null 2>&1 || missing="$missing gettext"
if [ "$mode" != build ]; then
	# the tests run the sqlite3 shell beside tongban on the same database
	command -v sqlite3 >/dev/null 2>&1 || missing="$missing sqlite3"
	# the PDF tests read the notices back with poppler and zbar, in the font
	# tongban-pdf sets them in
	command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
	command -v zbarimg >/dev/null 2>&1 || missing="$missing zbar-tools"
	fc-list 2>/dev/null | grep -q "Noto Sans Mono CJK SC" || missing="$missing fonts-noto-cjk"
fi
[ -z "$missing" ] && exit 0

line="apt-get install -y$missing"
if [ "${TONGBAN_NO_AUTO_INSTALL:-0}" = 1 ]; then
	echo "tongban: missing build dependencies. Install them with:" >&2
	echo "    sudo $line" >&2
	exit 1
fi
if [ "$(id -u)" = 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	sudo="sudo"
else
	echo "tongban: missing build dependencies and no root/sudo to install them. Run:" >&2
	echo "    sudo apt-get update && sudo $line" >&2
	exit 1
fi
echo "tongban: installing missing Debian packages:$missing" >&2
if ! { $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q$missing >&2 ||
	{ $sudo apt-get update -q >&2 && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q$missing >&2; }; }; then
	echo "tongban: installation failed. Run:" >&2
	echo "    sudo apt-get update && sudo $line" >&2
	exit 1
fi
exit 0
