/** The part of autocannon's programmatic API that bench/ uses (autocannon ships no types). */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  namespace autocannon {
    interface Histogram {
      min: number;
      max: number;
      average: number;
      mean: number;
      stddev: number;
      total: number;
      p0_001: number;
      p0_01: number;
      p0_1: number;
      p1: number;
      p2_5: number;
      p10: number;
      p25: number;
      p50: number;
      p75: number;
      p90: number;
      p97_5: number;
      p99: number;
      p99_9: number;
      p99_99: number;
      p99_999: number;
      sent?: number;
    }

    interface Request {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string;
    }

    interface Options {
      url: string;
      connections?: number;
      duration?: number;
      amount?: number;
      timeout?: number;
      pipelining?: number;
      method?: string;
      headers?: Record<string, string>;
      body?: string;
      title?: string;
      overallRate?: number;
      connectionRate?: number;
      requests?: Request[];
      skipAggregateResult?: boolean;
      excludeErrorStats?: boolean;
      sampleInt?: number;
    }

    /** Latency values in ms. */
    interface Result {
      title?: string;
      url: string;
      latency: Histogram;
      requests: Histogram;
      throughput: Histogram;
      duration: number;
      errors: number;
      timeouts: number;
      mismatches: number;
      non2xx: number;
      resets: number;
      start: Date;
      finish: Date;
      connections: number;
      statusCodeStats: Record<string, { count: number }>;
      '2xx': number;
      /** Present on results run with skipAggregateResult (raw, encoded histograms). */
      totalCompletedRequests?: number;
      totalRequests?: number;
    }

    interface Instance extends EventEmitter {
      stop(): void;
    }

    function aggregateResult(results: Result[], opts: Partial<Options>): Result;
  }

  function autocannon(opts: autocannon.Options, cb?: (err: Error | null, result: autocannon.Result) => void): autocannon.Instance;

  export = autocannon;
}
