// Helpers for driving the web app: the screen text of a terminal tab, typing a command into it,
// and screenshots saved both under e2e/screenshots/ and as the test's attachments.
import { expect, type Page, type TestInfo } from '@playwright/test';
import { fileURLToPath } from 'node:url';

export const SCREENSHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));

export async function terminalText(page: Page): Promise<string> {
  return page.locator('[role=tabpanel]:not([hidden]) .xterm-rows').innerText();
}

/** The columns of a node's terminal as xterm.js has fitted it (shell 1 unless `key` says `a#2`). */
export async function terminalColumns(page: Page, key: string): Promise<number> {
  return page.evaluate((k) => (window as unknown as { praxisTerminals: Record<string, { term: { cols: number } }> }).praxisTerminals[k]!.term.cols, key);
}

/** Types a command into the visible terminal once its prompt shows, and waits for `expectOutput`. */
export async function runInTerminal(page: Page, node: string, command: string, expectOutput: RegExp): Promise<string> {
  await expect(page.getByTestId(`terminal-status-${node}`)).toContainText(': connected');
  await expect.poll(() => terminalText(page)).toMatch(/root@[^:\s]+:[^#\n]*#\s*$/);
  await page.locator('[role=tabpanel]:not([hidden]) .xterm').click();
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
  await expect.poll(() => terminalText(page)).toMatch(expectOutput);
  return terminalText(page);
}

export async function snap(page: Page, testInfo: TestInfo, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  const path = `${SCREENSHOTS}web-${name}.png`;
  // The app scrolls inside <main> (the exam fills the window): let the page grow for a full shot
  // (through the CSSOM, which a strict CSP allows).
  const grow = (on: boolean) =>
    page.evaluate((value) => {
      for (const el of [document.documentElement, document.body, document.getElementById('app')!]) el.style.height = value ? 'auto' : '';
      const main = document.querySelector('main')!;
      main.style.overflow = value ? 'visible' : '';
    }, on);
  if (options.fullPage) await grow(true);
  await page.screenshot({ path, fullPage: options.fullPage });
  if (options.fullPage) await grow(false);
  await testInfo.attach(name, { path, contentType: 'image/png' });
}
