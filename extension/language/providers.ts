// IntelliSense in mlnb cells: VS Code's completion, hover, signature, definition and diagnostics providers over the language server.
import { join } from "node:path";
import * as vscode from "vscode";
import type { Completions, Hover, LangDiagnostic, Location, SignatureHelp } from "../../kernel/lang/service.js";
import { CELL_LANGUAGE } from "../notebookData.js";
import { NOTEBOOK_TYPE } from "../serializer.js";
import { LangClient, notebookKey, type NodeFor } from "./langClient.js";

const SELECTOR: vscode.DocumentSelector = [
  { notebookType: NOTEBOOK_TYPE, language: CELL_LANGUAGE },
  { notebookType: NOTEBOOK_TYPE, language: "typescript" },
];

const KINDS: Record<string, vscode.CompletionItemKind> = {
  method: vscode.CompletionItemKind.Method,
  function: vscode.CompletionItemKind.Function,
  property: vscode.CompletionItemKind.Property,
  getter: vscode.CompletionItemKind.Property,
  setter: vscode.CompletionItemKind.Property,
  var: vscode.CompletionItemKind.Variable,
  let: vscode.CompletionItemKind.Variable,
  const: vscode.CompletionItemKind.Constant,
  "local var": vscode.CompletionItemKind.Variable,
  parameter: vscode.CompletionItemKind.Variable,
  alias: vscode.CompletionItemKind.Reference,
  class: vscode.CompletionItemKind.Class,
  interface: vscode.CompletionItemKind.Interface,
  type: vscode.CompletionItemKind.TypeParameter,
  enum: vscode.CompletionItemKind.Enum,
  "enum member": vscode.CompletionItemKind.EnumMember,
  module: vscode.CompletionItemKind.Module,
  keyword: vscode.CompletionItemKind.Keyword,
  string: vscode.CompletionItemKind.Text,
  magic: vscode.CompletionItemKind.Keyword,
  stage: vscode.CompletionItemKind.Reference,
};

/** The notebook a cell document belongs to. */
function notebookOf(doc: vscode.TextDocument): vscode.NotebookDocument | undefined {
  return vscode.workspace.notebookDocuments.find((nb) => nb.notebookType === NOTEBOOK_TYPE && nb.getCells().some((c) => c.document === doc));
}

const range = (doc: vscode.TextDocument, start: number, end: number) => new vscode.Range(doc.positionAt(start), doc.positionAt(end));

