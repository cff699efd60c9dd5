// PURE: a DaemonSet's pod (deploy/kubernetes/rcuwalk-daemonset.yaml) as `podman run` flags, so the image test runs
// the container exactly as the manifest says (securityContext, hostPID, mounts, environment, limits). A field this
// does not translate is an error, never ignored: the manifest cannot grow something the image test does not run.

export interface Pod {
  hostPID?: boolean; hostNetwork?: boolean; terminationGracePeriodSeconds?: number;
  containers: Container[]; volumes?: Volume[]; [key: string]: unknown;
}
export interface Container {
  name: string; image: string; args?: string[]; command?: string[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; [key: string]: unknown }[];
  securityContext?: Record<string, unknown>;
  resources?: { limits?: { memory?: string; cpu?: string } };
  readinessProbe?: { httpGet: { path: string; port: string | number } };
  livenessProbe?: { httpGet: { path: string; port: string | number } };
  ports?: { name?: string; containerPort: number }[];
  [key: string]: unknown;
}
export interface Volume { name: string; hostPath?: { path: string }; emptyDir?: { medium?: string; sizeLimit?: string } }

export interface PodmanRun {
  /** flags between `podman run` and the image */
  flags: string[];
  image: string;
  /** the container's arguments (after the image) */
  args: string[];
  /** emptyDir volumes on disk: the directories under `scratch` that must exist */
  scratchDirs: string[];
  /** the HTTP probes as port number and path */
  readiness: { port: number; path: string } | null;
  liveness: { port: number; path: string } | null;
}

// what the pod and container may hold beyond what is translated: scheduling only, no effect on one node's container
const POD_SCHEDULING = new Set(['tolerations', 'priorityClassName', 'nodeSelector', 'affinity', 'serviceAccountName']);
const CONTAINER_IGNORED = new Set(['name', 'imagePullPolicy', 'ports', 'readinessProbe', 'livenessProbe']);

/** Kubernetes quantity (16Mi, 256Mi, 1G, 1024) -> bytes */
export function quantityBytes(q: string): number {
  const m = /^(\d+)(Ki|Mi|Gi|k|M|G)?$/.exec(q);
  if (!m) throw new Error(`pod-args: quantity not understood: ${q}`);
  const unit = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, k: 1e3, M: 1e6, G: 1e9 }[m[2] ?? ''] ?? 1;
  return Number(m[1]) * unit;
}

function securityFlags(sc: Record<string, unknown>): string[] {
  const flags: string[] = [];
  for (const [key, value] of Object.entries(sc)) {
    if (key === 'runAsUser') flags.push(`--user=${value as number}`);
    else if (key === 'privileged') { if (value === true) flags.push('--privileged'); }
    else if (key === 'allowPrivilegeEscalation') { if (value === false) flags.push('--security-opt=no-new-privileges'); }
    else if (key === 'readOnlyRootFilesystem') { if (value === true) flags.push('--read-only', '--read-only-tmpfs=false'); }
    else if (key === 'capabilities') {
      const caps = value as { drop?: string[]; add?: string[] };
      for (const c of caps.drop ?? []) flags.push(`--cap-drop=${c === 'ALL' ? 'all' : `CAP_${c}`}`);
      for (const c of caps.add ?? []) flags.push(`--cap-add=CAP_${c}`);
    } else if (key === 'seccompProfile') {
      const type = (value as { type: string }).type;
      if (type === 'Unconfined') flags.push('--security-opt=seccomp=unconfined');
      else if (type !== 'RuntimeDefault') throw new Error(`pod-args: seccompProfile ${type} is not translated`);
    } else throw new Error(`pod-args: securityContext.${key} is not translated to podman`);
  }
  return flags;
}

function mountFlags(c: Container, volumes: Volume[], scratch: string, scratchDirs: string[]): string[] {
  const flags: string[] = [];
  for (const m of c.volumeMounts ?? []) {
    const extra = Object.keys(m).filter((k) => !['name', 'mountPath', 'readOnly'].includes(k));
    if (extra.length) throw new Error(`pod-args: volumeMounts[${m.name}].${extra[0]} is not translated`);
    const v = volumes.find((x) => x.name === m.name);
    if (!v) throw new Error(`pod-args: volumeMount ${m.name} has no volume`);
    const ro = m.readOnly ? ':ro' : '';
    if (v.hostPath) flags.push(`--volume=${v.hostPath.path}:${m.mountPath}${ro}`);
    else if (v.emptyDir?.medium === 'Memory') {
      const size = v.emptyDir.sizeLimit ? `,size=${quantityBytes(v.emptyDir.sizeLimit)}` : '';
      flags.push(`--tmpfs=${m.mountPath}:rw,mode=1777,notmpcopyup${size}`); // empty, as an emptyDir starts
    } else if (v.emptyDir) {
      const dir = `${scratch}/${v.name}`;
      scratchDirs.push(dir);
      flags.push(`--volume=${dir}:${m.mountPath}${ro}`);
    } else throw new Error(`pod-args: volume ${v.name}: only hostPath and emptyDir are translated`);
  }
  return flags;
}

function httpProbe(c: Container, p: Container['readinessProbe']): { port: number; path: string } | null {
  if (!p) return null;
  const port = typeof p.httpGet.port === 'number' ? p.httpGet.port : c.ports?.find((x) => x.name === p.httpGet.port)?.containerPort;
  if (port === undefined) throw new Error(`pod-args: probe port ${p.httpGet.port} is not a container port`);
  return { port, path: p.httpGet.path };
}

/** The first container of `pod` as podman run flags; disk emptyDirs become directories under `scratch`. */
export function podmanRun(pod: Pod, scratch: string): PodmanRun {
  for (const key of Object.keys(pod)) {
    if (!POD_SCHEDULING.has(key) && !['hostPID', 'hostNetwork', 'terminationGracePeriodSeconds', 'containers', 'volumes'].includes(key)) {
      throw new Error(`pod-args: pod spec ${key} is not translated to podman`);
    }
  }
  if (pod.containers.length !== 1) throw new Error(`pod-args: ${pod.containers.length} containers; one is translated`);
  const c = pod.containers[0]!;
  for (const key of Object.keys(c)) {
    if (!CONTAINER_IGNORED.has(key) && !['image', 'args', 'command', 'env', 'volumeMounts', 'securityContext', 'resources'].includes(key)) {
      throw new Error(`pod-args: container ${key} is not translated to podman`);
    }
  }
  const flags = [pod.hostPID ? '--pid=host' : '--pid=private', pod.hostNetwork ? '--network=host' : '--network=none'];
  if (pod.terminationGracePeriodSeconds !== undefined) flags.push(`--stop-timeout=${pod.terminationGracePeriodSeconds}`);
  flags.push(...securityFlags(c.securityContext ?? {}));
  for (const e of c.env ?? []) {
    if (e.value === undefined) throw new Error(`pod-args: env ${e.name}: only plain values are translated`);
    flags.push(`--env=${e.name}=${e.value}`);
  }
  const scratchDirs: string[] = [];
  flags.push(...mountFlags(c, pod.volumes ?? [], scratch, scratchDirs));
  const limits = c.resources?.limits ?? {};
  if (limits.memory) flags.push(`--memory=${quantityBytes(limits.memory)}`);
  if (limits.cpu) throw new Error('pod-args: resources.limits.cpu is not translated');
  if (c.command) flags.push(`--entrypoint=${JSON.stringify(c.command)}`);
  return {
    flags, image: c.image, args: c.args ?? [], scratchDirs,
    readiness: httpProbe(c, c.readinessProbe), liveness: httpProbe(c, c.livenessProbe),
  };
}
