/** `@alicloud/ros20190910`, loaded the way sdk.ts loads the ECS SDK (CommonJS with its classes on `default`). */
import { createRequire } from 'node:module';
import type * as RosSdk from '@alicloud/ros20190910';

const require = createRequire(import.meta.url);

/** The client class (`.default`) and the request/response models. */
export const $Ros = require('@alicloud/ros20190910') as typeof RosSdk.default;
export type RosClient = InstanceType<typeof $Ros.default>;
export type { RosSdk };
