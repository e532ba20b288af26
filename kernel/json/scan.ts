// Places in JSON text: where a syntax error is, where the value at a path starts, as line and column; iterative, so any nesting depth works.

const OBJECT = 1;
const ARRAY = 2;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /[0-9a-fA-F]{4}/y;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** The end of the string starting at `i` (after its closing quote), or -(offset + 1) of its first error. */
function scanString(text: string, i: number): number {
  i++;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34) return i + 1;
    if (c === 92) {
      const e = text[i + 1];
      if (e === "u") {
        HEX4.lastIndex = i + 2;
        if (!HEX4.test(text)) return -(i + 1);
        i += 6;
      } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
      else return -(i + 1);
    } else if (c < 32) return -(i + 1);
    else i++;
  }
  return -(i + 1);
}

/** The end of a scalar (number or literal) starting at `i`, or -(offset + 1) where it goes wrong. */
function scanScalar(text: string, i: number): number {
  for (const word of ["true", "false", "null"]) {
    if (text[i] !== word[0]) continue;
    for (let k = 0; k < word.length; k++) if (text[i + k] !== word[k]) return -(i + k + 1);
    return i + word.length;
  }
  NUMBER.lastIndex = i;
  const m = NUMBER.exec(text);
  return m && m[0] !== "" ? i + m[0].length : -(i + 1);
}

/**
 * The 0-based offset of the first syntax error in JSON `text` (RFC 8259), or -1 when it is valid.
 * Node 20's JSON.parse messages often carry no position; this scan finds it, without recursion.
 */
export function jsonErrorOffset(text: string): number {
  const stack: number[] = [];
  let i = 0;
  for (;;) {
    // a value starts here
    i = skipSpace(text, i);
    const c = text[i];
    if (c === "{" || c === "[") {
      i = skipSpace(text, i + 1);
      if (text[i] === (c === "{" ? "}" : "]")) i++;
      else {
        stack.push(c === "{" ? OBJECT : ARRAY);
        if (c === "{") {
          i = memberKey(text, i);
          if (i < 0) return -i - 1;
        }
        continue;
      }
    } else {
      i = c === '"' ? scanString(text, i) : scanScalar(text, i);
      if (i < 0) return Math.min(-i - 1, text.length);
    }
    // after a value: commas and closing brackets
    for (;;) {
      i = skipSpace(text, i);
      if (!stack.length) return i < text.length ? i : -1;
      const top = stack[stack.length - 1];
      if (text[i] === ",") {
        i++;
        if (top === OBJECT) {
          i = memberKey(text, skipSpace(text, i));
          if (i < 0) return -i - 1;
        }
        break;
      }
      if (text[i] === (top === OBJECT ? "}" : "]")) {
        stack.pop();
        i++;
        continue;
      }
      return i;
    }
  }
}

/** `"key" :` at `i`: the offset after the colon, or -(offset + 1) of the error. */
function memberKey(text: string, i: number): number {
  if (text[i] !== '"') return -(i + 1);
  i = scanString(text, i);
  if (i < 0) return i;
  i = skipSpace(text, i);
  return text[i] === ":" ? i + 1 : -(i + 1);
}

/** The end of the (valid) value starting at `i`, skipping nested containers by depth. */
function skipValue(text: string, i: number): number {
  let depth = 0;
  do {
    i = skipSpace(text, i);
    const c = text[i];
    if (c === '"') i = scanString(text, i);
    else if (c === "{" || c === "[") { depth++; i++; }
    else if (c === "}" || c === "]") { depth--; i++; }
    else if (c === "," || c === ":") i++;
    else i = scanScalar(text, i);
    if (i < 0) return text.length;
  } while (depth > 0 && i < text.length);
  return i;
}

/**
 * The offset where the value at `path` (object keys and array indices) starts in valid JSON text;
 * where the path leaves the document (a missing key, a short array), the offset of the deepest
 * value that exists. Duplicate keys resolve to the last one, as JSON.parse does.
 */
export function jsonPathOffset(text: string, path: readonly (string | number)[]): number {
  let at = skipSpace(text, 0);
  for (const step of path) {
    const open = text[at];
    if (open !== "{" && open !== "[") return at;
    let i = skipSpace(text, at + 1);
    let found = -1;
    for (let index = 0; text[i] !== (open === "{" ? "}" : "]") && i < text.length; index++) {
      let matches: boolean;
      if (open === "{") {
        const end = scanString(text, i);
        if (end < 0) return at;
        matches = JSON.parse(text.slice(i, end)) === step;
        i = skipSpace(text, skipSpace(text, end) + 1);
      } else matches = index === step;
      if (matches) found = i;
      i = skipSpace(text, skipValue(text, i));
      if (text[i] === ",") i = skipSpace(text, i + 1);
    }
    if (found < 0) return at;
    at = found;
  }
  return at;
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1, last = -1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) { line++; last = i; }
  return { line, column: offset - last };
}

/** Line and column of a JSON.parse failure: from V8's message when it has one, else found by scanning. */
export function jsonErrorPosition(text: string, message: string): { line: number; column: number } {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const pos = /position (\d+)/.exec(message);
  const scanned = pos ? Number(pos[1]) : jsonErrorOffset(text);
  return lineColumn(text, scanned < 0 ? text.length : scanned);
}
