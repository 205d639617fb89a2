// The password policy of sign-up and the configured admin: at least 10 characters, and strong by
// zxcvbn-ts's estimate (score 3 of 4: "safely unguessable" against slow offline guessing, which
// argon2id makes the only guessing left), counting the person's own e-mail and name as known
// words. Weak passwords get the estimator's own advice.
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as common } from '@zxcvbn-ts/language-common';
import { dictionary as english, translations } from '@zxcvbn-ts/language-en';
import { ApiError } from '../../lib/api-error';

export const MIN_PASSWORD_LENGTH = 10;
export const MIN_PASSWORD_SCORE = 3;

let estimator: ZxcvbnFactory | undefined;

/** Why the password is too weak, or undefined when it will do. */
export function passwordWeakness(password: string, knownWords: string[] = []): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `it has ${password.length} characters; use at least ${MIN_PASSWORD_LENGTH}`;
  // Built on first use: the dictionaries take a moment to index.
  estimator ??= new ZxcvbnFactory({ dictionary: { ...common, ...english }, graphs: adjacencyGraphs, translations });
  const words = knownWords.flatMap((w) => [w.toLowerCase(), ...w.toLowerCase().split(/[^a-z0-9]+/)]).filter((w) => w.length >= 3);
  const result = estimator.check(password, words);
  if (result.score >= MIN_PASSWORD_SCORE) return undefined;
  const advice = [result.feedback.warning, ...result.feedback.suggestions].filter(Boolean).join(' ').replace(/\.+$/, '');
  return `it is too easy to guess${advice ? `: ${advice}` : ''}. A few unrelated words or a password manager's password will do`;
}

export function assertStrongPassword(password: string, knownWords: string[] = []): void {
  const weakness = passwordWeakness(password, knownWords);
  if (weakness) throw new ApiError(400, 'PASSWORD_WEAK', `choose another password: ${weakness}`, { fields: [{ field: 'body.password', message: weakness }] });
}
