// The contract between `bench/run.ts` and the `bench/*.bench.ts` files: each file default-exports an
// array of benchmarks; each benchmark resolves to one result, printed by the runner as one JSON line.

export interface BenchResult {
  name: string;
  /** The measured figure, in `unit`. */
  value: number;
  unit: string;
  /** The comparison figure measured in the same run, in the same unit. */
  baseline: number;
  /** value / baseline. */
  ratio: number;
  /** Anything else worth recording (percentiles, counts, targets, …). */
  [extra: string]: unknown;
}

export interface Benchmark {
  name: string;
  run(): Promise<BenchResult>;
}
