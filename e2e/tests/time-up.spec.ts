// Time up in the browser: a learner's open terminal closes when the attempt ends, and the status
// line says why (the server's 4408 reason), while the nodes are frozen and graded.
import { expect, test } from '@playwright/test';
import { adminSession, ApiSession, setUpRoutingTest, signUpLearnerInBrowser } from '../support/praxis-api';
import { e2eLab } from '../support/lab';

const screenshots = new URL('../screenshots/', import.meta.url).pathname;

test('the terminal says the test was submitted and the machines are frozen', async ({ page }) => {
  const admin = await adminSession();
  const setup = await setUpRoutingTest(admin, { title: 'Freeze', questions: ['address-of-a'], timeLimitSeconds: 900 });
  await admin.dispose();
  const base = e2eLab().base;
  await page.goto(`${base}/`);
  await signUpLearnerInBrowser(page.request, 'Fran Freeze', setup.inviteCode);
  const learner = new ApiSession(page.request);
  const { id } = await learner.send<{ id: string }>('POST', `/api/tests/${setup.testId}/attempts`);
  await expect.poll(async () => (await learner.send<{ status: string }>('GET', `/api/attempts/${id}`)).status, { timeout: 60_000 }).toBe('active');
  const { instanceId } = await learner.send<{ instanceId: string }>('GET', `/api/attempts/${id}`);
  const { token } = await learner.send<{ token: string }>('POST', `/api/attempts/${id}/terminal-token`, { node: 'a' });

  await page.goto(`${base}/terminal.html?instance=${instanceId}&nodes=a#a=${token}`);
  await expect(page.getByTestId('terminal-status-a')).toContainText('a: connected');
  // Submitted from elsewhere (another tab): this terminal closes at once and says why.
  const submitted = learner.send('POST', `/api/attempts/${id}/submit`);
  await expect(page.getByTestId('terminal-status-a')).toContainText('closed: the test was submitted: your machines are frozen and being graded');
  await page.screenshot({ path: `${screenshots}terminal-time-up.png` });
  await submitted;
});
