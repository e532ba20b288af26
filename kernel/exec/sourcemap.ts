// Reads a source map's VLQ mappings into "generated line -> original line" (all 0-based).
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DIGIT = new Map([...B64].map((c, i) => [c, i]));

/**
 * For each generated line, the original line of its first mapped segment; lines without a
 * segment inherit the previous line's, which is where an unmapped wrapper line belongs.
 */
export function decodeLineMap(map: string | { mappings: string }): (number | undefined)[] {
  const mappings = typeof map === "string" ? (JSON.parse(map) as { mappings: string }).mappings : map.mappings;
  const lines: (number | undefined)[] = [];
  let origLine = 0;
  let last: number | undefined;
  const groups = mappings.split(";");
  for (const group of groups) {
    let first: number | undefined;
    for (const segment of group.split(",")) {
      if (!segment) continue;
      const fields = decodeVlq(segment);
      if (fields.length >= 4) {
        origLine += fields[2];
        if (first === undefined) first = origLine;
      }
    }
    if (first !== undefined) last = first;
    lines.push(first ?? last);
  }
  return lines;
}

function decodeVlq(segment: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of segment) {
    const digit = DIGIT.get(ch);
    if (digit === undefined) break;
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}
