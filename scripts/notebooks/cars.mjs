// Cells of notebooks/cars.mlnb: miles-per-gallon regression with missing values, stage by stage, ending with a deploy bundle.
import { code, md } from "./cells.mjs";

export const cells = [
  md(`
    # Cars: fuel economy from the spec sheet

    406 cars from the 1970s and early 80s (the StatLib "auto mpg" data, via \`vega-datasets\`): predict
    miles per gallon from cylinders, displacement, horsepower, weight, acceleration, model year and
    origin. The data has holes: 8 cars have no mpg and 6 no horsepower.

    | stage | what it does |
    |---|---|
    | \`ingest\` | read \`data/cars.json\`, keep the cars that have a label |
    | \`split\` | hold out a test set before anything learns from the data |
    | \`clean\` | impute horsepower (median of the train rows), one-hot encode origin |
    | \`features\` | model year from the date, standardised inputs |
    | \`train\` | a seeded MLP regressor |
    | \`evaluate\` | RMSE, MAE and R² on the test set, a residual plot, a gate on R² |
    | \`deploy\` | write the model bundle that \`mlnb serve\` serves |

    Every stage imports what it uses. Headless: \`mlnb run cars.mlnb -p epochs=300\`.
  `),
  code(`
    %%params
    %seed 7
    // Override with \`mlnb run cars.mlnb -p name=value\`.
    const testSize = 0.2;
    const hidden = 32;
    const epochs = 150;
    const learningRate = 0.01;
  `),
  md(`
    ## Ingest

    \`read.json\` turns ISO date strings into dates (\`Year\` is \`1970-01-01\` and so on). A car without
    mpg can neither train nor test a model: dropping those rows uses nothing but the row itself, so it
    is safe before the split. Cars without horsepower stay; the clean stage fills them in.
  `),
  code(`
    %%stage ingest
    import { read } from "mlnb";

    const raw = await read.json("data/cars.json");
    const cars = raw.filter((d: any) => d.Miles_per_Gallon != null);
    \`\${raw.numRows()} cars read, \${cars.numRows()} with mpg\`
  `),
  md(`Heavier cars burn more fuel, and the curve bends: a straight line will not fit it as well as a small network. (Not a stage: exploration only.)`),
  code(`
    display.vegaLite({
      $schema: "https://vega.github.io/schema/vega-lite/v5.json",
      title: "Miles per gallon and weight",
      width: 360,
      height: 240,
      data: { values: cars.objects() },
      mark: { type: "point", filled: true, opacity: 0.6 },
      encoding: {
        x: { field: "Weight_in_lbs", type: "quantitative", scale: { zero: false }, title: "weight (lbs)" },
        y: { field: "Miles_per_Gallon", type: "quantitative", title: "miles per gallon" },
        color: { field: "Origin", type: "nominal" },
      },
    });
  `),
  md(`
    ## Split

    One car in five goes to the test set. The shuffle draws from the stage's seeded generator (\`%seed\`).
  `),
  code(`
    %%stage split
    import { split } from "mlnb";

    const { train: trainRows, test: testRows } = split.trainTestSplit(cars, { testSize });
    \`\${trainRows.numRows()} train cars, \${testRows.numRows()} test cars\`
  `),
  md(`
    ## Clean

    \`prep.columns\` applies one transformer per group of columns (scikit-learn's \`ColumnTransformer\`):
    the median imputer fills the missing horsepower with the median of the **train** cars, and origin
    becomes three 0/1 columns. Fitted on the train partition, then applied to both: the leakage guard
    would stop a fit that saw test rows.
  `),
  code(`
    %%stage clean
    import { prep } from "mlnb";

    const numeric = ["Cylinders", "Displacement", "Horsepower", "Weight_in_lbs", "Acceleration"];
    const cleaner = prep.columns({
      numeric: [numeric, prep.simpleImputer({ strategy: "median" })],
      origin: [["Origin"], prep.oneHotEncoder({ handleUnknown: "ignore" })],
    }).fit(trainRows);
    const trainClean = cleaner.transform(trainRows);
    const testClean = cleaner.transform(testRows);
    cleaner.transform(testRows.filter((d: any) => d.Horsepower == null)).select("Name", "Horsepower")
  `),
  md(`
    ## Features

    Fuel economy improved year after year (the 1975 CAFE standards), so the model year matters: \`features.datePart\`
    takes it from the date. Then every input is standardised with the train cars' means and deviations.

    \`datePart\` is a function of each row, not a fitted transformer, so it is not part of the deployed
    preprocessing: the bundle takes \`model_year\` as an input (see the deploy stage).
  `),
  code(`
    %%stage features
    import { features, prep } from "mlnb";

    /** The model year (1970, 1971, ...) as a number column \`model_year\`. */
    function addModelYear(t: typeof trainClean) {
      return features.datePart(t, "Year", { parts: ["year"], prefix: "model_" });
    }
    const inputs = [...numeric, "model_year", "Origin_Europe", "Origin_Japan", "Origin_USA"];
    const scaler = prep.standardScaler({ columns: [...numeric, "model_year"] }).fit(addModelYear(trainClean));
    const trainX = scaler.transform(addModelYear(trainClean));
    const testX = scaler.transform(addModelYear(testClean));
    trainX.select(inputs)
  `),
  md(`
    ## Train

    An MLP regressor (one hidden layer of ReLU units, a linear output, squared error). Seeded from the
    stage, so every run trains the same weights.
  `),
  code(`
    %%stage train
    import { train } from "mlnb";

    const model = await train.mlpRegressor(trainX, { target: "Miles_per_Gallon", features: inputs, layers: [hidden], epochs, learningRate });
    \`\${model.kind}, final training loss \${model.history.loss.at(-1)!.toFixed(2)}\`
  `),
  md(`
    ## Evaluate

    R² is the share of the variance of mpg the model explains on cars it never saw; RMSE and MAE are in
    miles per gallon. The gate fails the run below R² = 0.8. The residual plot should be a shapeless
    cloud around zero: a curve or a funnel would mean the model misses a pattern.
  `),
  code(`
    %%stage evaluate --gate "r2>=0.8"
    import { evaluate, log } from "mlnb";

    const predicted = model.predict(testX) as number[];
    const metrics = evaluate.regression(testX.array("Miles_per_Gallon") as number[], predicted);
    for (const name of ["mse", "rmse", "mae", "r2"] as const) log.metric(name, metrics[name]);
    await display.vegaLite(evaluate.residualChart(testX.array("Miles_per_Gallon") as number[], predicted, "Test set residuals (mpg)"));
    metrics
  `),
  md(`
    ## Deploy

    The bundle holds the fitted cleaning and scaling, the network, the input schema with the reference
    statistics of the train cars, and the metrics. Its inputs are the raw columns plus \`model_year\`
    (the row-wise feature is not in the fitted preprocessing). The stage always runs (\`--no-cache\`):
    it writes files. Then the bundle is loaded back and predicts a few test cars.
  `),
  code(`
    %%stage deploy --no-cache
    import { deploy, prep } from "mlnb";

    const reference = addModelYear(trainRows).select("Miles_per_Gallon", ...numeric, "model_year", "Origin");
    await deploy.bundle("models/cars", {
      preprocess: prep.pipeline([cleaner, scaler]),
      model,
      reference,
      metrics: { rmse: metrics.rmse, r2: metrics.r2 },
      provenance: { notebook: "cars.mlnb" },
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
    const sample = addModelYear(testRows).slice(0, 5);
    sample.select("Name", "Miles_per_Gallon").assign({ predicted: await predictWithBundle("models/cars", sample.objects()) })
  `),
  code(`
    %stages
  `),
];
