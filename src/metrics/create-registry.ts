import { Registry, type RegistryOptions, attachRuntimeMetrics } from './registry.js';
import { startRuntimeMetrics } from './runtime/index.js';

/**
 * Creates a registry and, unless `runtimeMetrics: false`, starts the Node.js
 * runtime metrics in it (`registry.runtime`; `registry.close()` stops them).
 * The runtime metrics are started here, outside the registry, because they
 * register into a registry: the registry does not import them.
 *
 * @example
 * const registry = createRegistry({ period: 10_000, runtimeMetrics: { prefix: 'app_' } });
 */
export function createRegistry(options?: RegistryOptions): Registry {
  const registry = new Registry(options);
  const rt = options?.runtimeMetrics ?? true;
  if (rt === false) return registry;
  try {
    attachRuntimeMetrics(registry, startRuntimeMetrics(registry, rt === true ? {} : rt));
  } catch (err) {
    // Bad runtime options: the registry's own timers must not outlive the throw.
    registry.close();
    throw err;
  }
  return registry;
}
