/**
 * Several embedded clusters in one process, for the fleet view: each its own HTTPS server
 * (own port, CA, token, release, size and faults), and one kubeconfig with a context per cluster.
 */
import YAML from 'yaml';
import { startSim, type RunningSim, type SimOptions } from './index.js';
import { writeKubeconfigFile } from './kubeconfig.js';
import { fleetProfiles, loadFleetMember, type FleetProfile } from './scenarios/fleet.js';

export interface FleetMember {
  profile: FleetProfile;
  sim: RunningSim;
}

export interface RunningFleet {
  members: FleetMember[];
  /** One kubeconfig, a context per cluster; the first is current. */
  kubeconfigYaml(): string;
  writeKubeconfig(path: string): void;
  stop(): Promise<void>;
}

export async function startSimFleet(n: number, opts: Omit<SimOptions, 'scenario' | 'nodes' | 'version'> = {}): Promise<RunningFleet> {
  const members: FleetMember[] = [];
  try {
    for (const profile of fleetProfiles(n)) {
      const sim = await startSim({ ...opts, scenario: profile.scenario, nodes: profile.nodes, version: profile.version });
      members.push({ profile, sim });
      loadFleetMember(sim.ctx, profile);
    }
  } catch (e) {
    await Promise.all(members.map((m) => m.sim.stop()));
    throw e;
  }
  const yaml = () => mergeKubeconfigs(members.map((m) => YAML.parse(m.sim.kubeconfigYaml(m.profile.name))));
  return {
    members,
    kubeconfigYaml: yaml,
    writeKubeconfig: (path) => writeKubeconfigFile(path, yaml()),
    stop: async () => {
      await Promise.all(members.map((m) => m.sim.stop()));
    },
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function mergeKubeconfigs(docs: any[]): string {
  return YAML.stringify({
    apiVersion: 'v1', kind: 'Config',
    clusters: docs.flatMap((d) => d.clusters), users: docs.flatMap((d) => d.users), contexts: docs.flatMap((d) => d.contexts),
    'current-context': docs[0]?.['current-context'] ?? '', preferences: {},
  });
}
