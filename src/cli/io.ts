import { readFileSync } from 'node:fs';
import { HetaoError } from '../core/index.js';

/** Reads a file, or standard input for `-`. Unreadable files are a HETAO_CLI_INPUT error naming the option. */
export function readInput(path: string, option: string): string {
  try {
    return path === '-' ? readFileSync(0, 'utf8') : readFileSync(path, 'utf8');
  } catch (cause) {
    throw new HetaoError('HETAO_CLI_INPUT', `${option}: cannot read ${path} (${(cause as Error).message})`, {
      field: option,
      cause,
    });
  }
}

/** Parses JSON input; a syntax error is HETAO_CLI_INPUT with the position. */
export function parseJsonInput(text: string, option: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new HetaoError('HETAO_CLI_INPUT', `${option}: not valid JSON (${(cause as Error).message})`, {
      field: option,
      cause,
    });
  }
}

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const stdio: Output = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
};
