// Options and the builder shared by the dense-stack verbs (MLPs, and linear/logistic as zero hidden layers).
import { buildDense, checkActivation, denseForward, denseVariables, type Activation } from "./dense.js";
import { fastDenseStepper } from "./fastDense.js";
import type { Built, FitOptions } from "./fit.js";

/** Options of the MLP verbs (scikit-learn's names where it has them, in camelCase). */
export interface MlpOptions extends FitOptions {
  /** Hidden layer sizes (default [100], as scikit-learn's hidden_layer_sizes). */
  layers?: number[];
  activation?: Activation;
  /** Dropout rate after each hidden layer (0 = none). */
  dropout?: number;
  /** L2 penalty, as scikit-learn's alpha (default 1e-4 for MLPs, 0 for linear/logistic). */
  alpha?: number;
}

/** A builder for `fitTable` making a seeded dense stack with the given hidden layers. */
export function denseBuilder(opts: MlpOptions, hidden: number[], output: "softmax" | "linear", verb: string, defaultAlpha: number) {
  for (const h of hidden) if (!Number.isInteger(h) || h < 1) throw new Error(`${verb}: layers must be positive integers, got ${JSON.stringify(hidden)}`);
  const dropout = opts.dropout ?? 0;
  if (!(dropout >= 0 && dropout < 1)) throw new Error(`${verb}: dropout must be in [0, 1), got ${dropout}`);
  const activation = checkActivation(opts.activation ?? "relu", verb);
  return (inputs: number, outputs: number, seed: number): Built => {
    const spec = { inputs, hidden, activation, dropout, outputs, output, seed };
    const network = buildDense(spec);
    return {
      network,
      forward: denseForward(network, spec),
      loss: output === "softmax" ? "logits" : "mse",
      kernels: denseVariables(network).map((l) => l.kernel),
      alpha: opts.alpha ?? defaultAlpha,
      fast: (o) => o.optimizer === "adam" || o.optimizer === "sgd"
        ? fastDenseStepper({
          layers: denseVariables(network), activation, dropout, output, optimizer: o.optimizer, learningRate: o.learningRate,
          alpha: opts.alpha ?? defaultAlpha, classifier: o.classifier, random: o.random,
        })
        : undefined,
    };
  };
}
