// The learner's terminal preferences, shared by every terminal on the page and kept in this
// browser: font size, and xterm.js's screen reader mode (its output also goes to a live region).
const KEY = 'praxis-terminal-settings';
export const FONT_SIZES = { min: 10, max: 24, default: 14 } as const;

function read(): { fontSize: number; screenReader: boolean } {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '{}') as { fontSize?: unknown; screenReader?: unknown };
    const size = typeof v.fontSize === 'number' ? Math.min(FONT_SIZES.max, Math.max(FONT_SIZES.min, Math.round(v.fontSize))) : FONT_SIZES.default;
    return { fontSize: size, screenReader: v.screenReader === true };
  } catch {
    return { fontSize: FONT_SIZES.default, screenReader: false };
  }
}

export const terminalSettings = $state(read());

function save() {
  try {
    localStorage.setItem(KEY, JSON.stringify(terminalSettings));
  } catch {
    // Private mode: the setting lasts for this page.
  }
}

export function changeFontSize(delta: number): void {
  terminalSettings.fontSize = Math.min(FONT_SIZES.max, Math.max(FONT_SIZES.min, terminalSettings.fontSize + delta));
  save();
}

export function setScreenReaderMode(on: boolean): void {
  terminalSettings.screenReader = on;
  save();
}
