/**
 * Describe and YAML views of one object. The text is rebuilt from the cache at every paint,
 * so the view is live; a deleted object stays readable with a note. Secret values stay
 * `<hidden>` until `reveal` shows one key (the next press shows the next key instead).
 */
import type blessed from 'blessed';
import type { KubeObject } from '../../kube/types.js';
import { describe } from '../describe.js';
import { highlightYaml, objectYaml, secretKeys } from '../yamlview.js';
import { paint } from '../theme.js';
import { escapeTags, fit, sanitize, sanitizePlain } from '../sanitize.js';
import { ListPane, type PaintInfo } from './list.js';

export type DetailMode = 'describe' | 'yaml';

export interface DetailSource {
  /** The object now (undefined when it is gone). */
  object(): KubeObject | undefined;
  kind: string;
  label: string;
  events(): Iterable<KubeObject>;
}

export class DetailPane extends ListPane {
  mode: DetailMode = 'describe';
  source: DetailSource | undefined;
  private last: KubeObject | undefined;
  private lines: string[] = [];
  private revealIndex = -1;

  constructor(screen: blessed.Widgets.Screen) {
    super('detail', screen);
  }

  show(source: DetailSource | undefined, mode: DetailMode): void {
    const same = source && this.source && source.label === this.source.label && mode === this.mode;
    this.source = source;
    this.mode = mode;
    if (!same) {
      this.cursor = 0;
      this.offset = 0;
      this.revealIndex = -1;
      this.last = undefined;
    }
    this.requestPaint();
  }

  revealedKey(): string | undefined {
    const o = this.source?.object() ?? this.last;
    if (!o || this.revealIndex < 0) return undefined;
    return secretKeys(o)[this.revealIndex];
  }

  /** Reveals the next secret key (one at a time); returns a message for the status bar. */
  revealNext(): string {
    const o = this.source?.object() ?? this.last;
    const keys = o ? secretKeys(o) : [];
    if (this.mode !== 'yaml' || keys.length === 0) return 'reveal works in the YAML view of a Secret';
    this.revealIndex = this.revealIndex + 1 >= keys.length ? -1 : this.revealIndex + 1;
    this.requestPaint();
    return this.revealIndex < 0 ? 'all secret values hidden' : `revealed '${keys[this.revealIndex]}' (press again for the next key)`;
  }

  private build(now: number): void {
    const src = this.source;
    if (!src) {
      this.lines = [];
      return;
    }
    const live = src.object();
    if (live) this.last = live;
    const o = live ?? this.last;
    if (!o) {
      this.lines = ['(the object no longer exists)'];
      return;
    }
    const body = this.mode === 'describe' ? describe(o, src.kind, src.events(), now) : objectYaml({ ...o, kind: o.kind ?? src.kind }, this.revealedKey());
    this.lines = live ? body : ['# deleted: this is the last state seen', ...body];
  }

  count(): number {
    return this.lines.length;
  }

  title(): string {
    if (!this.source) return this.mode;
    return `${this.mode}: ${this.source.label}${this.source.object() ? '' : ' (deleted)'}`;
  }

  hints(): string {
    return this.mode === 'yaml' ? 'esc:back j/k/pgdn:scroll x:reveal secret value d:describe' : 'esc:back j/k/pgdn:scroll y:yaml';
  }

  protected override emptyText(): string {
    return this.source ? '' : 'select an object to describe it';
  }

  override paint(info: PaintInfo): void {
    this.build(info.now);
    super.paint(info);
  }

  // The cursor is the top line: a text view scrolls, it has no row selection.
  protected override clamp(): [number, number] {
    const vis = this.visibleRows();
    this.cursor = Math.max(0, Math.min(this.cursor, Math.max(0, this.lines.length - vis)));
    this.offset = this.cursor;
    return [this.offset, Math.min(this.lines.length, this.offset + vis)];
  }

  override move(delta: number): boolean {
    this.cursor = Math.max(0, this.cursor + delta);
    return true;
  }

  protected line(i: number, width: number, info: PaintInfo): string {
    const raw = this.lines[i]!;
    if (this.mode === 'yaml') {
      // Cut first (on the plain text), then highlight the cut line.
      const cut = fit(sanitizePlain(raw), width, false);
      return highlightYaml(cut, info.theme);
    }
    const plain = fit(sanitizePlain(raw), width, false);
    const m = /^([A-Z][A-Za-z -]*:)(.*)$/.exec(plain);
    if (m) return paint(info.theme, 'yamlKey', escapeTags(m[1]!)) + escapeTags(m[2]!);
    return sanitize(plain);
  }

  override paintSelection(): boolean {
    return false;
  }
}
