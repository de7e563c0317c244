import type { Config } from '../config.js';
import { AppError } from '../domain/errors.js';
import { megabytes } from './errors.js';

/**
 * Whether an upload may be stored (security review M10). Without a limit one author could fill
 * the disk, after which every write, entries included, fails. Three limits, each 0 for none:
 * a person's own stored uploads (413: this request is too large for what they have left), all
 * uploads together, and the free space that must stay on the upload disk so the database keeps
 * room to write (both 507: the server, not the request, is out of room). A file is charged to the
 * first person who uploaded it, for as long as it is kept; storing bytes that are already stored
 * costs nothing and is never refused. Asked twice per upload: before a byte is read (is there any
 * room at all?) and with the size once the file is in, in the same synchronous step that stores it.
 */
export type UploadQuota = Config['storage']['uploads']['quota'];

/** Bytes already stored: the person's own uploads and everyone's. */
export type UploadUsage = { userBytes: number; totalBytes: number };

/**
 * Throws the refusal when `incomingBytes` more would not fit; without a size, whether there is
 * room for anything at all. `freeDiskBytes` is the upload disk's free space, when known.
 */
export function assertRoom(quota: UploadQuota, usage: UploadUsage, freeDiskBytes: number | undefined, incomingBytes?: number): void {
  const incoming = incomingBytes ?? 1;
  const image = incomingBytes === undefined ? 'another image' : `this image (${megabytes(incomingBytes)})`;
  if (quota.perUserBytes > 0 && usage.userBytes + incoming > quota.perUserBytes) {
    throw new AppError(
      413,
      'upload-quota-exceeded',
      'Upload quota exceeded',
      `Your uploads take ${megabytes(usage.userBytes)} of your ${megabytes(quota.perUserBytes)} quota; ${image} does not fit. Images no entry uses are deleted after a while, or an administrator can raise the quota.`,
      { quotaBytes: quota.perUserBytes, usedBytes: usage.userBytes },
    );
  }
  if (quota.totalBytes > 0 && usage.totalBytes + incoming > quota.totalBytes) {
    throw storageFull(`The server's image storage is full (${megabytes(quota.totalBytes)} in all); ${image} was not stored.`);
  }
  if (quota.minFreeDiskBytes > 0 && freeDiskBytes !== undefined && freeDiskBytes - incoming < quota.minFreeDiskBytes) {
    throw storageFull(`The server's disk is nearly full, so uploads are paused to keep room for entries; ${image} was not stored.`);
  }
}

function storageFull(detail: string): AppError {
  return new AppError(507, 'upload-storage-full', 'Insufficient storage', detail);
}
