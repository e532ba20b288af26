// The OpenAPI 3.0 description of a served bundle (GET /openapi.json): its input schema, body shapes and responses.
import type { Schema } from "../ml/deploy/schema.js";

/** Build the OpenAPI document for a bundle's input schema and task. */
export function openApi(schema: Schema, info: { task: string; kind: string; target: string; labels?: unknown[]; maxRows: number; maxFieldErrors: number }): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const f of schema.fields) properties[f.name] = { ...(f.type === "date" ? { type: "string", description: 'ISO 8601 date or date-time ("2012-01-01")' } : { type: f.type }), ...(f.nullable ? { nullable: true } : {}), ...(f.categories ? { enum: f.categories } : {}) };
  const required = schema.fields.filter((f) => !f.nullable).map((f) => f.name);
  const row = { type: "object", properties, ...(required.length ? { required } : {}), additionalProperties: false };
  const rows = { type: "array", items: { $ref: "#/components/schemas/Row" }, minItems: 1, maxItems: info.maxRows };
  const names = schema.fields.map((f) => f.name);
  const body = {
    oneOf: [
      rows,
      { type: "object", required: ["dataframe_split"], properties: { dataframe_split: { type: "object", required: ["columns", "data"], properties: { columns: { type: "array", items: { type: "string", enum: names } }, data: { type: "array", items: { type: "array" } } } } } },
      { type: "object", required: ["dataframe_records"], properties: { dataframe_records: rows } },
      { type: "object", required: ["instances"], properties: { instances: rows } },
      { type: "object", required: ["inputs"], properties: { inputs: { oneOf: [rows, { type: "object", properties: Object.fromEntries(names.map((n) => [n, { type: "array" }])) }] } } },
    ],
  };
  const prediction = {
    type: "object",
    required: ["predictions"],
    properties: {
      predictions: { type: "array", items: { type: info.task === "classification" ? "string" : "number" } },
      ...(info.task === "classification" ? { probabilities: { type: "array", items: { type: "array", items: { type: "number" } } }, labels: { type: "array", items: { type: "string" }, ...(info.labels ? { example: info.labels } : {}) } } : {}),
    },
  };
  const error = (description: string) => ({ description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } });
  const predict = {
    post: {
      summary: `Predict ${info.target} (${info.kind}, ${info.task}) for raw rows`,
      requestBody: { required: true, content: { "application/json": { schema: body }, "text/csv": { schema: { type: "string", description: `a header line naming the input fields (${names.join(", ")}), then one row per line` } } } },
      responses: {
        200: { description: "one prediction per row, in order", content: { "application/json": { schema: prediction } } },
        400: error("malformed body: bad JSON, wrong shape, forbidden field names"),
        401: error("missing or wrong bearer token"),
        413: error("body or row count over the limit"),
        415: error("Content-Type is not application/json (or text/csv on /invocations)"),
        422: error(`rows do not fit the input schema: the first ${info.maxFieldErrors} field errors are listed, total counts them all`),
      },
    },
  };
  const get = (summary: string) => ({ get: { summary, responses: { 200: { description: "OK" }, 401: error("missing or wrong bearer token") } } });
  return {
    openapi: "3.0.3",
    info: { title: `mlnb model: ${info.kind} predicting ${info.target}`, version: "1" },
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      schemas: {
        Row: row,
        Error: { type: "object", required: ["error"], properties: { error: { type: "string" }, errors: { type: "array", items: { type: "object", properties: { row: { type: "integer" }, field: { type: "string" }, message: { type: "string" } } } }, total: { type: "integer" } } },
      },
    },
    security: [{ bearer: [] }],
    paths: {
      "/predict": predict,
      "/invocations": predict,
      "/health": { get: { summary: "liveness", security: [], responses: { 200: { description: "OK" } } } },
      "/ping": { get: { summary: "liveness (SageMaker/MLflow name)", security: [], responses: { 200: { description: "OK" } } } },
      "/metadata": get("task, target, features, input schema, metrics and provenance of the bundle"),
      "/metrics": get("Prometheus metrics"),
      "/drift": get("drift of recent inputs against the training reference"),
      "/openapi.json": get("this document"),
    },
  };
}
