/**
 * Run the built CLI (bin/seqscope.mjs) and tshark 4.0.17 side by side from a test: both resolve
 * with standard output, or reject naming the command and its standard error.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { REPO, TSHARK } from './corpora';

export function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((res, rej) =>
    execFile(cmd, args, { timeout: 60_000, maxBuffer: 1 << 26 }, (err, stdout, stderr) =>
      err ? rej(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stderr}`)) : res(stdout),
    ),
  );
}

export const seqscope = (args: string[]): Promise<string> => run(process.execPath, [join(REPO, 'bin/seqscope.mjs'), ...args]);
export const tshark = (args: string[]): Promise<string> => run(TSHARK, args);
