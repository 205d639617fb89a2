// What a process checks about its deployment before it serves anyone: alone (PRAXIS_CLUSTER=0),
// no other Praxis process may be using the database (two would provision past the limit and
// grade twice); one of several (PRAXIS_CLUSTER=1), its PRAXIS_SECRET must be the one the live
// processes use (its fingerprint is kept in the database; a new secret is taken only when no
// other process is alive, i.e. after every process was stopped to change it).
import { createHmac } from 'node:crypto';
import type { Coordination, DbClient } from '@praxis/db';

export class DeploymentError extends Error {
  constructor(
    readonly code: 'ANOTHER_PROCESS_RUNNING' | 'SECRET_MISMATCH',
    message: string,
  ) {
    super(message);
    this.name = 'DeploymentError';
  }
}

const FINGERPRINT_KEY = 'secret_fingerprint';

export function secretFingerprint(secret: string): string {
  return createHmac('sha256', secret).update('praxis deployment fingerprint v1').digest('hex').slice(0, 32);
}

export async function verifyDeployment(db: DbClient, coordination: Coordination, o: { cluster: boolean; secret?: string }): Promise<void> {
  const others = [...(await coordination.liveWorkers())].filter((id) => id !== coordination.workerId);
  if (!o.cluster) {
    if (others.length > 0) {
      throw new DeploymentError(
        'ANOTHER_PROCESS_RUNNING',
        `another Praxis process is using this database (${others.length} alive). Run several only with PRAXIS_CLUSTER=1 in every process (with the same PRAXIS_SECRET and an external DATABASE_URL; see docs/deploy.md), or stop the other one first`,
      );
    }
    return;
  }
  const fingerprint = secretFingerprint(o.secret!);
  const stored = await db.deploymentSetting.findUnique({ where: { key: FINGERPRINT_KEY } });
  if (stored?.value === fingerprint) return;
  if (stored && others.length > 0) {
    throw new DeploymentError(
      'SECRET_MISMATCH',
      `PRAXIS_SECRET differs from the one the ${others.length} other running process(es) of this deployment use: give every process the same secret (to change it, stop them all and start them with the new one)`,
    );
  }
  await db.deploymentSetting.upsert({ where: { key: FINGERPRINT_KEY }, create: { key: FINGERPRINT_KEY, value: fingerprint }, update: { value: fingerprint, updatedAt: new Date() } });
}
