import type { RuntimeContext, RuntimePart } from './part.js';

/** nodejs_version_info{version,major,minor,patch} 1. */
export function version(ctx: RuntimeContext): RuntimePart {
  const g = ctx.registry.gauge({
    name: `${ctx.prefix}nodejs_version_info`,
    help: 'Node.js version info.',
    labelNames: ['version', 'major', 'minor', 'patch'],
  });
  const [major = '0', minor = '0', patch = '0'] = process.versions.node.split('.');
  g.set({ version: process.version, major, minor, patch }, 1);
  return { metrics: [g], stop() {} };
}
