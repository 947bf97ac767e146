#!/bin/bash
# What the matrix runs on each kernel, in the guest (or on the host for its
# own column): checks.sh OUT_DIR writes uname, doctor.json and doctor.exit,
# the probe's files, and the vitest JSON report of TESTS.
out=$1
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."

# Under TCG everything runs several times slower, and each vitest start costs
# a minute: one run of the kernel tests that cover the probe's event types
# cheaply, not the whole suite (libc DNS and TLS are left to the probe).
TESTS=(
  test/kernel/connect.test.ts
  test/kernel/reset.test.ts
  test/kernel/timewait.test.ts
  test/kernel/bind.test.ts
  test/kernel/rate-limit.test.ts
)

uname -r > "$out/uname"
node dist/cli/index.js doctor --json > "$out/doctor.json" 2> "$out/doctor.err"
echo $? > "$out/doctor.exit"
bash "$here/probe.sh" "$out"

export NETLADDER_REQUIRE_BPF=1
npx --no-install vitest run --reporter=default --reporter=json --outputFile.json="$out/tests-1.json" "${TESTS[@]}"
exit 0
