// A learner in the real web app: signs up, joins a cohort by code, reads the briefing and starts
// the clock, reads the machines in the terminal (ip route), answers, fixes the route on A and
// enables forwarding on B through the terminal, sees Check pass, writes in the notepad, submits
// and reads the graded score report.
import { expect, test } from '@playwright/test';
import { adminSession, ApiSession, setUpRoutingTest, unique } from '../support/praxis-api';
import { e2eLab } from '../support/lab';
import { runInTerminal, snap } from '../support/web-page';

test.use({ viewport: { width: 1280, height: 800 } });

test('learner: sign up, join, take the routing test in the terminal, submit, read the result', async ({ page }, testInfo) => {
  const admin = await adminSession();
  const setup = await setUpRoutingTest(admin, {
    title: 'Routing practice',
    questions: ['address-of-a', 'route-on-a', 'enable-forwarding'],
    timeLimitSeconds: 900,
  });
  await admin.dispose();
  const { base } = e2eLab();
  // The app throws nothing uncaught on the way (an exception in a page's effect stops its updates).
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.stack ?? String(error)));

  // Sign up (the page sends us to sign in first, then on to sign up).
  await page.goto(`${base}/`);
  await expect(page.getByRole('heading', { name: 'Sign in to Praxis' })).toBeVisible();
  await snap(page, testInfo, 'sign-in');
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByLabel('Name').fill('Lea Learner');
  await page.getByLabel('Email').fill(`${unique('lea')}@e2e.praxis.test`);
  await page.getByLabel('Password (at least 10 characters, not easy to guess)').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  // The browser's own validation stops a short password before the server sees it.
  await expect(page.getByRole('heading', { name: 'Create your Praxis account' })).toBeVisible();
  await page.getByLabel('Password (at least 10 characters, not easy to guess)').fill('learner-password-1');
  await snap(page, testInfo, 'sign-up');
  await page.getByRole('button', { name: 'Create account' }).click();

  // Join the cohort by its code: the assigned test appears with its due date.
  await expect(page.getByRole('heading', { name: 'My tests' })).toBeVisible();
  await page.getByLabel('Invite code from your instructor').fill('not-a-code');
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page.getByRole('alert')).not.toHaveText(/\b4\d\d\b/); // the sentence, never a status code
  await expect(page.getByRole('alert')).toBeVisible();
  await page.getByLabel('Invite code from your instructor').fill(setup.inviteCode);
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'You joined' })).toBeVisible();
  const row = page.getByRole('row', { name: /Routing practice/ });
  await expect(row).toContainText('due in 3 days');
  await snap(page, testInfo, 'learner-home');

  // Start: the briefing (rules, time, the lab's overview with its hosts), then the clock.
  await row.getByRole('link', { name: 'Start Routing practice' }).click();
  await expect(page.getByRole('heading', { name: 'How this test works' })).toBeVisible();
  await expect(page.getByText('3 questions, 5 points')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Lab overview: Switching and routing' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'A (host-a)' })).toBeVisible();
  await snap(page, testInfo, 'briefing', { fullPage: true });
  await page.getByRole('button', { name: 'Start the clock' }).click();
  // The exam view: one terminal tab per host, named as the prompts name them.
  await expect(page.getByRole('heading', { name: 'Routing practice' })).toBeVisible({ timeout: 60_000 });
  // The tabs come when the machines are ready (the preparation panel shows its steps until then).
  await expect(page.getByRole('tab', { name: 'host-a' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('tab', { name: 'host-b' })).toBeVisible();
  await expect(page.getByTestId('countdown')).toContainText(/1[45]:\d\d/);

  // Question 1: read A's address from its routing table in the terminal, and answer with it.
  const routes = await runInTerminal(page, 'a', 'ip route', /192\.168\.1\.0\/24 dev eth0/);
  const address = /192\.168\.1\.0\/24 dev eth0 .*src (\d+\.\d+\.\d+\.\d+)/.exec(routes)?.[1];
  expect(address).toBe('192.168.1.5');
  await page.getByLabel('Your answer', { exact: true }).fill(`${address}/24`);
  await page.getByLabel('Your answer', { exact: true }).press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  // At 1280 px the question list folds away behind its button (the terminal keeps 80 columns).
  await page.getByRole('button', { name: /Questions \(1\/3\)/ }).click();
  await expect(page.getByRole('navigation', { name: 'Questions' }).getByRole('button', { name: /^1/ })).toContainText('answered');
  await page.getByRole('button', { name: 'Hide' }).click();

  // Question 2: Check first says why it fails, then passes once the route exists.
  await page.getByRole('button', { name: 'Next →' }).click();
  await expect(page.getByRole('heading', { name: /Question 2/ })).toBeVisible();
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(page.getByTestId('check-result')).toContainText('Not yet');
  await expect(page.getByTestId('check-result')).toContainText('A has no route to 192.168.2.0/24');
  await runInTerminal(page, 'a', 'ip route add 192.168.2.0/24 via 192.168.1.6 && ip route', /192\.168\.2\.0\/24 via 192\.168\.1\.6 dev eth0/);
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(page.getByTestId('check-result')).toContainText('Check passed');

  // Question 3: enable forwarding on B: the question names host-b, which opens B's tab.
  await page.getByRole('button', { name: /Questions \(2\/3\)/ }).click();
  await page.getByRole('navigation', { name: 'Questions' }).getByRole('button', { name: /^3/ }).click();
  await page.getByRole('button', { name: '⚐ Flag for review' }).click();
  await page.getByRole('button', { name: 'Open the terminal of host-b' }).click();
  await expect(page.getByRole('tab', { name: 'host-b' })).toHaveAttribute('aria-selected', 'true');
  await runInTerminal(page, 'b', 'echo 1 > /proc/sys/net/ipv4/ip_forward; cat /proc/sys/net/ipv4/ip_forward', /^1$/m);
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(page.getByTestId('check-result')).toContainText('Check passed');
  // The notepad is kept by the server.
  await page.getByRole('button', { name: 'Notepad', exact: true }).click();
  await page.getByRole('textbox', { name: 'Notepad' }).fill('B forwards now; A has its route.');
  await expect(page.locator('.notepad').getByRole('status')).toHaveText('Saved');
  await snap(page, testInfo, 'exam-view');

  // Flags and the last Check result are kept by the server: a reload shows them again.
  await page.reload();
  await expect(page.getByRole('heading', { name: /Question 1/ })).toBeVisible();
  await page.getByRole('button', { name: 'Notepad', exact: true }).click();
  await expect(page.getByRole('textbox', { name: 'Notepad' })).toHaveValue('B forwards now; A has its route.');
  await page.getByRole('button', { name: /Questions \(1\/3\)/ }).click();
  await expect(page.getByRole('navigation', { name: 'Questions' }).getByRole('button', { name: /^3/ })).toContainText('flagged');
  await page.getByRole('navigation', { name: 'Questions' }).getByRole('button', { name: /^3/ }).click();
  await expect(page.getByRole('button', { name: '⚑ Flagged for review' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('check-result')).toContainText('Check passed');
  await expect(page.getByTestId('check-result')).toContainText('checked at');

  // Submit: the confirmation lists what is left, then the graded result with explanations.
  await page.getByRole('button', { name: 'Submit…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Submit your answers?' });
  await expect(dialog).toContainText('Every question with an answer field is answered');
  await expect(dialog).toContainText('Flagged for review: 3');
  await snap(page, testInfo, 'submit-confirmation');
  // Escape closes it without submitting (a modal <dialog>); the keyboard opens it again.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: 'Submit…' }).focus();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Submit now' }).click();

  await expect(page.getByRole('heading', { name: 'Result: Routing practice' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('score')).toContainText('5');
  await expect(page.getByTestId('score')).toContainText('/ 5 points');
  // Submitted by hand: the result says so, never "Time is up" (the server closes the terminals of
  // an ended attempt with the time-up code and the reason "the test was submitted").
  await expect(page.getByText('You submitted the test')).toBeVisible();
  await expect(page.getByText(/Time is up/)).toHaveCount(0);
  expect(new URL(page.url()).searchParams.get('expired')).toBeNull();
  await expect(page.getByTestId('result-question')).toHaveCount(3);
  await expect(page.getByTestId('result-question').nth(1)).toContainText('✓ passed');
  await expect(page.getByTestId('result-question').nth(1)).toContainText('ip route add 192.168.2.0/24 via 192.168.1.6');
  await expect(page.getByRole('heading', { name: 'Explanation' })).toHaveCount(3);
  // The score report: time on each question, Check attempts, and a chart with accessible values.
  await expect(page.getByTestId('result-question').nth(1)).toContainText('2 Checks');
  await expect(page.getByRole('img', { name: /^Share of the points per question: 1\. .*: 100%/ })).toBeVisible();
  await snap(page, testInfo, 'result', { fullPage: true });

  // Home lists the attempt with its score, and the chart of scores over time.
  await page.getByRole('link', { name: '← My tests' }).click();
  await expect(page.getByRole('row', { name: /Routing practice.*5 \/ 5/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /^Scores over time: Routing practice .*: 100%/ }), pageErrors.join('\n')).toBeVisible();
  await snap(page, testInfo, 'learner-history');
  expect(pageErrors).toEqual([]);
});

test('a session lost elsewhere sends to sign-in and back to the page', async ({ page }) => {
  const { base } = e2eLab();
  await page.goto(`${base}/`);
  const api = new ApiSession(page.request);
  const account = await api.signUp('Sid Session');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'My tests' })).toBeVisible();
  // The page has a favicon.
  await expect(page.locator('link[rel=icon]')).toHaveAttribute('href', '/favicon.svg');
  expect((await page.request.get(`${base}/favicon.svg`)).headers()['content-type']).toContain('svg');
  // Signed out in another tab (same cookies): the next request finds no session.
  await api.send('POST', '/api/auth/sign-out');
  await page.getByLabel('Invite code from your instructor').fill('ABCD1234');
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to Praxis' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Your session ended' })).toBeVisible();
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'My tests' })).toBeVisible();
  // Plain sentences, not codes or field paths, for refused requests.
  await page.getByLabel('Invite code from your instructor').fill('ABCD1234');
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page.getByRole('alert')).toHaveText('This invite code does not belong to any cohort. Check it, or ask your instructor for the current link.');
});

