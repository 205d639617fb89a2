import { chromium, request } from '@playwright/test';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
const base = process.argv[2];
const dist = '/work/wt/issue-15-exam-ux/apps/web/dist';
const r = await request.newContext({ baseURL: base });
const csrf = (await (await r.get('/api/auth/csrf')).json()).csrfToken;
await r.post('/api/auth/sign-in', { data: { email: 'admin@dev.test', password: 'admin-password-1' }, headers: { 'x-csrf-token': csrf } });
const attempts = (await (await r.get('/api/attempts')).json()).attempts;
const graded = attempts.find((a) => a.status === 'graded');
const cohorts = (await (await r.get('/api/cohorts')).json()).cohorts;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
for (const [name, path, auth] of [['sign-in', '/#/sign-in', false], ['learner home', '/#/', true], ['cohort dashboard', `/#/cohorts/${cohorts[0].id}`, true], ['result', `/#/attempts/${graded.id}/result`, true]]) {
  const ctx = await browser.newContext(auth ? { storageState: await r.storageState() } : {});
  const page = await ctx.newPage();
  await page.goto(base + path);
  await page.waitForTimeout(3000);
  const urls = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => /\.(js|css)$/.test(n)));
  let js = 0, css = 0;
  for (const u of urls) { const f = dist + new URL(u).pathname; const z = gzipSync(readFileSync(f)).length; if (u.endsWith('.js')) js += z; else css += z; }
  console.log(`${name}: JS ${(js / 1000).toFixed(0)} kB gzip, CSS ${(css / 1000).toFixed(0)} kB`);
  await ctx.close();
}
await browser.close();
