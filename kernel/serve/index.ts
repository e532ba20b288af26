// The HTTP model server (`mlnb serve`): createServer for a loaded bundle, and its parts.
export { createServer, type ModelServer, type ServeOptions } from "./server.js";
export { Metrics, LATENCY_BUCKETS } from "./metrics.js";
export { DriftWindow, MIN_WINDOW_ROWS } from "./window.js";
export { parseRows, MAX_ROWS } from "./parse.js";
export { HttpError } from "./http.js";
