export { type ConfigProblem, loadConfig, sqlitePath } from './load-config.js';
export { CONFIG_KEYS, type Config, ConfigSchema, type WitnessEndpoint } from './schema.js';
export { parseWitnessList } from './witnesses.js';
