import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { resultsDir } from './browser.js';

/** Set to `docs` (by `npm run screenshots`), the tests also write the screenshots docs/ui.md shows. */
export const DOCS_SHOTS = process.env.WOBSERVER_SCREENSHOTS === 'docs';

/**
 * A screenshot (the full page, or with `fullPage: false` the viewport) into
 * test-results/ui-<name>.png; with WOBSERVER_SCREENSHOTS=docs (unless `docs:
 * false`) also into docs/ui/<name>.png.
 */
export async function shot(page: Page, name: string, options: { docs?: boolean; fullPage?: boolean } = {}): Promise<void> {
  const fullPage = options.fullPage ?? true;
  await page.screenshot({ path: join(resultsDir(), `ui-${name}.png`), fullPage });
  if (DOCS_SHOTS && options.docs !== false) {
    mkdirSync(join('docs', 'ui'), { recursive: true });
    await page.screenshot({ path: join('docs', 'ui', `${name}.png`), fullPage });
  }
}
