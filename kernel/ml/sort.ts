// The float64 sort of kernel/ml (ROC walk, drift statistics): a value-bucket sort (radix sort for non-finite input),
// 3-5x faster here than TypedArray.prototype.sort on 1M scores.

// 16-bit digits: four passes (11-bit digits, six passes, measured no faster here)
const RADIX = 1 << 16;
const MASK = RADIX - 1;

/**
 * Sort `values` ascending (NaN-free input; returns a new array). Finite values go to ~n/4 buckets
 * by linear position between min and max (a monotonic map, so buckets are in order), and each
 * bucket is sorted on its own: one scatter pass instead of a radix sort's four. A skewed input
 * only makes some buckets large, which the native sort then handles.
 */
export function sortFloat64(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < 4096) return Float64Array.from(values).sort();
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!Number.isFinite(min) || !Number.isFinite(max) || !Number.isFinite(max - min)) return radixSortFloat64(values);
  if (min === max) return Float64Array.from(values);
  const buckets = Math.min(1 << 20, n >>> 2);
  const scale = buckets / (max - min);
  const starts = new Uint32Array(buckets + 1);
  const bucketOf = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const b = Math.min(buckets - 1, Math.floor((values[i] - min) * scale));
    bucketOf[i] = b;
    starts[b + 1]++;
  }
  for (let b = 0; b < buckets; b++) starts[b + 1] += starts[b];
  const out = new Float64Array(n);
  const fill = starts.slice(0, buckets);
  for (let i = 0; i < n; i++) out[fill[bucketOf[i]]++] = values[i];
  for (let b = 0; b < buckets; b++) {
    const s = starts[b];
    const e = starts[b + 1];
    if (e - s < 2) continue;
    if (e - s > 32) { out.subarray(s, e).sort(); continue; }
    for (let i = s + 1; i < e; i++) {
      const v = out[i];
      let j = i - 1;
      while (j >= s && out[j] > v) { out[j + 1] = out[j]; j--; }
      out[j + 1] = v;
    }
  }
  return out;
}

/**
 * Sort `values` ascending (NaN-free input) with an LSD radix sort over the IEEE-754 bits. The
 * bits are first turned into order-preserving unsigned keys (negative values flip all bits, others
 * the sign bit), kept as two Uint32 halves, so the passes only count and move integers.
 */
export function radixSortFloat64(values: Float64Array): Float64Array {
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
