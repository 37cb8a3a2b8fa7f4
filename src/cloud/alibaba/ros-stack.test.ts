/** What the ROS deployer sends and how it reads ROS's answers, and how the emulator reads a stack's template. */
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { stackFiles } from '../emulator/ros-stacks.ts';
import { failureCodeOf, instanceIdOfStack, stackNameFor, stackPhase, stackTemplateFor } from './ros-stack.ts';

const files = [
  { name: 'main.tf', text: 'resource "alicloud_instance" "web" {\n  image_id = "m-1"\n}\n' },
  { name: 'vars.tf', text: 'variable "size" {}\n' },
];

describe('ROS stacks of deployments', () => {
  it('names a stack after its instance, and finds the instance again', () => {
    expect(stackNameFor('si-3f2c9a')).toBe('imagenest-si-3f2c9a');
    expect(instanceIdOfStack(stackNameFor('si-3f2c9a'))).toBe('si-3f2c9a');
    expect(instanceIdOfStack('someone-elses-stack')).toBeUndefined();
  });

  it('deploys a ROS template as is, and Terraform files under the managed Terraform transform', () => {
    const ros = { name: 'template.yaml', text: "ROSTemplateFormatVersion: '2015-09-01'\n" };
    expect(stackTemplateFor({ deployType: 'ros', template: { files: [ros] } })).toEqual({ ok: true, body: ros.text });
    expect(stackTemplateFor({ deployType: 'ros', template: { files: [ros, ros] } }).ok).toBe(false);
    const tf = stackTemplateFor({ deployType: 'terraform', template: { files } });
    expect(tf.ok && parse(tf.body)).toEqual({
      ROSTemplateFormatVersion: '2015-09-01',
      Transform: 'Aliyun::Terraform-v1.5',
      Workspace: { 'main.tf': files[0]!.text, 'vars.tf': files[1]!.text },
    });
  });

  it('reads the emulator side of the same template: the .tf files of the Workspace', () => {
    const tf = stackTemplateFor({ deployType: 'terraform', template: { files: [...files, { name: 'README.md', text: '# x' }] } });
    expect(tf.ok && stackFiles(tf.body)).toEqual({ deployType: 'terraform', files });
    expect(stackFiles("ROSTemplateFormatVersion: '2015-09-01'\nResources: {}\n").deployType).toBe('ros');
    for (const bad of ['Resources: [', 'Resources: {}', '{"ROSTemplateFormatVersion": "2015-09-01", "Transform": "Aliyun::Other"}', '{"ROSTemplateFormatVersion": "2015-09-01", "Transform": "Aliyun::Terraform-v1.5", "Workspace": {"main.tf": 1}}']) {
      expect(() => stackFiles(bad)).toThrow(expect.objectContaining({ code: 'InvalidTemplate' }));
    }
  });

  it('reads a stack status as running, succeeded or failed', () => {
    expect(stackPhase('CREATE_IN_PROGRESS')).toBe('running');
    expect(stackPhase('CREATE_COMPLETE')).toBe('succeeded');
    for (const s of ['CREATE_FAILED', 'CREATE_ROLLBACK_COMPLETE', 'ROLLBACK_COMPLETE', 'ROLLBACK_FAILED', 'DELETE_COMPLETE']) expect(stackPhase(s)).toBe('failed');
  });

  it('names the failure from the failed resource\'s ECS code', () => {
    expect(failureCodeOf(['Resource CREATE failed: InvalidImageId.NotFound: The specified ImageId does not exist.'])).toBe('IMAGE_NOT_FOUND_IN_REGION');
    expect(failureCodeOf(['', 'Resource CREATE failed: InvalidImageId.NotShared: image m-1 …'])).toBe('IMAGE_NOT_SHARED');
    expect(failureCodeOf(['Resource CREATE failed: QuotaExceed.Instance'])).toBe('DEPLOY_FAILED');
  });
});