/** Start the language server on first use and register every IntelliSense provider for mlnb cells. */
export function registerLanguageFeatures(extensionPath: string, node: NodeFor, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const collection = vscode.languages.createDiagnosticCollection("mlnb-typescript");
  /** Cell URIs that have problems shown, by notebook key (to clear cells that were deleted). */
  const shown = new Map<string, Set<string>>();
  const onDiagnostics = (notebook: string, cells: Record<string, LangDiagnostic[]>) => {
    const nb = vscode.workspace.notebookDocuments.find((n) => n.notebookType === NOTEBOOK_TYPE && notebookKey(n) === notebook);
    const before = shown.get(notebook) ?? new Set();
    const now = new Set<string>();
    for (const [id, diags] of Object.entries(cells)) {
      const doc = nb?.getCells().find((c) => c.document.uri.toString() === id)?.document;
      if (!doc || diags.length === 0) continue;
      now.add(id);
      collection.set(
        doc.uri,
        diags.map((d) => {
          const r = range(doc, d.start, Math.max(d.end, d.start + 1));
          const v = new vscode.Diagnostic(r, d.message, d.severity === "error" ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
          v.source = "mlnb (ts)";
          v.code = d.code;
          return v;
        }),
      );
    }
    for (const id of before) if (!now.has(id)) collection.delete(vscode.Uri.parse(id));
    shown.set(notebook, now);
  };
  const client = new LangClient(join(extensionPath, "out", "kernel", "lang", "server.js"), node, onDiagnostics, log);

  const ask = <T>(type: "complete" | "hover" | "signature" | "definition", doc: vscode.TextDocument, pos: vscode.Position) => {
    const nb = notebookOf(doc);
    return nb ? client.query<T>(type, nb, doc, doc.offsetAt(pos)).catch((e: Error) => (log.warn(`${type} failed: ${e.message}`), null)) : Promise.resolve(null);
  };

  const completion: vscode.CompletionItemProvider = {
    async provideCompletionItems(doc, pos) {
      const c = await ask<Completions>("complete", doc, pos);
      if (!c) return undefined;
      const listRange = range(doc, c.start, c.end);
      return new vscode.CompletionList(
        c.items.map((i) => {
          const item = new vscode.CompletionItem(i.label, KINDS[i.kind] ?? vscode.CompletionItemKind.Text);
          item.sortText = i.sortText;
          if (i.detail) item.detail = i.detail;
          if (i.insertText) item.insertText = i.insertText;
          item.range = i.range ? range(doc, i.range.start, i.range.end) : listRange;
          return item;
        }),
      );
    },
  };
  const hover: vscode.HoverProvider = {
    async provideHover(doc, pos) {
      const h = await ask<Hover>("hover", doc, pos);
      return h ? new vscode.Hover(new vscode.MarkdownString(h.markdown), range(doc, h.start, h.end)) : undefined;
    },
  };
  const signature: vscode.SignatureHelpProvider = {
    async provideSignatureHelp(doc, pos) {
      const s = await ask<SignatureHelp>("signature", doc, pos);
      if (!s) return undefined;
      const help = new vscode.SignatureHelp();
      help.signatures = s.signatures.map((sig) => {
        const info = new vscode.SignatureInformation(sig.label, new vscode.MarkdownString(sig.documentation));
        info.parameters = sig.parameters.map((p) => new vscode.ParameterInformation(p.label, p.documentation));
        return info;
      });
      help.activeSignature = s.activeSignature;
      help.activeParameter = s.activeParameter;
      return help;
    },
  };
  const definition: vscode.DefinitionProvider = {
    async provideDefinition(doc, pos) {
      const nb = notebookOf(doc);
      const locs = (await ask<Location[]>("definition", doc, pos)) ?? [];
      return locs.flatMap((l) => {
        if ("file" in l) return [new vscode.Location(vscode.Uri.file(l.file), new vscode.Range(l.line, l.character, l.endLine, l.endCharacter))];
        const target = nb?.getCells().find((c) => c.document.uri.toString() === l.cellId)?.document;
        return target ? [new vscode.Location(target.uri, range(target, l.start, l.end))] : [];
      });
    },
  };

  const isOurs = (nb: vscode.NotebookDocument) => nb.notebookType === NOTEBOOK_TYPE;
  for (const nb of vscode.workspace.notebookDocuments) if (isOurs(nb)) client.changed(nb, 0);
  return [
    collection,
    client,
    vscode.languages.registerCompletionItemProvider(SELECTOR, completion, ".", "%", ",", '"', "/"),
    vscode.languages.registerHoverProvider(SELECTOR, hover),
    vscode.languages.registerSignatureHelpProvider(SELECTOR, signature, "(", ","),
    vscode.languages.registerDefinitionProvider(SELECTOR, definition),
    // Open notebooks get diagnostics at once, before any kernel starts.
    vscode.workspace.onDidOpenNotebookDocument((nb) => isOurs(nb) && client.changed(nb, 0)),
    vscode.workspace.onDidChangeNotebookDocument((e) => isOurs(e.notebook) && client.changed(e.notebook)),
    // An edited local module changes what the cells' types are: check the notebooks again.
    ...watchLocalModules(() => {
      for (const nb of vscode.workspace.notebookDocuments) if (isOurs(nb)) client.changed(nb, 300);
    }),
    vscode.workspace.onDidCloseNotebookDocument((nb) => {
      if (!isOurs(nb)) return;
      client.closed(nb);
      for (const id of shown.get(notebookKey(nb)) ?? []) collection.delete(vscode.Uri.parse(id));
      shown.delete(notebookKey(nb));
    }),
  ];
}

/** Call `onChange` when a TypeScript, JavaScript or JSON file in the workspace is changed, created or deleted. */
export function watchLocalModules(onChange: (uri: vscode.Uri) => void): vscode.Disposable[] {
  const watcher = vscode.workspace.createFileSystemWatcher("**/*.{ts,mts,js,mjs,cjs,json}");
  const skip = (uri: vscode.Uri) => /[\\/](node_modules|\.mlnb)[\\/]/.test(uri.fsPath);
  const fire = (uri: vscode.Uri) => !skip(uri) && onChange(uri);
  return [watcher, watcher.onDidChange(fire), watcher.onDidCreate(fire), watcher.onDidDelete(fire)];
}
