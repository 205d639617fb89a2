// The timer: a short test runs out on its own; the countdown turns urgent, the page says the
// test was submitted automatically, and the graded result opens without the learner doing anything.
import { expect, test } from '@playwright/test';
import { adminSession, setUpRoutingTest, signUpLearnerInBrowser } from '../support/praxis-api';
import { e2eLab } from '../support/lab';
import { snap } from '../support/web-page';

test.use({ viewport: { width: 1280, height: 800 } });

test('timer: a 20-second test expires by itself and shows the graded result', async ({ page }, testInfo) => {
  const admin = await adminSession();
  const setup = await setUpRoutingTest(admin, { title: 'Twenty seconds', questions: ['forwarding-file', 'address-of-a'], timeLimitSeconds: 20 });
  await admin.dispose();
  await page.goto(`${e2eLab().base}/`);
  await signUpLearnerInBrowser(page.request, 'Tim Timer');
  // The instructor's join link: opening it joins the cohort.
  await page.goto(`${e2eLab().base}/#/join/${setup.inviteCode}`);
  await page.reload(); // the app reads the new session at load
  await expect(page.getByRole('status').filter({ hasText: 'You joined' })).toBeVisible();

  // Hold the progress stream back a moment so the provisioning screen can be seen and captured
  // (the lab itself is ready in about a second).
  await page.route('**/api/attempts/*/events', async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  await page.getByRole('link', { name: 'Start Twenty seconds' }).click();
  await page.getByRole('button', { name: 'Start the clock' }).click();
  await expect(page.getByRole('heading', { name: 'Preparing your lab' })).toBeVisible();
  await expect(page.getByRole('progressbar', { name: 'Lab preparation' })).toBeVisible();
  await snap(page, testInfo, 'exam-provisioning');
  const clock = page.getByTestId('countdown');
  await expect(clock).toBeVisible({ timeout: 60_000 });
  // Urgent from the start in so short a test (the last 30 s are urgent).
  await expect(clock).toHaveClass(/urgent/);
  await page.getByLabel('Your answer', { exact: true }).fill('/proc/sys/net/ipv4/ip_forward');
  await page.getByLabel('Your answer', { exact: true }).press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await expect.poll(async () => Number(await clock.getAttribute('data-seconds')), { timeout: 25_000 }).toBeLessThanOrEqual(12);
  await snap(page, testInfo, 'exam-urgent-countdown');

  // Nobody clicks anything from here on.
  await expect(page.getByRole('alert').filter({ hasText: 'Time is up' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('heading', { name: /^Result: Twenty seconds/ })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('Time ran out: the test was submitted automatically')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'submitted automatically and graded' })).toBeVisible();
  await expect(page.getByTestId('score')).toContainText('/ 2 points');
  await expect(page.getByTestId('result-question').first()).toContainText('✓ passed');
  await expect(page.getByTestId('result-question').nth(1)).toContainText('✗ not passed');
  await snap(page, testInfo, 'result-after-timeout');
});

test('timer: alerts at 5 minutes left, visible and announced, and dismissable', async ({ page }, testInfo) => {
  const admin = await adminSession();
  // Just over five minutes: the 5-minute alert comes a few seconds in (the 30 and 15 never do).
  const setup = await setUpRoutingTest(admin, { title: 'Five minutes', questions: ['forwarding-file'], timeLimitSeconds: 304 });
  await admin.dispose();
  await page.goto(`${e2eLab().base}/`);
  await signUpLearnerInBrowser(page.request, 'Alma Alert', setup.inviteCode);
  await page.goto(`${e2eLab().base}/#/tests/${setup.testId}/start`);
  await page.reload(); // the app reads the new session at load
  await page.getByRole('button', { name: 'Start the clock' }).click();
  await expect(page.getByTestId('countdown')).toBeVisible({ timeout: 60_000 });
  const alert = page.getByRole('alert').filter({ hasText: '5 minutes left.' });
  await expect(alert).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('alert').filter({ hasText: '15 minutes left.' })).toHaveCount(0);
  await snap(page, testInfo, 'exam-time-alert');
  await alert.getByRole('button', { name: 'Dismiss' }).click();
  await expect(alert).toBeHidden();
});
