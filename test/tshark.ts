/** Whether tshark (TSHARK, else the one on PATH) can be run: suites comparing with it live skip without it. */
import { execFileSync } from 'node:child_process';
import { TSHARK } from './corpora';

export function haveTshark(): boolean {
  try {
    execFileSync(TSHARK, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
