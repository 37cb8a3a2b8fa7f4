/** The cloud a server or worker distributes on, when it is not the embedded simulator. */
import { AlibabaEcsProvider } from '../cloud/alibaba/ecs-provider.ts';
import { loadCredentials } from '../cloud/alibaba/credentials-file.ts';
import { RosDeployer } from '../cloud/alibaba/ros-deployer.ts';
import type { Deployer } from '../cloud/deployer.ts';
import type { CloudProvider } from '../cloud/provider.ts';
import { DEFAULT_DISTRIBUTION_ACCOUNT, type CloudConfig } from './config.ts';

/** A cloud other than the embedded simulator. */
export interface ExternalCloud {
  provider: CloudProvider;
  /** Runs service instances in the consumers' accounts (on Alibaba Cloud: ROS stacks). */
  deployer: Deployer;
  /** For the banner and logs, e.g. "Alibaba Cloud ECS API at http://127.0.0.1:9090". */
  label: string;
  /**
   * An emulated cloud whose time runs this many times faster than real time: the engine's
   * clock keeps pace, shared by every process on the database. Undefined: real time.
   */
  emulatedSpeed?: number | undefined;
}

/** The cloud the configuration names: undefined for the embedded simulator, else the Alibaba adapter. */
export function externalCloud(config: CloudConfig): ExternalCloud | undefined {
  if (config.cloud !== 'alibaba') return undefined;
  const credentialsFor = loadCredentials(config.alibabaCredentials, config.distributionAccount ?? DEFAULT_DISTRIBUTION_ACCOUNT);
  const provider = new AlibabaEcsProvider({ endpoint: config.alibabaEndpoint, credentialsFor });
  return {
    provider,
    deployer: new RosDeployer({ endpoint: config.alibabaEndpoint, credentialsFor }),
    label: config.alibabaEndpoint
      ? `Alibaba Cloud ECS API at ${config.alibabaEndpoint}${config.simSpeed !== undefined ? `, emulated time at ${config.simSpeed}x` : ''}`
      : 'Alibaba Cloud',
    emulatedSpeed: config.alibabaEndpoint ? config.simSpeed : undefined,
  };
}
