// The web app under the server's Content-Security-Policy, in real Chromium: every page of a
// signed-in admin, the API documentation and a live terminal load and work with no policy
// violation reported by the browser; a co-instructor is named from the cohort page.
import { expect, test, type Page } from '@playwright/test';
import { adminSession, unique } from '../support/praxis-api';
import { e2eLab, terminalPageUrl } from '../support/lab';
import { snap } from '../support/web-page';

/** Collects what the browser reports against the policy: console messages and violation events. */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to (load|apply|execute|connect|frame)/i.test(m.text())) violations.push(`console: ${m.text()}`);
  });
  await page.exposeFunction('reportViolation', (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { reportViolation(v: string): void }).reportViolation(`${e.violatedDirective}: ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  return violations;
}

test('pages, the API docs and a live terminal run under the Content-Security-Policy with no violation', async ({ page }, testInfo) => {
  const lab = e2eLab();
  const violations = await watchViolations(page);
  const response = await page.goto(`${lab.base}/#/sign-in`);
  expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
  expect(response?.headers()['x-frame-options']).toBe('DENY');
  await page.getByLabel('Email').fill(lab.admin.email);
  await page.getByLabel('Password').fill(lab.admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'My tests' })).toBeVisible();

  // A cohort of the admin's, to open its dashboard and name a co-instructor there.
  const admin = await adminSession();
  const colleague = `${unique('colleague')}@e2e.praxis.test`;
  await admin.send('POST', '/api/auth/sign-up', { name: 'Colleague', email: colleague, password: 'colleague-password-1' });
  const users = (await admin.send<{ users: { id: string; email: string }[] }>('GET', '/api/users')).users;
  await admin.send('PATCH', `/api/users/${users.find((u) => u.email === colleague)!.id}`, { role: 'instructor' });
  const cohort = await admin.send<{ id: string }>('POST', '/api/cohorts', { name: unique('CSP cohort') });
  await admin.dispose();

  for (const [route, heading] of [
    ['/banks', 'Question banks'],
    ['/tests', 'Tests'],
    ['/cohorts', 'Cohorts'],
    ['/admin', 'Administration'],
    [`/cohorts/${cohort.id}`, /CSP cohort/],
  ] as const) {
    await page.goto(`${lab.base}/#${route}`);
    await expect(page.getByRole('heading', { name: heading }).first()).toBeVisible();
  }
  // On the cohort's page: name the colleague as co-instructor.
  await page.getByText('Co-instructors', { exact: true }).click();
  await page.getByLabel('E-mails of instructor accounts, separated by commas (empty: none)').fill(colleague);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('co-instructors')).toContainText('co-instructors: Colleague');
  await snap(page, testInfo, 'cohort-co-instructors');

  // The API documentation page (Swagger UI) renders its operations.
  await page.goto(`${lab.base}/api/docs`);
  // (Swagger UI breaks paths with zero-width spaces: compare the rendered paths without them.)
  const paths = page.locator('.opblock-summary-path');
  await expect(paths.first()).toBeVisible({ timeout: 30_000 });
  expect((await paths.allTextContents()).map((t) => t.replace(/\u200b/g, ''))).toContain('/api/auth/sign-in');

  // A live terminal: xterm.js renders and the WebSocket connects.
  await page.goto(terminalPageUrl(lab));
  await expect(page.getByTestId(`terminal-status-${lab.nodes[0]}`)).toContainText('connected');
  await snap(page, testInfo, 'csp-terminal');

  expect(violations).toEqual([]);
});
