/** Typed calls of the /v1/services routes, over the CLI's HTTP client. */
import type { Service, ServiceEvent, ServiceList, TemplateUpdateResult } from '../contract/services.ts';
import type { ImagenestClient } from './client.ts';

export type TemplateBody = string | { files: Record<string, string> };

export function servicesClient(c: ImagenestClient) {
  const at = (ref: string, rest = '') => `/v1/services/${encodeURIComponent(ref)}${rest}`;
  return {
    create: (body: Record<string, unknown>): Promise<Service> => c.request('POST', '/v1/services', { body }),
    list: (query: { limit?: number; nextToken?: string | undefined; state?: string | undefined }): Promise<ServiceList> =>
      c.request('GET', '/v1/services', { query }),
    get: (ref: string): Promise<Service> => c.request('GET', at(ref)),
    updateTemplate: (ref: string, template: TemplateBody): Promise<TemplateUpdateResult> => c.request('PUT', at(ref, '/template'), { body: { template } }),
    setVisibility: (ref: string, body: { visibility: string; accounts?: string[] | undefined }): Promise<Service> =>
      c.request('PUT', at(ref, '/visibility'), { body }),
    associate: (ref: string, body: { placeholder: string; package: string; version: number | 'draft' }): Promise<Service> =>
      c.request('PUT', at(ref, '/associations'), { body }),
    review: (ref: string, action: 'submit' | 'approve' | 'publish' | 'offline'): Promise<Service> => c.request('POST', at(ref, `/${action}`)),
    reject: (ref: string, reason: string): Promise<Service> => c.request('POST', at(ref, '/reject'), { body: { reason } }),
    events: (ref: string): Promise<{ items: ServiceEvent[] }> => c.request('GET', at(ref, '/events')),
  };
}
