/**
 * Resources served in a second shape over the same stored objects: events.k8s.io/v1 Events
 * (stored as core/v1 Events) and autoscaling/v1 HorizontalPodAutoscalers (stored as
 * autoscaling/v2; `kubectl autoscale` creates through v1).
 */
import type { KObj } from '../types.js';
import type { ResourceType } from '../registry/types.js';
import { fromEventsV1, toEventsV1 } from './events.js';

type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Conversion {
  toView(stored: KObj): KObj;
  toStorage(view: J): KObj;
}

function hpaToV1(o: KObj): KObj {
  const spec = o.spec ?? {};
  const cpu = (spec.metrics ?? []).find((m: J) => m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.target?.type === 'Utilization');
  const st = o.status ?? {};
  const curCpu = (st.currentMetrics ?? []).find((m: J) => m.type === 'Resource' && m.resource?.name === 'cpu');
  return {
    ...o, apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler',
    spec: {
      scaleTargetRef: spec.scaleTargetRef, ...(spec.minReplicas !== undefined ? { minReplicas: spec.minReplicas } : {}), maxReplicas: spec.maxReplicas,
      ...(cpu ? { targetCPUUtilizationPercentage: cpu.resource.target.averageUtilization } : {}),
    },
    ...(o.status ? {
      status: {
        ...(st.observedGeneration !== undefined ? { observedGeneration: st.observedGeneration } : {}),
        ...(st.lastScaleTime ? { lastScaleTime: st.lastScaleTime } : {}),
        currentReplicas: st.currentReplicas ?? 0, desiredReplicas: st.desiredReplicas ?? 0,
        ...(curCpu?.resource?.current?.averageUtilization !== undefined ? { currentCPUUtilizationPercentage: curCpu.resource.current.averageUtilization } : {}),
      },
    } : {}),
  };
}

function hpaFromV1(o: J): KObj {
  const spec = o.spec ?? {};
  const out: KObj = {
    ...o, apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler',
    spec: {
      scaleTargetRef: spec.scaleTargetRef, ...(spec.minReplicas !== undefined ? { minReplicas: spec.minReplicas } : {}), maxReplicas: spec.maxReplicas,
      // v1 without a target means "80% CPU", as the apiserver converts it.
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage ?? 80 } } }],
    },
  };
  if (o.status) {
    out.status = {
      ...(o.status.observedGeneration !== undefined ? { observedGeneration: o.status.observedGeneration } : {}),
      ...(o.status.lastScaleTime ? { lastScaleTime: o.status.lastScaleTime } : {}),
      currentReplicas: o.status.currentReplicas ?? 0, desiredReplicas: o.status.desiredReplicas ?? 0,
    };
  }
  return out;
}

const CONVERSIONS: Record<string, Conversion> = {
  'events.k8s.io/v1/events': { toView: toEventsV1, toStorage: fromEventsV1 },
  'autoscaling/v1/horizontalpodautoscalers': { toView: hpaToV1, toStorage: hpaFromV1 },
};

export function conversionFor(rt: ResourceType): Conversion | undefined {
  return rt.storage || rt.group === 'autoscaling' ? CONVERSIONS[`${rt.group}/${rt.version}/${rt.plural}`] : undefined;
}
