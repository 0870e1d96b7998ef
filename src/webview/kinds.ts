// How each asset kind is labelled and drawn: a short word and a 14×14 stroked icon path.
import type { AssetKind } from '../shared/dto';

export interface KindLook {
  /** The word shown on the node and used in its CSS class. */
  readonly label: string;
  /** SVG path data in a 14×14 box, drawn with a stroke and no fill. */
  readonly icon: string;
}

const TABLE = 'M1.5 2.5h11v9h-11z M1.5 5.5h11 M5.5 5.5v6';
const SHEET = 'M3 1.5h5.5l3 3v8h-8.5z M8.5 1.5v3h3 M5 8h4 M5 10.5h4';
const CYLINDER = 'M2.5 3.5a4.5 1.8 0 1 0 9 0a4.5 1.8 0 1 0 -9 0 M2.5 3.5v7a4.5 1.8 0 0 0 9 0v-7 M2.5 7a4.5 1.8 0 0 0 9 0';
const CLOCK = 'M1.5 7a5.5 5.5 0 1 0 11 0a5.5 5.5 0 1 0 -11 0 M7 3.8v3.4l2.3 1.5';
const CODE = 'M5 3.5 1.5 7 5 10.5 M9 3.5 12.5 7 9 10.5';
const EXTERNAL = 'M8 1.5h4.5v4.5 M12.5 1.5 7 7 M10.5 8.5v4h-9v-9h4';
const CHART = 'M1.5 12.5h11 M3.5 12.5v-4 M7 12.5v-8 M10.5 12.5v-6';
const STACK = 'M1.5 4.5 7 1.8l5.5 2.7L7 7.2z M1.5 7.2 7 9.9l5.5-2.7 M1.5 9.9 7 12.6l5.5-2.7';

const LOOKS: Record<AssetKind | 'group', KindLook> = {
  model: { label: 'model', icon: TABLE },
  seed: { label: 'seed', icon: SHEET },
  source: { label: 'source', icon: CYLINDER },
  snapshot: { label: 'snapshot', icon: CLOCK },
  python: { label: 'python', icon: CODE },
  // A Python asset whose body is SQL is still a Python asset to the user who wrote it.
  sql_python: { label: 'python', icon: CODE },
  external: { label: 'external', icon: EXTERNAL },
  // A dbt exposure (dashboard, notebook): where the data is used, drawn as a chart.
  exposure: { label: 'exposure', icon: CHART },
  // A collapsed cluster: a Dagster group or a dbt project drawn as one node.
  group: { label: 'group', icon: STACK },
};

/** The look of a kind; an unknown kind from a newer server is drawn as external. */
export function kindLook(kind: AssetKind | 'group'): KindLook {
  return LOOKS[kind] ?? LOOKS.external;
}
