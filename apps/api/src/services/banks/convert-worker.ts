// The worker thread that converts uploaded scenarios (convertScenarios), so that the regular
// expressions and file work of an import, however hostile the upload, never hold the API's event
// loop (convert-off-thread.ts runs it). Per request it says when it starts (the time limit counts
// from there), then answers once: the reports, or the error as status, code, sentence and extra.
import { parentPort } from 'node:worker_threads';
import { ApiError } from '../../lib/api-error';
import { convertScenarios, type ConvertInput, type ForeignFormat } from './convert-scenarios';
import type { WorkerMessage } from './convert-off-thread';

const send = (m: WorkerMessage) => parentPort!.postMessage(m);

parentPort!.on('message', ({ format, input }: { format: ForeignFormat; input: ConvertInput }) => {
  send({ started: true });
  convertScenarios(format, input).then(
    (reports) => send({ ok: true, reports }),
    (error: unknown) =>
      send({
        ok: false,
        error:
          error instanceof ApiError
            ? { status: error.status, code: error.code, message: error.message, extra: error.extra }
            : { status: 500, code: 'IMPORT_FAILED', message: (error as Error)?.message ?? String(error) },
      }),
  );
});
send({ ready: true });
