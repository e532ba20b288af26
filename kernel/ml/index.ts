// The mlnb library that notebook cells and exported pipeline scripts import (`from "mlnb"`).
export { log } from "./log.js";
export { context, withContext, setContext, stageRandom, type RunContext } from "./context.js";
