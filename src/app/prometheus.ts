import type { PipelineObserver } from '../pipeline/types.ts';

// A minimal Prometheus text exposition (format 0.0.4) for the Node server: counters and one latency
// histogram. prom-client would pull Node-only modules into a file the Worker never needs, and this is
// all fhpa exposes.
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class PipelineMetrics implements PipelineObserver {
  private evaluations = new Map<string, number>();
  private decisions = new Map<string, number>();
  private storeReads = 0;
  private storeWrites = 0;
  private latencyCounts = new Array<number>(BUCKETS.length + 1).fill(0);
  private latencySum = 0;
  private latencyCount = 0;

  evaluation(result: { outcome: string; retryable: boolean }, durationMs: number): void {
    const key = `outcome="${result.outcome}",retryable="${result.retryable}"`;
    this.evaluations.set(key, (this.evaluations.get(key) ?? 0) + 1);
    if (result.outcome === 'scaled' || result.outcome === 'unchanged') {
      this.decisions.set(result.outcome, (this.decisions.get(result.outcome) ?? 0) + 1);
    }
    const seconds = durationMs / 1000;
    const bucket = BUCKETS.findIndex((b) => seconds <= b);
    this.latencyCounts[bucket < 0 ? BUCKETS.length : bucket]!++;
    this.latencySum += seconds;
    this.latencyCount++;
  }

  storeRead(count: number): void {
    this.storeReads += count;
  }

  storeWrite(): void {
    this.storeWrites++;
  }

  render(): string {
    const lines: string[] = [];
    lines.push('# HELP fhpa_evaluations_total FederatedHPA evaluations by outcome.');
    lines.push('# TYPE fhpa_evaluations_total counter');
    for (const [labels, v] of this.evaluations) lines.push(`fhpa_evaluations_total{${labels}} ${v}`);
    lines.push('# HELP fhpa_decisions_total Evaluations that reached a decision, by whether they scaled.');
    lines.push('# TYPE fhpa_decisions_total counter');
    for (const [d, v] of this.decisions) lines.push(`fhpa_decisions_total{decision="${d}"} ${v}`);
    lines.push('# HELP fhpa_store_operations_total History store reads and writes.');
    lines.push('# TYPE fhpa_store_operations_total counter');
    lines.push(`fhpa_store_operations_total{op="read"} ${this.storeReads}`);
    lines.push(`fhpa_store_operations_total{op="write"} ${this.storeWrites}`);
    lines.push('# HELP fhpa_evaluation_duration_seconds Time of one evaluation, trigger to status written.');
    lines.push('# TYPE fhpa_evaluation_duration_seconds histogram');
    let cumulative = 0;
    BUCKETS.forEach((b, i) => {
      cumulative += this.latencyCounts[i]!;
      lines.push(`fhpa_evaluation_duration_seconds_bucket{le="${b}"} ${cumulative}`);
    });
    cumulative += this.latencyCounts[BUCKETS.length]!;
    lines.push(`fhpa_evaluation_duration_seconds_bucket{le="+Inf"} ${cumulative}`);
    lines.push(`fhpa_evaluation_duration_seconds_sum ${this.latencySum}`);
    lines.push(`fhpa_evaluation_duration_seconds_count ${this.latencyCount}`);
    return `${lines.join('\n')}\n`;
  }
}
