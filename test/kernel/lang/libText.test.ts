// Tests that library declaration files are kept without comments, served only while the file is unchanged, and check cells exactly as the files themselves do.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { typescript } from "../../../kernel/lang/typescript.js";
import { isLibraryDeclaration, KEPT_LIMIT, LibTexts } from "../../../kernel/lang/libText.js";
import { CellTypeChecker } from "../../../kernel/exec/typecheck.js";

const ts = typescript();
const dir = mkdtempSync(join(tmpdir(), "mlnb-libtext-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const pkg = join(dir, "node_modules", "shapes");
mkdirSync(pkg, { recursive: true });
const index = join(pkg, "index.d.ts");
const other = join(pkg, "other.d.ts");
writeFileSync(other, "/** Units. */\nexport type Unit = `${number}px` | `${number}em`;\n");
writeFileSync(
  index,
  [
    "/*! licence header */",
    '/// <reference path="./other.d.ts" />',
    "/**",
    " * A shape. The text between these marks is a doc comment: // not code, \"not a string\".",
    " */",
    "export interface Shape { /* inline */ area(): number; label: \"carré\" | 'http://x//y'; }",
    "// a line comment",
    "export declare function grow<T extends Shape>(s: T, by?: number): T; // trailing",
    "declare global {",
    "  /** A global the package adds. */",
    "  var shapeCount: number;",
    "}",
    'export type Route = `/shapes/${string}/area`;',
    "",
  ].join("\n"),
);

const program = () => ts.createProgram([index], { noEmit: true, types: [], lib: ["lib.es2022.d.ts"] });

/** Texts kept in `file` after the package's two files were read from disk (asked for, not served) and kept. */
async function keepBoth(file: string): Promise<LibTexts> {
  const texts = new LibTexts(file);
  texts.text(index);
  texts.text(other);
  await texts.keep(ts, program());
  return texts;
}

test("keeps a library file's text without comments, the same declarations", async () => {
  const file = join(dir, "kept.txt");
  const texts = new LibTexts(file);
  assert.equal(texts.text(index), undefined, "nothing kept yet");
  assert.equal(texts.text(other), undefined);
  await texts.keep(ts, program());

  const again = new LibTexts(file);
  const kept = again.text(index)!;
  assert.ok(kept, "kept after a keep");
  assert.equal(again.served, 1);
  for (const comment of ["A shape", "inline", "a line comment", "trailing", "A global the package adds"]) assert.ok(!kept.includes(comment), `comment "${comment}" dropped`);
  // The printer writes string literals its own way ("carr\u00E9"): the same value, in ASCII.
  const parsed = ts.createSourceFile(index, kept, ts.ScriptTarget.ES2022);
  const literals: string[] = [];
  const visit = (node: import("typescript").Node): void => (ts.isStringLiteral(node) && literals.push(node.text), ts.forEachChild(node, visit));
  visit(parsed);
  assert.deepEqual(literals, ["carré", "http://x//y"]);
  for (const code of ["`/shapes/${string}/area`", "var shapeCount: number", "grow<T extends Shape>(s: T, by?: number): T"]) assert.ok(kept.includes(code), `kept ${code}:\n${kept}`);
  assert.match(kept, /\/\/\/ <reference path="\.\/other\.d\.ts" \/>/, "reference directives are kept");
  assert.ok(again.text(other)!.includes("`${number}px`"));
  assert.ok(kept.length < readFileSync(index, "utf8").length);
  assert.equal(again.text(join(dir, "notebook.d.ts")), undefined, "only files inside packages");
  assert.equal(isLibraryDeclaration(join(dir, "node_modules", "p", "index.js")), false);
});

test("a file changed since its text was kept is read from disk again, and kept anew", async () => {
  const file = join(dir, "changed.txt");
  await keepBoth(file);
  writeFileSync(other, "/** Units, in pixels. */\nexport type Unit = `${number}px`;\n");
  const future = new Date(Date.now() + 5000);
  utimesSync(other, future, future);

  const second = new LibTexts(file);
  assert.equal(second.text(other), undefined, "the changed file is not served");
  assert.ok(second.text(index), "the unchanged file still is");
  await second.keep(ts, program());
  const third = new LibTexts(file);
  assert.equal(third.text(other), "export type Unit = `${number}px`;\n");
  assert.ok(third.text(index));
});

test("a kept file cut short serves nothing past its end", async () => {
  const file = join(dir, "cut.txt");
  await keepBoth(file);
  const whole = readFileSync(file, "utf8");
  writeFileSync(file, whole.slice(0, whole.length - 10));
  const cut = new LibTexts(file);
  const served = [cut.text(index), cut.text(other)].filter((t) => t !== undefined);
  assert.equal(served.length, 1, "the entry running past the end is dropped, the other kept");
  writeFileSync(file, "not a header\n");
  assert.equal(new LibTexts(file).text(index), undefined);
});

test("texts another program used are kept while the file stays small, then dropped", async () => {
  const elsewhere = join(dir, "node_modules", "elsewhere", "index.d.ts");
  mkdirSync(join(dir, "node_modules", "elsewhere"), { recursive: true });
  writeFileSync(elsewhere, "export declare const far: number;\n");
  const st = statSync(elsewhere);
  const write = (file: string, length: number) => writeFileSync(file, JSON.stringify({ files: { [elsewhere]: [st.size, st.mtimeMs, 0, length] } }) + "\n" + "x".repeat(length));
  for (const [name, length, kept] of [["small.txt", 40, true], ["large.txt", KEPT_LIMIT + 1, false]] as const) {
    const file = join(dir, name);
    write(file, length);
    await keepBoth(file);
    const after = new LibTexts(file);
    assert.ok(after.text(index), `${name}: this program's texts are kept`);
    assert.equal(after.text(elsewhere) !== undefined, kept, `${name}: another program's text ${kept ? "kept" : "dropped"}`);
  }
});

test("with a cache folder that cannot be written, nothing is printed or kept, and nothing fails", async () => {
  const blocker = join(dir, "blocker");
  writeFileSync(blocker, "a file, not a folder");
  const texts = new LibTexts(join(blocker, "sub", "kept.txt"));
  texts.text(index);
  let printers = 0;
  const counting = { ...ts, createPrinter: (...args: Parameters<typeof ts.createPrinter>) => (printers++, ts.createPrinter(...args)) };
  await texts.keep(counting, program());
  assert.equal(printers, 0, "nothing was printed");
  assert.equal(new LibTexts(join(blocker, "sub", "kept.txt")).text(index), undefined);
});

test("a checker on kept texts reports exactly what a checker on the files does", async () => {
  const cells = [
    "const n: number = process.env.HOME;",
    'import { readFileSync } from "node:fs";\nreadFileSync(42, { flag: 1 });',
    'const b = Buffer.from("x");\nb.nope();',
    '[1, 2, 3].findLast((x) => x > "a");',
    "const u = new URL(5);\nconst t: `a-${number}` = \"a-x\";",
    'import { createServer } from "node:http";\ncreateServer((req, res) => res.end(req.nope));',
  ];
  const notebookDir = mkdtempSync(join(dir, "nb-"));
  const diagnostics = (checker: CellTypeChecker) => cells.map((code) => checker.check(code, []).map((d) => `${d.line}:${d.column} TS${d.code} ${d.message}`));

  process.env.MLNB_CODE_CACHE = "off"; // no kept texts: the files themselves
  const onFiles = new CellTypeChecker(ts, notebookDir);
  const expected = diagnostics(onFiles);
  assert.equal(onFiles.libraryTextsServed, 0);
  delete process.env.MLNB_CODE_CACHE;

  const keeper = new CellTypeChecker(ts, notebookDir);
  keeper.check("1", []);
  await keeper.keepLibraryTexts();
  const onKept = new CellTypeChecker(ts, notebookDir);
  const got = diagnostics(onKept);
  assert.ok(onKept.libraryTextsServed > 100, `served ${onKept.libraryTextsServed} library files from kept texts`);
  assert.ok(expected.every((d) => d.length > 0), "every cell has an error to compare");
  assert.deepEqual(got, expected);
});
