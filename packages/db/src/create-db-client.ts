// The one way Praxis builds a Prisma client: the generated client (src/generated, made by
// `npm run generate -w @praxis/db`) over the node-postgres driver adapter.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';

export type DbClient = PrismaClient;

export function createDbClient(databaseUrl: string, options: { poolSize?: number } = {}): DbClient {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: options.poolSize ?? 10 });
  return new PrismaClient({ adapter });
}
