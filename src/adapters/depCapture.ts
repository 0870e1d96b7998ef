// Finds a model's refs and sources by rendering it, as dbt does at parse time, for the models the
// static fast path cannot be sure of (non-literal arguments, refs made inside project or package
// macros). ref() and source() record what they are asked for and print a placeholder relation.
import type { DbtProject } from '../core/graph';
import type { CapturedDeps } from '../core/dbt/dbtProject';
import { DbtRenderer, relationRef } from './jinja';
import { messageOf } from '../core/text';

export function captureDeps(project: DbtProject, path: string, text: string): CapturedDeps {
  const refs: { name: string; package?: string }[] = [];
  const sources: { source: string; table: string }[] = [];
  try {
    DbtRenderer.for(project.macros).render(path, text, {
      ref: (name, pkg) => { refs.push({ name, ...(pkg ? { package: pkg } : {}) }); return relationRef({ schema: project.targetSchema, identifier: name }); },
      source: (source, table) => { sources.push({ source, table }); return relationRef({ schema: source, identifier: table }); },
      vars: project.vars,
      target: { name: project.targetName, schema: project.targetSchema, type: 'duckdb' },
      // dbt parses with is_incremental() false; the fast path still sees refs written in either branch.
      isIncremental: false,
    });
    return { refs, sources };
  } catch (e) {
    return { refs, sources, error: messageOf(e) };
  }
}
