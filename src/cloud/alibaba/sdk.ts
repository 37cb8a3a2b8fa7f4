/**
 * The official Alibaba Cloud SDK modules, loaded in one place. They are CommonJS with their
 * classes on `default`, and tsx and vitest unwrap such modules differently on `import`, so they
 * are required the one way both agree on.
 */
import { createRequire } from 'node:module';
import type * as EcsSdk from '@alicloud/ecs20140526';
import type * as OpenApiSdk from '@alicloud/openapi-core';
import type * as CredentialsSdk from '@alicloud/credentials';

const require = createRequire(import.meta.url);

/** `@alicloud/ecs20140526`: the client class (`.default`) and the request/response models. */
export const $Ecs = require('@alicloud/ecs20140526') as typeof EcsSdk.default;
export const { $OpenApiUtil, OpenApiUtil } = require('@alicloud/openapi-core') as typeof OpenApiSdk;
export const Credential = (require('@alicloud/credentials') as typeof CredentialsSdk.default).default;
export type { EcsSdk };
