// @praxis/db: the one owner of the database (schema at prisma/, migrations, the client, the
// embedded server and the per-suite test databases).
export * from './coordination';
export * from './create-db-client';
export * from './embedded-postgres';
export * from './migrate';
export * from './open-database';
export * from './test-database';
export * from './generated/prisma/client';
