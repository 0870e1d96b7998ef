// Versions and lineage for one run: what each step read (the data versions of its inputs and the
// roots behind them), its code version and the data version it writes. Steps of the same run see
// the steps that finished before them, so a downstream step records its upstream's new version.
import type { Graph } from '../core/graph';
import { ancestors } from '../core/graph';
import type { Asset, AssetKey } from '../core/model';
import { lineageFor, RecordIndex, type MaterializationRecord, type ObservationRecord } from '../core/records';
import { materializationDataVersion } from '../core/versions';
import type { MetadataStore, StepLineage } from './metadataStore';
import { observeSources } from './observe';
import { readRecords } from './storeRecords';
import { assetCodeVersion, filesHash, filesReadBy } from './versioning';

/** What a step records beside its result. */
export interface StepVersions {
  readonly codeVersion: string;
  readonly dataVersion: string;
  readonly lineage: StepLineage;
}

export class RunLineage {
  private constructor(
    private readonly root: string, private readonly graph: Graph, private readonly runId: string,
    private readonly done: MaterializationRecord[], private readonly observations: readonly ObservationRecord[],
  ) {}

  /** Observes the sources upstream of `keys` (so the run reads what it records), then reads the store's records. */
  static async load(store: MetadataStore, root: string, graph: Graph, keys: readonly AssetKey[], runId: string, now: number): Promise<RunLineage> {
    const upstream = new Set(keys.flatMap((k) => [...ancestors(graph, k)]));
    await observeSources(root, graph, store, now, upstream);
    const records = await readRecords(store);
    return new RunLineage(root, graph, runId, records.materializations, records.observations);
  }

  /** Computed when the step starts, from what it is about to read. */
  begin(asset: Asset, partition: string | undefined, at: number): StepVersions {
    const ix = new RecordIndex({ graph: this.graph, now: at, materializations: this.done, codeVersions: new Map(), observations: this.observations });
    const { inputs, roots } = lineageFor(ix, asset.key, partition);
    const codeVersion = assetCodeVersion(this.root, asset);
    return { codeVersion, dataVersion: materializationDataVersion(codeVersion, Object.keys(inputs).length ? inputs : this.rootInputs(asset, partition)), lineage: { at, inputs, roots } };
  }

  /**
   * A root asset's data: a seed's CSV is in its code version; an asset reading files is versioned by
   * their contents, so re-running it over unchanged files changes nothing downstream; anything else
   * gets a fresh version per run (its data cannot be known without running it).
   */
  private rootInputs(asset: Asset, partition: string | undefined): Record<string, string> {
    const p: Record<string, string> = partition === undefined ? {} : { partition };
    if (asset.kind === 'seed') return p;
    const files = filesReadBy(asset);
    const hash = files.length ? filesHash(this.root, files) : undefined;
    return hash ? { ...p, files: hash } : { ...p, run: this.runId };
  }

  /** A step succeeded: later steps of the run read its new version. */
  succeeded(asset: Asset, partition: string | undefined, v: StepVersions): void {
    this.done.push({ key: asset.key, ...(partition !== undefined ? { partition } : {}), at: v.lineage.at, codeVersion: v.codeVersion, dataVersion: v.dataVersion, inputs: v.lineage.inputs, roots: v.lineage.roots });
  }
}

