// Counts for people ("1,234,567 rows"): digits grouped by three, as `toLocaleString("en-US")` gives, without ICU.
//
// A process's first `toLocaleString` loads ICU's locale data (about 25 ms): a warm headless run
// showed one table caption and paid that on its critical path.

/** A whole number with its digits grouped by commas ("1,234,567"); a fraction is rounded to a whole number first. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const whole = Math.round(n);
  const digits = String(Math.abs(whole)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return whole < 0 ? `-${digits}` : digits;
}
