// The one-line synopses of the commands whose modules load lazily (predict, worker): the CLI's
// usage prints them, so they live apart from those modules, and `--help` or a mistyped command
// loads neither TensorFlow.js (predict) nor the queue's client (worker).
export const PREDICT_SYNOPSIS = 'noise-lab predict <run folder> <data.csv> [--out predictions.csv] [--workspace DIR]';
export const WORKER_SYNOPSIS = 'noise-lab worker --queue redis://[:password@]host:port[/db] [--concurrency N] [--stall-seconds S]';
