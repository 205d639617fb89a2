// Entry point: load the configuration, build the app, listen, and close cleanly on signals.
import { buildApp } from './app';
import { ConfigError, loadConfig } from './config';
import { DeploymentError } from './services/cluster/verify-deployment';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const app = await buildApp(config);
  // The last guard: every background task handles its own failures, and one that slips through
  // is logged, never allowed to end the process (and every learner's exam with it).
  process.on('unhandledRejection', (reason) => app.log.error({ err: reason }, 'unhandled rejection'));
  const close = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void close('SIGINT'));
  process.once('SIGTERM', () => void close('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
}

main().catch((error) => {
  // A deployment check that failed (another process, another secret) is a sentence, not a trace.
  if (error instanceof DeploymentError) {
    console.error(`${error.code}: ${error.message}`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
