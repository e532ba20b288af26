// Deciding whether a column is numeric or categorical for drift, as Evidently infers it from the data type.

/** "num" when every non-missing value of both samples is a number (or a Date), else "cat". */
export function kindOf(...samples: ArrayLike<unknown>[]): "num" | "cat" {
  for (const s of samples) {
    for (let i = 0; i < s.length; i++) {
      const v = s[i];
      if (v === null || v === undefined) continue;
      if (typeof v !== "number") return "cat";
    }
  }
  return "num";
}
