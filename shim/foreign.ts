/**
 * Pods of other schedulers (and static pods) take room on their node: the core counts it as occupied,
 * so drover never places a pod where kube-scheduler (or anyone) already filled the node.
 */
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { AllocationKey } from '../core/port.js';
import { addInPlace } from '../core/resources/resource.js';
import type { MutableResource, Resource } from '../core/resources/resource.js';
import type { Scheduler } from '../core/scheduler/scheduler.js';
import { nodeInfo, podKey, podResources } from './convert.js';

export class ForeignPods {
  private readonly byNode = new Map<string, Map<AllocationKey, Resource>>();

  constructor(
    private readonly scheduler: Scheduler,
    private readonly nodes: ReadonlyMap<string, V1Node>,
  ) {}

  /** Tell the core about a node, with what other schedulers' pods occupy on it. */
  sendNode(name: string, first: boolean): void {
    const node = this.nodes.get(name);
    if (node === undefined) return;
    const occupied: MutableResource = {};
    for (const r of this.byNode.get(name)?.values() ?? []) addInPlace(occupied, r);
    const info = { ...nodeInfo(node), occupied };
    if (first) this.scheduler.addNode(info);
    else this.scheduler.updateNode(info);
  }

  /** A pod that is not drover's was added, changed or deleted. */
  change(pod: V1Pod, deleted: boolean): void {
    const key = podKey(pod);
    const node = pod.spec?.nodeName ?? '';
    const finished = deleted || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    for (const [name, onNode] of this.byNode) {
      if (onNode.delete(key) && name !== node) this.sendNode(name, false);
    }
    if (node === '' || finished) {
      this.sendNode(node, false);
      return;
    }
    let onNode = this.byNode.get(node);
    if (onNode === undefined) {
      onNode = new Map();
      this.byNode.set(node, onNode);
    }
    onNode.set(key, podResources(pod));
    this.sendNode(node, false);
  }
}
