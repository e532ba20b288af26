// String order by Unicode code point (Python's and numpy's sort), shared by the encoders and the metric labels.

/**
 * Compare two strings by code point, as Python does. JavaScript's `<` compares UTF-16 code units,
 * which puts astral characters (surrogate pairs, U+D800..DFFF units) before U+E000..FFFF; only the
 * first differing unit matters, so shifting it into code point order is enough.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i), y = b.charCodeAt(i);
    if (x === y) continue;
    return rank(x) - rank(y);
  }
  return a.length - b.length;
}

function rank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}
