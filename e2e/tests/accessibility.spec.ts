// Every page of the web app, as a learner, an instructor and a signed-out visitor meet it, scanned
// with axe-core (WCAG 2.1 A and AA): no serious or critical violation anywhere, in English and in
// Korean, with the exam's dialogs open too.
import { expect, test } from '@playwright/test';
import { adminSession, ApiSession, setUpRoutingTest, signInInBrowser, signUpLearnerInBrowser, unique } from '../support/praxis-api';
import { e2eLab } from '../support/lab';
import { expectAccessible } from '../support/accessibility';

test.use({ viewport: { width: 1280, height: 800 } });

test('every page passes an axe-core scan with no serious or critical violation', async ({ browser }) => {
  test.setTimeout(240_000);
  const { base, admin: adminAccount } = e2eLab();
  const admin = await adminSession();
  const setup = await setUpRoutingTest(admin, { title: unique('Accessible routing'), questions: ['list-interfaces', 'address-of-a', 'route-on-a'], timeLimitSeconds: 900 });
  const version = await admin.send<{ banks: { id: string; slug: string; versions: { version: number }[] }[] }>('GET', '/api/banks');
  const bank = version.banks.find((b) => b.id === setup.bankId)!;

  // Signed out: sign in, sign up, an invite link's sign-in, a page that does not exist.
  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  await visitor.goto(`${base}/#/sign-in`);
  await expect(visitor.getByRole('heading', { name: 'Sign in to Praxis' })).toBeVisible();
  await expectAccessible(visitor, 'sign in');
  await visitor.goto(`${base}/#/sign-up`);
  await expect(visitor.getByRole('heading', { name: 'Create your Praxis account' })).toBeVisible();
  await expectAccessible(visitor, 'sign up');
  await visitor.goto(`${base}/#/join/${setup.inviteCode}`);
  await expect(visitor.getByRole('status').filter({ hasText: 'You are about to join the cohort' })).toBeVisible();
  await expectAccessible(visitor, 'invite link, signed out');
  await visitorContext.close();

  // A learner: home, briefing, the exam with its dialogs, the result.
  const learnerContext = await browser.newContext();
  const learner = await learnerContext.newPage();
  await learner.goto(`${base}/`);
  await signUpLearnerInBrowser(learner.request, 'Ada Access', setup.inviteCode);
  await learner.goto(`${base}/`);
  await expect(learner.getByRole('heading', { name: 'My tests' })).toBeVisible();
  await expectAccessible(learner, 'learner home');
  await learner.goto(`${base}/#/nowhere`);
  await expect(learner.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expectAccessible(learner, 'page not found');
  await learner.goto(`${base}/#/tests/${setup.testId}/start`);
  await expect(learner.getByRole('button', { name: 'Start the clock' })).toBeVisible();
  await expectAccessible(learner, 'briefing');
  await learner.getByRole('button', { name: 'Start the clock' }).click();
  await expect(learner.getByTestId('countdown')).toBeVisible({ timeout: 60_000 });
  await expect(learner.getByTestId('terminal-status-a')).toContainText('host-a: connected');
  await expectAccessible(learner, 'exam');
  await learner.getByRole('button', { name: 'Overview' }).click();
  await expect(learner.getByRole('dialog', { name: 'Overview' })).toBeVisible();
  await expectAccessible(learner, 'exam, overview dialog');
  await learner.keyboard.press('Escape');
  await learner.getByRole('button', { name: 'Shortcuts', exact: true }).click();
  await expectAccessible(learner, 'exam, shortcuts dialog');
  await learner.keyboard.press('Escape');
  await learner.getByRole('button', { name: 'Notepad', exact: true }).click();
  await learner.getByRole('button', { name: 'Next →' }).click();
  await learner.getByRole('button', { name: 'Next →' }).click();
  await learner.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(learner.getByTestId('check-result')).toBeVisible();
  await expectAccessible(learner, 'exam, a task checked, notepad open');
  await learner.getByLabel('Language').selectOption('ko');
  await expect(learner.getByRole('heading', { name: '문제 3 / 3' })).toBeVisible();
  await expectAccessible(learner, 'exam in Korean');
  await learner.getByLabel('언어').selectOption('en');
  const attemptUrl = learner.url();

  // Staff meanwhile: every staff page, the live attempt watched.
  const staffContext = await browser.newContext();
  const staff = await staffContext.newPage();
  await signInInBrowser(staff, adminAccount.email, adminAccount.password, '/banks');
  await expect(staff.getByRole('heading', { name: 'Question banks' })).toBeVisible();
  await expectAccessible(staff, 'banks');
  await staff.goto(`${base}/#/banks/${bank.id}/versions/${bank.versions.at(-1)!.version}`);
  await expect(staff.getByRole('heading', { name: /Bank version/ })).toBeVisible();
  await expectAccessible(staff, 'bank version');
  await staff.goto(`${base}/#/tests`);
  await expect(staff.getByRole('heading', { name: 'Compose a test' })).toBeVisible();
  await expectAccessible(staff, 'tests');
  await staff.goto(`${base}/#/cohorts`);
  await expect(staff.getByRole('heading', { name: 'Cohorts' })).toBeVisible();
  await expectAccessible(staff, 'cohorts');
  await staff.goto(`${base}/#/cohorts/${setup.cohortId}`);
  await expect(staff.getByRole('link', { name: 'Watch terminal' })).toBeVisible();
  await expectAccessible(staff, 'cohort dashboard with a live attempt');
  await staff.getByRole('link', { name: 'Watch terminal' }).click();
  await expect(staff.getByRole('heading', { name: /Ada Access/ })).toBeVisible();
  await expect(staff.getByTestId('terminal-status-a')).toContainText('watching');
  await expectAccessible(staff, 'watch');
  await staff.goto(`${base}/#/admin`);
  await expect(staff.getByRole('heading', { name: 'Capacity' })).toBeVisible();
  await expectAccessible(staff, 'admin');
  await staff.goto(`${base}/#/setup`);
  await expect(staff.getByRole('heading', { name: 'Set up Praxis' })).toBeVisible();
  await expectAccessible(staff, 'setup checklist');

  // The learner submits; the result, then the staff's dashboard charts and the replay.
  await learner.goto(attemptUrl);
  await learner.getByRole('button', { name: 'Submit…' }).click();
  await learner.getByRole('button', { name: 'Submit now' }).click();
  await expect(learner.getByTestId('score')).toBeVisible({ timeout: 60_000 });
  await expectAccessible(learner, 'result');
  const attemptId = /attempts\/([^/]+)\/result/.exec(learner.url())![1]!;
  await staff.goto(`${base}/#/cohorts/${setup.cohortId}`);
  await expect(staff.getByRole('img', { name: /^Pass rate per question/ })).toBeVisible();
  await expectAccessible(staff, 'cohort dashboard with charts');
  await staff.goto(`${base}/#/replay/${attemptId}`);
  await expect(staff.getByRole('slider', { name: 'Progress' })).toBeVisible();
  await expectAccessible(staff, 'replay');
  await staff.goto(`${base}/#/attempts/${attemptId}/result`);
  await expect(staff.getByText('Ada Access')).toBeVisible();
  await expectAccessible(staff, 'result read by staff');

  await learnerContext.close();
  await staffContext.close();
  await admin.dispose();
});

test('the sign-up page of a new server says it creates the administrator', async ({ page }) => {
  // This server has its admin configured, so the first-account notice must not show.
  await page.goto(`${e2eLab().base}/#/sign-up`);
  await expect(page.getByRole('heading', { name: 'Create your Praxis account' })).toBeVisible();
  await expect(page.getByText('becomes its administrator')).toHaveCount(0);
  const api = await ApiSession.create();
  expect(await api.send('GET', '/api/auth/setup')).toEqual({ firstSignUpIsAdmin: false });
  await api.dispose();
});
