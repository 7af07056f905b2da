/**
 * `type: external`: an estimator that is another program (an R script, a Python module), spoken to
 * over a JSON-lines protocol (README, "Bring your own estimator"). For each draw the panel is written as
 * `stagger simulate` writes it (cli/panel-csv.ts) into the process's temporary folder, one request
 * line `{"point", "draw", "panel", "estimands"}` (and `"options"` when the analysis narrows an average:
 * options.ts) goes to the process's stdin and one answer line
 * `{"draw", "rows": [...]}` comes back on its stdout (answer.ts turns it into an Estimate, so the
 * engine's records, diagnosis, reports and the draws store treat it as any built-in estimator's).
 *
 * With `panelFormat: 'binary'` the panel goes as a binary frame instead (panel-binary.ts: the same
 * columns and numbers as doubles, column after column), the request adding `"panel_format": "binary"`,
 * `"nrow"` and `"columns"`; the CSV request is unchanged.
 *
 * One long-running process per estimator and thread (the engine's workers each start their own), kept
 * across design points and subgroups. A failed draw — an answer that breaks the protocol, the
 * process's exit, the time-out — is not identified with the process's message (and the last lines of
 * its stderr) as the reason; the process is ended and a fresh one answers the next draw. A program
 * that is not there, or a first process that ends before it ever answers, is an error of the run.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { writePanelCsv } from '../../cli/panel-csv.js';
import type { Panel } from '../../panel/panel.js';
import { EstimatorInputError } from '../errors.js';
import type { DrawAt, Estimate, Estimator } from '../types.js';
import type { AverageOptions } from '../../estimands/averages.js';
import { parseAnswer } from './answer.js';
import { writePanelBinary } from './panel-binary.js';
import { findProgram, splitCommand } from './command.js';
import { entryMessage, isEntry, parseEntry, requestIds, type EstimandEntry } from './estimands.js';
import { requestOptions } from './options.js';
import { hookExit, SyncProcess, type Exchange } from './sync-process.js';

export interface ExternalOptions {
  name?: string;
  /** Program and arguments, e.g. "Rscript my_estimator.R" (command.ts: split as a shell would, never run by one). */
  command: string;
  /** What it answers (estimands.ts). */
  estimands: readonly string[];
  /** Seconds one draw may take (default 60). */
  timeout?: number;
  /** The process's working folder: the scenario file's (default: the current one). */
  cwd?: string;
  /** The analysis' event window, for expanding `dynamic` into the draw's event times. */
  minE?: number;
  maxE?: number;
  /** The analysis' narrowed averages, sent as the request's `options` (options.ts). */
  averages?: AverageOptions;
  /** How the panel is written: `csv` (default, as `stagger simulate`) or `binary` (panel-binary.ts). */
  panelFormat?: 'csv' | 'binary';
}

export const DEFAULT_TIMEOUT = 60;
/** Lines of the process's stderr quoted in a failed draw's reason. */
const STDERR_QUOTED = 3;

/** The program, its arguments and its path, or a clear error. */
export function resolveCommand(command: string, cwd: string): { program: string; args: string[] } {
  // The main thread checks every command at load: its exit and signal hooks then clean up after the workers too.
  hookExit();
  const [program, ...args] = splitCommand(command);
  if (findProgram(program, cwd) === undefined) {
    throw new EstimatorInputError(
      `external estimator command "${command}": the program "${program}" is not ${program.includes('/') ? `an executable file (relative to ${cwd})` : 'on PATH'}; install it or give its path`,
    );
  }
  return { program, args };
}

interface Shared {
  proc: SyncProcess;
  /** Whether any process of it has answered: a first process that dies before is a start-up failure. */
  answered: boolean;
}
/** The processes of this thread, by command and folder: design points and subgroups share one. */
const processes = new Map<string, Shared>();

function processFor(program: string, args: string[], cwd: string): Shared {
  const key = JSON.stringify([program, args, cwd]);
  let s = processes.get(key);
  if (!s) {
    s = { proc: new SyncProcess(program, args, cwd), answered: false };
    processes.set(key, s);
  }
  return s;
}

