#!/bin/sh
# Install the packages of `make deb` into a clean Debian 12 root and run them
# there, as CI's package step: apt must pull every runtime dependency, then
# tongban --version, tongban check, tongban-pdf, tongband init (as its system
# user), the service enabled, and both packages purged again.
#
#   sh scripts/deb-install-test.sh [DEBDIR]    (default build/deb)
#
# Needs root, debootstrap and a Debian mirror: $TONGBAN_MIRROR, else the
# first Debian one of /etc/apt/sources.list*, else deb.debian.org.  The root
# is made under $TMPDIR (or /tmp) and removed at the end, unless
# TONGBAN_KEEP_TMP=1.
set -eu
debs=${1:-build/deb}

say() { printf '== %s\n' "$*"; }
fail() { printf 'deb-install-test: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "needs root (debootstrap, chroot)"
command -v debootstrap >/dev/null || fail "needs debootstrap (apt-get install debootstrap)"
set -- "$debs"/tongban_*.deb "$debs"/tongband_*.deb
[ -f "$1" ] && [ -f "$2" ] || fail "no tongban_*.deb and tongband_*.deb in $debs (make deb)"

# The mirror this machine installs from: a deb822 URIs: line or a one-line
# "deb URI suite" entry, not the security archive.
mirror() {
	[ -n "${TONGBAN_MIRROR:-}" ] && { echo "$TONGBAN_MIRROR"; return; }
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources \
		2>/dev/null |
		sed -n -e 's/^URIs: *\([^ ]*\).*/\1/p' -e 's/^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*\).*/\2/p' |
		grep '/debian/\{0,1\}$' | grep -v security | head -n 1 | grep . ||
		echo http://deb.debian.org/debian
}

root=$(mktemp -d "${TMPDIR:-/tmp}/tongban-root-XXXXXX")
chmod 755 "$root" # it becomes /: every user must get through it
cleanup() {
	umount "$root/proc" 2>/dev/null || true
	if grep -q " $root/proc " /proc/mounts; then
		echo "deb-install-test: $root/proc is still mounted; $root is left" >&2
	elif [ "${TONGBAN_KEEP_TMP:-0}" = 1 ]; then
		echo "deb-install-test: kept $root" >&2
	else
		rm -rf "$root"
	fi
}
trap cleanup EXIT INT TERM
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }
# in_root, its output cut to its last lines, failing (with all of it) when it does
in_root_tail() {
	if ! in_root "$@" >"$root/tmp/out" 2>&1; then
		cat "$root/tmp/out" >&2
		fail "failed: $*"
	fi
	tail -n 3 "$root/tmp/out"
}

start=$(date +%s)
m=$(mirror)
say "a clean Debian 12 (debootstrap --variant=minbase bookworm, $m)"
debootstrap --variant=minbase bookworm "$root" "$m" >"$root.log" 2>&1 ||
	{ tail -20 "$root.log" >&2; rm -f "$root.log"; fail "debootstrap failed"; }
rm -f "$root.log"
mount -t proc proc "$root/proc"
cp "$@" "$root/tmp/"

say "apt install ./tongban_*.deb ./tongband_*.deb"
in_root apt-get update -q >/dev/null
in_root_tail env DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o Dpkg::Use-Pty=0 \
	--no-install-recommends /tmp/"${1##*/}" /tmp/"${2##*/}"

say "tongban --version"
in_root tongban --version
say "tongban check"
in_root_tail tongban check
say "the message catalogues: Chinese by default, English under LANG=C"
in_root tongban --help | head -n 1 | grep -q '用法' || fail "tongban --help is not Chinese"
chroot "$root" env -i PATH=/usr/bin:/bin LANG=C tongban --help | head -n 1 | grep -q '^Usage' ||
	fail "tongban --help under LANG=C is not English"
echo "ok"
say "tongban-pdf: a notice as a PDF, in the packaged fonts"
printf '　　示例市政务服务中心\n' | in_root /usr/libexec/tongban/tongban-pdf --qr TEST-0001 \
	--output /tmp/notice.pdf
head -c 5 "$root/tmp/notice.pdf" | grep -q '%PDF-' || fail "tongban-pdf wrote no PDF"
echo "ok: $(wc -c <"$root/tmp/notice.pdf") bytes"
say "tongband init, as the system user _tongband, in the service's state folder"
in_root getent passwd _tongband
# what systemd's StateDirectory=tongband makes before the service starts
in_root install -d -o _tongband -g _tongband -m 0700 /var/lib/tongband
in_root setpriv --reuid=_tongband --regid=_tongband --init-groups \
	tongband init --db /var/lib/tongband/tongband.db
say "tongband.service enabled"
[ -L "$root/etc/systemd/system/multi-user.target.wants/tongband.service" ] ||
	fail "tongband.service is not enabled"
ls -l "$root/etc/systemd/system/multi-user.target.wants/tongband.service" | sed 's|.* /tmp/[^/]*||'

say "apt purge tongban tongband"
in_root_tail env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q -o Dpkg::Use-Pty=0 \
	tongban tongband
say "done in $(($(date +%s) - start)) s"
