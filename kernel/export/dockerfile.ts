// The image Argo and Airflow tasks run: the project with `npm ci`, its notebooks' exported scripts and their locks.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** The project root of a notebook: the nearest folder above it with a package.json (else the notebook's folder). */
export function projectRootOf(notebookPath: string): string {
  const start = dirname(resolve(notebookPath));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

/**
 * A Dockerfile for the project (pure): Node 20, `npm ci` from the lock file (so the image has
 * the versions the pipeline lock records), then the project files, which include the exported
 * script and its lock. `script` is the script relative to the project root.
 */
export function dockerfile(o: { script: string; node?: string }): string {
  return `# The image of mlnb pipeline tasks (Argo / Airflow), written by mlnb export --to dockerfile.
# Build: docker build -t IMAGE .    Run one stage: docker run -e MLNB_STORE=postgres://... -e MLNB_ARTIFACTS=s3://... IMAGE npx mlnb script ${o.script} --stage NAME
FROM node:${o.node ?? "20"}-bookworm-slim
WORKDIR /app
# Dependencies first, from the lock file: a layer that changes only when they do.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
# The project: notebooks, data, the exported script and its lock (.dockerignore keeps out stores and node_modules).
COPY . .
RUN npm rebuild && (npm run --if-present prepare)
ENV NODE_ENV=production
CMD ["npx", "mlnb", "script", ${JSON.stringify(o.script)}, "--help"]
`;
}

/** What the image leaves out: local run stores, installed packages, executed copies. */
export const DOCKERIGNORE = `node_modules
.mlnb
**/.mlnb
*.out.mlnb
**/*.out.mlnb
.git
`;
