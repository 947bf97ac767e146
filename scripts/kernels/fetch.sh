#!/usr/bin/env bash
# Downloads one Debian kernel package and extracts it, never installing it on
# this host: fetch.sh SUITE  →  prints the directory holding boot/vmlinuz-*
# and lib/modules/*. The suite is added in an apt state of its own, so the
# host's apt sees nothing of it; the archive is the one the host already uses,
# read from its apt sources at run time. A second run reuses the download.
set -euo pipefail

suite=$1
cache=${NETLADDER_KERNEL_CACHE:-/var/cache/netladder-kernels}
say() { printf 'kernels: %s\n' "$*" >&2; }

# The URI of the host's own Debian archive: the entry for this release's
# codename itself (not -security, -updates, nor a third party's suite), from
# deb822 .sources files or one-line sources.list entries.
archive_uri() {
  local codename f
  codename=$(. /etc/os-release && echo "$VERSION_CODENAME")
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk -v want="$codename" 'BEGIN { RS = ""; FS = "\n" }
      { uris = ""; suites = ""
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^URIs:/) { uris = $i; sub(/^URIs:[ \t]*/, "", uris) }
          if ($i ~ /^Suites:/) { suites = $i; sub(/^Suites:[ \t]*/, "", suites) }
        }
        n = split(suites, s, /[ \t]+/)
        for (j = 1; j <= n; j++) if (s[j] == want && uris != "") { split(uris, u, /[ \t]+/); print u[1]; exit } }' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk -v want="$codename" '$1 == "deb" { sub(/\[[^]]*\][ \t]*/, ""); if ($3 == want) { print $2; exit } }' "$f"
  done
}

uri=$(archive_uri | head -n1)
[ -n "$uri" ] || { say "no Debian archive found in /etc/apt sources"; exit 2; }

case "$suite" in
  bullseye*) keyring=/usr/share/keyrings/debian-archive-bullseye-stable.gpg ;;
  bookworm*) keyring=/usr/share/keyrings/debian-archive-bookworm-stable.gpg ;;
  *) keyring=/usr/share/keyrings/debian-archive-keyring.gpg ;;
esac
# Backports are signed with the archive's automatic key, not the release's.
case "$suite" in
  *-backports) keyring=/usr/share/keyrings/debian-archive-${suite%-backports}-automatic.gpg ;;
esac

apt_dir=$cache/apt/$suite
mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$apt_dir/parts" "$cache/debs"
cat > "$apt_dir/sources.list" <<SRC
deb [signed-by=$keyring] $uri $suite main
SRC
# Only this state directory: the host's sources, lists and preferences are
# neither read nor changed.
apt=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=$apt_dir/parts"
  -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir" -o "Dir::Etc::Preferences=/dev/null"
  -o "Dir::Etc::PreferencesParts=$apt_dir/parts" -o "Debug::NoLocking=1" -o "APT::Get::List-Cleanup=0"
  -o "APT::Sandbox::User=root")

if ! ls "$apt_dir/lists/"*Packages* >/dev/null 2>&1; then
  say "$suite: reading the archive's package list"
  apt-get "${apt[@]}" -qq update >&2
fi

# linux-image-amd64 is the suite's current kernel; it depends on exactly one
# versioned image package.
image=$(apt-cache "${apt[@]}" depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
[ -n "$image" ] || { say "$suite: no linux-image-amd64 dependency found"; exit 2; }
version=$(apt-cache "${apt[@]}" show "$image" | awk '/^Version:/ { print $2; exit }')

dir=$cache/$image
if [ ! -f "$dir/.extracted" ]; then
  deb=$(ls "$cache/debs/${image}_"*.deb 2>/dev/null | head -n1 || true)
  if [ -z "$deb" ]; then
    say "$suite: downloading $image $version"
    (cd "$cache/debs" && apt-get "${apt[@]}" -qq download "$image=$version" >&2)
    deb=$(ls "$cache/debs/${image}_"*.deb | head -n1)
  fi
  rm -rf "$dir" && mkdir -p "$dir"
  dpkg-deb -x "$deb" "$dir"
  touch "$dir/.extracted"
fi
echo "$dir"
