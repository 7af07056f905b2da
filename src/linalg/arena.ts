/**
 * Many short Float64Arrays carved out of a few large buffers.
 *
 * Why: V8 gives every typed array larger than 64 bytes its own off-heap backing store, and allocating
 * and sweeping those costs more than the arithmetic on a few hundred numbers; their total size also
 * drives V8's "external memory pressure" collections. One estimate on an ISF-sized panel wants
 * ~2,000 such arrays (a ψ per cell, a design matrix per comparison set), and the engine makes
 * thousands of estimates. An arena hands out zero-filled views of shared chunks. Either they are freed
 * together when the last view is dropped, or `reset()` hands the same memory out again (for
 * temporaries whose lifetime is one call: no allocation at all once the arena has grown).
 */
export class Float64Arena {
  private readonly chunks: Float64Array[] = [];
  /** Index of the chunk being carved, and how much of it is handed out. */
  private current = -1;
  private used = 0;
  /** Chunks below this index hold data from before the last reset (zero them when handed out). */
  private dirty = 0;

  /** @param chunk doubles per shared buffer (requests above a quarter of it get their own array). */
  constructor(private readonly chunk = 1 << 16) {}

  /** A zero-filled array of `len` doubles. */
  take(len: number): Float64Array {
    if (len > this.chunk >> 2) return new Float64Array(len);
    if (this.current < 0 || this.used + len > this.chunk) {
      this.current++;
      if (this.current === this.chunks.length) this.chunks.push(new Float64Array(this.chunk));
      this.used = 0;
    }
    const view = this.chunks[this.current].subarray(this.used, this.used + len);
    this.used += len;
    if (this.current < this.dirty) view.fill(0);
    return view;
  }

  /** Hand the memory out again from the start: every view taken before now must no longer be used. */
  reset(): void {
    this.dirty = Math.max(this.dirty, this.current + 1);
    this.current = -1;
    this.used = 0;
  }
}

/**
 * A reusable scratch array of at least `len` doubles, for temporaries that do not outlive a call.
 * Contents are undefined on return (callers overwrite what they use).
 */
export class Scratch {
  private buf = new Float64Array(0);

  get(len: number): Float64Array {
    if (this.buf.length < len) this.buf = new Float64Array(Math.max(len, this.buf.length * 2));
    return this.buf;
  }
}
