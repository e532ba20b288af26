// Radix sort of float64 values: the ROC walk's sort of 1M scores (~1.5x faster here than TypedArray.sort).

// 16-bit digits: four passes (11-bit digits, six passes, measured no faster here)
const RADIX = 1 << 16;
const MASK = RADIX - 1;

/**
 * Sort `values` ascending (NaN-free input) with an LSD radix sort over the IEEE-754 bits. The
 * bits are first turned into order-preserving unsigned keys (negative values flip all bits, others
 * the sign bit), kept as two Uint32 halves, so the passes only count and move integers.
 */
export function sortFloat64(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < 4096) return Float64Array.from(values).sort();
  const words = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  let hi = new Uint32Array(n);
  let lo = new Uint32Array(n);
  // little-endian: word 2i is the low half of value i, word 2i + 1 the high half (sign, exponent)
  for (let i = 0; i < n; i++) {
    const h = words[2 * i + 1];
    const l = words[2 * i];
    if (h >>> 31) { hi[i] = ~h; lo[i] = ~l; } else { hi[i] = h ^ 0x80000000; lo[i] = l; }
  }
  let hi2 = new Uint32Array(n);
  let lo2 = new Uint32Array(n);
  const counts = new Uint32Array(RADIX);
  for (let pass = 0; pass < 4; pass++) {
    const key = pass < 2 ? lo : hi;
    const shift = pass % 2 === 0 ? 0 : 16;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(key[i] >>> shift) & MASK]++;
    // a pass where every value has the same digit changes nothing
    if (counts[(key[0] >>> shift) & MASK] === n) continue;
    let sum = 0;
    for (let d = 0; d < RADIX; d++) { const c = counts[d]; counts[d] = sum; sum += c; }
    for (let i = 0; i < n; i++) {
      const at = counts[(key[i] >>> shift) & MASK]++;
      hi2[at] = hi[i];
      lo2[at] = lo[i];
    }
    [hi, hi2] = [hi2, hi];
    [lo, lo2] = [lo2, lo];
  }
  const out = new Float64Array(n);
  const outWords = new Uint32Array(out.buffer);
  for (let i = 0; i < n; i++) {
    const h = hi[i];
    if (h >>> 31) { outWords[2 * i + 1] = h ^ 0x80000000; outWords[2 * i] = lo[i]; } else { outWords[2 * i + 1] = ~h; outWords[2 * i] = ~lo[i]; }
  }
  return out;
}
