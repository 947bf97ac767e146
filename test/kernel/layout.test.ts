// The TypeScript decoder and the C header must agree on every byte.
import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';
import { DNS_CODES, FIELDS, FLAGS, HOST_FIELDS, HOST_RECORD_SIZE, KIND_CODES, LENGTH_SIZE, LOSSES, RECORD_SIZE } from '../../src/core/layout.js';
import { ADDON_PATH, loadAddon } from '../../src/kernel/addon.js';
import { needsBpf } from '../support/gate.js';

needsBpf('record layout', () => {
  const native = existsSync(ADDON_PATH) ? loadAddon().layout() : undefined;

  it('has the size the C compiler gives struct nl_event', () => {
    expect(RECORD_SIZE).toBe(native!.size);
  });

  it.each(Object.entries(FIELDS))('places %s where the C compiler does', (name, f) => {
    expect(native!.fields[name]).toEqual(f);
  });

  it('covers every field of the C struct', () => {
    expect(Object.keys(FIELDS).sort()).toEqual(Object.keys(native!.fields).sort());
  });

  it('numbers kinds, flags and losses as the header does', () => {
    expect(KIND_CODES).toEqual(native!.kinds);
    expect(FLAGS).toEqual(native!.flags);
    expect(LOSSES).toEqual(native!.losses);
  });

  it('lays out struct nl_host_event (an event, then the name) as the C compiler does', () => {
    expect(HOST_RECORD_SIZE).toBe(native!.hostSize);
    expect(HOST_FIELDS).toEqual(native!.hostFields);
    // The event part is a whole nl_event, so one decoder reads both.
    expect(HOST_FIELDS.ev).toEqual({ offset: 0, size: RECORD_SIZE });
    expect(HOST_FIELDS.host.offset + HOST_FIELDS.host.size).toBe(HOST_RECORD_SIZE);
  });

  it('frames each record of a batch with a length as wide as the addon writes', () => {
    expect(LENGTH_SIZE).toBe(native!.lengthSize);
  });

  it('gives dns_error codes the meaning the header does', () => {
    expect(DNS_CODES).toEqual(native!.dns);
  });
});
