import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { resultsDir } from './browser.js';

/** Set to `docs` (by `npm run screenshots`), the tests also write the screenshots docs/ui.md shows. */
export const DOCS_SHOTS = process.env.WOBSERVER_SCREENSHOTS === 'docs';

/**
 * A full-page screenshot into test-results/ui-<name>.png; with
 * WOBSERVER_SCREENSHOTS=docs (and `docs: true`) also into docs/ui/<name>.png.
 */
export async function shot(page: Page, name: string, options: { docs?: boolean } = {}): Promise<void> {
  await page.screenshot({ path: join(resultsDir(), `ui-${name}.png`), fullPage: true });
  if (DOCS_SHOTS && options.docs !== false) {
    mkdirSync(join('docs', 'ui'), { recursive: true });
    await page.screenshot({ path: join('docs', 'ui', `${name}.png`), fullPage: true });
  }
}
