// A learner on a real Kubernetes cluster in the web app: starts the Service networking lab's test
// (a two-node kubeadm cluster provisioned for the attempt, its phases shown while it boots), asks
// Check too early and reads why it fails, exposes the deployment with kubectl in controlplane's
// terminal, and sees Check pass: the grader's request from a pod reached a web pod through the
// Service's ClusterIP. Before that, a learner who reads Korean gets the lab's briefing in Korean
// (no cluster needed: the briefing comes before the clock).
import { expect, test } from '@playwright/test';
import { adminSession, SERVICE_LAB_DIR, setUpLabTest, signUpLearnerInBrowser } from '../support/praxis-api';
import { e2eLab } from '../support/lab';
import { runInTerminal, snap } from '../support/web-page';

test.use({ viewport: { width: 1280, height: 800 } });

test('learner: expose a deployment with kubectl on a real cluster and see Check pass', async ({ page }, testInfo) => {
  // A cluster boots in about a minute on an idle machine, several on a busy one; the check starts
  // a test pod of its own.
  test.setTimeout(600_000);
  const admin = await adminSession();
  const setup = await setUpLabTest(admin, SERVICE_LAB_DIR, '11-service-networking', {
    title: 'Service practice',
    questions: ['expose-web'],
    timeLimitSeconds: 1800,
  });
  await admin.dispose();
  await page.goto(`${e2eLab().base}/`);
  await signUpLearnerInBrowser(page.request, 'Kim Kube', setup.inviteCode);
  await page.reload(); // the app reads the new session at load

  await page.getByRole('link', { name: 'Start Service practice' }).click();
  await page.getByRole('button', { name: 'Start the clock' }).click();
  await expect(page.getByRole('heading', { name: 'Preparing your lab' })).toBeVisible();
  await snap(page, testInfo, 'cluster-provisioning');
  await expect(page.getByRole('heading', { name: 'Service practice' })).toBeVisible({ timeout: 420_000 });
  await expect(page.getByRole('tab', { name: 'controlplane' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'node01' })).toBeVisible();

  // Too early: the check says what is missing.
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(page.getByTestId('check-result')).toContainText('Not yet', { timeout: 60_000 });
  await expect(page.getByTestId('check-result')).toContainText('web-svc');

  // The cluster is real: kubectl in the node answers, then the learner exposes the deployment.
  await runInTerminal(page, 'controlplane', 'kubectl get deploy web', /web\s+2\/2/);
  await runInTerminal(page, 'controlplane', 'kubectl expose deployment web --name web-svc --port 8080 --target-port 80', /service\/web-svc exposed/);
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(page.getByTestId('check-result')).toContainText('Check passed', { timeout: 90_000 });
  await snap(page, testInfo, 'service-lab-check-passed');
});

test('learner who reads Korean: the Service networking lab is briefed in Korean, in English again after switching back', async ({ page }, testInfo) => {
  const admin = await adminSession();
  const setup = await setUpLabTest(admin, SERVICE_LAB_DIR, '11-service-networking', {
    title: 'Service practice in Korean',
    questions: ['clusterip-how', 'expose-web'],
    timeLimitSeconds: 1800,
  });
  await admin.dispose();
  const base = e2eLab().base;
  await page.goto(`${base}/`);
  await signUpLearnerInBrowser(page.request, 'Lee Seoyeon', setup.inviteCode);
  await page.reload();
  // The choice is saved on the account (PATCH /api/auth/me); a reload before that answers would
  // read the old one.
  const saved = () => page.waitForResponse((r) => r.url().endsWith('/api/auth/me') && r.request().method() === 'PATCH');
  await Promise.all([saved(), page.getByLabel('Language').selectOption('ko')]);
  await expect(page.getByRole('heading', { name: '내 시험' })).toBeVisible();

  // The choice is kept on the account: a fresh load of the briefing asks for the lab in Korean.
  await page.goto(`${base}/#/tests/${setup.testId}/start`);
  await page.reload();
  await expect(page.getByRole('heading', { name: '실습 개요: 서비스 네트워킹' })).toBeVisible();
  await expect(page.getByText('kube-proxy는 iptables 모드로 동작합니다.')).toBeVisible();
  await expect(page.getByText('Three deployments run')).toHaveCount(0);
  await snap(page, testInfo, 'service-lab-briefing-ko');

  await Promise.all([saved(), page.getByLabel('언어').selectOption('en')]);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Lab overview: Service networking' })).toBeVisible();
  await expect(page.getByText('Three deployments run in the', { exact: false })).toBeVisible();
});
