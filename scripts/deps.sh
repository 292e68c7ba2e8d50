#!/bin/sh
# Install what libcouncil needs to build and test, with apt, on Debian 12.
#
# Idempotent: when every package is present (and SQLCipher is 4.x) and the
# ja_JP.UTF-8 locale exists (council-cli's Japanese messages, tests/cli/i18n.sh)
# it returns at once without touching apt. Otherwise it adds the
# bookworm-backports suite, reusing the Debian mirror URI already
# configured on this machine (no host name is written here), then installs.
#
# Runs as root, or through sudo when sudo works without a password prompt
# or a terminal is there to ask. Exit 0 on success, 1 on failure.
set -eu

PKGS="build-essential pkg-config libsodium-dev libprotobuf-c-dev protobuf-c-compiler libcmocka-dev \
      uuid-dev libjansson-dev libsqlite3-dev libutf8proc-dev tzdata libpwquality-dev \
      gettext locales python3 valgrind \
      python3-cffi python3-protobuf python3-pytest protobuf-compiler python3-venv python3-pip python3-setuptools \
      libxslt1-dev libxml2-utils python3-cryptography"
BPO_PKGS="libsqlcipher-dev sqlcipher"
SUITE=bookworm-backports
LIST=/etc/apt/sources.list.d/libcouncil-backports.sources

say() { printf 'deps: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

installed() {
    # true when package $1 is installed
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

sqlcipher_is_4() {
    v=$(dpkg-query -W -f='${Version}' libsqlcipher-dev 2>/dev/null) || return 1
    case "$v" in 4.*) return 0 ;; *) return 1 ;; esac
}

all_present() {
    for p in $PKGS $BPO_PKGS; do installed "$p" || return 1; done
    sqlcipher_is_4
}

# The Japanese locale: enabled in /etc/locale.gen, then locale-gen.
has_ja_locale() {
    locale -a 2>/dev/null | grep -qix 'ja_JP.utf-\{0,1\}8'
}

ensure_ja_locale() {
    has_ja_locale && return 0
    command -v locale-gen >/dev/null 2>&1 || die "locale-gen not found: install the locales package"
    say "enabling the ja_JP.UTF-8 locale"
    if grep -q '^[#[:space:]]*ja_JP.UTF-8 UTF-8' /etc/locale.gen 2>/dev/null; then
        $SUDO sed -i 's/^[#[:space:]]*ja_JP.UTF-8 UTF-8.*/ja_JP.UTF-8 UTF-8/' /etc/locale.gen
    else
        echo 'ja_JP.UTF-8 UTF-8' | $SUDO tee -a /etc/locale.gen >/dev/null
    fi
    $SUDO locale-gen >/dev/null || die "locale-gen failed"
    has_ja_locale || die "the ja_JP.UTF-8 locale is still missing after locale-gen"
}

if all_present && has_ja_locale; then
    say "all dependencies present (SQLCipher $(dpkg-query -W -f='${Version}' libsqlcipher-dev))"
    exit 0
fi

command -v apt-get >/dev/null 2>&1 ||
    die "apt-get not found: install by hand: $PKGS, and $BPO_PKGS (4.x) from $SUITE"

if [ "$(id -u)" -eq 0 ]; then
    SUDO=
elif command -v sudo >/dev/null 2>&1 && { sudo -n true 2>/dev/null || [ -t 0 ]; }; then
    SUDO=sudo
else
    die "need root to install packages: run 'sudo make deps' (or as root: sh scripts/deps.sh), then run make again"
fi

if all_present; then
    ensure_ja_locale
    say "done (SQLCipher $(dpkg-query -W -f='${Version}' libsqlcipher-dev))"
    exit 0
fi

# The Debian mirror that serves the bookworm suite here, from either the
# one-line sources.list format or the deb822 *.sources format.
find_mirror() {
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -r "$f" ] || continue
        awk '$1 == "deb" {
                 i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
                 if ($(i+1) == "bookworm") { print $i; exit }
             }' "$f"
    done
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -r "$f" ] || continue
        awk 'BEGIN { RS = ""; FS = "\n" }
             {
                 uri = ""; suites = ""; enabled = 1
                 for (i = 1; i <= NF; i++) {
                     if ($i ~ /^URIs:/)    { uri = $i; sub(/^URIs:[ \t]*/, "", uri); sub(/[ \t].*/, "", uri) }
                     if ($i ~ /^Suites:/)  { suites = " " $i " " }
                     if ($i ~ /^Enabled:[ \t]*no/) enabled = 0
                 }
                 if (enabled && uri != "" && suites ~ /[ \t]bookworm[ \t]/) { print uri; exit }
             }' "$f"
    done
}

have_suite() {
    grep -rqsE "(^|[[:space:]])$SUITE([[:space:]]|$)" /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null
}

if ! have_suite; then
    mirror=$(find_mirror | head -n 1)
    [ -n "$mirror" ] ||
        die "no Debian bookworm mirror found in /etc/apt/sources.list*: add the $SUITE suite by hand"
    say "adding $SUITE from the configured Debian mirror"
    keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    {
        printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\n' "$mirror" "$SUITE"
        [ -r "$keyring" ] && printf 'Signed-By: %s\n' "$keyring"
    } | $SUDO tee "$LIST" >/dev/null
fi

export DEBIAN_FRONTEND=noninteractive
say "apt-get update"
$SUDO apt-get update -qq || die "apt-get update failed"
say "installing: $PKGS"
$SUDO apt-get install -y -qq --no-install-recommends $PKGS >/dev/null ||
    die "apt-get install failed"
say "installing from $SUITE: $BPO_PKGS"
$SUDO apt-get install -y -qq --no-install-recommends -t "$SUITE" $BPO_PKGS >/dev/null ||
    die "apt-get install -t $SUITE failed"

sqlcipher_is_4 || die "libsqlcipher-dev is not 4.x after install: check the $SUITE suite"
ensure_ja_locale
say "done (SQLCipher $(dpkg-query -W -f='${Version}' libsqlcipher-dev))"
