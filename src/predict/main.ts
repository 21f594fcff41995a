// dist/predict.js: `noise-lab predict` as a process of its own, for VS Code's "Predict with this
// run" (the extension host starts it; it does not load TensorFlow.js itself). Arguments as the CLI's.
import { predictCommand } from './command';

void predictCommand(process.argv.slice(2)).then((code) => process.exit(code));
