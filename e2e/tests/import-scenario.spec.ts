// An instructor brings a Killercoda scenario to Praxis from the web: an archive that holds none is
// refused with a sentence naming what is missing; the scenario's archive becomes a draft bank
// version whose import report (per lab and step: not mapped, to review, adapted, mapped, each
// with its file and reason) shows at once and again on the version's page, which publishes it.
// Ends on the admin page's Docker engines panel (state, load and nodes running per engine, as a chart and a table).
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { unique } from '../support/praxis-api';
import { e2eLab } from '../support/lab';
import { snap } from '../support/web-page';

const KILLERCODA = fileURLToPath(new URL('../../packages/labs/test/fixtures/killercoda', import.meta.url));

test.use({ viewport: { width: 1280, height: 800 } });

test('instructor: upload a Killercoda scenario, read its import report, publish it; admin: the engines', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  const lab = e2eLab();
  await page.goto(`${lab.base}/#/banks`);
  await page.getByLabel('Email').fill(lab.admin.email);
  await page.getByLabel('Password').fill(lab.admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Question banks' })).toBeVisible();
  await mkdir(testInfo.outputDir, { recursive: true });

  // An archive with no scenario in it: refused, saying what is missing and where it looked.
  const empty = join(testInfo.outputDir, 'no-scenario');
  await mkdir(empty, { recursive: true });
  await writeFile(join(empty, 'README.md'), '# nothing here\n');
  const emptyArchive = join(testInfo.outputDir, 'no-scenario.tar.gz');
  execFileSync('tar', ['-czf', emptyArchive, '-C', empty, '.']);
  await page.getByLabel('Bank slug').fill(unique('kc'));
  await page.getByLabel('What the folder or archive holds').selectOption('killercoda');
  await expect(page.getByText(/Each scenario \(a folder with index\.json/)).toBeVisible();
  await page.getByRole('radio', { name: 'Upload an archive' }).check();
  await page.getByLabel('Archive of the bank folder').setInputFiles(emptyArchive);
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByRole('alert')).toContainText('the archive holds no Killercoda scenario: no index.json at its top or in its folders');

  // The scenario, as a draft: the report shows what was converted and what was not, per step.
  const slug = unique('kc');
  const archive = join(testInfo.outputDir, 'app-config.tar.gz');
  execFileSync('tar', ['-czf', archive, '-C', KILLERCODA, 'app-config']);
  await page.getByLabel('Bank slug').fill(slug);
  await page.getByLabel('Title (optional)').fill(`Imported ${slug}`);
  await page.getByLabel('Archive of the bank folder').setInputFiles(archive);
  await page.getByRole('checkbox', { name: 'Publish this version at once' }).uncheck();
  await page.getByRole('button', { name: 'Import' }).click();
  // Converting runs in a worker thread that may take a while to start on a busy machine.
  await expect(page.getByRole('status').filter({ hasText: 'Imported version 1' })).toContainText('3 questions', { timeout: 120_000 });
  const report = page.getByRole('region', { name: /Lab app-config from the Killercoda scenario/ });
  await expect(report.getByRole('heading', { name: /from the Killercoda scenario app-config/ })).toBeVisible();
  await expect(report.getByText(/\d+ not mapped/).first()).toBeVisible();
  await expect(report.getByText('interface.layout "ide"', { exact: false })).toBeVisible();
  // Step 2 is open (its verify needs a review), and says its background became a stage's setup.
  const step2 = report.locator('details', { hasText: 'step2' });
  await expect(step2).toHaveAttribute('open', '');
  await expect(step2.getByText('step2/background.sh')).toBeVisible();
  await expect(step2.getByText(/became the setup of stage "step-2", run on "host01" when task "create-the-greeting-file" passes a Check/)).toBeVisible();
  await snap(page, testInfo, 'banks-import-report', { fullPage: true });

  // The draft's page keeps the report beside the Publish button; publishing keeps it.
  await page.getByRole('link', { name: 'Open version 1' }).click();
  await expect(page.getByRole('heading', { name: 'Bank version 1' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Import report' })).toBeVisible();
  await expect(page.getByText(/These labs were converted from another platform\. Read what was not mapped/)).toBeVisible();
  await expect(page.getByRole('row', { name: /create-the-greeting-file Task on the machines/ })).toBeVisible();
  await snap(page, testInfo, 'bank-version-import-report', { fullPage: true });
  await page.getByRole('button', { name: 'Publish' }).click();
  await expect(page.getByText(/^published /)).toBeVisible();
  await expect(page.getByRole('region', { name: /Lab app-config from the Killercoda scenario/ })).toBeVisible();

  // The admin page: each engine with its state, load and the lab nodes running on it (the run's
  // two-node lab at least).
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Docker engines' })).toBeVisible();
  const engines = page.getByRole('table', { name: 'Docker engines' });
  await expect(engines.getByRole('row', { name: /default .* up/ })).toBeVisible();
  await expect(engines.getByRole('columnheader', { name: 'Nodes running' })).toBeVisible();
  await expect(page.getByRole('img', { name: /Lab instances and running nodes per engine: default: .*Nodes running ([2-9]|\d\d+)/ })).toBeVisible();
  await snap(page, testInfo, 'admin-engines', { fullPage: true });
});
