// Prisma CLI configuration: the JS engine and a driver adapter, because the native engines
// cannot be downloaded here (see docs and environment.md). The schema lives at the repo root.
import path from 'node:path';
import { defineConfig } from 'prisma/config';

export default defineConfig({
  engine: 'js',
  experimental: { adapter: true },
  schema: path.join(import.meta.dirname, '../../prisma/schema.prisma'),
  async adapter() {
    const { PrismaPg } = await import('@prisma/adapter-pg');
    return new PrismaPg({ connectionString: process.env.DATABASE_URL ?? 'postgresql://localhost/praxis' });
  },
});
