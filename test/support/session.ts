// A kernel session in the test process, driven like a client: commands, cell runs, and the replies it sent.
import { join } from "node:path";
import type { Reply } from "../../kernel/protocol.js";
import { createSession } from "../../kernel/session/session.js";

/** A cell as the tests give it to `sync` and run it. */
export interface TestCell {
  id: string;
  source: string;
}

/**
 * Start a session on the notebook `root/name` (store in `root/.mlnb`, type checks off).
 * `command` resolves to a command's result or throws its error; `run` executes one cell and resolves
 * to the replies of that execution.
 */
export function startTestSession(root: string, name: string) {
  const replies: Reply[] = [];
  const session = createSession({ notebookDir: root, notebookPath: join(root, name), storeDir: join(root, ".mlnb"), typeCheck: "off", send: (r) => replies.push(r) });
  let next = 0;
  const command = async (command: string, args: Record<string, unknown> = {}) => {
    const id = `c${++next}`;
    await session.command(id, command, args);
    const r = replies.find((x) => x.type === "commandResult" && x.id === id) as Extract<Reply, { type: "commandResult" }>;
    if (!r.ok) throw new Error(r.error);
    return r.result as any;
  };
  const run = async (cell: TestCell, params: Record<string, string> = {}) => {
    const id = `x${++next}`;
    await session.execute(id, cell.source, { params }, cell.id);
    return replies.filter((r) => "id" in r && r.id === id);
  };
  return { session, replies, command, run };
}
