// Running a helper program (ip, nft) with a deadline.
import { execFile } from 'node:child_process';
import { CodedError } from '../../core/coded-error.js';

export type Ran = { ok: true; stdout: string } | { ok: false; stderr: string };

/** Resolves with the output or the complaint of the program; rejects only
 *  when the program is missing, which no rung can judge. */
export function run(cmd: string, args: string[], timeoutMs: number): Promise<Ran> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (!err) return resolve({ ok: true, stdout });
      if ('code' in err && err.code === 'ENOENT')
        return reject(new CodedError('ENOTFOUND_TOOL', `diagnose needs the ${cmd} command, which is not installed`));
      const why = stderr.trim().split('\n')[0] || (err.killed ? `no answer within ${timeoutMs} ms` : err.message);
      resolve({ ok: false, stderr: why });
    });
  });
}
