import type { TLocalizedValidationError } from 'typebox/error';
import { type ErrorCode, HetaoError } from '../core/index.js';

/** What one known field must be: its error code and the words completing "<field> must be ...". */
export interface FieldSpec {
  readonly code: ErrorCode;
  readonly expect: string;
}

export interface Problem {
  readonly code: ErrorCode;
  /** Dotted path; '' is the whole input. */
  readonly field: string;
  readonly message: string;
}

export interface ProblemVocabulary {
  /** Prefix of every message, e.g. `flow context`. */
  readonly label: string;
  /** Every known field by dotted path, '' (the whole input) and each nested object included. */
  readonly fields: Readonly<Record<string, FieldSpec>>;
  readonly missingCode: ErrorCode;
  readonly unknownCode: ErrorCode;
}

/** Renders an offending value for a message: JSON, cut to 60 characters; never throws. */
export function formatGot(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = `a ${typeof value}`;
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function toPath(pointer: string): string {
  if (pointer === '') return '';
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

function valueAt(root: unknown, path: string): unknown {
  if (path === '') return root;
  let v: unknown = root;
  for (const key of path.split('.')) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** Own-property lookup: a field named `__proto__` or `toString` must not find Object.prototype's members. */
function specOf(vocab: ProblemVocabulary, path: string): FieldSpec | undefined {
  return Object.hasOwn(vocab.fields, path) ? vocab.fields[path] : undefined;
}

function join(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

function childrenOf(vocab: ProblemVocabulary, parent: string): string[] {
  const prefix = parent === '' ? '' : `${parent}.`;
  return Object.keys(vocab.fields)
    .filter((f) => f !== '' && f.startsWith(prefix) && !f.slice(prefix.length).includes('.'))
    .map((f) => f.slice(prefix.length));
}

/**
 * Turns TypeBox errors into one problem per field, in the order found, each with a message that says how to fix it.
 * Unknown paths (TypeBox reports an extra property both at the parent and at its own path) become unknown-field
 * problems.
 */
export function describeProblems(
  vocab: ProblemVocabulary,
  errors: readonly TLocalizedValidationError[],
  input: unknown,
): Problem[] {
  const out = new Map<string, Problem>();
  const add = (p: Problem) => {
    if (!out.has(p.field)) out.set(p.field, p);
  };
  const unknown = (field: string, parent: string) => {
    const allowed = childrenOf(vocab, parent).join(', ');
    const where = parent === '' ? 'the top level' : parent;
    add({
      code: vocab.unknownCode,
      field,
      message: `${vocab.label}: ${field} is not a known field; remove it (${where} allows ${allowed})`,
    });
  };
  for (const e of errors) {
    const at = toPath(e.instancePath);
    if (e.keyword === 'required') {
      const holder = valueAt(input, at);
      for (const key of e.params.requiredProperties) {
        if (typeof holder === 'object' && holder !== null && Object.hasOwn(holder, key)) continue;
        const field = join(at, key);
        const spec = specOf(vocab, field);
        add({
          code: vocab.missingCode,
          field,
          message: `${vocab.label}: ${field} is missing; it must be ${spec?.expect ?? 'present'}`,
        });
      }
    } else if (e.keyword === 'additionalProperties') {
      for (const key of e.params.additionalProperties) unknown(join(at, key), at);
    } else {
      const spec = specOf(vocab, at);
      if (spec === undefined) {
        const parent = at.includes('.') ? at.slice(0, at.lastIndexOf('.')) : '';
        unknown(at, parent);
        continue;
      }
      const subject = at === '' ? vocab.label : `${vocab.label}: ${at}`;
      add({
        code: spec.code,
        field: at,
        message: `${subject} must be ${spec.expect} (got ${formatGot(valueAt(input, at))})`,
      });
    }
  }
  return [...out.values()];
}

/** One HetaoError for a list of problems: the first names the code and field; the message lists them all. */
export function problemsError(problems: readonly Problem[], fallback: Problem): HetaoError {
  const first = problems[0] ?? fallback;
  const all = problems.length > 0 ? problems : [fallback];
  return new HetaoError(first.code, all.map((p) => p.message).join('; '), {
    ...(first.field === '' ? {} : { field: first.field }),
    details: all,
  });
}
