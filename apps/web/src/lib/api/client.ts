// The one way the web talks to the API: a typed openapi-fetch client over the generated schema
// (schema.d.ts, from /api/docs/json), which adds the CSRF header to state-changing requests and
// the interface language to every request, tells the app when the session is gone, and turns
// problem+json errors into an ApiProblem whose sentence is the code's plain translation (or the
// server's sentence for codes without one).
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { currentLanguage, t } from '../i18n/i18n';

export type { paths };

/** An error from the API (or the network) with a sentence meant for a person. */
export class ApiProblem extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiProblem';
  }
}

const CSRF_COOKIE = 'praxis_csrf';
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function readCookie(name: string): string | undefined {
  return document.cookie
    .split('; ')
    .find((c) => c.startsWith(`${name}=`))
    ?.slice(name.length + 1);
}

let csrfPending: Promise<string> | undefined;

/** The CSRF token from its cookie, fetched once from GET /api/auth/csrf when missing. */
export async function csrfToken(refresh = false): Promise<string> {
  const existing = readCookie(CSRF_COOKIE);
  if (existing && !refresh) return decodeURIComponent(existing);
  csrfPending ??= fetch('/api/auth/csrf', { credentials: 'same-origin' })
    .then((r) => r.json() as Promise<{ csrfToken: string }>)
    .then((b) => b.csrfToken)
    .finally(() => (csrfPending = undefined));
  return csrfPending;
}

const csrfMiddleware: Middleware = {
  async onRequest({ request }) {
    if (STATE_CHANGING.has(request.method)) request.headers.set('x-csrf-token', await csrfToken());
    return request;
  },
};

/** Lab texts come in the interface's language where a lab is translated. */
const languageMiddleware: Middleware = {
  onRequest({ request }) {
    request.headers.set('accept-language', currentLanguage());
    return request;
  },
};

let sessionLost: (() => void) | undefined;
/** Called when a request finds no session (signed out elsewhere, expired): the app sends to sign-in. */
export function onSessionLost(handler: () => void): void {
  sessionLost = handler;
}

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(csrfMiddleware);
api.use(languageMiddleware);

/** Sentence of a problem+json body, falling back to something readable (never a bare status). */
export function toProblem(error: unknown, response?: Response): ApiProblem {
  if (error instanceof ApiProblem) return error;
  const body = (typeof error === 'object' && error ? error : {}) as Record<string, unknown>;
  const status = response?.status ?? 0;
  const detail = typeof body.detail === 'string' ? body.detail : undefined;
  const title = typeof body.title === 'string' ? body.title : undefined;
  const code = typeof body.code === 'string' ? body.code : status ? 'HTTP_ERROR' : 'NETWORK';
  const fallback = status === 0 ? t('errors.NETWORK') : status >= 500 ? t('errors.SERVER') : t('errors.REFUSED');
  const { type: _t, title: _ti, status: _s, code: _c, detail: _d, ...extra } = body;
  return new ApiProblem(plainSentence(code, extra) ?? detail ?? title ?? fallback, code, status, extra);
}

/** A form field's name as people read it (`body.selection.questions` -> "questions"). */
function fieldName(field: string): string {
  const path = field.replace(/^(body|params|querystring)\.?/, '');
  const key = `fields.${path.replace(/\.\d+/g, '')}`;
  const known = t(key);
  return known !== key ? known : (path.split('.').filter((p) => !/^\d+$/.test(p)).pop() ?? path);
}

/** The code's sentence in the interface language, or undefined to use the server's own. */
function plainSentence(code: string, extra: Record<string, unknown>): string | undefined {
  if (code === 'VALIDATION_FAILED' && Array.isArray(extra.fields)) {
    const names = [...new Set((extra.fields as { field: string }[]).map((f) => fieldName(f.field)))];
    return t('errors.VALIDATION_FAILED', { values: { fields: names.join(', ') } });
  }
  const key = `errors.${code}`;
  // Numbers and strings of the problem (e.g. `seconds` of RESET_TOO_SOON) fill the sentence.
  const values = Object.fromEntries(Object.entries(extra).filter(([, v]) => typeof v === 'number' || typeof v === 'string')) as Record<string, string | number>;
  const text = t(key, { values });
  return text !== key ? text : undefined;
}

/**
 * Awaits an openapi-fetch call and returns its data, or throws an ApiProblem. A stale CSRF
 * token (the server restarted with a new key) is refreshed once and the call repeated.
 */
export async function call<T>(
  run: () => Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await run();
    if (!result.response.ok && (result.error as { code?: string } | undefined)?.code === 'CSRF_INVALID') {
      await csrfToken(true);
      result = await run();
    }
  } catch (error) {
    throw new ApiProblem(error instanceof Error && error.name === 'AbortError' ? t('errors.CANCELLED') : t('errors.NETWORK'), 'NETWORK', 0);
  }
  if (result.response.status === 401 && (result.error as { code?: string } | undefined)?.code === 'AUTH_REQUIRED') sessionLost?.();
  if (!result.response.ok) throw toProblem(result.error, result.response);
  return result.data as T;
}

/** The sentence to show for any thrown value. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiProblem) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

type Json<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: infer R;
}
  ? R extends { 200: { content: { 'application/json': infer J } } }
    ? J
    : R extends { 201: { content: { 'application/json': infer J } } }
      ? J
      : R extends { 202: { content: { 'application/json': infer J } } }
        ? J
        : never
  : never;

export type User = Json<'/api/auth/me', 'get'>['user'];
export type AttemptView = Json<'/api/attempts/{attemptId}', 'get'>;
export type AttemptQuestion = AttemptView['questions'][number];
export type AttemptResult = Json<'/api/attempts/{attemptId}/result', 'get'>;
export type AttemptSummary = Json<'/api/attempts', 'get'>['attempts'][number];
export type Assignment = Json<'/api/me/assignments', 'get'>['assignments'][number];
export type Test = Json<'/api/tests/{testId}', 'get'>;
export type TestInput = NonNullable<paths['/api/tests']['post']['requestBody']>['content']['application/json'];
export type Bank = Json<'/api/banks', 'get'>['banks'][number];
export type BankVersion = Json<'/api/banks/{bankId}/versions/{version}', 'get'>;
export type AuthoringTestRun = Json<'/api/authoring-tests/{runId}', 'get'>;
export type Cohort = Json<'/api/cohorts', 'get'>['cohorts'][number];
export type CohortDetail = Json<'/api/cohorts/{cohortId}', 'get'>;
export type Dashboard = Json<'/api/cohorts/{cohortId}/dashboard', 'get'>;
export type DashboardTest = Dashboard['tests'][number];
export type TestAttempt = Json<'/api/tests/{testId}/attempts', 'get'>['attempts'][number];
export type Briefing = Json<'/api/tests/{testId}/briefing', 'get'>;
export type AttemptLab = AttemptView['labs'][number];
export type ResultQuestion = AttemptResult['questions'][number];
