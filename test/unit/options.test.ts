import { describe, expect, it } from 'vitest';
import { DAY_SECONDS, MAX_ITERATIONS, MAX_SERIES, oneOf, rateLimit, seconds, wholeNumber } from '../../src/cli/options.js';
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
  ['--rate-limit 4294967295', () => rateLimit('4294967295'), 4294967295],
  ['--rate-limit 4294967297 (past the kernel\'s 32 bits)', () => rateLimit('4294967297'), /^--rate-limit takes at most 4294967295 records per second, not "4294967297"$/],
  ['--max-series 10000000', () => wholeNumber('--max-series', '10000000', 1, MAX_SERIES), 10000000],
  ['--max-series 10000001', () => wholeNumber('--max-series', '10000001', 1, MAX_SERIES), /^--max-series takes a whole number from 1 to 10000000, not "10000001"$/],
  ['--iterations 1e21', () => wholeNumber('--iterations', '1000000000000000000000', 1, MAX_ITERATIONS), /^--iterations takes a whole number from 1 to 1000000000, not "1000000000000000000000"$/],
  ['--iterations with no bound, past 2^53', () => wholeNumber('--iterations', '9007199254740993', 1), /^--iterations takes a whole number of at least 1, not "9007199254740993"$/],
  ['--retire-after 86400 (serve)', () => wholeNumber('--retire-after', '86400', 0, DAY_SECONDS), 86400],
  ['--retire-after 86401 (serve)', () => wholeNumber('--retire-after', '86401', 0, DAY_SECONDS), /^--retire-after takes a whole number from 0 to 86400, not "86401"$/],
  ['--interval 86400', () => seconds('--interval', '86400', 0.1, DAY_SECONDS), 86400],
  ['--interval 3000000 (a timer would overflow)', () => seconds('--interval', '3000000', 0.1, DAY_SECONDS), /^--interval takes seconds from 0\.1 to 86400, not "3000000"$/],
  ['--retire-after 400 digits (top)', () => seconds('--retire-after', '9'.repeat(400), 0), /^--retire-after takes seconds \(at least 0\), not "9{400}"$/],
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
