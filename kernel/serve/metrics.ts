// Server metrics in Prometheus text format: request counts by route and status, errors, a latency histogram.

/** Upper bounds (seconds) of the latency histogram buckets. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

/** Escape a label value for the exposition format. */
function label(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function fmt(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "+Inf" : "-Inf";
  return String(x);
}

/** Counters and histograms kept in memory; bounded because routes and status codes are a fixed small set. */
export class Metrics {
  private requests = new Map<string, number>();
  private latency = new Map<string, Histogram>();
  predictedRows = 0;
  readonly started = Date.now();

  /** Record one finished request. */
  observe(route: string, status: number, seconds: number): void {
    const key = `${route}\u0000${status}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    let h = this.latency.get(route);
    if (!h) {
      h = { counts: new Array(LATENCY_BUCKETS.length).fill(0), sum: 0, count: 0 };
      this.latency.set(route, h);
    }
    for (let i = 0; i < LATENCY_BUCKETS.length; i++) if (seconds <= LATENCY_BUCKETS[i]) h.counts[i]++;
    h.sum += seconds;
    h.count++;
  }

  /** Requests seen with this status (all routes), for tests and summaries. */
  count(status?: number): number {
    let n = 0;
    for (const [k, v] of this.requests) if (status === undefined || k.endsWith(`\u0000${status}`)) n += v;
    return n;
  }

  /** The exposition text; `extra` lines (already formatted) are appended, e.g. drift gauges. */
  render(extra: string[] = []): string {
    const lines: string[] = [];
    lines.push("# HELP mlnb_requests_total HTTP requests by route and status code.", "# TYPE mlnb_requests_total counter");
    for (const [k, v] of [...this.requests].sort()) {
      const [route, code] = k.split("\u0000");
      lines.push(`mlnb_requests_total{route="${label(route)}",code="${code}"} ${v}`);
    }
    lines.push("# HELP mlnb_errors_total HTTP requests answered with a 4xx or 5xx status.", "# TYPE mlnb_errors_total counter");
    const errors = new Map<string, number>();
    for (const [k, v] of this.requests) {
      const [route, code] = k.split("\u0000");
      if (Number(code) >= 400) errors.set(route, (errors.get(route) ?? 0) + v);
    }
    for (const [route, v] of [...errors].sort()) lines.push(`mlnb_errors_total{route="${label(route)}"} ${v}`);
    lines.push("# HELP mlnb_request_duration_seconds Time from request start to the end of the response.", "# TYPE mlnb_request_duration_seconds histogram");
    for (const [route, h] of [...this.latency].sort()) {
      const r = label(route);
      LATENCY_BUCKETS.forEach((b, i) => lines.push(`mlnb_request_duration_seconds_bucket{route="${r}",le="${b}"} ${h.counts[i]}`));
      lines.push(`mlnb_request_duration_seconds_bucket{route="${r}",le="+Inf"} ${h.count}`);
      lines.push(`mlnb_request_duration_seconds_sum{route="${r}"} ${fmt(h.sum)}`);
      lines.push(`mlnb_request_duration_seconds_count{route="${r}"} ${h.count}`);
    }
    lines.push("# HELP mlnb_predicted_rows_total Rows predicted.", "# TYPE mlnb_predicted_rows_total counter", `mlnb_predicted_rows_total ${this.predictedRows}`);
    lines.push("# HELP mlnb_uptime_seconds Seconds since the server started.", "# TYPE mlnb_uptime_seconds gauge", `mlnb_uptime_seconds ${(Date.now() - this.started) / 1000}`);
    return `${[...lines, ...extra].join("\n")}\n`;
  }
}

/** Drift gauges for /metrics from a drift report (per column score and flag, and the verdict). */
export function driftLines(report: { columns: { column: string; test: string; score: number; drifted: boolean }[]; share: number; datasetDrift: boolean } | null, windowRows: number): string[] {
  const lines = ["# HELP mlnb_drift_window_rows Inputs in the live drift window.", "# TYPE mlnb_drift_window_rows gauge", `mlnb_drift_window_rows ${windowRows}`];
  if (!report) return lines;
  lines.push("# HELP mlnb_drift_score Drift score per input column (p-value for ks/chisquare/z, distance otherwise).", "# TYPE mlnb_drift_score gauge");
  for (const c of report.columns) lines.push(`mlnb_drift_score{column="${label(c.column)}",test="${c.test}"} ${fmt(c.score)}`);
  lines.push("# HELP mlnb_drift_detected 1 when the column drifted in the live window.", "# TYPE mlnb_drift_detected gauge");
  for (const c of report.columns) lines.push(`mlnb_drift_detected{column="${label(c.column)}"} ${c.drifted ? 1 : 0}`);
  lines.push("# HELP mlnb_dataset_drift 1 when the share of drifted columns reaches the threshold.", "# TYPE mlnb_dataset_drift gauge", `mlnb_dataset_drift ${report.datasetDrift ? 1 : 0}`);
  lines.push("# HELP mlnb_drift_share Share of drifted columns.", "# TYPE mlnb_drift_share gauge", `mlnb_drift_share ${fmt(report.share)}`);
  return lines;
}
