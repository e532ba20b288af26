// A small incremental lexer that tells whether each line of TypeScript starts at top level.
//
// Magic lines are only recognised at top level (not inside a block, string, template literal
// or comment), so a `%d` in a multi-line template string is never taken for a magic. A real
// tokenizer cannot be used because the magic lines themselves are not TypeScript.

type Frame = "{" | "(" | "[" | "${" | "`";

const REGEX_AFTER = new Set(["", "(", ",", "=", ":", "[", "!", "&", "|", "?", "{", "}", ";", "+", "-", "*", "%", "<", ">", "~", "^"]);
const REGEX_AFTER_WORD = new Set(["return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else", "yield", "await"]);

/** Tracks lexical nesting across lines; feed each code line with `push`. */
export class TopLevelTracker {
  private stack: Frame[] = [];
  private inBlockComment = false;
  private inString: "'" | '"' | undefined;
  private last = "";
  private lastWord = "";

  /** True when the next line starts outside any block, string, template or comment. */
  atTopLevel(): boolean {
    return this.stack.length === 0 && !this.inBlockComment && this.inString === undefined;
  }

  /** Advance over one line of code (without its newline). */
  push(line: string): void {
    let i = 0;
    const n = line.length;
    while (i < n) {
      const ch = line[i]!;
      if (this.inBlockComment) {
        const end = line.indexOf("*/", i);
        if (end < 0) return;
        this.inBlockComment = false;
        i = end + 2;
        continue;
      }
      if (this.inString) {
        if (ch === "\\") {
          if (i === n - 1) return; // line continuation keeps the string open
          i += 2;
          continue;
        }
        if (ch === this.inString) {
          this.inString = undefined;
          this.last = "a";
        }
        i++;
        continue;
      }
      const top = this.stack[this.stack.length - 1];
      if (top === "`") {
        if (ch === "\\") i += 2;
        else if (ch === "`") {
          this.stack.pop();
          this.last = "a";
          i++;
        } else if (ch === "$" && line[i + 1] === "{") {
          this.stack.push("${");
          this.last = "{";
          i += 2;
        } else i++;
        continue;
      }
      if (/\s/.test(ch)) {
        i++;
        continue;
      }
      if (ch === "/" && line[i + 1] === "/") return;
      if (ch === "/" && line[i + 1] === "*") {
        this.inBlockComment = true;
        i += 2;
        continue;
      }
      if (ch === "/" && (REGEX_AFTER.has(this.last) || REGEX_AFTER_WORD.has(this.lastWord))) {
        i = skipRegex(line, i);
        this.last = "a";
        this.lastWord = "";
        continue;
      }
      if (ch === "'" || ch === '"') {
        this.inString = ch;
        i++;
        continue;
      }
      if (/[A-Za-z_$0-9]/.test(ch)) {
        let j = i;
        while (j < n && /[A-Za-z_$0-9]/.test(line[j]!)) j++;
        this.lastWord = line.slice(i, j);
        this.last = "a";
        i = j;
        continue;
      }
      this.lastWord = "";
      if (ch === "`") this.stack.push("`");
      else if (ch === "{" || ch === "(" || ch === "[") this.stack.push(ch);
      else if (ch === "}" || ch === ")" || ch === "]") this.stack.pop();
      this.last = ch === ")" || ch === "]" ? "a" : ch;
      i++;
    }
  }
}

function skipRegex(line: string, start: number): number {
  let inClass = false;
  for (let i = start + 1; i < line.length; i++) {
    const ch = line[i];
    if (ch === "\\") i++;
    else if (ch === "[") inClass = true;
    else if (ch === "]") inClass = false;
    else if (ch === "/" && !inClass) {
      let j = i + 1;
      while (j < line.length && /[a-z]/i.test(line[j]!)) j++;
      return j;
    }
  }
  return line.length;
}
