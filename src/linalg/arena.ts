/**
 * Many short Float64Arrays carved out of a few large buffers.
 *
 * Why: V8 gives every typed array larger than 64 bytes its own off-heap backing store, and allocating
 * and sweeping those costs more than the arithmetic on a few hundred numbers. One estimate on an
 * ISF-sized panel wants ~2,000 such arrays (a ψ per cell, a design matrix per comparison set), and
 * the engine makes thousands of estimates. An arena hands out zero-filled views of shared chunks; they
 * are freed together when the last view is dropped, i.e. with the estimate that holds them.
 */
export class Float64Arena {
  private buf: Float64Array;
  private used = 0;

  /** @param chunk doubles per shared buffer (requests above a quarter of it get their own array). */
  constructor(private readonly chunk = 1 << 16) {
    this.buf = new Float64Array(0);
  }

  /** A zero-filled array of `len` doubles. */
  take(len: number): Float64Array {
    if (len > this.chunk >> 2) return new Float64Array(len);
    if (this.used + len > this.buf.length) {
      this.buf = new Float64Array(this.chunk);
      this.used = 0;
    }
    const view = this.buf.subarray(this.used, this.used + len);
    this.used += len;
    return view;
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
