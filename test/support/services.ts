/**
 * Services, revisions and associations written straight through the repositories: a service in
 * any review state at once, for deployment and authorization tests.
 */
import type { AppDeps } from '../../src/app/deps.ts';
import type { Caller } from '../../src/domain/account.ts';
import { insertRevision, insertService, setAssociations } from '../../src/store/services-repo.ts';
import type { RevisionStateColumn } from '../../src/store/services-schema.ts';

export interface ServiceFixture {
  name: string;
  deployType?: 'ros' | 'terraform';
  files: { name: string; text: string }[];
  visibility?: 'private' | 'public' | 'whitelist';
  accounts?: string[];
  state: RevisionStateColumn;
  /** A second revision (the one under work) in this state, with the same template and associations. */
  open?: RevisionStateColumn;
  associations: { placeholder: string; packageId: string; versionNumber: number | null }[];
}

export async function makeService(deps: AppDeps, owner: Caller, f: ServiceFixture): Promise<{ serviceId: string; revisionId: string }> {
  const now = deps.clock.now();
  const serviceId = deps.ids.id('svc');
  const revisionId = deps.ids.id('rev');
  const revision = (id: string, number: number, state: RevisionStateColumn) => ({
    id,
    serviceId,
    number,
    state,
    template: { files: f.files },
    rejectReason: null,
    createdAt: now,
    updatedAt: now,
    submittedAt: null,
    reviewedAt: null,
    publishedAt: state === 'Online' ? now : null,
  });
  await deps.db.transaction().execute(async (trx) => {
    await insertService(trx, {
      id: serviceId,
      ownerId: owner.accountId,
      name: f.name,
      description: 'a service under deployment test',
      deployType: f.deployType ?? 'ros',
      serviceType: 'private',
      visibility: f.visibility ?? 'private',
      accounts: f.accounts ?? [],
      createdAt: now,
      updatedAt: now,
    });
    await insertRevision(trx, revision(revisionId, 1, f.state));
    await setAssociations(trx, revisionId, f.associations);
    if (f.open) {
      const openId = deps.ids.id('rev');
      await insertRevision(trx, revision(openId, 2, f.open));
      await setAssociations(trx, openId, f.associations);
    }
  });
  return { serviceId, revisionId };
}

/** A ROS template with one ECS instance per placeholder. */
export function rosTemplate(...placeholders: string[]): { name: string; text: string } {
  const resources = placeholders.map((p, i) => `  Server${i}:\n    Type: ALIYUN::ECS::Instance\n    Properties:\n      ImageId: ${p}  # the image\n`).join('');
  // One parameter, after the resources so that the placeholders' positions do not move.
  return { name: 'template.yaml', text: `ROSTemplateFormatVersion: '2015-09-01'\nResources:\n${resources}Parameters:\n  Size:\n    Type: String\n    Default: ecs.g7.large\n` };
}

/** A Terraform template: an instance and a scaling configuration on the placeholder. */
export function tfTemplate(placeholder: string): { name: string; text: string } {
  return {
    name: 'main.tf',
    text: `resource "alicloud_instance" "web" {\n  image_id = "${placeholder}"\n}\n\nresource "alicloud_ess_scaling_configuration" "conf" {\n  image_id = "${placeholder}"\n}\n\nvariable "size" {\n  default = "ecs.g7.large"\n}\n`,
  };
}
