// Development only: asks the server's dev route for a terminal token (enabled by
// PRAXIS_DEV_ROUTES=1). Real pages get their token from the attempt they belong to.
export async function fetchDevToken(instanceId: string, node: string): Promise<string> {
  const res = await fetch('/api/dev/terminal-token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ instanceId, node, mode: 'write' }),
  });
  if (!res.ok) {
    const problem = (await res.json().catch(() => ({}))) as { detail?: string };
    throw new Error(problem.detail ?? `the terminal token request failed with HTTP ${res.status}`);
  }
  return ((await res.json()) as { token: string }).token;
}
