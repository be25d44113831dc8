/** A pane that takes over the keyboard until it closes (palette, preview, chat…). Panes import this, never the cockpit. */
import type blessed from 'blessed';
import type { Theme } from '../theme.js';

export interface ModalPane {
  element: blessed.Widgets.BlessedElement;
  /** Returns true when it used the key; esc closes the modal when it does not. */
  handleKey(full: string, ch: string | undefined): boolean;
  paint?(theme: Theme): void;
  onClose?(): void;
  hints?: string;
}
