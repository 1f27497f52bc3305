export { type ConfigProblem, loadConfig, sqlitePath } from './load-config.js';
export { CONFIG_KEYS, type Config, ConfigSchema } from './schema.js';
