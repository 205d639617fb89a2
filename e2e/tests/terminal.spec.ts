// A learner types into the xterm.js terminal in real Chromium and reads the node's answer from
// the page; the connection is dropped and comes back without repeating the screen.
import { expect, test, type Page } from '@playwright/test';
import { e2eLab, terminalPageUrl } from '../support/lab';

const screenshots = new URL('../screenshots/', import.meta.url).pathname;


async function screenText(page: Page): Promise<string> {
  return page.locator('[role=tabpanel]:not([hidden]) .xterm-rows').innerText();
}

test('types into the terminal and reads the output back, across a dropped connection', async ({ page }) => {
  const lab = e2eLab();
  await page.goto(terminalPageUrl(lab));
  await expect(page.getByTestId('terminal-status-a')).toContainText('a: connected');

  // Wait for the shell's prompt, then type like a person would.
  await expect.poll(() => screenText(page)).toMatch(/root@a:~#\s*$/m);
  await page.locator('[role=tabpanel]:not([hidden]) .xterm').click();
  await page.keyboard.type('echo "e2e-$((40+2))" && cd /tmp');
  await page.keyboard.press('Enter');
  await expect.poll(() => screenText(page)).toMatch(/^e2e-42$/m);
  await page.screenshot({ path: `${screenshots}terminal-typed.png` });

  // Drop the socket as a network blip would; the status line says so, and what is typed
  // meanwhile reaches the same shell once it is back.
  await page.evaluate(() => (window as unknown as { praxisTerminals: Record<string, { connection: { drop(): void } }> }).praxisTerminals.a!.connection.drop());
  await expect(page.getByTestId('terminal-status-a')).toContainText('a: reconnecting (attempt 1');
  await page.keyboard.type('echo "back in $(pwd)"');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('terminal-status-a')).toContainText('a: connected');
  await expect.poll(() => screenText(page)).toContain('back in /tmp');
  await page.screenshot({ path: `${screenshots}terminal-reconnected.png` });
  const text = await screenText(page);
  expect(text.match(/^e2e-42$/gm)).toHaveLength(1);

  // The second node is a second tab with its own shell.
  await page.getByRole('tab', { name: 'b' }).click();
  await expect(page.getByTestId('terminal-status-b')).toContainText('b: connected');
  await expect.poll(() => screenText(page)).toMatch(/root@b:~#\s*$/m);
  // Choosing a tab leaves focus on the tab (keyboard users move on with Tab); click to type.
  await expect(page.getByRole('tab', { name: 'b' })).toBeFocused();
  await page.locator('[role=tabpanel]:not([hidden]) .xterm').click();
  await page.keyboard.type('hostname');
  await page.keyboard.press('Enter');
  await expect.poll(() => screenText(page)).toMatch(/^b$/m);
  await page.screenshot({ path: `${screenshots}terminal-tab-b.png` });
});
