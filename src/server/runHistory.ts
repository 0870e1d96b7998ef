// The run history request over every folder: each folder's store read a page at a time and the
// pages merged newest first. A store another process holds for long is a failure that says so.
import { join } from 'node:path';
import type { RunHistoryResult } from '../shared/protocol';
import { metadataFile } from '../core/warehouse';
import { defaultHistoryPage, mergePages, readRunHistory } from '../adapters/runHistory';
import type { Folder } from './workspace';
import { fail, messageOf, ok, type Result } from './result';

export async function runHistory(folders: readonly Folder[], limit = defaultHistoryPage, before?: string): Promise<Result<RunHistoryResult>> {
  try {
    const pages = await Promise.all(folders.map(async (f) => {
      const page = await readRunHistory(join(f.root, metadataFile), limit, before);
      return folders.length > 1 ? { ...page, runs: page.runs.map((r) => ({ ...r, folder: f.name })) } : page;
    }));
    return ok(mergePages(pages, limit));
  } catch (e) {
    return fail(`The run history could not be read: ${messageOf(e)}`);
  }
}