/** End every process of this thread (tests; the CLI's `stagger estimate`). */
export function closeExternalProcesses(): void {
  for (const s of processes.values()) s.proc.dispose();
  processes.clear();
}

function failure(name: string, what: string, stderr: readonly string[]): EstimatorInputError {
  const tail = stderr.slice(-STDERR_QUOTED);
  return new EstimatorInputError(`external estimator ${name}: ${what}${tail.length ? `; stderr: ${tail.join(' | ')}` : ''}`, {
    notIdentified: true,
  });
}

function exitText(r: Extract<Exchange, { kind: 'exit' }>): string {
  return r.signal ? `the process was ended by ${r.signal}` : `the process exited with code ${r.code}`;
}

export function externalEstimator(o: ExternalOptions): Estimator {
  const name = o.name ?? 'external';
  const cwd = o.cwd ?? process.cwd();
  const entries: EstimandEntry[] = o.estimands.map((t, i) => {
    const e = parseEntry(t);
    if (!isEntry(e)) throw new EstimatorInputError(`external estimator ${name}: estimands[${i}]: ${entryMessage(e, t)}`);
    return e;
  });
  if (entries.length === 0)
    throw new EstimatorInputError(`external estimator ${name}: estimands: expected at least one estimand id, found none`);
  const timeout = o.timeout ?? DEFAULT_TIMEOUT;
  if (!(timeout > 0)) throw new EstimatorInputError(`external estimator ${name}: timeout: expected seconds > 0, found ${timeout}`);
  const { program, args } = resolveCommand(o.command, cwd);
  const window: [number, number] = [o.minE ?? -Infinity, o.maxE ?? Infinity];

  return {
    name,
    estimate(panel: Panel, _rng, at?: DrawAt): Estimate {
      const shared = processFor(program, args, cwd);
      const { proc } = shared;
      const point = at?.point ?? 0;
      const draw = at?.draw ?? 0;
      const binary = o.panelFormat === 'binary';
      const file = join(proc.folder, `panel-p${point}-d${draw}.${binary ? 'f64' : 'csv'}`);
      try {
        let frame = {};
        if (binary) {
          const shape = writePanelBinary(file, panel);
          // A panel the frame cannot hold (ids that are not numbers) is this estimate's input error.
          if (typeof shape === 'string') throw new EstimatorInputError(`external estimator ${name}: ${shape}`);
          frame = { panel_format: 'binary', ...shape };
        } else writePanelCsv(file, panel);
        const options = requestOptions(o.averages, panel);
        // Without narrowed averages the request has no `options` key (the protocol's first form).
        const line = JSON.stringify({
          point,
          draw,
          panel: file,
          ...frame,
          estimands: requestIds(entries, panel, window),
          ...(Object.keys(options).length ? { options } : {}),
        });
        const r = proc.request(line, timeout * 1000);
        if (r.kind === 'spawn-error')
          throw new EstimatorInputError(`external estimator ${name}: "${o.command}" could not start: ${r.message}`);
        if (r.kind === 'line') {
          const est = parseAnswer(r.text, draw, name, options, o.averages);
          if (typeof est === 'string') {
            // Out of step: a fresh process answers the next draw.
            proc.restart();
            throw failure(name, est, r.stderr);
          }
          shared.answered = true;
          return est;
        }
        if (r.kind === 'exit' && !shared.answered) {
          throw new EstimatorInputError(
            `external estimator ${name}: "${o.command}" ended before answering its first draw (${exitText(r)})${r.stderr.length ? `: ${r.stderr.slice(-STDERR_QUOTED).join(' | ')}` : ''}`,
          );
        }
        if (r.kind === 'exit') throw failure(name, `${exitText(r)} before answering draw ${draw}; restarted for the next draw`, r.stderr);
        if (r.kind === 'timeout')
          throw failure(name, `no answer to draw ${draw} within ${timeout} s (timeout); the process was killed and restarted`, r.stderr);
        proc.restart();
        throw failure(name, `no answer to draw ${draw} within ${timeout} s (the helper thread did not reply); restarted`, r.stderr);
      } finally {
        rmSync(file, { force: true });
      }
    },
  };
}
