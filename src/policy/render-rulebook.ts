import { defaultPolicyParameters } from './parameters.js';
import { rulebook } from './rulebook.js';
import type { PolicyParameters } from './types.js';
import { RULEBOOK_VERSION } from './version.js';

/**
 * The rulebook as a plain-text table (`hetao policy rules`): id, title, outcome and sources, in evaluation order,
 * then the parameters in force. Ends with a newline.
 */
export function renderRulebook(params: PolicyParameters = defaultPolicyParameters): string {
  const head = ['id', 'title', 'outcome', 'sources'];
  const rows = rulebook.map((r) => [r.id, r.title, `${r.decision}, ${r.channel}`, r.sources.join(', ')]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  const out = [
    `Hetao flow rulebook ${RULEBOOK_VERSION}: rules are tried in this order; the first that fires decides.`,
    '',
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    'Whenever personal information leaves the Mainland with allow-with-conditions, the conditions add',
    'pipl-39-notice-consent and pipl-55-pipia.',
    '',
    'Parameters:',
    ...Object.entries(params).map(([k, v]) => `  ${k} = ${Array.isArray(v) ? `[${v.join(', ')}]` : String(v)}`),
    `  (gbaContractLiftsVolumeCaps = true tries R11 before R10 for GBA flows)`,
  ];
  return `${out.join('\n')}\n`;
}
