// What the warehouse holds, read once per run: catalog queries cost milliseconds each and grow
// with the number of tables, which would dominate a run of many small models. The run owns the
// warehouse file while it runs, so its own writes are the only changes to record here.
import type { Relation } from '../core/model';
import type { DuckDb } from './duckdb';

export type RelationKind = 'table' | 'view';

export class Catalog {
  private constructor(private readonly kinds: Map<string, RelationKind>, private readonly schemas: Set<string>) {}

  static async load(db: DuckDb): Promise<Catalog> {
    const rows = await db.query(
      `SELECT schema_name, table_name AS name, 'table' AS kind FROM duckdb_tables() WHERE database_name = current_database() AND NOT temporary
       UNION ALL SELECT schema_name, view_name, 'view' FROM duckdb_views() WHERE database_name = current_database() AND NOT internal AND NOT temporary`);
    const schemas = await db.query('SELECT schema_name FROM duckdb_schemas() WHERE database_name = current_database()');
    return new Catalog(
      new Map(rows.map((r) => [key({ schema: String(r.schema_name), identifier: String(r.name) }), r.kind as RelationKind])),
      new Set(schemas.map((r) => String(r.schema_name))),
    );
  }

  kindOf(r: Pick<Relation, 'schema' | 'identifier'>): RelationKind | undefined {
    return this.kinds.get(key(r));
  }

  hasSchema(schema: string): boolean {
    return this.schemas.has(schema);
  }

  /** Records a schema created before the steps run. */
  addSchema(schema: string): void {
    this.schemas.add(schema);
  }

  /** Records a committed write (undefined: the relation was dropped). */
  set(r: Pick<Relation, 'schema' | 'identifier'>, kind: RelationKind | undefined): void {
    this.schemas.add(r.schema);
    if (kind) this.kinds.set(key(r), kind);
    else this.kinds.delete(key(r));
  }
}

const key = (r: Pick<Relation, 'schema' | 'identifier'>): string => `${r.schema}\0${r.identifier}`;
