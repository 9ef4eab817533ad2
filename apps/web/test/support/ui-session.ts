// One server and one Chromium for a browser test file: started before its tests, closed after them.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser, type Browser } from './browser.js';
import { startUiServer, type UiServer } from './ui-server.js';

export interface UiSession {
  readonly server: UiServer;
  readonly browser: Browser;
  readonly page: Page;
  /** opens the screen the fragment names: `open('/tasks')` */
  open(fragment: string): Promise<unknown>;
}

/** `prepare` runs against the started server before the browser opens (deploying what the tests need). */
export function uiSession(label: string, prepare?: (server: UiServer) => Promise<void>): UiSession {
  let server: UiServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startUiServer(label);
    await prepare?.(server);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get server() { return server!; },
    get browser() { return browser!; },
    get page() { return browser!.page; },
    open: (fragment) => browser!.page.goto(`${server!.url}/#${fragment}`),
  };
}
