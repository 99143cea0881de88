// One configuration for every part: options in code, WOBSERVER_* variables, a JSON file.
export { OPTIONS, type OptionSpec } from './options.js';
export { loadConfig, ConfigError, type Config, type LoadOptions } from './load.js';
export { graphiteOptionsFromEnv } from './graphite.js';
export { startFromConfig, startOptions, type Running, type Extensions } from './start.js';
