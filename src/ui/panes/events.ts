/**
 * The events stream: live Warning/Normal events of the current namespace, newest first, or
 * only those of the selected object (enter toggles the scope).
 */
import type blessed from 'blessed';
import type { KubeObject } from '../../kube/types.js';
import { objectKey } from '../rows.js';
import { TablePane } from './table.js';

export class EventsPane extends TablePane {
  /** The object the pane follows in "object" scope. */
  private followed: KubeObject | undefined;
  objectScope = false;
  /** The newest row the person has seen while away from the top; rows above it are new. */
  private seenTop: string | undefined;
  /** Events that arrived above while the person was scrolled away ("N new ↑"). */
  newAbove = 0;

  constructor(screen: blessed.Widgets.Screen) {
    super(screen, 'events');
    this.sort = { column: 'LAST SEEN', reverse: false };
  }

  follow(o: KubeObject | undefined): void {
    this.followed = o;
    if (this.objectScope) this.applyScope();
  }

  toggleScope(): void {
    this.objectScope = !this.objectScope;
    this.applyScope();
  }

  private applyScope(): void {
    const o = this.followed;
    if (!this.objectScope || !o) {
      this.setScope(undefined);
      return;
    }
    const uid = o.metadata.uid;
    const label = `${(o.kind ?? 'object').toLowerCase()}/${o.metadata.name}`;
    this.setScope({
      label,
      make: () => (e) => {
        const io = e.involvedObject ?? e.regarding ?? {};
        return uid && io.uid ? io.uid === uid : io.name === o.metadata.name && io.kind === o.kind;
      },
    });
  }

  /**
   * Newest first, and the pane stays at the top while the person is there: new events appear
   * above and the cursor stays on the newest. Scrolled away, the selection stays put and the
   * title counts what arrived above.
   */
  override refresh(now = Date.now()): void {
    const atTop = this.cursor === 0;
    if (atTop || this.seenTop === undefined) {
      const top = this.rows.at(0);
      this.seenTop = top ? objectKey(top) : undefined;
    }
    super.refresh(now);
    if (atTop) {
      if (this.cursor !== 0) { this.cursor = 0; this.offset = 0; this.cursorMoved(); }
      this.newAbove = 0;
      const top = this.rows.at(0);
      this.seenTop = top ? objectKey(top) : undefined;
      return;
    }
    const i = this.seenTop === undefined ? -1 : this.rows.indexOfKey(this.seenTop);
    this.newAbove = Math.max(0, i);
  }

  override title(): string {
    const c = this.collection;
    const where = this.objectScope && this.scope ? this.scope.label : c?.namespace ? `namespace ${c.namespace}` : 'all namespaces';
    const warn = this.rows.slice(0, this.rows.length).filter((e) => e.type === 'Warning').length;
    return `events: ${where} [${this.rows.length}${warn ? `, ${warn} warning` : ''}]${this.newAbove ? ` ${this.newAbove} new ↑` : ''}${this.filterText ? ` /${this.filterText}` : ''}`;
  }

  override hints(): string {
    return 'enter:namespace↔selected object /:filter o:sort j/k:scroll tab:next pane';
  }

  override handleTableAction(action: string): boolean {
    if (action === 'drill') {
      this.toggleScope();
      return true;
    }
    if (action === 'mark' || action === 'clearMarks') return true;
    return super.handleTableAction(action);
  }
}
