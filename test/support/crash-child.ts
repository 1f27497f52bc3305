import { spawn } from 'node:child_process';

/**
 * Runs a TypeScript child (`node --import tsx <script> ...args`), handing each line it prints to `onLine` with a
 * kill switch; resolves once it died of SIGKILL (by the switch or its own hand), rejects if it exited otherwise.
 */
export function runUntilKilled(
  script: string,
  args: readonly string[],
  onLine: (line: string, kill: () => void) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let buf = '';
    let stderr = '';
    const kill = () => {
      if (!p.killed) p.kill('SIGKILL');
    };
    p.stderr.on('data', (d) => (stderr += d));
    p.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) onLine(l, kill);
    });
    p.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`child exited ${code} before the kill: ${stderr}`));
    });
  });
}
