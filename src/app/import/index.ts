/** The Compute Nest import: plan from a directory, describe the plan; applying it is the caller's. */
export { planComputenestImport, filesFromRecord, type ComputenestImportInput } from './computenest.ts';
export { openServiceDir, type ServiceDir } from './service-dir.ts';
export { describeImportPlan } from './report.ts';
export {
  ImportCode,
  ImportDiagnosticCode,
  planHasErrors,
  type ImportPlan,
  type ImportItem,
  type ImportDiagnostic,
  type ImportOptions,
  type PlannedPackage,
  type PlannedService,
  type PlannedTemplate,
  type PlannedAssociation,
  type UnassociatedPlaceholder,
  type ServiceFiles,
} from './plan.ts';
