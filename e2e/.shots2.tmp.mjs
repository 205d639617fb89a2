import { chromium, request } from '@playwright/test';
const base = process.argv[2];
const out = '/tmp/dev/';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });

async function apiSession() {
  const r = await request.newContext({ baseURL: base });
  const csrf = (await (await r.get('/api/auth/csrf')).json()).csrfToken;
  const h = { 'x-csrf-token': csrf };
  return {
    r,
    post: async (u, d) => { const res = await r.post(u, { data: d ?? {}, headers: h }); return res.json(); },
    put: async (u, d) => (await r.put(u, { data: d ?? {}, headers: h })).json(),
    get: async (u) => (await r.get(u)).json(),
  };
}
const admin = await apiSession();
await admin.post('/api/auth/sign-in', { email: 'admin@dev.test', password: 'admin-password-1' });
const tests = (await admin.get('/api/tests')).tests;
const routing = tests.find((t) => t.title === 'Switching and routing');
// Three other learners, for the cohort median.
for (const [i, ans] of [['a'], ['a'], ['b']].entries()) {
  const s = await apiSession();
  await s.post('/api/auth/sign-up', { name: `Learner ${i}`, email: `l${i}-${Date.now()}@dev.test`, password: 'learner-password-1' });
  const a = await s.post(`/api/tests/${routing.id}/attempts`);
  for (let k = 0; k < 60; k++) { const v = await s.get(`/api/attempts/${a.id}`); if (v.status === 'active') break; await new Promise((r) => setTimeout(r, 500)); }
  await s.put(`/api/attempts/${a.id}/answers/1`, { answer: ans });
  await s.post(`/api/attempts/${a.id}/submit`);
}
const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
const page = await ctx.newPage();
page.on('pageerror', (e) => console.log('pageerror:', e.message));
await page.goto(`${base}/`);
await page.getByLabel('Email').fill('admin@dev.test');
await page.getByLabel('Password').fill('admin-password-1');
await page.getByRole('button', { name: 'Sign in' }).click();
await page.getByRole('heading', { name: /My tests|내 시험/ }).waitFor();
// Korean
await page.getByRole('combobox', { name: /Language|언어/ }).selectOption('ko');
await page.getByRole('heading', { name: '내 시험' }).waitFor();
await page.screenshot({ path: out + 'home-ko.png' });
await page.getByRole('link', { name: /Switching and routing (시작|이어서 하기)/ }).first().click();
if (await page.getByRole('button', { name: '시간 시작' }).isVisible({ timeout: 3000 }).catch(() => false) || await page.getByRole('button', { name: '시간 시작' }).waitFor({ timeout: 3000 }).then(() => true, () => false)) {
  await page.screenshot({ path: out + 'briefing-ko.png' });
  await page.getByRole('button', { name: '시간 시작' }).click();
}
await page.getByTestId('countdown').waitFor({ timeout: 60000 });
await page.waitForTimeout(2000);
await page.getByRole('radio').first().check();
await page.getByRole('button', { name: '다음 →' }).click();
await page.getByRole('button', { name: '개요' }).click();
await page.waitForTimeout(300);
await page.screenshot({ path: out + 'exam-ko-overview.png' });
await page.getByRole('button', { name: '닫기' }).first().click();
await page.screenshot({ path: out + 'exam-ko.png' });
// Question 5 is a task: Check, then notepad.


for (let i = 0; i < 3; i++) await page.keyboard.press('Alt+Shift+N');
await page.getByRole('button', { name: '확인', exact: true }).click();
await page.getByTestId('check-result').waitFor();
await page.getByRole('button', { name: '메모장' }).click();
await page.locator('.notepad textarea').fill('B: eth0 192.168.1.6, eth1 192.168.2.6');
await page.waitForTimeout(1200);
await page.screenshot({ path: out + 'exam-ko-check.png' });
await page.getByRole('button', { name: '제출…' }).click();
await page.getByRole('button', { name: '지금 제출' }).click();
await page.getByTestId('score').waitFor({ timeout: 60000 });
await page.waitForTimeout(800);
await page.screenshot({ path: out + 'result-ko.png' });
await page.getByLabel('언어').selectOption('en');
await page.reload();
await page.getByTestId('score').waitFor({ timeout: 60000 });
await page.waitForTimeout(800);
await page.screenshot({ path: out + 'result-en.png' });
await page.evaluate(() => document.querySelector('main').scrollTo(0, 700));
await page.screenshot({ path: out + 'result-en-2.png' });
await browser.close();
