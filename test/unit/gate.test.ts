// The skip gates decide from a few facts about the host; the facts of this
// host cannot be changed from a test (no removing BTF), so the decision is
// checked as a function of them, and every kernel and e2e file is checked to
// ask it rather than decide on its own.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decide, missing, type Host, type Need } from '../support/gate.js';

const able: Host = { required: false, root: true, privileges: true, btf: true, kernel: true, addon: true };

describe('the skip gates', () => {
  it.each<[string, Partial<Host>, Record<Need, 'run' | 'skip'>, string[]]>([
    ['a root host that has everything', {}, { root: 'run', bpf: 'run' }, []],
    ['a root host without BTF', { btf: false }, { root: 'run', bpf: 'skip' }, ['btf']],
    ['a root host without BTF, under NETLADDER_REQUIRE_BPF=1', { btf: false, required: true }, { root: 'run', bpf: 'run' }, ['btf']],
    ['a kernel older than 5.8', { kernel: false }, { root: 'run', bpf: 'skip' }, ['kernel']],
    ['root without CAP_BPF (a container)', { privileges: false }, { root: 'run', bpf: 'skip' }, ['privileges']],
    ['the addon not built', { addon: false }, { root: 'run', bpf: 'skip' }, ['addon']],
    ['a user with CAP_BPF but not root', { root: false }, { root: 'skip', bpf: 'skip' }, ['root']],
    ['a user on a laptop', { root: false, privileges: false }, { root: 'skip', bpf: 'skip' }, ['root', 'privileges']],
    ['a user, under NETLADDER_REQUIRE_BPF=1', { root: false, privileges: false, required: true }, { root: 'run', bpf: 'run' }, ['root', 'privileges']],
  ])('%s', (_, over, expected, lacking) => {
    const host = { ...able, ...over };
    expect(decide('root', host)).toBe(expected.root);
    expect(decide('bpf', host)).toBe(expected.bpf);
    expect(missing('bpf', host)).toEqual(lacking);
  });
});

const TEST = fileURLToPath(new URL('../', import.meta.url));
const source = (dir: string) =>
  readdirSync(`${TEST}${dir}`)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => [`${dir}/${f}`, readFileSync(`${TEST}${dir}/${f}`, 'utf8')] as const);

describe('every suite asks the gates', () => {
  it('every kernel and e2e file gates its suite on needsBpf or needsRoot', () => {
    const ungated = [...source('kernel'), ...source('e2e')]
      .filter(([, text]) => !/import \{ needs(Bpf|Root) \} from '\.\.\/support\/gate\.js'/.test(text) || !/^needs(Bpf|Root)\('/m.test(text))
      .map(([file]) => file);
    expect(ungated).toEqual([]);
  });

  it('no other file decides on its own whether to skip', () => {
    const own = ['unit', 'kernel', 'e2e', 'support']
      .flatMap(source)
      .filter(([file]) => file !== 'support/gate.ts' && file !== 'unit/gate.test.ts')
      .filter(([, text]) => /describe\.skip|skipIf|runIf|getuid|NETLADDER_REQUIRE_BPF|btf\/vmlinux/.test(text))
      .map(([file]) => file);
    expect(own).toEqual([]);
  });
});
