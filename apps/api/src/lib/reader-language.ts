// The language a person reads: the one they chose in the web app (kept on their account), else
// the first of their browser's Accept-Language. Lab texts are shown in it where translated.
import type { FastifyRequest } from 'fastify';

export const UI_LANGUAGES = ['en', 'ko'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];

export function readerLanguage(request: Pick<FastifyRequest, 'headers'> & { user?: { locale?: string | null } | null }): string | undefined {
  if (request.user?.locale) return request.user.locale;
  const header = request.headers['accept-language'];
  const first = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.split(';')[0]?.trim();
  return first && /^[A-Za-z]{2,3}(-[A-Za-z]{2})?$/.test(first) ? first : undefined;
}
