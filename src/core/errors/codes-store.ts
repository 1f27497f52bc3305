import { defineErrors } from './define.js';

export const storeErrors = defineErrors('store', {
  HETAO_STORE_SCHEMA_TOO_NEW: {
    status: 500,
    summary: 'the database was migrated by a newer Hetao than this one',
    fix: 'Run the Hetao version that migrated it (or newer); never point older code at a newer database.',
  },
  HETAO_STORE_MIGRATION_FAILED: {
    status: 500,
    summary: 'a schema migration failed and was rolled back',
    fix: 'Read the cause in the message, fix the database (permissions, disk) and run `hetao db migrate` again.',
  },
  HETAO_STORE_UNAVAILABLE: {
    status: 503,
    summary: 'the database cannot be reached',
    fix: 'Check HETAO_DATABASE_URL (host, port, user, password, database) and that the server is running.',
  },
  HETAO_STORE_IN_USE: {
    status: 503,
    summary: 'another exchange process holds this database',
    fix: 'Stop the other exchange first (the message names its process and host), or give this one its own database.',
  },
  HETAO_STORE_CONFLICT: {
    status: 409,
    summary: 'the object changed since it was read (optimistic concurrency)',
    fix: 'Read the object again and retry the change against its current version.',
  },
  HETAO_STORE_DUPLICATE: {
    status: 409,
    summary: 'an object with this id or unique name already exists',
    fix: 'Choose another name, or update the existing object instead of creating it.',
  },
  HETAO_STORE_NOT_FOUND: {
    status: 404,
    summary: 'no such object',
    fix: 'Check the id; objects of other organizations are not visible to you.',
  },
  HETAO_STORE_REFERENCE: {
    status: 422,
    summary: 'the object refers to another object that does not exist',
    fix: 'Create the referenced object first (the field names which one), or correct the reference.',
  },
});
