// The tuning chart: mean cross-validation score per candidate with a +-1 std bar, best first.

/** Vega-lite spec of search results rows (params, mean_test_score, std_test_score). */
export function searchChart(rows: Record<string, unknown>[], scoring: string): Record<string, unknown> {
  const values = rows.map((r) => ({
    params: r.params,
    mean: r.mean_test_score,
    low: (r.mean_test_score as number) - (r.std_test_score as number),
    high: (r.mean_test_score as number) + (r.std_test_score as number),
    rank: r.rank_test_score,
  }));
  const y = { field: "params", type: "nominal", sort: { field: "rank", order: "ascending" }, title: null };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: `cross-validated ${scoring}`,
    width: 360,
    data: { values },
    layer: [
      { mark: "rule", encoding: { y, x: { field: "low", type: "quantitative", title: `mean ${scoring} (+- std)` }, x2: { field: "high" } } },
      { mark: { type: "point", filled: true }, encoding: { y, x: { field: "mean", type: "quantitative" }, tooltip: [{ field: "params" }, { field: "mean" }, { field: "rank" }] } },
    ],
  };
}
