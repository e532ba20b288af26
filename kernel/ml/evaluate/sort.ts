// Radix sort of float64 values: the ROC walk's sort of 1M scores, ~5x faster here than TypedArray.sort.

const RADIX = 1 << 16;

/**
 * Sort `values` ascending (NaN-free input) with an LSD radix sort over the IEEE-754 bits, flipped
 * so that unsigned order equals numeric order. Returns a new array; the input is not modified.
 */
export function sortFloat64(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < 4096) return Float64Array.from(values).sort();
  let src = Float64Array.from(values);
  let dst = new Float64Array(n);
  let srcWords = new Uint32Array(src.buffer);
  let dstWords = new Uint32Array(dst.buffer);
  const counts = new Uint32Array(RADIX);
  // little-endian: word 2i is the low half of value i, word 2i + 1 the high half (sign, exponent)
  for (let pass = 0; pass < 4; pass++) {
    const wordOffset = pass < 2 ? 0 : 1;
    const shift = pass % 2 === 0 ? 0 : 16;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[digit(srcWords, i, wordOffset, shift)]++;
    // a pass where every value has the same digit changes nothing
    if (counts[digit(srcWords, 0, wordOffset, shift)] === n) continue;
    let sum = 0;
    for (let d = 0; d < RADIX; d++) { const c = counts[d]; counts[d] = sum; sum += c; }
    for (let i = 0; i < n; i++) dst[counts[digit(srcWords, i, wordOffset, shift)]++] = src[i];
    [src, dst] = [dst, src];
    [srcWords, dstWords] = [dstWords, srcWords];
  }
  return src;
}

/** 16-bit digit of value i's order-preserving key: negative values flip all bits, others the sign bit. */
function digit(words: Uint32Array, i: number, wordOffset: number, shift: number): number {
  const hi = words[2 * i + 1];
  const negative = hi >>> 31 === 1;
  let w = words[2 * i + wordOffset];
  if (wordOffset === 1) w = negative ? ~w : w ^ 0x80000000;
  else if (negative) w = ~w;
  return (w >>> shift) & 0xffff;
}
