// The models and forms the browser tests deploy (test/models/), and deploying by dropping files.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

export const model = (name: string): string => readFileSync(new URL(`../models/${name}`, import.meta.url), 'utf8');

/** drops the files on the processes screen's drop zone, as a person dragging them there */
export async function dropFiles(page: Page, files: { name: string; content: string }[]): Promise<void> {
  const dataTransfer = await page.evaluateHandle((files) => {
    const transfer = new DataTransfer();
    for (const { name, content } of files) transfer.items.add(new File([content], name));
    return transfer;
  }, files);
  await page.dispatchEvent('[data-testid="drop-zone"]', 'drop', { dataTransfer });
}
