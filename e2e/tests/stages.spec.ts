// A lab in two stages in the real web app (packages/grader/test/fixtures/staged-lab): the second
// part's questions show locked (their stage, what opens them) with nothing to answer; the learner
// turns on forwarding on B in the terminal and presses Check, which says the next part opened;
// the stage's setup took A's address away (seen in A's terminal), the learner brings it back, and
// the result page ends with the lab's finish text.
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { adminSession, ApiSession, setUpLabTest } from '../support/praxis-api';
import { e2eLab } from '../support/lab';
import { runInTerminal, snap } from '../support/web-page';

const STAGED_LAB_DIR = fileURLToPath(new URL('../../packages/grader/test/fixtures/staged-lab', import.meta.url));

test.use({ viewport: { width: 1280, height: 800 } });

test('stages: a locked part opens when its task passes Check, its setup runs, and the result ends with the finish text', async ({ page }, testInfo) => {
  const admin = await adminSession();
  // Only the second part's questions are picked: the task that opens them comes along as question 1.
  const setup = await setUpLabTest(admin, STAGED_LAB_DIR, 'staged-lab', { title: 'Staged practice', questions: ['restore-a', 'why-down'], timeLimitSeconds: 900 });
  await admin.dispose();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.stack ?? String(error)));
  await page.goto(`${e2eLab().base}/`);
  const api = new ApiSession(page.request);
  await api.signUp('Stella Staged');
  await api.send('POST', '/api/cohorts/join', { code: setup.inviteCode });
  await page.reload();
  await page.getByRole('row', { name: /Staged practice/ }).getByRole('link', { name: 'Start Staged practice' }).click();
  await page.getByRole('button', { name: 'Start the clock' }).click();
  await expect(page.getByRole('tab', { name: 'host-b' })).toBeVisible({ timeout: 60_000 });

  // Question 1 says its Check opens the next part.
  await expect(page.getByRole('heading', { name: /Question 1 of 3/ })).toBeVisible();
  await expect(page.getByTestId('check-unlocks')).toContainText('opens the next part of the lab');

  // Question 2 is locked: the stage's title and what opens it, no prompt, no Check.
  await page.getByRole('button', { name: 'Next →' }).click();
  const locked = page.getByTestId('locked-question');
  await expect(locked.getByRole('heading', { name: 'Locked: Part 2: the outage' })).toBeVisible();
  await expect(locked).toContainText('This part opens when you pass question 1: press Check there once it is done.');
  await expect(page.locator('article.question')).not.toContainText('bring back');
  await expect(page.getByRole('button', { name: 'Check', exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Show the solution' })).toHaveCount(0);
  await snap(page, testInfo, 'stages-locked');
  await page.getByRole('button', { name: /Questions \(2\/3\)/ }).click();
  await expect(page.getByRole('navigation', { name: 'Questions' }).getByRole('button', { name: /^3/ })).toContainText('Part 2: the outage');
  await expect(page.getByRole('navigation', { name: 'Questions' }).getByRole('button', { name: /^3/ })).toContainText('locked');
  await snap(page, testInfo, 'stages-locked-list');
  await page.getByRole('button', { name: 'Hide' }).click();

  // Do question 1 in B's terminal and Check it: the next part opens.
  await locked.getByRole('button', { name: 'Go to question 1' }).click();
  await page.getByRole('tab', { name: 'host-b' }).click();
  await runInTerminal(page, 'b', 'echo 1 > /proc/sys/net/ipv4/ip_forward; cat /proc/sys/net/ipv4/ip_forward', /^1$/m);
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(page.getByTestId('check-result')).toContainText('Check passed', { timeout: 60_000 });
  await expect(page.getByTestId('stage-note')).toHaveText('Part 2: the outage is open: its questions are unlocked.');

  // Question 2 is open now, and the stage's setup really ran: A lost its address.
  await page.getByRole('button', { name: 'Next →' }).click();
  await expect(page.getByTestId('locked-question')).toHaveCount(0);
  await expect(page.locator('article.question')).toContainText('Something happened to A: bring back its address 192.168.50.5/24 on eth0.');
  await page.getByRole('tab', { name: 'host-a' }).click();
  await runInTerminal(page, 'a', 'ip -4 -o addr show dev eth0 | grep -c 192.168.50.5 || echo "no address"', /^no address$/m);
  await snap(page, testInfo, 'stages-unlocked');
  await runInTerminal(page, 'a', 'ip addr add 192.168.50.5/24 dev eth0 && echo restored', /^restored$/m);
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(page.getByTestId('check-result')).toContainText('Check passed');
  await page.getByRole('button', { name: 'Next →' }).click();
  await page.getByRole('radio', { name: 'A lost its address on eth0' }).check();
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();

  // Submit: full marks, and the lab's finish text closes the result.
  await page.getByRole('button', { name: 'Submit…' }).click();
  await page.getByRole('dialog', { name: 'Submit your answers?' }).getByRole('button', { name: 'Submit now' }).click();
  await expect(page.getByRole('heading', { name: 'Result: Staged practice' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('score')).toContainText('/ 3 points');
  await expect(page.getByTestId('score')).toContainText('3');
  const finish = page.getByRole('region', { name: 'Closing words' });
  await expect(finish).toContainText('Well done: you survived the outage. Next, try the routing lab.');
  await expect(finish.locator('strong')).toHaveText('Well done');
  await snap(page, testInfo, 'stages-result', { fullPage: true });
  expect(pageErrors).toEqual([]);
});
