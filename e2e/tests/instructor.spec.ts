// An instructor in the real web app: a broken bank is refused with its errors by file and line,
// the course lab is uploaded as an archive and browsed, a test is composed (exam mode, no machine
// set kept ready ahead), edited, and assigned to a cohort with a due date; once a learner has
// taken it, the dashboard shows the result with its charts and the CSV export holds the same row;
// watch and replay name the learner.
// A test is closed and unassigned. Ends on the admin page (a role change that asks first).
import { execFileSync } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ApiSession, BROKEN_BANK_DIR, ROUTING_LAB_DIR, unique } from '../support/praxis-api';
import { e2eLab } from '../support/lab';
import { snap } from '../support/web-page';

test.use({ viewport: { width: 1280, height: 800 } });

test('instructor: import (and refuse a broken bank), compose, assign, watch the dashboard, export CSV', async ({ page }, testInfo) => {
  const lab = e2eLab();
  await page.goto(`${lab.base}/#/banks`);
  await page.getByLabel('Email').fill(lab.admin.email);
  await page.getByLabel('Password').fill(lab.admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Question banks' })).toBeVisible();

  // A broken bank: refused whole, each error with its file and line.
  await page.getByLabel('Bank slug').fill(unique('broken'));
  await page.getByLabel('Folder path on the server (inside its import folder, PRAXIS_IMPORT_ROOT)').fill(BROKEN_BANK_DIR);
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByRole('alert')).toContainText('the import was refused whole');
  const errors = page.getByRole('table', { name: 'Validation errors' });
  await expect(errors.getByRole('row', { name: /bad-lab lab\.yaml 3 difficulty/ })).toBeVisible();
  await snap(page, testInfo, 'banks-import-refused');

  // The course's routing lab, uploaded as an archive, then browsed.
  const slug = unique('course');
  const archive = join(testInfo.outputDir, 'routing-lab.tar.gz');
  await mkdir(testInfo.outputDir, { recursive: true });
  execFileSync('tar', ['-czf', archive, '-C', dirname(ROUTING_LAB_DIR), basename(ROUTING_LAB_DIR)]);
  await page.getByLabel('Bank slug').fill(slug);
  await page.getByLabel('Title (optional)').fill(`Networking ${slug}`);
  await page.getByRole('radio', { name: 'Upload an archive' }).check();
  await page.getByLabel('Archive of the bank folder').setInputFiles(archive);
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Imported version 1' })).toContainText('11 questions');
  await page.getByRole('row', { name: new RegExp(slug) }).getByRole('link', { name: 'v1' }).click();
  await expect(page.getByRole('heading', { name: 'Bank version 1' })).toBeVisible();
  await expect(page.getByRole('row', { name: /route-on-a Task on the machines/ })).toBeVisible();
  await snap(page, testInfo, 'bank-version');

  // Compose a test of two fixed questions.
  const title = unique('Quick quiz');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tests', exact: true }).click();
  await page.getByLabel('Title', { exact: true }).fill(title);
  await page.getByLabel('Bank').selectOption({ label: `Networking ${slug} (${slug})` });
  await page.getByRole('checkbox', { name: /list-interfaces/ }).check();
  await page.getByRole('checkbox', { name: /forwarding-file/ }).check();
  await expect(page.getByText('2 picked')).toBeVisible();
  // The form lists the questions in the lab's order (list-interfaces is the lab's first).
  await expect(page.getByRole('group', { name: /Pick the questions/ }).getByRole('checkbox').first()).toHaveAccessibleName(/^list-interfaces/);
  await page.getByLabel('Time limit (minutes)').fill('10');
  await page.getByLabel('Attempts allowed').fill('2');
  await page.getByRole('radio', { name: /^Exam/ }).check();
  // No machine set kept ready ahead for this test (the lab's and the server's settings otherwise).
  await page.getByLabel('Machines kept ready (optional)').fill('0');
  await page.getByRole('button', { name: 'Create test' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Created "${title}"` })).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(title) })).toContainText('2 fixed');
  await expect(page.getByRole('row', { name: new RegExp(title) })).toContainText('0 kept ready');
  await expect(page.getByRole('row', { name: new RegExp(title) })).toContainText('Exam');
  // Edit it: the form fills with the test, a change is saved.
  await page.getByRole('button', { name: `Edit ${title}` }).click();
  await expect(page.getByRole('heading', { name: `Edit "${title}"` })).toBeFocused();
  await expect(page.getByLabel('Time limit (minutes)')).toHaveValue('10');
  await expect(page.getByLabel('Machines kept ready (optional)')).toHaveValue('0');
  await page.getByLabel('Time limit (minutes)').fill('12');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Saved "${title}"` })).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(title) })).toContainText('12 min');
  await snap(page, testInfo, 'tests-compose', { fullPage: true });

  // A cohort, and the test assigned to it with a due date.
  const cohortName = unique('Cohort');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cohorts', exact: true }).click();
  await page.getByLabel('New cohort name').fill(cohortName);
  await page.getByRole('button', { name: 'Create cohort' }).click();
  await page.getByRole('link', { name: cohortName }).click();
  await page.getByLabel('Test', { exact: true }).selectOption({ label: title });
  await page.getByLabel('Due (optional)').fill('2030-06-01T12:00');
  await page.getByRole('button', { name: 'Assign' }).click();
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  const inviteCode = (await page.locator('.head code').innerText()).trim();

  // A learner takes it through the API: one right answer, one wrong.
  const learner = await ApiSession.create();
  const account = await learner.signUp('Dana Dashboard');
  await learner.send('POST', '/api/cohorts/join', { code: inviteCode });
  const { assignments } = await learner.send<{ assignments: { testId: string; title: string }[] }>('GET', '/api/me/assignments');
  const testId = assignments.find((a) => a.title === title)!.testId;
  const attempt = await learner.send<{ id: string }>('POST', `/api/tests/${testId}/attempts`);
  await expect.poll(async () => (await learner.send<{ status: string }>('GET', `/api/attempts/${attempt.id}`)).status, { timeout: 60_000 }).toBe('active');
  // While it runs, the instructor watches the learner's terminals, read-only.
  await page.reload();
  await page.getByRole('table', { name: `Attempts of ${title}` }).getByRole('link', { name: 'Watch terminal' }).click();
  await expect(page.getByRole('heading', { name: `Dana Dashboard: ${title}` })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'host-a' })).toBeVisible();
  await expect(page.getByTestId('terminal-status-a')).toContainText('connected (watching, read-only)');
  await expect(page.getByRole('status').filter({ hasText: 'live' })).toBeVisible();
  await snap(page, testInfo, 'watch-attempt');
  await page.goBack();

  const view = await learner.send<{ questions: { position: number; kind: string }[] }>('GET', `/api/attempts/${attempt.id}`);
  for (const q of view.questions) {
    await learner.send('PUT', `/api/attempts/${attempt.id}/answers/${q.position}`, { answer: q.kind === 'choice' ? ['a'] : '/etc/hosts' });
  }
  await learner.send('POST', `/api/attempts/${attempt.id}/submit`);
  await learner.dispose();

  // The dashboard: the learner's row, the histogram and the pass-rate bars.
  await page.reload();
  const progress = page.getByRole('table', { name: `Progress of ${title}` });
  await expect(progress.getByRole('row', { name: /Dana Dashboard/ })).toContainText('submitted');
  await expect(progress.getByRole('row', { name: /Dana Dashboard/ })).toContainText('1 / 2');
  await expect(page.getByRole('table', { name: `Attempts of ${title}` }).getByRole('row', { name: /Dana Dashboard graded/ })).toContainText('1 / 2');
  // The charts carry their values in their accessible names (Chart.js draws on a canvas).
  await expect(page.getByRole('img', { name: /^Score distribution: .*50–59%: 1;/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /^Pass rate per question.*0% \(0\/1\).*100% \(1\/1\)/ })).toBeVisible();
  await snap(page, testInfo, 'cohort-dashboard', { fullPage: true });

  // Replay: the terminal the instructor watched was recorded; it plays in a read-only terminal.
  await page.getByRole('table', { name: `Attempts of ${title}` }).getByRole('row', { name: /Dana Dashboard/ }).getByRole('link', { name: 'Replay terminal' }).click();
  await expect(page.getByRole('heading', { name: new RegExp(`Terminal replay: Dana Dashboard, ${title}`) })).toBeVisible();
  // The watch page opened a terminal per node: one recording each, each replaying its prompt.
  const recordings = page.getByRole('navigation', { name: 'Recordings' }).getByRole('button');
  await expect(recordings).toHaveCount(3);
  await expect(page.getByRole('slider', { name: 'Progress' })).toBeVisible();
  const screen = () =>
    page.evaluate(() => {
      const term = (window as unknown as { praxisReplay?: { term: { buffer: { active: { length: number; getLine(i: number): { translateToString(trimRight?: boolean): string } | undefined } } } } }).praxisReplay?.term;
      if (!term) return '';
      const b = term.buffer.active;
      return Array.from({ length: b.length }, (_, i) => b.getLine(i)?.translateToString(true) ?? '').join('\n');
    });
  for (const node of ['a', 'b', 'c']) {
    await recordings.filter({ hasText: `host-${node}` }).click();
    await expect(recordings.filter({ hasText: `host-${node}` })).toHaveAttribute('aria-current', 'true');
    await expect.poll(screen).toMatch(new RegExp(`root@host-${node}:~#`));
  }
  await page.getByRole('button', { name: '2×' }).click();
  await expect(page.getByRole('button', { name: '2×' })).toHaveAttribute('aria-pressed', 'true');
  await snap(page, testInfo, 'replay');
  await page.goBack();

  // CSV export: the same learner and score.
  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export CSV' }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/-results\.csv$/);
  const csv = await readFile(await download.path(), 'utf8');
  expect(csv.split('\n')[0]).toMatch(/email/i);
  expect(csv).toContain(account.email);

  // Close the test (nobody can start it any more) and unassign it from the cohort.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tests', exact: true }).click();
  await page.getByRole('button', { name: `Close ${title}` }).click();
  const closeDialog = page.getByRole('dialog', { name: `Close "${title}"?` });
  await expect(closeDialog).toContainText('No one can start it from now on');
  await closeDialog.getByRole('button', { name: 'Close the test' }).click();
  await expect(page.getByRole('row', { name: new RegExp(title) })).toContainText('closed');
  await expect(page.getByRole('button', { name: `Reopen ${title}` })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cohorts', exact: true }).click();
  await page.getByRole('link', { name: cohortName }).click();
  await page.getByRole('button', { name: `Unassign ${title}` }).click();
  await page.getByRole('dialog', { name: `Unassign "${title}"?` }).getByRole('button', { name: 'Unassign' }).click();
  await expect(page.getByRole('status').filter({ hasText: `"${title}" is no longer assigned to this cohort.` })).toBeVisible();
  await expect(page.getByRole('heading', { name: title })).toHaveCount(0);

  // Admin: accounts and capacity; a role change asks first and says it is saved.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Capacity' })).toBeVisible();
  await expect(page.getByRole('row', { name: /Dana Dashboard/ })).toBeVisible();
  await expect(page.getByText('Waiting in the queue')).toBeVisible();
  await page.getByLabel('Role of Dana Dashboard').selectOption('instructor');
  const roleDialog = page.getByRole('dialog', { name: 'Change the role of Dana Dashboard?' });
  await expect(roleDialog).toContainText('becomes an instructor');
  await snap(page, testInfo, 'admin-role-confirm');
  await roleDialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByLabel('Role of Dana Dashboard')).toHaveValue('learner');
  await page.getByLabel('Role of Dana Dashboard').selectOption('instructor');
  await roleDialog.getByRole('button', { name: 'Make instructor' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Dana Dashboard is now instructor.' })).toBeVisible();
  await snap(page, testInfo, 'admin');
});
