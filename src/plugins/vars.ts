/**
 * The variables a plugin sees: $CONTEXT, $CLUSTER, $KUBECONFIG, $NAMESPACE, $NAME, $KIND,
 * $RESOURCE, $SELECTED (the marked rows' names, or the selected one), $SELECTED_REFS
 * (namespace/name of each), $COUNT.
 *
 * Shell plugins get them as environment variables (the command's text is never rewritten, so
 * a name from the cluster cannot inject shell syntax: quote "$NAME" as usual). Plan templates
 * are the palette's language, so there they are substituted — but only values that are plain
 * Kubernetes names; anything else refuses the plugin run.
 */
import { delimiter } from 'node:path';

export interface PluginTarget {
  context: string;
  cluster?: string;
  kubeconfigFiles: string[];
  /** The namespace shown (the selected object's own namespace wins for NAMESPACE). */
  namespace?: string;
  kind?: { kind: string; resource: string; group: string };
  /** The selected object first, or the marked rows. */
  objects: Array<{ metadata: { name: string; namespace?: string } }>;
}

export const PLUGIN_VARIABLES = ['CONTEXT', 'CLUSTER', 'KUBECONFIG', 'NAMESPACE', 'NAME', 'KIND', 'RESOURCE', 'SELECTED', 'SELECTED_REFS', 'COUNT'] as const;

export function pluginVars(t: PluginTarget): Record<string, string> {
  const first = t.objects[0];
  return {
    CONTEXT: t.context,
    CLUSTER: t.cluster ?? '',
    KUBECONFIG: t.kubeconfigFiles.join(delimiter),
    NAMESPACE: first?.metadata.namespace ?? t.namespace ?? '',
    NAME: first?.metadata.name ?? '',
    KIND: t.kind?.kind ?? '',
    RESOURCE: t.kind ? `${t.kind.resource}${t.kind.group ? `.${t.kind.group}` : ''}` : '',
    SELECTED: t.objects.map((o) => o.metadata.name).join(' '),
    SELECTED_REFS: t.objects.map((o) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name)).join(' '),
    COUNT: String(t.objects.length),
  };
}

/** A value fit for the palette's command line: names, namespaces, kinds, contexts (no spaces or quotes). */
const SAFE = /^[A-Za-z0-9._:/@-]*$/;

export class TemplateError extends Error {}

/** `$NAME` / `${NAME}` in a plan template → the value; unknown variables and unsafe values refuse. */
export function expandTemplate(template: string, vars: Record<string, string>): string {
  return template.replace(/\$(?:\{([A-Z_]+)\}|([A-Z_]+))/g, (_m, a: string | undefined, b: string | undefined) => {
    const name = (a ?? b)!;
    const v = vars[name];
    if (v === undefined) throw new TemplateError(`unknown variable $${name} (known: ${PLUGIN_VARIABLES.map((x) => '$' + x).join(', ')})`);
    const parts = name === 'SELECTED' || name === 'SELECTED_REFS' ? v.split(' ') : [v];
    for (const p of parts) if (!SAFE.test(p)) throw new TemplateError(`$${name} is not a plain name (${JSON.stringify(p.slice(0, 40))}); refusing to put it in a command`);
    if (!v && name !== 'CLUSTER') throw new TemplateError(`$${name} is empty here (select an object first)`);
    return v;
  });
}
