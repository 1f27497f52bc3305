/** Version of ../shared/rulebook.md this engine implements; every Decision carries it. Bump on any rule change. */
export const RULEBOOK_VERSION = '2026.1';
