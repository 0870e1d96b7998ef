// Messages between the lineage webview and the extension host. Readonly interfaces unioned on a
// literal `type`; each side handles them in one exhaustive switch.
import type { AssetKeyString, GraphDto, MaterializationDto, StepEvent } from './protocol';

// ---- host → webview ----

/** The whole graph; sent after `ready` and whenever the index changes. */
export interface GraphMessage {
  readonly type: 'graph';
  readonly graph: GraphDto;
}

/** Last materialization per asset; replaces what the webview had. */
export interface StatusMessage {
  readonly type: 'status';
  readonly materializations: readonly MaterializationDto[];
}

/** A run step changed; the node animates while running, then recolours. */
export interface RunEventMessage {
  readonly type: 'runEvent';
  readonly event: StepEvent;
}

/** The active editor shows this asset (undefined: none); the view highlights it. */
export interface ActiveAssetMessage {
  readonly type: 'activeAsset';
  readonly key?: AssetKeyString;
}

export type HostToWebview = GraphMessage | StatusMessage | RunEventMessage | ActiveAssetMessage;

// ---- webview → host ----

/** The webview's script is loaded and listening; the host posts nothing before this. */
export interface ReadyMessage { readonly type: 'ready' }

/** Open the asset's definition in an editor. */
export interface OpenAssetMessage {
  readonly type: 'open';
  readonly key: AssetKeyString;
}

export type MaterializeScope = 'this' | 'upstream' | 'downstream';

export interface MaterializeMessage {
  readonly type: 'materialize';
  readonly keys: readonly AssetKeyString[];
  readonly scope: MaterializeScope;
}

export interface CopyKeyMessage {
  readonly type: 'copyKey';
  readonly key: AssetKeyString;
}

export type WebviewToHost = ReadyMessage | OpenAssetMessage | MaterializeMessage | CopyKeyMessage;
