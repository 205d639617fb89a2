// Running convertScenarios in a worker thread with a time and memory limit: an upload whose
// scripts make the importer's regular expressions crawl, or that needs more memory than a bank
// can, is stopped and refused with a sentence, while the API keeps answering everyone else.
// One worker per process converts one upload at a time (others wait their turn, so uploads never
// take more than one core); it is kept for the next upload (loading its code costs seconds on a
// busy machine), ended after a few idle minutes, and replaced when a conversion was stopped.
// The worker loads TypeScript through tsx's API (the packages ship TypeScript source, and a
// worker of Node 20 does not inherit the main thread's loader).
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ApiError } from '../../lib/api-error';
import type { ConvertInput, ForeignFormat, LabImportReport } from './convert-scenarios';

export const CONVERT_LIMITS = { timeMs: 60_000, heapMb: 256 } as const;
/** Loading the worker's code is ours, not the upload's: it has a limit of its own. */
const BOOT_LIMIT_MS = 120_000;
const IDLE_MS = 5 * 60_000;

// tsx's ESM API sits beside its CommonJS one (the "require" condition is what createRequire finds).
const TSX_API = pathToFileURL(path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/esm/api')), 'index.mjs')).href;
const ENTRY = new URL('./convert-worker.ts', import.meta.url).href;
const BOOT = `const { workerData } = require('node:worker_threads');
import(workerData.tsxApi).then(({ tsImport }) => tsImport(workerData.entry, workerData.entry));`;

export type WorkerMessage =
  | { ready: true }
  | { started: true }
  | { ok: true; reports: LabImportReport[] }
  | { ok: false; error: { status: number; code: string; message: string; extra?: Record<string, unknown> } };

class ConversionWorker {
  private worker?: Worker;
  private ready?: Promise<void>;
  private turn: Promise<unknown> = Promise.resolve();
  private idle?: NodeJS.Timeout;
  /** Receives the worker's messages and its failure while a conversion runs. */
  private listener?: { message(m: WorkerMessage): void; fail(e: Error): void };

  private boot(): Promise<void> {
    const worker = new Worker(BOOT, {
      eval: true,
      workerData: { tsxApi: TSX_API, entry: ENTRY },
      resourceLimits: { maxOldGenerationSizeMb: CONVERT_LIMITS.heapMb },
      stdout: false,
    });
    this.worker = worker;
    worker.unref();
    // Only the current worker's end matters (a stopped one's exit comes after its replacement).
    const gone = (error: Error) => {
      if (this.worker !== worker) return;
      this.discard();
      this.listener?.fail(error);
    };
    worker.on('error', (error) =>
      gone(
        (error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new ApiError(422, 'IMPORT_TOO_LARGE', `the conversion needed more than ${CONVERT_LIMITS.heapMb} MB of memory and was stopped; nothing was imported`)
          : error,
      ),
    );
    worker.on('exit', (code) => gone(new Error(`the conversion worker exited (code ${code}) without an answer`)));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the conversion worker did not start within ${BOOT_LIMIT_MS / 1000} s`)), BOOT_LIMIT_MS);
      this.listener = {
        message: (m) => {
          if ('ready' in m) {
            clearTimeout(timer);
            resolve();
          }
        },
        fail: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      worker.on('message', (m: WorkerMessage) => this.listener?.message(m));
    });
  }

  private discard() {
    const worker = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    void worker?.terminate();
  }

  /** Converts in the worker (booting it first when needed), one upload at a time. */
  convert(format: ForeignFormat, input: ConvertInput, timeMs: number): Promise<LabImportReport[]> {
    const run = async () => {
      clearTimeout(this.idle);
      try {
        this.ready ??= this.boot();
        await this.ready;
      } catch (error) {
        this.discard();
        throw error;
      }
      let timer: NodeJS.Timeout | undefined;
      try {
        return await new Promise<LabImportReport[]>((resolve, reject) => {
          this.listener = {
            message: (m) => {
              if ('started' in m) {
                // The limit counts the conversion itself, from the moment the worker takes it.
                timer = setTimeout(() => {
                  this.discard();
                  reject(new ApiError(422, 'IMPORT_TOO_SLOW', `converting ${input.shownAs} took longer than ${Math.round(timeMs / 1000)} s and was stopped (a script with very long lines?); nothing was imported`));
                }, timeMs);
              } else if ('ok' in m) {
                if (m.ok) resolve(m.reports);
                else reject(new ApiError(m.error.status, m.error.code, m.error.message, m.error.extra));
              }
            },
            fail: reject,
          };
          this.worker!.postMessage({ format, input });
        });
      } finally {
        clearTimeout(timer);
        this.listener = undefined;
        this.idle = setTimeout(() => this.discard(), IDLE_MS).unref();
      }
    };
    const result = this.turn.then(run, run);
    this.turn = result.catch(() => undefined);
    return result;
  }
}

const shared = new ConversionWorker();

export function convertScenariosOffThread(format: ForeignFormat, input: ConvertInput, limits: { timeMs: number } = CONVERT_LIMITS): Promise<LabImportReport[]> {
  return shared.convert(format, input, limits.timeMs);
}
