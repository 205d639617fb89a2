// What global-setup started, as the tests see it.
export interface E2eLab {
  base: string;
  instanceId: string;
  nodes: string[];
  tokens: Record<string, string>;
  /** The admin account the server creates at start-up (for the web app's tests). */
  admin: { email: string; password: string };
}

export function e2eLab(): E2eLab {
  const raw = process.env.PRAXIS_E2E;
  if (!raw) throw new Error('PRAXIS_E2E is not set: run the tests through playwright.config.ts (its global setup starts the server)');
  return JSON.parse(raw) as E2eLab;
}

export function terminalPageUrl(lab: E2eLab): string {
  const fragment = new URLSearchParams(lab.tokens);
  return `${lab.base}/terminal.html?instance=${lab.instanceId}&nodes=${lab.nodes.join(',')}#${fragment}`;
}
