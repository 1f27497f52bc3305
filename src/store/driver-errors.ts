import { HetaoError } from '../core/index.js';

interface DriverError {
  code?: string;
  constraint?: string;
  message?: string;
}

/**
 * Turns a driver's constraint error into a HetaoError with a stable code (SQLite and PostgreSQL name them
 * differently); anything else is rethrown unchanged. `what` names the object for the message.
 */
export function translateDriverError(err: unknown, what: string): never {
  if (err instanceof HetaoError) throw err;
  const e = err as DriverError;
  const code = e?.code ?? '';
  if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const field = uniqueField(e);
    throw new HetaoError('HETAO_STORE_DUPLICATE', `${what} already exists (${field} is taken)`, { field, cause: err });
  }
  if (code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    throw new HetaoError('HETAO_STORE_REFERENCE', `${what} refers to an object that does not exist`, { cause: err });
  }
  if (code === 'ECONNREFUSED' || code === '57P01' || code === '08006' || code === 'SQLITE_CANTOPEN') {
    throw new HetaoError('HETAO_STORE_UNAVAILABLE', `the database is unavailable: ${e.message}`, { cause: err });
  }
  throw err;
}

function uniqueField(e: DriverError): string {
  // PostgreSQL: constraint name like organizations_name_key; SQLite: "UNIQUE constraint failed: organizations.name"
  const m = /failed: ([\w.]+)/.exec(e.message ?? '');
  if (m?.[1]) return m[1].split('.').pop() ?? 'id';
  const c = e.constraint ?? '';
  if (c.endsWith('_pkey')) return 'id';
  const k = /^[a-z_]+?_(\w+)_key$/.exec(c);
  return k?.[1] ?? (c || 'id');
}

export async function guarded<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    translateDriverError(err, what);
  }
}
