// Set-up for the web app's browser tests through the documented HTTP API (never server code): a
// session that keeps cookies and sends the CSRF header, and the few steps the tests build on
// (import the course's labs, compose a test, open a cohort and assign it).
import { expect, request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { e2eLab } from './lab';

// One lab folder, not labs/: other labs may be mid-edit, and a bank import is refused whole.
export const ROUTING_LAB_DIR = fileURLToPath(new URL('../../labs/01-switching-routing', import.meta.url));
export const SERVICE_LAB_DIR = fileURLToPath(new URL('../../labs/11-service-networking', import.meta.url));
export const BROKEN_BANK_DIR = fileURLToPath(new URL('../fixtures/broken-bank', import.meta.url));

export const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

export class ApiSession {
  private csrf?: string;
  constructor(readonly http: APIRequestContext) {}

  static async create(): Promise<ApiSession> {
    return new ApiSession(await playwrightRequest.newContext({ baseURL: e2eLab().base }));
  }

  private async headers(): Promise<Record<string, string>> {
    if (!this.csrf) this.csrf = ((await (await this.http.get(`${e2eLab().base}/api/auth/csrf`)).json()) as { csrfToken: string }).csrfToken;
    return { 'x-csrf-token': this.csrf };
  }

  async send<T = any>(method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, data?: unknown): Promise<T> {
    const res = await this.http.fetch(`${e2eLab().base}${url}`, { method, data: method === 'GET' ? undefined : (data ?? {}), headers: method === 'GET' ? {} : await this.headers() });
    const body = res.headers()['content-type']?.includes('json') ? await res.json() : await res.text();
    expect(res.ok(), `${method} ${url}: ${JSON.stringify(body)}`).toBe(true);
    return body as T;
  }

  async signIn(email: string, password: string) {
    const signedIn = await this.send<{ csrfToken: string }>('POST', '/api/auth/sign-in', { email, password });
    // The CSRF token is bound to the session: the new session comes with a new token.
    this.csrf = signedIn.csrfToken;
    return signedIn;
  }

  /** Creates an account and signs in with it (sign-up itself never signs in). */
  async signUp(name: string) {
    const email = `${unique(name.toLowerCase().replace(/\W+/g, '-'))}@e2e.praxis.test`;
    const password = 'learner-password-1';
    await this.send('POST', '/api/auth/sign-up', { name, email, password });
    await this.signIn(email, password);
    return { email, password };
  }

  dispose() {
    return this.http.dispose();
  }
}

export async function adminSession(): Promise<ApiSession> {
  const api = await ApiSession.create();
  const { admin } = e2eLab();
  await api.signIn(admin.email, admin.password);
  return api;
}

export interface LabTestOptions {
  title: string;
  questions: string[];
  timeLimitSeconds: number;
  mode?: 'practice' | 'exam';
  showSolutions?: boolean;
}

/** Imports the routing lab as a new bank and creates a test on it, assigned to a new cohort. */
export function setUpRoutingTest(admin: ApiSession, options: LabTestOptions) {
  return setUpLabTest(admin, ROUTING_LAB_DIR, '01-switching-routing', options);
}

/** Imports one lab folder as a new bank and creates a test on that lab, assigned to a new cohort. */
export async function setUpLabTest(admin: ApiSession, labDir: string, labId: string, options: LabTestOptions) {
  const bank = await admin.send<{ bankId: string }>('POST', '/api/banks/import', { slug: unique('e2e-course'), path: labDir, publish: true });
  const test = await admin.send<{ id: string }>('POST', '/api/tests', {
    title: options.title,
    bankId: bank.bankId,
    lab: labId,
    timeLimitSeconds: options.timeLimitSeconds,
    attemptsAllowed: 2,
    mode: options.mode ?? 'practice',
    showSolutions: options.showSolutions ?? true,
    selection: { mode: 'fixed', questions: options.questions },
  });
  const cohort = await admin.send<{ id: string; inviteCode: string }>('POST', '/api/cohorts', { name: unique('E2E cohort') });
  await admin.send('PUT', `/api/cohorts/${cohort.id}/tests/${test.id}`, { dueAt: new Date(Date.now() + 3 * 86_400_000).toISOString() });
  return { bankId: bank.bankId, testId: test.id, cohortId: cohort.id, inviteCode: cohort.inviteCode };
}

/** Signs a new learner up inside the page's browser context (its cookies are the page's) and joins a cohort. */
export async function signUpLearnerInBrowser(http: APIRequestContext, name: string, inviteCode?: string) {
  const api = new ApiSession(http);
  const account = await api.signUp(name);
  if (inviteCode) await api.send('POST', '/api/cohorts/join', { code: inviteCode });
  return account;
}

/** Signs in on the web app's own page (the way a person does) and waits for the home page. */
export async function signInInBrowser(page: import('@playwright/test').Page, email: string, password: string, next = '/') {
  await page.goto(`${e2eLab().base}/#/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
