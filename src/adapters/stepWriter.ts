// Writes a run's step records to the metadata store in the order the steps ended. Records that
// arrive while a write is in progress go in the next transaction together: a commit costs more
// than the rows, and the next steps of the run go on meanwhile (the store is a file of its own).
import type { MetadataStore, StepRecord } from './metadataStore';

export class StepWriter {
  private readonly queue: { readonly step: StepRecord; readonly done: (error?: unknown) => void }[] = [];
  private writing: Promise<void> | undefined;

  constructor(private readonly store: MetadataStore, private readonly runId: string) {}

  /** Resolves once the record is committed; rejects with the store's error when it could not be. */
  write(step: StepRecord): Promise<void> {
    const done = new Promise<void>((resolve, reject) => this.queue.push({ step, done: (e) => (e === undefined ? resolve() : reject(e)) }));
    this.writing ??= this.flush();
    return done;
  }

  private async flush(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0);
      try {
        await this.store.recordSteps(this.runId, batch.map((b) => b.step));
        for (const b of batch) b.done();
      } catch (e) {
        for (const b of batch) b.done(e);
      }
    }
    this.writing = undefined;
  }
}
