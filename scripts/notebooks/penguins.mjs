// Cells of notebooks/penguins.mlnb: species classification, stage by stage, ending with a deploy bundle.
import { code, md } from "./cells.mjs";

export const cells = [
  md(`
    # Penguins: species from body measurements

    The [Palmer penguins](https://allisonhorst.github.io/palmerpenguins/) (344 birds, three species,
    CC0) measured on three islands of the Antarctic. We train a small neural network that tells the
    species from beak, flipper and body mass, as a pipeline of stages:

    | stage | what it does |
    |---|---|
    | \`ingest\` | read \`data/penguins.json\`, fix a data entry error |
    | \`split\` | hold out a stratified test set *before* anything learns from the data |
    | \`clean\` | impute missing values and one-hot encode island and sex, fitted on the train rows |
    | \`features\` | standardise the measurements (train-row statistics) |
    | \`train\` | a seeded multi-layer perceptron |
    | \`evaluate\` | test-set metrics, a confusion matrix, and a gate the run must pass |
    | \`deploy\` | write the model bundle that \`mlnb serve\` serves |

    Each \`%%stage\` cell records what it reads and writes in the run store (\`.mlnb/\`): run the notebook
    again and unchanged stages are restored instead of re-run; edit one and everything downstream goes
    stale. Every stage imports what it uses: imports are code, not data passed between stages.
    Headless: \`mlnb run penguins.mlnb -p epochs=120\`.
  `),
  code(`
    %%params
    %seed 42
    // The run's parameters: \`mlnb run penguins.mlnb -p name=value\` overrides any of them.
    // %seed fixes every stage's random generator (split shuffling, weight initialisation, batches).
    const testSize = 0.25;
    const hidden = 16;
    const epochs = 60;
    const learningRate = 0.01;
  `),
  md(`
    ## Ingest

    \`read\` picks the reader from the extension and records the file's sha256, so an exported pipeline
    can tell when the data changed.

    One sex is recorded as \`"."\`: a data entry error, not a third category. Turning it into a missing
    value learns nothing from other rows, so it is safe before the split.
  `),
  code(`
    %%stage ingest
    import { read } from "mlnb";

    const penguins = (await read.json("data/penguins.json"))
      .derive({ Sex: (d: any) => (d.Sex === "." ? null : d.Sex) });
    penguins
  `),
  md(`
    A quick look before modelling (this cell is not a stage: it is not tracked and defines nothing).
    Flipper length and body mass alone separate Gentoo from the others; beak shape separates Adelie from
    Chinstrap.
  `),
  code(`
    display.vegaLite({
      $schema: "https://vega.github.io/schema/vega-lite/v5.json",
      title: "Beak length and depth by species",
      width: 360,
      height: 240,
      data: { values: penguins.objects() },
      mark: { type: "point", filled: true, opacity: 0.7 },
      encoding: {
        x: { field: "Beak Length (mm)", type: "quantitative", scale: { zero: false } },
        y: { field: "Beak Depth (mm)", type: "quantitative", scale: { zero: false } },
        color: { field: "Species", type: "nominal" },
      },
    });
  `),
  md(`
    ## Split

    A quarter of the birds are held out for the final evaluation. \`stratify\` keeps the species
    proportions equal in both parts (Chinstrap is the rarest). No \`seed\` option: the split draws
    from the stage's generator, derived from \`%seed\` and the stage name. Both partitions carry
    lineage, so a transformer fitted on test rows would raise a \`DataLeakageError\`.
  `),
  code(`
    %%stage split
    import { split } from "mlnb";

    const { train: trainRows, test: testRows } = split.trainTestSplit(penguins, { testSize, stratify: "Species" });
    \`\${trainRows.numRows()} train rows, \${testRows.numRows()} test rows\`
  `),
  md(`
    ## Clean

    Two birds have no measurements and eleven no sex. The imputers learn their fill values (medians, the
    most frequent sex) from the **train rows only**, then fill both partitions; fitting on the whole table
    would leak test statistics into training. One-hot encoding turns island and sex into 0/1 columns;
    \`handleUnknown: "ignore"\` encodes a category the train rows never had as all zeros instead of
    failing (the served model's schema still admits only the islands it was trained on).
  `),
  code(`
    %%stage clean
    import { prep } from "mlnb";

    const measurements = ["Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)"];
    const cleaner = prep.pipeline([
      prep.simpleImputer({ strategy: "median", columns: measurements }),
      prep.simpleImputer({ strategy: "most_frequent", columns: ["Sex"] }),
      prep.oneHotEncoder({ columns: ["Island", "Sex"], handleUnknown: "ignore" }),
    ]).fit(trainRows);
    const trainClean = cleaner.transform(trainRows);
    const testClean = cleaner.transform(testRows);
    trainClean
  `),
  md(`
    ## Features

    Networks train faster and more reliably on inputs of similar scale: body mass is in thousands of
    grams, beak depth in tens of millimetres. The scaler's means and deviations again come from the
    train rows.
  `),
  code(`
    %%stage features
    import { prep } from "mlnb";

    const scaler = prep.standardScaler({ columns: measurements }).fit(trainClean);
    const trainX = scaler.transform(trainClean);
    const testX = scaler.transform(testClean);
    trainX
  `),
  md(`
    ## Train

    A multi-layer perceptron with one hidden layer. Its weights are initialised and its batches shuffled
    from the stage seed, so the same notebook trains the same network, bit for bit. The cell shows the
    loss per epoch while it trains, and the loss curve at the end.
  `),
  code(`
    %%stage train
    import { train } from "mlnb";

    const model = await train.mlpClassifier(trainX, { target: "Species", layers: [hidden], epochs, learningRate });
    \`\${model.kind}: \${model.features.length} inputs -> \${model.labels!.join(", ")}\`
  `),
  md(`
    ## Evaluate

    Metrics on the held-out birds (macro averages over the three species, as scikit-learn computes
    them). \`log.metric\` records them in the run store, where \`mlnb runs\` lists and compares them; the
    \`--gate\` options fail the stage, and a headless run, when the model is not good enough.
  `),
  code(`
    %%stage evaluate --gate "accuracy>=0.95" --gate "f1>=0.93"
    import { evaluate, log } from "mlnb";

    const metrics = evaluate.classification(testX.array("Species"), model.predict(testX), {
      scores: model.predictProba(testX),
      labels: model.labels,
    });
    for (const name of ["accuracy", "precision", "recall", "f1", "rocAuc", "logLoss"] as const) log.metric(name, metrics[name]!);
    // the chart spec is plain vega-lite: spread it to change its size
    await display.vegaLite({ ...evaluate.confusionChart(metrics, "Test set confusion matrix"), width: 180, height: 180 });
    metrics.perClass
  `),
  md(`
    ## Deploy

    The bundle is everything a server needs: the fitted cleaning and scaling (as one pipeline), the
    network, the input schema and reference statistics of the training rows (for drift checks), and
    the metrics. \`mlnb serve models/penguins\` answers \`POST /predict\` with raw rows like the ones
    we read. The stage is \`--no-cache\`: it writes files, so it always runs.

    Loading the bundle back and predicting a few raw test rows checks that the served pipeline agrees
    with the notebook's.
  `),
  code(`
    %%stage deploy --no-cache
    import { deploy, prep } from "mlnb";

    await deploy.bundle("models/penguins", {
      preprocess: prep.pipeline([cleaner, scaler]),
      model,
      reference: trainRows,
      metrics: { accuracy: metrics.accuracy, f1: metrics.f1 },
      provenance: { notebook: "penguins.mlnb" },
    });
    /** Predict raw rows with the bundle on disk, as \`mlnb serve\` does. */
    async function predictWithBundle(dir: string, rows: object[]) {
      const served = await deploy.load(dir);
      try {
        return served.predict(rows as Record<string, unknown>[]).predictions;
      } finally {
        served.dispose();
      }
    }
    const sample = testRows.slice(0, 5);
    sample.select("Species", "Island", "Body Mass (g)").assign({ predicted: await predictWithBundle("models/penguins", sample.objects()) })
  `),
  code(`
    %stages
  `),
];
