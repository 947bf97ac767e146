#!/usr/bin/env bash
# The kernel matrix: boots each Debian kernel of KERNELS under QEMU with this
# checkout, runs checks.sh inside, and writes the table of kernel × event
# type to test/kernels/results.md (and prints it). Usage:
#   matrix.sh [LABEL...]   (default: every kernel; "host" adds this host's own column)
# Exits 0 when every guest ran its checks to the end, whatever they found;
# non-zero only when the matrix itself is broken (no download, no boot, timeout).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

# label → Debian suite whose linux-image-amd64 is the kernel.
declare -A SUITE=([5.10]=bullseye [6.1]=bookworm [6.12]=bookworm-backports)
KERNELS=(5.10 6.1 6.12)
labels=("$@")
[ "${#labels[@]}" -gt 0 ] || labels=("${KERNELS[@]}")

results=${NETLADDER_MATRIX_RESULTS:-$repo/build/kernels}
rm -rf "$results" && mkdir -p "$results"
say() { printf 'kernels: %s\n' "$*" >&2; }

broken=0
start=$(date +%s)
for label in "${labels[@]}"; do
  out=$results/$label
  mkdir -p "$out"
  t0=$(date +%s)
  if [ "$label" = host ]; then
    bash "$here/checks.sh" "$out" > "$out/checks.log" 2>&1
    status=$?
  else
    suite=${SUITE[$label]:-}
    [ -n "$suite" ] || { say "no kernel called $label (known: ${KERNELS[*]})"; exit 2; }
    say "$label: fetching ($suite)"
    if kdir=$(bash "$here/fetch.sh" "$suite"); then
      say "$label: booting $(basename "$kdir")"
      bash "$here/boot.sh" "$kdir" "$out"
      status=$?
      # Multi-threaded TCG now and then runs a stale translation of code the
      # kernel just patched (an int3 oops while booting 6.12): one more boot,
      # with the first console kept and the retry reported.
      if [ "$status" -eq 3 ]; then
        mv "$out/console.log" "$out/console-first.log"
        say "$label: the guest stopped before its checks ended; booting once more"
        bash "$here/boot.sh" "$kdir" "$out"
        status=$?
        echo 2 > "$out/boots"
      fi
    else
      status=$?
    fi
  fi
  echo "$status" > "$out/status"
  echo $(( $(date +%s) - t0 )) > "$out/seconds"
  say "$label: status $status in $(cat "$out/seconds") s"
  [ "$status" -eq 0 ] || broken=1
done

total=$(( $(date +%s) - start ))
{
  echo "# Kernel matrix"
  echo
  echo "Made by \`npm run test:kernels\` (scripts/kernels/matrix.sh) on $(date -u +%Y-%m-%d), in ${total} s."
  echo "A cell says whether \`netladder watch --json\` printed the event for the probe's own failure"
  echo "(scripts/kernels/probe.py, probe.sh); below the table, each kernel's doctor and kernel tests."
  echo
  node "$here/report.mjs" "$results" "${labels[@]}"
} > "$results/results.md"
mkdir -p "$repo/test/kernels"
cp "$results/results.md" "$repo/test/kernels/results.md"
cat "$results/results.md"
say "matrix: ${total} s"
exit "$broken"
