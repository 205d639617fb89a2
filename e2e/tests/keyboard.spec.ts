// A learner who uses only the keyboard answers, checks and submits a test: the terminal never
// takes focus by itself, Tab completes in the shell but Esc then Tab leaves it, Next moves focus
// to the new question's heading, the host tabs are a tablist driven by the arrow keys, more
// shells of a host are shells of their own, and the submit dialog works from the keyboard.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { adminSession, setUpRoutingTest, signUpLearnerInBrowser, unique } from '../support/praxis-api';
import { e2eLab } from '../support/lab';
import { snap, terminalText } from '../support/web-page';

test.use({ viewport: { width: 1280, height: 800 } });

const inTerminal = (page: Page) => page.evaluate(() => Boolean(document.activeElement?.closest('.xterm')));
const isFocused = (target: Locator) => target.evaluate((el) => el === document.activeElement);

/** Presses Tab (or Shift+Tab) until `target` has focus, leaving a terminal the documented way (Esc, Tab). */
async function tabTo(page: Page, target: Locator, back = false) {
  for (let i = 0; i < 80; i++) {
    if (await isFocused(target)) return;
    if (await inTerminal(page)) await page.keyboard.press('Escape');
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${String(target)}`);
}

test('keyboard only: answer, check and submit a test', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const admin = await adminSession();
  const title = unique('Keyboard routing');
  const setup = await setUpRoutingTest(admin, { title, questions: ['list-interfaces', 'address-of-a', 'route-on-a'], timeLimitSeconds: 900 });
  await admin.dispose();
  const { base } = e2eLab();
  await page.goto(`${base}/`);
  await signUpLearnerInBrowser(page.request, 'Kim Keyboard', setup.inviteCode);
  await page.goto(`${base}/`);
  await expect(page.getByRole('heading', { name: 'My tests' })).toBeVisible();

  // Home -> briefing -> start, by Tab and Enter.
  await tabTo(page, page.getByRole('link', { name: `Start ${title}` }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeFocused();
  await tabTo(page, page.getByRole('button', { name: 'Start the clock' }));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('countdown')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('terminal-status-a')).toContainText('host-a: connected');
  // The terminal did not take focus when the exam opened.
  expect(await inTerminal(page)).toBe(false);

  // Question 1 (choice): Tab to the options, Space chooses one.
  await tabTo(page, page.getByRole('radio', { name: 'ip link' }));
  await page.keyboard.press('Space');
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();

  // Next moves focus to the next question's heading.
  await tabTo(page, page.getByRole('button', { name: 'Next →' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Question 2 of 3' })).toBeFocused();

  // The terminal, by its shortcut: Tab completes in the shell and keeps focus there.
  await page.keyboard.press('Alt+Shift+T');
  expect(await inTerminal(page)).toBe(true);
  await page.keyboard.type('hostnam');
  await page.keyboard.press('Tab');
  await expect.poll(() => terminalText(page)).toMatch(/hostname\s*$/m);
  expect(await inTerminal(page)).toBe(true);
  await page.keyboard.press('Enter');
  await expect.poll(() => terminalText(page)).toMatch(/^host-a$/m);
  await page.keyboard.type('ip -4 -o addr show dev eth0');
  await page.keyboard.press('Enter');
  await expect.poll(() => terminalText(page)).toMatch(/inet 192\.168\.1\.5\/24/);
  // Esc then Shift+Tab hands focus back to the page (here: the tab bar before the terminal).
  await page.keyboard.press('Escape');
  await page.keyboard.press('Shift+Tab');
  expect(await inTerminal(page)).toBe(false);
  // The shell got no stray Escape: the next line runs as typed.
  await page.keyboard.press('Alt+Shift+T');
  await page.keyboard.type('echo after-$((20+22))');
  await page.keyboard.press('Enter');
  await expect.poll(() => terminalText(page)).toMatch(/^after-42$/m);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  expect(await inTerminal(page)).toBe(false);

  // Back to the question: type the answer.
  await page.keyboard.press('Alt+Shift+Q');
  await expect(page.getByRole('heading', { name: 'Question 2 of 3' })).toBeFocused();
  await tabTo(page, page.getByLabel('Your answer', { exact: true }));
  await page.keyboard.type('192.168.1.5');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();

  // Question 3 (task): its host is named as the terminal tab names it.
  await page.keyboard.press('Alt+Shift+N');
  await expect(page.getByRole('heading', { name: 'Question 3 of 3' })).toBeFocused();
  await expect(page.getByRole('button', { name: 'Open the terminal of host-a' })).toBeVisible();

  // The host tabs: a tablist; the arrow keys move between hosts and focus stays on the tab.
  const tabs = page.getByRole('tablist', { name: 'Hosts' });
  await tabTo(page, tabs.getByRole('tab', { name: 'host-a' }));
  await page.keyboard.press('ArrowRight');
  await expect(tabs.getByRole('tab', { name: 'host-b' })).toHaveAttribute('aria-selected', 'true');
  await expect(tabs.getByRole('tab', { name: 'host-b' })).toBeFocused();
  await page.keyboard.press('End');
  await expect(tabs.getByRole('tab', { name: 'host-c' })).toBeFocused();
  await page.keyboard.press('Home');
  await expect(tabs.getByRole('tab', { name: 'host-a' })).toHaveAttribute('aria-selected', 'true');
  expect(await inTerminal(page)).toBe(false);

  // A second shell on host-a: its own shell (another pid), its own tab.
  await tabTo(page, page.getByRole('button', { name: '+ New shell on host-a' }));
  await page.keyboard.press('Enter');
  await expect(tabs.getByRole('tab', { name: 'host-a (2)' })).toBeFocused();
  await expect(page.getByTestId('terminal-status-a-2')).toContainText('host-a (2): connected');
  await page.keyboard.press('Alt+Shift+T');
  await page.keyboard.type('echo "second=$$"');
  await page.keyboard.press('Enter');
  await expect.poll(() => terminalText(page)).toMatch(/^second=\d+$/m);
  const second = /^second=(\d+)$/m.exec(await terminalText(page))![1];
  await page.keyboard.press('Escape');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await tabTo(page, tabs.getByRole('tab', { name: 'host-a (2)' }), true);
  await page.keyboard.press('ArrowLeft');
  await expect(tabs.getByRole('tab', { name: 'host-a', exact: true })).toHaveAttribute('aria-selected', 'true');

  // Do the task in the first shell, then Check from the keyboard.
  await page.keyboard.press('Alt+Shift+T');
  await page.keyboard.type('echo "first=$$"; ip route add 192.168.2.0/24 via 192.168.1.6 && echo route-added');
  await page.keyboard.press('Enter');
  await expect.poll(() => terminalText(page)).toMatch(/^route-added$/m);
  expect(/^first=(\d+)$/m.exec(await terminalText(page))![1]).not.toBe(second);
  await page.keyboard.press('Alt+Shift+Q');
  await tabTo(page, page.getByRole('button', { name: 'Check', exact: true }));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('check-result')).toContainText('Check passed');
  // Practice: a passed task shows its solution.
  await expect(page.getByTestId('solution')).toContainText('ip route replace 192.168.2.0/24');
  await snap(page, testInfo, 'exam-keyboard');

  // The shortcuts are listed on the page and in a dialog.
  await expect(page.getByText('Esc then Tab leaves the terminal')).toBeVisible();
  await page.keyboard.press('Alt+Shift+K');
  await expect(page.getByRole('dialog', { name: 'Shortcuts' })).toContainText('Esc, Tab');
  await page.keyboard.press('Escape');

  // Submit from the keyboard: the dialog keeps focus inside; Escape closes it, Enter submits.
  await tabTo(page, page.getByRole('button', { name: 'Submit…' }), true);
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Submit your answers?' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Every question with an answer field is answered');
  await tabTo(page, dialog.getByRole('button', { name: 'Submit now' }));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('score')).toContainText('4', { timeout: 60_000 });
  await expect(page.getByTestId('score')).toContainText('/ 4 points');
  await expect(page.getByRole('heading', { name: `Result: ${title}` })).toBeVisible();
});
