// What a cell gets for `@tensorflow/tfjs-node` when it is not installed: TensorFlow.js on mlnb's backend, with file:// save and load.
//
// tfjs-node's install downloads libtensorflow, which fails offline; tslab's TensorFlow.js notebooks
// import it. Its API is @tensorflow/tfjs's plus `tf.node`; what the notebooks rely on besides the
// API is a fast Node backend and `model.save("file://...")`, which mlnb's initialisation gives.
import { initTf } from "../ml/tf.js";

await initTf();

export * from "@tensorflow/tfjs";
