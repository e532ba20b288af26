// Input files a stage reads, found statically: string-literal paths given to node:fs readers and mlnb's `read`.
import ts from "typescript";

/** node:fs functions whose first argument is a file that is read. */
const FS_READERS = new Set(["readFileSync", "readFile", "createReadStream", "openSync", "open", "openAsBlob"]);
/** `read.X` readers that take no file path. */
const NOT_FILES = new Set(["postgres", "http", "ndjsonHttp"]);

/**
 * Paths a cell reads, as written: the first argument of `readFileSync(...)`, `fs.readFile(...)`,
 * `createReadStream(...)`, `read(...)`, `read.csv(...)` and the other `read.*` file readers, when
 * it is a string literal, a template without substitutions, or the name of a string param
 * (`params`: its default). URLs are not files. Paths computed at run time are not found here:
 * the stage runner reports such reads when the script runs.
 */
export function findInputFiles(code: string, params: Record<string, unknown> = {}): string[] {
  const sf = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.arguments.length > 0 && isReader(node.expression)) {
      const path = stringValue(node.arguments[0]!, params);
      if (path !== undefined && !/^[a-z][a-z0-9+.-]*:\/\//i.test(path) && !found.includes(path)) found.push(path);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function isReader(callee: ts.Expression): boolean {
  if (ts.isIdentifier(callee)) return FS_READERS.has(callee.text) || callee.text === "read";
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const name = callee.name.text;
  if (ts.isIdentifier(callee.expression) && callee.expression.text === "read") return !NOT_FILES.has(name);
  return FS_READERS.has(name);
}

function stringValue(arg: ts.Expression, params: Record<string, unknown>): string | undefined {
  if (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) return arg.text;
  if (ts.isIdentifier(arg) && typeof params[arg.text] === "string") return params[arg.text] as string;
  return undefined;
}
