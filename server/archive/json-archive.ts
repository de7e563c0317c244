import { ARCHIVE_FORMAT, ARCHIVE_VERSION, jsonArchive, type JsonArchive, type PollResultRow, type PostDump } from '../../contract/index.js';

/**
 * The JSON archive format: every row of one post, exactly as stored (the schema of each row is
 * in contract/archive.ts). Exporting validates the dump against that schema, so an export is
 * always a file the import accepts.
 */
export function toJsonArchive(dump: PostDump & { polls?: PollResultRow[] }, exportedAt: string): JsonArchive {
  return jsonArchive.parse({ format: ARCHIVE_FORMAT, version: ARCHIVE_VERSION, exportedAt, ...dump });
}
