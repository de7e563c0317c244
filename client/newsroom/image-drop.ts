import { element } from './dom.js';
import { askImageDetails, imageMarkdown } from './image-details.js';
import { uploadImage } from './uploads.js';

/**
 * Images into the entry box: pasted, dropped or picked with the "Add image" button. Each is
 * uploaded at once; the composer then asks for its alt text, caption and credit (image-details.ts)
 * and inserts the Markdown at the cursor, on a line of its own.
 */
export function setupImageDrop(textarea: HTMLTextAreaElement, status: HTMLElement, inserted: () => void): void {
  const insertImage = async (file: File) => {
    status.textContent = `Uploading ${file.name}…`;
    status.className = '';
    try {
      const upload = await uploadImage(file);
      status.textContent = 'Uploaded: describe the image';
      const at = textarea.selectionStart ?? textarea.value.length;
      const end = textarea.selectionEnd ?? at;
      const details = await askImageDetails(upload, file.name);
      if (!details) {
        status.textContent = 'Image not added';
        textarea.focus();
        return;
      }
      const markdown = imageMarkdown(upload.url, details);
      textarea.setRangeText(`${at > 0 && !textarea.value.slice(0, at).endsWith('\n') ? '\n' : ''}${markdown}\n`, at, end, 'end');
      status.textContent = 'Image added';
      inserted();
    } catch (error) {
      status.textContent = `Upload failed: ${error instanceof Error ? error.message : String(error)}`;
      status.className = 'error';
    }
    textarea.focus();
  };
  textarea.addEventListener('paste', (event) => {
    const file = [...(event.clipboardData?.files ?? [])][0];
    if (file) {
      event.preventDefault();
      void insertImage(file);
    }
  });
  textarea.addEventListener('dragover', (event) => event.preventDefault());
  textarea.addEventListener('drop', (event) => {
    const file = [...(event.dataTransfer?.files ?? [])][0];
    if (file) {
      event.preventDefault();
      void insertImage(file);
    }
  });
  const picker = element('input', { type: 'file', accept: 'image/png,image/jpeg,image/gif,image/webp', id: 'image-picker', className: 'visually-hidden' });
  const pickerLabel = element('label', { htmlFor: 'image-picker', className: 'button' }, 'Add image');
  picker.addEventListener('change', () => {
    const file = picker.files?.[0];
    if (file) void insertImage(file);
    picker.value = '';
  });
  status.before(picker, pickerLabel, ' ');
}
