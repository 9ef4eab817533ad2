// A real Chromium (Debian's package) driven by playwright-core, with a profile of its own. The flags keep
// it off the network for everything but the pages it is sent to.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

/** Where the tests save a screenshot of each screen they pass through. */
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** saves the page as <name>.png in SCREENSHOT_DIR */
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function launchBrowser(viewport = { width: 1280, height: 900 }): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: FLAGS, viewport });
  const page = context.pages()[0] ?? await context.newPage();
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    context,
    page,
    screenshot: async (name) => { await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true }); },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
