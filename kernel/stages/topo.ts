// Topological order of stages (Kahn's algorithm), ties broken by notebook order.

/**
 * Order `nodes` so every stage comes after its parents; among ready stages, the one earlier
 * in the notebook goes first. Nodes on or downstream of a cycle cannot be ordered and are
 * returned in `unordered` (in notebook order).
 */
export function topoOrder(nodes: readonly string[], parents: ReadonlyMap<string, readonly string[]>): { order: string[]; unordered: string[] } {
  const position = new Map(nodes.map((n, i) => [n, i]));
  const remaining = new Map(nodes.map((n) => [n, new Set((parents.get(n) ?? []).filter((p) => position.has(p))).size]));
  const children = new Map<string, string[]>();
  for (const n of nodes) for (const p of new Set(parents.get(n) ?? [])) if (position.has(p)) children.set(p, [...(children.get(p) ?? []), n]);
  const ready = nodes.filter((n) => remaining.get(n) === 0);
  const order: string[] = [];
  while (ready.length) {
    ready.sort((a, b) => position.get(a)! - position.get(b)!);
    const n = ready.shift()!;
    order.push(n);
    for (const c of children.get(n) ?? []) {
      const left = remaining.get(c)! - 1;
      remaining.set(c, left);
      if (left === 0) ready.push(c);
    }
  }
  const done = new Set(order);
  return { order, unordered: nodes.filter((n) => !done.has(n)) };
}
