// Cells of notebooks/seattle-weather.mlnb: weather classification with date features and a grid search, ending with a deploy bundle.
import { code, md } from "./cells.mjs";

export const cells = [
  md(`
    # Seattle weather: what kind of day was it?

    Four years (2012-2015) of daily Seattle weather from NOAA, via \`vega-datasets\`: precipitation,
    maximum and minimum temperature, wind, and the day's weather (rain, sun, fog, drizzle, snow). We
    learn the weather from the measurements and the season, and let a cross-validated grid search
    pick the network's size and learning rate.

    | stage | what it does |
    |---|---|
    | \`ingest\` | read \`data/seattle-weather.csv\` (typed columns, the date as a date) |
    | \`split\` | a stratified test set: snow is 2% of the days |
    | \`clean\` | an imputer fitted on the train days (no gaps today; a live feed will have some) |
    | \`features\` | the season from the date (\`features.datePart\`, then sine and cosine), the daily temperature range, scaling |
    | \`tune\` | grid search over MLP sizes and learning rates, 3-fold cross-validation |
    | \`evaluate\` | test-set accuracy and F1, a confusion matrix, a gate |
    | \`deploy\` | write the model bundle that \`mlnb serve\` serves |

    Every stage imports what it uses. Headless: \`mlnb run seattle-weather.mlnb -p folds=5\`.
  `),
  code(`
    %%params
    %seed 2015
    // Override with \`mlnb run seattle-weather.mlnb -p name=value\`.
    const testSize = 0.25;
    const folds = 3;
    const epochs = 60;
  `),
  md(`
    ## Ingest

    \`read.csv\` infers each column's type: numbers stay numbers and \`2012-01-01\` becomes a date.
  `),
  code(`
    %%stage ingest
    import { read } from "mlnb";

    const weather = await read.csv("data/seattle-weather.csv");
    weather
  `),
  md(`Rain and sun make up 88% of the days; fog, drizzle and snow are rare, which will show in the per-class scores. (Not a stage: exploration only.)`),
  code(`
    display.vegaLite({
      $schema: "https://vega.github.io/schema/vega-lite/v5.json",
      title: "Days per month and weather",
      width: 360,
      height: 200,
      data: { values: weather.objects() },
      mark: "bar",
      encoding: {
        x: { field: "date", timeUnit: "month", type: "ordinal", title: "month" },
        y: { aggregate: "count", type: "quantitative", title: "days" },
        color: { field: "weather", type: "nominal" },
      },
    });
  `),
  md(`
    ## Split

    Stratified on the label, so the 26 snowy days are shared between train and test in proportion.
  `),
  code(`
    %%stage split
    import { split } from "mlnb";

    const { train: trainDays, test: testDays } = split.trainTestSplit(weather, { testSize, stratify: "weather" });
    \`\${trainDays.numRows()} train days, \${testDays.numRows()} test days\`
  `),
  md(`
    ## Clean

    This file has no missing values, but the deployed model will see live readings, and a station
    misses one now and then. A mean imputer fitted on the train days makes the served pipeline fill
    such gaps the same way every time.
  `),
  code(`
    %%stage clean
    import { prep } from "mlnb";

    const measurements = ["precipitation", "temp_max", "temp_min", "wind"];
    const cleaner = prep.simpleImputer({ strategy: "mean", columns: measurements }).fit(trainDays);
    const trainClean = cleaner.transform(trainDays);
    const testClean = cleaner.transform(testDays);
    cleaner.fitted
  `),
  md(`
    ## Features

    The season matters (snow in winter, fog in autumn), but a day number 1..366 puts 31 December far
    from 1 January. \`features.datePart\` gives the day of the year; its sine and cosine place the days on
    a circle. \`features.derive\` takes arquero expressions: outer variables are passed as params (\`$\`).
    The daily temperature range tells clear days (wide) from cloudy ones (narrow). Then the inputs are
    standardised with the train days' statistics.

    These row-wise features are not fitted transformers, so they are not part of the deployed
    preprocessing: the bundle takes \`season_sin\`, \`season_cos\` and \`temp_range\` as inputs.
  `),
  code(`
    %%stage features
    import { features, prep } from "mlnb";

    /** Season (a point on the unit circle) and temperature range of each day. */
    function addSeason(t: typeof trainClean) {
      const withDay = features.datePart(t, "date", { parts: ["dayOfYear"] });
      return features.derive(withDay, {
        season_sin: "op.sin($.tau * d.date_dayOfYear / 365.25)",
        season_cos: "op.cos($.tau * d.date_dayOfYear / 365.25)",
        temp_range: "d.temp_max - d.temp_min",
      }, { tau: 2 * Math.PI });
    }
    const inputs = [...measurements, "season_sin", "season_cos", "temp_range"];
    const scaler = prep.standardScaler({ columns: inputs }).fit(addSeason(trainClean));
    const trainX = scaler.transform(addSeason(trainClean));
    const testX = scaler.transform(addSeason(testClean));
    trainX.select("date", ...inputs, "weather")
  `),
  md(`
    ## Tune

    \`tune.gridSearch\` fits every combination of the grid on each of 3 stratified folds of the train
    days and scores it on the held-out fold (macro F1: each weather counts the same, however rare).
    The best combination is refitted on all train days. The test days play no part in the choice.
    (The scaler saw all train days, held-out folds included: the fold scores are slightly optimistic;
    the test score is not.) The search also returns a \`results\` table like scikit-learn's
    \`cv_results_\`; it holds fit times, which differ from run to run, so this stage keeps the chart
    of the scores instead and its outputs stay reproducible hash for hash.
  `),
  code(`
    %%stage tune
    import { tune } from "mlnb";

    const { chart, bestParams, bestScore, bestModel } = await tune.gridSearch(trainX, { layers: [[16], [32]], learningRate: [0.01, 0.03] }, {
      model: "mlpClassifier",
      target: "weather",
      features: inputs,
      base: { epochs },
      folds,
      scoring: "f1",
    });
    const model = bestModel!;
    await display.vegaLite(chart);
    \`best: \${JSON.stringify(bestParams)}, mean cross-validated F1 \${bestScore.toFixed(3)}\`
  `),
  md(`
    ## Evaluate

    On the test days: accuracy, and macro-averaged precision, recall and F1. Rain and sun are easy.
    Drizzle and fog days mostly record no precipitation, so the model takes most of them for sun: the
    confusion matrix shows it, and the macro F1 (every weather counts the same) pays for it. The gates
    ask for an accuracy of 80% and a macro F1 of 0.5.
  `),
  code(`
    %%stage evaluate --gate "accuracy>=0.8" --gate "f1>=0.5"
    import { evaluate, log } from "mlnb";

    const metrics = evaluate.classification(testX.array("weather"), model.predict(testX), {
      scores: model.predictProba(testX),
      labels: model.labels,
    });
    for (const name of ["accuracy", "precision", "recall", "f1", "rocAuc", "logLoss"] as const) log.metric(name, metrics[name]!);
    await display.vegaLite({ ...evaluate.confusionChart(metrics, "Test set confusion matrix"), width: 220, height: 220 });
    metrics.perClass
  `),
  md(`
    ## Deploy

    The bundle holds the fitted imputer and scaler, the tuned network, the input schema with reference
    statistics of the train days (for drift checks), and the metrics. The stage always runs
    (\`--no-cache\`): it writes files. Then the bundle is loaded back and predicts a few test days.
  `),
  code(`
    %%stage deploy --no-cache
    import { deploy, prep } from "mlnb";

    const reference = addSeason(trainDays).select(...inputs, "weather");
    await deploy.bundle("models/seattle-weather", {
      preprocess: prep.pipeline([cleaner, scaler]),
      model,
      reference,
      metrics: { accuracy: metrics.accuracy, f1: metrics.f1 },
      provenance: { notebook: "seattle-weather.mlnb", bestParams },
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
    const sample = addSeason(testDays).slice(0, 5);
    sample.select("date", "weather").assign({ predicted: await predictWithBundle("models/seattle-weather", sample.objects()) })
  `),
  code(`
    %stages
  `),
];
