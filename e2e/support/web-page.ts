// Helpers for driving the web app: the screen text of a terminal tab, typing a command into it,
// and screenshots saved both under e2e/screenshots/ and as the test's attachments.
import { expect, type Page, type TestInfo } from '@playwright/test';
import { fileURLToPath } from 'node:url';

export const SCREENSHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));

export async function terminalText(page: Page): Promise<string> {
  return page.locator('[role=tabpanel]:not([hidden]) .xterm-rows').innerText();
}

/** Types a command into the visible terminal once its prompt shows, and waits for `expectOutput`. */
export async function runInTerminal(page: Page, node: string, command: string, expectOutput: RegExp): Promise<string> {
  await expect(page.getByTestId(`terminal-status-${node}`)).toContainText(`${node}: connected`);
  await expect.poll(() => terminalText(page)).toMatch(/root@[^:\s]+:[^#\n]*#\s*$/);
  await page.locator('[role=tabpanel]:not([hidden]) .xterm').click();
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
  await expect.poll(() => terminalText(page)).toMatch(expectOutput);
  return terminalText(page);
}

export async function snap(page: Page, testInfo: TestInfo, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  const path = `${SCREENSHOTS}web-${name}.png`;
  // The app scrolls inside <main> (the exam fills the window): let the page grow for a full shot.
  const grow = 'html,body,#app{height:auto!important} main{overflow:visible!important}';
  if (options.fullPage) await page.evaluate((css) => document.head.insertAdjacentHTML('beforeend', `<style id="e2e-grow">${css}</style>`), grow);
  await page.screenshot({ path, fullPage: options.fullPage });
  if (options.fullPage) await page.evaluate(() => document.getElementById('e2e-grow')?.remove());
  await testInfo.attach(name, { path, contentType: 'image/png' });
}
