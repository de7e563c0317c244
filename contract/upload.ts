import { z } from 'zod';

/** `POST /api/uploads` (multipart field `file`). */
export const uploadOutput = z.object({ url: z.string(), fileName: z.string(), mimeType: z.string(), size: z.number(), markdown: z.string() });
export type Upload = z.infer<typeof uploadOutput>;
