// An instructor runs the authoring test of the routing lab from the bank version page: the button,
// the live progress, then the results table with every row ok and the totals.
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { adminSession, ROUTING_LAB_DIR, unique } from '../support/praxis-api';
import { e2eLab } from '../support/lab';
import { snap } from '../support/web-page';

const SURPRISING_LAB_DIR = fileURLToPath(new URL('../fixtures/surprising-lab', import.meta.url));

test.use({ viewport: { width: 1280, height: 800 } });

test('instructor: run the authoring test of a bank version and read its table', async ({ page }, testInfo) => {
  // The reference lab's spoof fixtures each get fresh machines, one at a time.
  test.setTimeout(360_000);
  const lab = e2eLab();
  const admin = await adminSession();
  const bank = await admin.send<{ bankId: string; version: number }>('POST', '/api/banks/import', { slug: unique('e2e-authoring'), path: ROUTING_LAB_DIR, publish: false });

  await page.goto(`${lab.base}/#/banks/${bank.bankId}/versions/${bank.version}`);
  await page.getByLabel('Email').fill(lab.admin.email);
  await page.getByLabel('Password').fill(lab.admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.goto(`${lab.base}/#/banks/${bank.bankId}/versions/${bank.version}`);
  await expect(page.getByRole('heading', { name: 'Authoring test' })).toBeVisible();

  // From the keyboard: focus the button and press Enter.
  const button = page.getByRole('button', { name: 'Run authoring test' });
  await button.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('authoring-status')).toHaveText('running');
  await expect(page.getByRole('button', { name: 'Running…' })).toBeDisabled();
  await snap(page, testInfo, 'authoring-test-running');

  const table = page.getByRole('table', { name: 'Authoring test results' });
  await expect(table).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('authoring-status')).toHaveText('every row passed', { timeout: 240_000 });
  await expect(page.getByTestId('authoring-totals')).toContainText('1/1 lab(s) done · 11 ok · 0 surprise(s) of 11 questions');
  await expect(table.getByRole('row', { name: /✓ ok route-on-a task failed passed/ })).toBeVisible();
  await expect(table.getByRole('row', { name: /router-mac answer .*02:42:c0:a8:01:06 02:42:c0:a8:01:06/ })).toBeVisible();
  await expect(table.getByRole('row', { name: /surprise/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Run authoring test' })).toBeEnabled();
  await page.getByRole('heading', { name: 'Authoring test' }).scrollIntoViewIfNeeded();
  await snap(page, testInfo, 'authoring-test', { fullPage: true });

  // A lab whose check passes on fresh machines: the row is a surprise, with its reason.
  const broken = await admin.send<{ bankId: string; version: number }>('POST', '/api/banks/import', { slug: unique('e2e-surprising'), path: SURPRISING_LAB_DIR, publish: false });
  await page.goto(`${lab.base}/#/banks/${broken.bankId}/versions/${broken.version}`);
  await page.getByRole('button', { name: 'Run authoring test' }).click();
  await expect(page.getByTestId('authoring-status')).toHaveText('surprises found', { timeout: 60_000 });
  const rows = page.getByRole('table', { name: 'Authoring test results' });
  await expect(rows.getByRole('row', { name: /✗ surprise passes-fresh task passed/ })).toContainText('the check passes on fresh machines, so it grades nothing');
  await expect(rows.getByRole('row', { name: /✗ surprise hostname answer/ })).toContainText('computed "solo-host" but the reference is "not-the-hostname"');
  await expect(page.getByTestId('authoring-totals')).toContainText('1 ok · 2 surprise(s) of 3 questions');
  await snap(page, testInfo, 'authoring-test-surprise');
});
