/**
 * How executor tests find the local Slurm clusters started by scripts/services-up.sh, and what they do when a
 * cluster is not reachable: skip with a how-to elsewhere, fail under CI=true (CI must run them).
 */
import { describe, it } from 'vitest';
import { slurmPing } from '../slurm/slurm-cli.js';

const ROOT = process.env.HETAO_SLURM_ROOT ?? '/tmp/hetao-slurm';

export interface TestCluster {
  readonly name: 'sz' | 'hk';
  readonly conf: string;
  readonly root: string;
}

export function testCluster(name: 'sz' | 'hk'): TestCluster {
  const conf = process.env[`HETAO_SLURM_${name.toUpperCase()}_CONF`] ?? `${ROOT}/${name}/etc/slurm.conf`;
  return { name, conf, root: conf.replace(/\/etc\/slurm\.conf$/, '') };
}

/**
 * Registers `body` as a describe block if the cluster answers `scontrol ping`; otherwise registers a failing test
 * (CI) or a skipped block whose name says how to enable it.
 */
export async function describeWithSlurm(title: string, cluster: TestCluster, body: () => void): Promise<void> {
  if (await slurmPing(cluster.conf)) {
    describe(title, body);
    return;
  }
  const why = `Slurm cluster ${cluster.name} is not reachable (SLURM_CONF=${cluster.conf} scontrol ping failed)`;
  const how = 'start it with `sudo scripts/services-up.sh slurm`';
  if (process.env.CI === 'true') {
    describe(title, () =>
      it('needs a reachable Slurm cluster', () => {
        throw new Error(`${why}; CI must run the Slurm tests: ${how}`);
      }),
    );
    return;
  }
  console.warn(`skipping "${title}": ${why}; ${how}`);
  describe.skip(`${title} (skipped: ${why}; ${how})`, body);
}
