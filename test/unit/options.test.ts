import { describe, expect, it } from 'vitest';
import { oneOf, rateLimit, seconds, wholeNumber } from '../../src/cli/options.js';
import { UsageError } from '../../src/core/usage-error.js';

type Parse = () => number | string;

// [option as typed, how it is parsed, the value, or the one-line message]
const CASES: [string, Parse, number | string | RegExp][] = [
  ['--max-series 1', () => wholeNumber('--max-series', '1', 1), 1],
  ['--max-series 10000', () => wholeNumber('--max-series', '10000', 1), 10000],
  ['--max-series 0', () => wholeNumber('--max-series', '0', 1), /^--max-series takes a whole number of at least 1, not "0"$/],
  ['--max-series 1.5', () => wholeNumber('--max-series', '1.5', 1), /^--max-series takes a whole number of at least 1, not "1\.5"$/],
  ['--max-series -3', () => wholeNumber('--max-series', '-3', 1), /^--max-series takes a whole number of at least 1, not "-3"$/],
  ['--max-series ""', () => wholeNumber('--max-series', '', 1), /^--max-series takes a whole number of at least 1, not ""$/],
  ['--retire-after 0 (serve)', () => wholeNumber('--retire-after', '0', 0), 0],
  ['--retire-after 1e3 (serve)', () => wholeNumber('--retire-after', '1e3', 0), /^--retire-after takes a whole number of at least 0, not "1e3"$/],
  ['--iterations 3', () => wholeNumber('--iterations', '3', 1), 3],
  ['--iterations 0', () => wholeNumber('--iterations', '0', 1), /^--iterations takes a whole number of at least 1, not "0"$/],
  ['--interval 0.1', () => seconds('--interval', '0.1', 0.1), 0.1],
  ['--interval 2.5', () => seconds('--interval', '2.5', 0.1), 2.5],
  ['--interval 0.05', () => seconds('--interval', '0.05', 0.1), /^--interval takes seconds \(at least 0\.1\), not "0\.05"$/],
  ['--interval .5', () => seconds('--interval', '.5', 0.1), /^--interval takes seconds \(at least 0\.1\), not "\.5"$/],
  ['--interval 1s', () => seconds('--interval', '1s', 0.1), /^--interval takes seconds \(at least 0\.1\), not "1s"$/],
  ['--retire-after 0 (top)', () => seconds('--retire-after', '0', 0), 0],
  ['--retire-after 1.5 (top)', () => seconds('--retire-after', '1.5', 0), 1.5],
  ['--timeout 60', () => seconds('--timeout', '60', 0.1, 60), 60],
  ['--timeout 60.5', () => seconds('--timeout', '60.5', 0.1, 60), /^--timeout takes seconds from 0\.1 to 60, not "60\.5"$/],
  ['--timeout 0', () => seconds('--timeout', '0', 0.1, 60), /^--timeout takes seconds from 0\.1 to 60, not "0"$/],
  ['--rate-limit 0', () => rateLimit('0'), 0],
  ['--rate-limit 100', () => rateLimit('100'), 100],
  ['--rate-limit -1', () => rateLimit('-1'), /^--rate-limit takes records per second \(0 for none\), not "-1"$/],
  ['--rate-limit 2.5', () => rateLimit('2.5'), /^--rate-limit takes records per second \(0 for none\), not "2\.5"$/],
  ['--by pid', () => oneOf('--by', 'pid', ['pid', 'comm']), 'pid'],
  ['--by comm', () => oneOf('--by', 'comm', ['pid', 'comm']), 'comm'],
  ['--by uid', () => oneOf('--by', 'uid', ['pid', 'comm']), /^--by takes pid or comm, not "uid"$/],
  ['--by PID', () => oneOf('--by', 'PID', ['pid', 'comm']), /^--by takes pid or comm, not "PID"$/],
];

describe('option values', () => {
  it.each(CASES)('%s', (_, parse, expected) => {
    if (expected instanceof RegExp) {
      expect(parse).toThrow(UsageError);
      expect(parse).toThrow(expected);
    } else {
      expect(parse()).toBe(expected);
    }
  });
});
