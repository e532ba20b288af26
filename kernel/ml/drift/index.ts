// Data drift: two-sample tests and distances matching SciPy, and Evidently-style per-column and dataset reports.
export { ks, type KsResult } from "./ks.js";
export { chi2, type Chi2Result } from "./chi2.js";
export { zTest, type ZResult } from "./ztest.js";
export { psi, type PsiOptions } from "./psi.js";
export { wasserstein, type WassersteinResult } from "./wasserstein.js";
export { jensenShannon, type JensenShannonOptions, type DistanceResult } from "./jensenShannon.js";
export { report, defaultTest, type DriftReport, type ColumnDrift, type DriftOptions, type StatTest, type Columns } from "./report.js";
export { toText, toHTML, chart, charts, show } from "./render.js";
export { kolmogorovSf, smirnov } from "./kolmogorov.js";
export { chi2Sf } from "./special.js";
