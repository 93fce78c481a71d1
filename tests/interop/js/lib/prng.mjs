// Seeded pseudo-random numbers (a 32-bit xorshift-multiply generator): the same seed gives the same documents on
// every machine, so a failing interop case can be replayed with its seed.
export class Rng {
  constructor(seed) {
    this.state = (Number(seed) >>> 0) ^ 0x9e3779b9;
    if (this.state === 0) this.state = 0x6d2b79f5;
  }

  /** A float in [0, 1). */
  next() {
    let x = this.state;
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    this.state = x;
    let t = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) >>> 0;
    t = Math.imul(t ^ (t >>> 12), 0x297a2d39) >>> 0;
    return ((t ^ (t >>> 15)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n) { return Math.floor(this.next() * n); }

  /** An integer in [lo, hi]. */
  range(lo, hi) { return lo + this.int(hi - lo + 1); }

  /** true with probability p. */
  chance(p) { return this.next() < p; }

  /** One element of a non-empty array. */
  pick(items) { return items[this.int(items.length)]; }

  /** n random bytes as lowercase hex. */
  hex(n) {
    let s = '';
    for (let i = 0; i < n; i++) s += this.int(256).toString(16).padStart(2, '0');
    return s;
  }
}
