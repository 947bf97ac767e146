import { describe, expect, it } from 'vitest';
import { errnoName, errnoNumber } from '../../src/core/errno.js';

describe('errno', () => {
  it.each([
    [111, 'ECONNREFUSED'], [113, 'EHOSTUNREACH'], [101, 'ENETUNREACH'], [110, 'ETIMEDOUT'],
    [98, 'EADDRINUSE'], [99, 'EADDRNOTAVAIL'], [104, 'ECONNRESET'], [13, 'EACCES'], [1, 'EPERM'], [32, 'EPIPE'],
  ])('%i is %s and back', (n, name) => {
    expect(errnoName(n)).toBe(name);
    expect(errnoNumber(name)).toBe(n);
    expect(errnoNumber(name.toLowerCase())).toBe(n);
  });

  it('has no name for 0 and keeps unknown numbers visible', () => {
    expect(errnoName(0)).toBeNull();
    expect(errnoName(999)).toBe('E999');
    expect(errnoNumber('EWHAT')).toBeUndefined();
  });
});
