// The terminal's dark palette (xterm.js ITheme), readable on the page's dark background.
import type { ITerminalOptions, ITheme } from '@xterm/xterm';

export const darkTheme: ITheme = {
  background: '#0b0d11',
  foreground: '#d7dae0',
  cursor: '#5fb3f9',
  cursorAccent: '#0b0d11',
  selectionBackground: '#2f3b52',
  black: '#1c1f26',
  red: '#f07178',
  green: '#5fd68a',
  yellow: '#f2c14e',
  blue: '#5fb3f9',
  magenta: '#c792ea',
  cyan: '#89ddff',
  white: '#d7dae0',
  brightBlack: '#5c6370',
  brightRed: '#ff8b92',
  brightGreen: '#7ee2a0',
  brightYellow: '#ffd479',
  brightBlue: '#82c4ff',
  brightMagenta: '#d7a9f5',
  brightCyan: '#a6e7ff',
  brightWhite: '#ffffff',
};

/** How every terminal on the page looks: the live ones and the replay player. */
export const terminalLook: ITerminalOptions = {
  theme: darkTheme,
  fontFamily: "'DejaVu Sans Mono', 'Menlo', 'Consolas', monospace",
  fontSize: 14,
  // At line height 1.0 the DOM renderer clips the underscore under DejaVu Sans Mono
  // (`ip_forward` read as `ip forward`); a little leading keeps it visible.
  lineHeight: 1.2,
  scrollback: 5000,
};
