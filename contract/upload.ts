import { z } from 'zod';

/** A smaller copy of an uploaded image (480, 960, 1600 px wide; WebP and the original's format). */
export const uploadRendition = z.object({ url: z.string(), width: z.number(), height: z.number(), mimeType: z.string() });

/** `POST /api/uploads` (multipart field `file`). `width`/`height` are as shown (EXIF orientation applied). */
export const uploadOutput = z.object({
  url: z.string(),
  fileName: z.string(),
  mimeType: z.string(),
  size: z.number(),
  markdown: z.string(),
  width: z.number().nullable(),
  height: z.number().nullable(),
  renditions: z.array(uploadRendition),
});
export type Upload = z.infer<typeof uploadOutput>;
export type UploadRendition = z.infer<typeof uploadRendition>;