test('a learner who leaves while the submit is still grading stays where they went', async ({ page }) => {
  const admin = await adminSession();
  const setup = await setUpRoutingTest(admin, { title: 'Slow submit', questions: ['address-of-a'], timeLimitSeconds: 600 });
  await admin.dispose();
  const { base } = e2eLab();
  await page.goto(`${base}/`);
  const api = new ApiSession(page.request);
  await api.signUp('Sam Slow');
  await api.send('POST', '/api/cohorts/join', { code: setup.inviteCode });
  await page.reload();
  await page.getByRole('row', { name: /Slow submit/ }).getByRole('link', { name: 'Start Slow submit' }).click();
  await page.getByRole('button', { name: 'Start the clock' }).click();
  await expect(page.getByRole('tab', { name: 'host-a' })).toBeVisible({ timeout: 60_000 });

  // The server grades and answers the submit as always; the browser gets that answer only once the
  // learner has gone on to My tests (as when grading takes seconds and they click away).
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let delivered!: () => void;
  const answered = new Promise<void>((r) => (delivered = r));
  await page.route('**/api/attempts/*/submit', async (route) => {
    const response = await route.fetch();
    await released;
    await route.fulfill({ response });
    delivered();
  });
  await page.getByRole('button', { name: 'Submit…' }).click();
  await page.getByRole('button', { name: 'Submit now' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My tests' }).click();
  await expect(page.getByRole('heading', { name: 'My tests' })).toBeVisible();
  release();
  await answered;
  // Time for the app to act on the answer: it must leave the learner on My tests.
  await page.waitForTimeout(1500);
  await expect(page.getByRole('heading', { name: 'My tests' })).toBeVisible();
  await expect(page).toHaveURL(/#\/$/);
});
