// Three separable clusters of 2-D points, seeded: the data of the corpus' TensorFlow.js notebook (imported from ../lib as tslab notebooks do).

/** A small seeded generator (mulberry32), so the data is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` points around three centres, with the index of their centre as the label. */
export function blobs(n: number, seed: number): { points: number[][]; labels: number[] } {
  const centres = [
    [-2, -2],
    [2, -2],
    [0, 2.5],
  ];
  const random = seeded(seed);
  const points: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % centres.length;
    const [cx, cy] = centres[label]!;
    points.push([cx! + (random() - 0.5), cy! + (random() - 0.5)]);
    labels.push(label);
  }
  return { points, labels };
}
