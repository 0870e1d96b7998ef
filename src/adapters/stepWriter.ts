// Writes a run's step records to the metadata store in the order the steps ended, off the steps'
// critical path: a step's downstream steps start as soon as its table is built, profiled and
// checked, while its record waits for the store. Records are committed a batch at a time, every
// `flushEveryMs` (or sooner when many are queued): a commit per step cost as much as the step
// itself on runs of small models, and the store's commits slowed the warehouse's on a busy disk.
// The run awaits drained() before it ends, so every record is durable by then; a crash before that
// leaves the run 'running', which the next start reads as failed.
import type { MetadataStore, StepRecord } from './metadataStore';

/** How long a record may wait for the next batch; a user sees the hover catch up within this. */
const flushEveryMs = 250;
/** A batch this big is written at once. */
const flushAt = 500;

export class StepWriter {
  private readonly queue: StepRecord[] = [];
  private writing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** The first store error; the records of that batch are lost, later batches are still tried. */
  private failure: unknown;
  private lost = 0;

  /** `onStored` is called after each committed batch (an exception thrown there is ignored). */
  constructor(private readonly store: MetadataStore, private readonly runId: string, private readonly onStored?: () => void) {}

  /** Queues the record; it is committed with the others queued by the next flush. */
  write(step: StepRecord): void {
    this.queue.push(step);
    if (this.queue.length >= flushAt) this.startFlush();
    else this.timer ??= setTimeout(() => this.startFlush(), flushEveryMs);
  }

  /** Writes everything queued now and resolves when it is written (or has failed); says what could not be stored. */
  async drained(): Promise<string | undefined> {
    while (this.writing || this.queue.length) {
      this.startFlush();
      await this.writing;
    }
    if (!this.lost) return undefined;
    const why = this.failure instanceof Error ? this.failure.message : String(this.failure);
    return `${this.lost} step record${this.lost === 1 ? '' : 's'} could not be stored: ${why}`;
  }

  private startFlush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.writing ??= this.flush();
  }

  /** Writes what is queued now as one batch; what arrives meanwhile waits for the next flush. */
  private async flush(): Promise<void> {
    const batch = this.queue.splice(0);
    try {
      await this.store.recordSteps(this.runId, batch);
      try { this.onStored?.(); } catch { /* a listener's bug must not stop the writes */ }
    } catch (e) {
      this.failure ??= e;
      this.lost += batch.length;
    }
    this.writing = undefined;
    if (this.queue.length) this.timer ??= setTimeout(() => this.startFlush(), flushEveryMs);
  }
}
