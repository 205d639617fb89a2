// Temporary: a server with the course labs for looking at the pages by hand.
import { startApiServer } from './terminal-helpers';
const server = await startApiServer({
  scope: 'issue-15-dev',
  dataDirPrefix: 'praxis-dev-',
  env: { PRAXIS_ADMIN_EMAIL: 'admin@dev.test', PRAXIS_ADMIN_PASSWORD: 'admin-password-1', PRAXIS_SEED_LABS: '/work/wt/issue-15-exam-ux/labs', LOG_LEVEL: 'warn', PRAXIS_GC_INTERVAL: '60' },
});
await server.waitUntilHealthy();
console.log(`READY ${server.base}`);
process.stdin.on('end', () => void server.stop().then(() => process.exit(0)));
process.stdin.resume();
