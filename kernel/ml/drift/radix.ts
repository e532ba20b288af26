// Sorting Float64Arrays by LSD radix sort on their IEEE bits: faster than TypedArray#sort on millions of values.

const DIGITS = 1 << 16;

/**
 * Sort `a` ascending in place (no NaN allowed) and return it. Large arrays go through four
 * 16-bit counting passes over the order-preserving integer image of each double (counts for
 * all passes gathered in one read); passes whose digit is the same for every value are skipped.
 */
export function sortFloat64(a: Float64Array): Float64Array {
  const n = a.length;
  if (n < 4096) return a.sort();
  let src = new Uint32Array(a.buffer, a.byteOffset, n * 2);
  const counts = new Uint32Array(4 * DIGITS);
  // Flip so that unsigned order of (hi, lo) equals numeric order: negatives flip all bits, positives the sign.
  for (let i = 0; i < 2 * n; i += 2) {
    let lo = src[i];
    let hi = src[i + 1];
    if (hi & 0x80000000) {
      lo = ~lo >>> 0;
      hi = ~hi >>> 0;
    } else {
      hi = (hi | 0x80000000) >>> 0;
    }
    src[i] = lo;
    src[i + 1] = hi;
    counts[lo & 0xffff]++;
    counts[DIGITS + (lo >>> 16)]++;
    counts[2 * DIGITS + (hi & 0xffff)]++;
    counts[3 * DIGITS + (hi >>> 16)]++;
  }
  const original = src;
  let dst = new Uint32Array(n * 2);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass >> 1;
    const shift = (pass & 1) * 16;
    const base = pass * DIGITS;
    if (counts[base + ((src[word] >>> shift) & 0xffff)] === n) continue;
    let sum = 0;
    for (let d = base; d < base + DIGITS; d++) {
      const c = counts[d];
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < 2 * n; i += 2) {
      const p = 2 * counts[base + ((src[i + word] >>> shift) & 0xffff)]++;
      dst[p] = src[i];
      dst[p + 1] = src[i + 1];
    }
    [src, dst] = [dst, src];
  }
  for (let i = 0; i < 2 * n; i += 2) {
    const hi = src[i + 1];
    if (hi & 0x80000000) {
      original[i] = src[i];
      original[i + 1] = hi & 0x7fffffff;
    } else {
      original[i] = ~src[i];
      original[i + 1] = ~hi;
    }
  }
  return a;
}
