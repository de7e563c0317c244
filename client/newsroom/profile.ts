import { removeAvatar, saveProfile, uploadAvatar } from '../api-client.js';
import type { Profile } from '../../contract/index.js';
import { errorText } from './notices.js';

/**
 * /admin/profile (issue 17): saves the display name and role title, uploads the avatar (the
 * server crops it square) or removes it, and says what happened in the status line.
 */
export function startProfile(): void {
  const form = document.querySelector<HTMLFormElement>('#profile-form')!;
  const status = document.querySelector<HTMLElement>('#profile-status')!;
  const file = document.querySelector<HTMLInputElement>('#profile-avatar-file')!;
  const remove = document.querySelector<HTMLButtonElement>('#profile-avatar-remove')!;
  const shown = document.querySelector<HTMLElement>('#profile-avatar')!;

  const showAvatar = (profile: Profile) => {
    if (profile.avatar) {
      const image = document.createElement('img');
      image.src = profile.avatar;
      image.alt = 'Your avatar';
      image.width = 96;
      image.height = 96;
      image.className = 'profile-avatar';
      shown.replaceChildren(image);
    } else {
      const none = document.createElement('span');
      none.className = 'muted';
      none.textContent = 'No avatar yet.';
      shown.replaceChildren(none);
    }
    remove.hidden = !profile.avatar;
  };
  const attempt = async (what: string, action: () => Promise<Profile>) => {
    status.textContent = `${what}…`;
    try {
      showAvatar(await action());
      status.textContent = `${what}: done.`;
    } catch (error) {
      status.textContent = `${what} failed: ${errorText(error)}`;
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    void attempt('Saving', () => saveProfile({ displayName: String(data.get('displayName') ?? ''), jobTitle: String(data.get('jobTitle') ?? '') }));
  });
  file.addEventListener('change', () => {
    const chosen = file.files?.[0];
    if (chosen) void attempt('Uploading the avatar', () => uploadAvatar(chosen));
    file.value = '';
  });
  remove.addEventListener('click', () => void attempt('Removing the avatar', () => removeAvatar()));
}
