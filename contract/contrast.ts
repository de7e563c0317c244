/**
 * Colour contrast (WCAG 2.x) for the site's accent: text in the accent colour (the live status,
 * errors) and text on it (buttons: `--on-accent`, white or the dark background) must read at
 * 4.5:1 on every surface it sits on, in the light and the dark theme: the page (`--bg`) and the
 * boxes (`--panel`: cards, key moments). Those are client/styles.css's colours (a unit test keeps
 * them in step).
 *
 * It imports nothing, so the newsroom's branding page checks as you type with the very rule the
 * server refuses with (PUT /api/site: 422 `accent-contrast`).
 */

export const SURFACES = {
  light: { background: '#fdfdfc', panel: '#f3f3f1' },
  dark: { background: '#151517', panel: '#1f1f23' },
} as const;
export type Theme = keyof typeof SURFACES;
/** The accent client/styles.css uses when the branding sets none. */
export const BUILT_IN_ACCENT = { light: '#c8102e', dark: '#ff6b7d' } as const;
/** WCAG 2.x AA for normal text. */
export const MIN_CONTRAST = 4.5;

function channels(hex: string): [number, number, number] {
  return [1, 3, 5].map((offset) => parseInt(hex.slice(offset, offset + 2), 16)) as [number, number, number];
}

/** Relative luminance of #rrggbb. */
export function luminance(hex: string): number {
  const [r, g, b] = channels(hex).map((value) => {
    const c = value / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** The lowest contrast of `colour` on the theme's surfaces, and the surface that gives it. */
export function worstContrast(colour: string, theme: Theme): { ratio: number; surface: string } {
  return Object.values(SURFACES[theme])
    .map((surface) => ({ ratio: contrastRatio(colour, surface), surface }))
    .reduce((worst, next) => (next.ratio < worst.ratio ? next : worst));
}

/** A ratio as people read it: 4.49 is "4.49:1", never rounded up to a pass. */
export function formatRatio(ratio: number): string {
  return `${Math.floor(ratio * 100) / 100}:1`;
}

function mix(hex: string, toward: string, amount: number): string {
  const from = channels(hex);
  const to = channels(toward);
  return `#${from.map((value, index) => Math.round(value + (to[index]! - value) * amount).toString(16).padStart(2, '0')).join('')}`;
}

/**
 * The accent's dark-background variant: the accent itself when it already reads at 4.5:1 on the
 * dark background, else the accent lightened (mixed with white) in small steps until it does.
 * White reads at 18:1 there, so it always ends.
 */
export function deriveDarkAccent(accent: string): string {
  for (let step = 0; step <= 20; step++) {
    const candidate = mix(accent, '#ffffff', step / 20);
    if (worstContrast(candidate, 'dark').ratio >= MIN_CONTRAST) return candidate;
  }
  return '#ffffff';
}
