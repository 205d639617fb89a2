import { chromium, request } from '@playwright/test';
const base = process.argv[2];
const r = await request.newContext({ baseURL: base });
const csrf = (await (await r.get('/api/auth/csrf')).json()).csrfToken;
const h = { 'x-csrf-token': csrf };
await r.post('/api/auth/sign-in', { data: { email: 'admin@dev.test', password: 'admin-password-1' }, headers: h });
const tests = (await (await r.get('/api/tests')).json()).tests;
let cohorts = (await (await r.get('/api/cohorts')).json()).cohorts;
if (!cohorts.length) { await r.post('/api/cohorts', { data: { name: 'Dev class' }, headers: h }); cohorts = (await (await r.get('/api/cohorts')).json()).cohorts; }
await r.put(`/api/cohorts/${cohorts[0].id}/tests/${tests.find((t) => t.title === 'Switching and routing').id}`, { data: {}, headers: h });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, storageState: await r.storageState() });
const page = await ctx.newPage();
for (const path of [`/#/cohorts/${cohorts[0].id}`, '/#/tests', '/#/admin', '/#/setup', '/#/banks']) {
  await page.goto(base + path);
  await page.waitForTimeout(2500);
  const wide = await page.evaluate(() => [...document.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > innerWidth + 1).slice(0, 6).map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`));
  console.log(path, JSON.stringify(wide));
  await page.screenshot({ path: `/tmp/dev/staff-${path.replace(/[^a-z]/g, '')}.png` });
}
await browser.close();
