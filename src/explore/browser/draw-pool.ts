/**
 * The page's Web Workers (as many as the browser offers cores): each builds the scenario's Simulation,
 * then takes draws two at a time, so none waits between draws. Draws are handed out in order 0, 1, 2,
 * … and may come back in any order; LiveRun puts them back in order. A restart (a control moved) starts
 * a new generation with the same seed, so the new figures come from the same people and noise (common
 * random numbers): the change shows the setting's effect, not Monte Carlo noise.
 */
import type { RunMeta } from '../live-run.js';
import type { FromWorker, RunRequest, ToWorker, WorkerTiming } from './worker-side.js';
import type { DrawOutput } from '../../engine/simulation.js';

export interface WorkerLike {
  postMessage(m: ToWorker): void;
  onmessage: ((ev: MessageEvent<FromWorker>) => void) | null;
  onerror: ((ev: ErrorEvent) => void) | null;
  terminate(): void;
}

export interface RunHandlers {
  /** The first worker has built the simulation; `text` is the scenario it simulates. */
  ready(meta: RunMeta, text: string, timing: WorkerTiming): void;
  draw(unit: number, out: DrawOutput): void;
  /** The scenario was refused, or a draw failed: the run stops. */
  error(message: string): void;
}

/** Units in flight per worker: one running, one queued. */
const IN_FLIGHT = 2;

export class DrawPool {
  private gen = 0;
  private next = 0;
  private target = 0;
  private paused = false;
  private readonly workers: WorkerLike[] = [];
  private readonly busy: number[] = [];
  private readonly ready: boolean[] = [];
  private handlers: RunHandlers | null = null;
  private started = false;
  private request: RunRequest | null = null;

  constructor(workers: readonly WorkerLike[] = []) {
    for (const w of workers) this.add(w);
  }

  /** One more worker: it joins the current run (configured with its request) as soon as it is ready. */
  add(w: WorkerLike): void {
    const i = this.workers.length;
    this.workers.push(w);
    this.busy.push(0);
    this.ready.push(false);
    w.onmessage = (ev) => this.onMessage(i, ev.data);
    w.onerror = (ev) => this.handlers?.error(`a worker failed: ${ev.message}`);
    if (this.request) w.postMessage({ type: 'configure', gen: this.gen, request: this.request });
  }

  get size(): number {
    return this.workers.length;
  }

  /** (Re)start: a new generation of the request, up to `target` units. */
  start(request: RunRequest, target: number, handlers: RunHandlers): void {
    this.gen += 1;
    this.next = 0;
    this.target = target;
    this.paused = false;
    this.started = false;
    this.handlers = handlers;
    this.request = request;
    this.busy.fill(0);
    this.ready.fill(false);
    for (const w of this.workers) w.postMessage({ type: 'configure', gen: this.gen, request });
  }

  /** Stop handing out draws (those in flight still arrive). */
  pause(): void {
    this.paused = true;
  }

  /** Go on, up to `target` units. */
  resume(target = this.target): void {
    this.target = target;
    this.paused = false;
    this.workers.forEach((_, i) => this.feed(i));
  }

  get handedOut(): number {
    return this.next;
  }

  get inFlight(): number {
    return this.busy.reduce((a, b) => a + b, 0);
  }

  private feed(i: number): void {
    if (!this.ready[i]) return;
    const units: number[] = [];
    while (!this.paused && this.busy[i] + units.length < IN_FLIGHT && this.next < this.target) units.push(this.next++);
    if (units.length === 0) return;
    this.busy[i] += units.length;
    // One message per unit: the worker answers each as soon as it is done.
    for (const u of units) this.workers[i].postMessage({ type: 'run', gen: this.gen, units: [u] });
  }

  private onMessage(i: number, m: FromWorker): void {
    if (m.gen !== this.gen || !this.handlers) return;
    switch (m.type) {
      case 'ready':
        this.ready[i] = true;
        if (!this.started) {
          this.started = true;
          this.handlers.ready(m.meta, m.text, m.timing);
        }
        this.feed(i);
        return;
      case 'error':
        if (!this.started) {
          this.started = true;
          this.paused = true;
          this.handlers.error(m.message);
        }
        return;
      case 'draw':
        this.busy[i] -= 1;
        this.handlers.draw(m.unit, m.out);
        this.feed(i);
        return;
      case 'fail':
        this.busy[i] -= 1;
        this.paused = true;
        this.handlers.error(m.message);
        return;
    }
  }
}
