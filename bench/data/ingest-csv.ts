// Generates the seeded 1,000,000-row, 9-column CSV of the ingest benchmark into tmp/bench/ (gitignored).
import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { mulberry32 } from "../../kernel/ml/context.js";

const CITIES = ["Seattle", "Portland", "Boise", "Denver", "Austin", "Chicago", "Boston", "Miami", "San Francisco", "Salt Lake City"];

/** Path of the benchmark CSV (relative to the repo root); written on first use, same bytes every time (seed 42). */
export function ingestCsv(rows = 1_000_000, path = `tmp/bench/ingest-${rows}.csv`): string {
  const abs = resolve(path);
  if (existsSync(abs)) return path;
  mkdirSync(dirname(abs), { recursive: true });
  const random = mulberry32(42);
  const fd = openSync(`${abs}.part`, "w");
  let out = "id,date,temp,humidity,pressure,wind,count,city,label\n";
  const day0 = Date.UTC(2015, 0, 1);
  for (let i = 0; i < rows; i++) {
    const date = new Date(day0 + Math.floor(random() * 3000) * 86400000).toISOString().slice(0, 10);
    const temp = (random() * 60 - 15).toFixed(6);
    const humidity = (random() * 100).toFixed(7);
    const pressure = (980 + random() * 60).toFixed(6);
    const wind = random() < 0.01 ? "" : (random() * 30).toFixed(7);
    const count = Math.floor(random() * 1000000);
    const city = CITIES[Math.floor(random() * CITIES.length)];
    const label = random() < 0.3 ? "rain" : "sun";
    out += `${1_000_000 + i},${date},${temp},${humidity},${pressure},${wind},${count},${city},${label}\n`;
    if (out.length > 1 << 20) { writeSync(fd, out); out = ""; }
  }
  writeSync(fd, out);
  closeSync(fd);
  renameSync(`${abs}.part`, abs);
  return path;
}

if (process.argv[1] && resolve(process.argv[1]).endsWith("ingest-csv.js")) console.log(ingestCsv(Number(process.argv[2] ?? 1_000_000)));
