/**
 * Events: the EventRecorder (name `<object>.<hex>`, repeats counted on one Event) and the
 * events.k8s.io/v1 view of the core/v1 Events the store holds.
 */
import type { ObjectStore } from '../storage.js';
import type { KObj } from '../types.js';

type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const EVENTS = { group: '', resource: 'events' };
const iso = (ms = Date.now()) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const micro = (ms = Date.now()) => new Date(ms).toISOString().replace(/\.(\d+)Z$/, (_, f: string) => `.${f.padEnd(6, '0')}Z`);

/**
 * Event names end in the hex of the creation time in nanoseconds, as client-go's recorder names
 * them; kept strictly increasing so events recorded in the same millisecond still sort (by name,
 * the order lists come in) in the order they happened: Pulling, Pulled, Created, Started.
 */
let lastNanos = 0n;
export function eventNameSuffix(nowMs = Date.now()): string {
  const hr = process.hrtime.bigint() % 1_000_000n;
  let n = BigInt(nowMs) * 1_000_000n + hr;
  if (n <= lastNanos) n = lastNanos + 1n;
  lastNanos = n;
  return n.toString(16);
}

export class EventRecorder {
  /** dedup key → event name, like client-go's EventCorrelator cache. */
  private seen = new Map<string, { ns: string; name: string }>();
  /** aggregate key → distinct messages seen lately (EventAggregator). */
  private similar = new Map<string, { messages: Set<string>; at: number }>();
  constructor(private readonly store: ObjectStore) {}

  record(about: KObj, type: 'Normal' | 'Warning', reason: string, message: string, source?: { component: string; host?: string; fieldPath?: string }): void {
    const ns = about.metadata.namespace || 'default';
    if (!this.store.peek({ group: '', resource: 'namespaces' }, undefined, ns)) return;
    const component = source?.component ?? 'kai-sim';
    const now = Date.now();
    let key = [about.metadata.uid, about.kind, about.metadata.name, ns, reason, message, type, component, source?.host ?? '', source?.fieldPath ?? ''].join('\u0000');
    // client-go's EventAggregator: from the 10th distinct message with the same object, type,
    // reason and source within 10 minutes, one event "(combined from similar events): …" counts them.
    const aggKey = [about.metadata.uid, about.kind, about.metadata.name, ns, reason, type, component, source?.host ?? ''].join('\u0000');
    let agg = this.similar.get(aggKey);
    if (!agg || now - agg.at > 600_000) this.similar.set(aggKey, (agg = { messages: new Set(), at: now }));
    agg.at = now;
    agg.messages.add(message);
    if (agg.messages.size >= 10) {
      agg.messages.delete(agg.messages.values().next().value!);
      message = `(combined from similar events): ${message}`;
      key = `${aggKey}\u0000aggregate`;
    }
    if (this.similar.size > 10_000) this.similar.delete(this.similar.keys().next().value!);
    const prev = this.seen.get(key);
    if (prev) {
      const cur = this.store.peek(EVENTS, prev.ns, prev.name);
      if (cur) {
        const e = structuredClone(cur);
        e.count = (e.count ?? 1) + 1;
        e.lastTimestamp = iso(now);
        e.message = message;
        this.store.update(EVENTS, e);
        return;
      }
    }
    const name = `${about.metadata.name}.${eventNameSuffix(now)}`;
    const ev: KObj = {
      apiVersion: 'v1', kind: 'Event',
      metadata: { name, namespace: ns },
      involvedObject: {
        kind: about.kind, namespace: about.metadata.namespace, name: about.metadata.name, uid: about.metadata.uid,
        apiVersion: about.apiVersion, resourceVersion: about.metadata.resourceVersion,
        // The container an event is about (kubelet's events): `spec.containers{app}`.
        ...(source?.fieldPath ? { fieldPath: source.fieldPath } : {}),
      },
      reason, message, type,
      source: { component, ...(source?.host ? { host: source.host } : {}) },
      firstTimestamp: iso(now), lastTimestamp: iso(now), count: 1,
      eventTime: null, reportingComponent: component, reportingInstance: source?.host ?? '',
    };
    if (!about.metadata.namespace) delete ev.involvedObject.namespace;
    try {
      this.store.create(EVENTS, ev);
      this.seen.set(key, { ns, name });
      if (this.seen.size > 10_000) this.seen.delete(this.seen.keys().next().value!);
    } catch {
      // A failed event never fails the caller, as with the real recorder.
    }
  }
}

/** core/v1 Event → events.k8s.io/v1 Event. */
export function toEventsV1(e: KObj): KObj {
  const count = e.count ?? 1;
  return {
    apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: e.metadata,
    eventTime: e.eventTime ?? (e.firstTimestamp ? micro(Date.parse(e.firstTimestamp)) : micro(Date.parse(e.metadata.creationTimestamp ?? '') || Date.now())),
    ...(count > 1 ? { series: { count, lastObservedTime: micro(Date.parse(e.lastTimestamp ?? '') || Date.now()) } } : {}),
    reportingController: e.reportingComponent || e.source?.component || '',
    reportingInstance: e.reportingInstance || e.source?.host || '',
    ...(e.action ? { action: e.action } : {}),
    reason: e.reason, regarding: e.involvedObject, ...(e.related ? { related: e.related } : {}),
    note: e.message, type: e.type,
    ...(e.source ? { deprecatedSource: e.source } : {}),
    ...(e.firstTimestamp ? { deprecatedFirstTimestamp: e.firstTimestamp } : {}),
    ...(e.lastTimestamp ? { deprecatedLastTimestamp: e.lastTimestamp } : {}),
    ...(e.count ? { deprecatedCount: e.count } : {}),
  };
}

/** events.k8s.io/v1 Event → core/v1 Event (for writes through the new API). */
export function fromEventsV1(e: J): KObj {
  return {
    apiVersion: 'v1', kind: 'Event', metadata: e.metadata ?? {},
    involvedObject: e.regarding ?? {}, ...(e.related ? { related: e.related } : {}),
    reason: e.reason, message: e.note, type: e.type, action: e.action,
    source: e.deprecatedSource ?? { component: e.reportingController ?? '' },
    firstTimestamp: e.deprecatedFirstTimestamp ?? null, lastTimestamp: e.deprecatedLastTimestamp ?? null,
    count: e.series?.count ?? e.deprecatedCount ?? 1,
    eventTime: e.eventTime ?? null, reportingComponent: e.reportingController ?? '', reportingInstance: e.reportingInstance ?? '',
    ...(e.series ? { series: e.series } : {}),
  };
}
